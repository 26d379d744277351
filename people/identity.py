"""Identity belongs to its person (docs/security.md): the ways into an account change on one path.

An account's e-mail address, user name, employee id and password are how it is entered:
"Glömt lösenordet?" sends a new password to whatever address the account has, single sign-on
matches people by their address or employee id. Whoever may change them could take the account
over, and with it everything the account decides. So every path that saves them asks one rule,
permissions.may_change_identity_fields (a superuser: anyone's; the person: their own; a
registrar: only those of someone who holds no authority, and never a password):

- the people admin (admin_people.UserAdmin): the change form shows them read-only to whoever
  may not change them and refuses a POST that carries them anyway; its save goes through
  check_identity_change / record_identity_change below; the password form asks
  may_set_password;
- single sign-on linking an account to the person's immutable id at the provider and employee
  id (sso.SingleSignOnBackend, through save_person: the person's own act);
- the person's own password change and reset (Django's views: their own password).

Nothing else writes them: "Inställningar" holds no address, and a sign-in never rewrites one.

A change of e-mail address, whoever makes it and on whatever path:
- ends the person's sessions: User.get_session_auth_hash covers the address, so a session
  started under another address no longer verifies;
- ends their API tokens: a token works only while its person has the address it was issued
  under (api.models.PersonalToken), and a saved change revokes them for good, as a password
  change or reset and a deactivation do (api/receivers.py);
- and, on the paths above, is told to the old address in the person's language once the change
  is committed, and audited: who, when, old -> new, why ("person.email_changed").
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assignments import audit
from assignments.models import User
from assignments.permissions import holds_authority, may_change_identity_fields

IDENTITY_FIELDS = ("username", "email", "employee_id", "sso_subject", "password")


def refusal(person: User) -> str:
    """Why a change of `person`'s identity is refused, in Swedish."""
    if not holds_authority(person):
        return _("Bara en administratör kan byta någon annans lösenord.")
    return _(
        "Bara en administratör kan ändra e-postadress, användarnamn, anställnings-id eller "
        "lösenord för %(name)s, som beslutar, är uppdragsgivare eller administrerar: den som "
        "har adressen kan ta över kontot."
    ) % {"name": person}


def check_identity_change(*, person: User, actor) -> dict[str, tuple[str, str]]:
    """The identity fields `person` (with new values set, not saved) changes, as (old, new),
    the stored row locked until the transaction ends; PermissionDenied if `actor` may not."""
    stored = User.objects.select_for_update().get(pk=person.pk)
    changes = {
        name: (getattr(stored, name), getattr(person, name))
        for name in IDENTITY_FIELDS
        if getattr(stored, name) != getattr(person, name)
    }
    if not may_change_identity_fields(actor, stored, changes):
        raise PermissionDenied(refusal(stored))
    return changes


def record_identity_change(
    *, person: User, actor, changes: dict[str, tuple[str, str]], reason: str = ""
) -> None:
    """After the save: a changed e-mail address audited and told to the old address."""
    if "email" not in changes:
        return
    old, new = changes["email"]
    audit.record(
        actor=actor,
        action="person.email_changed",
        obj=person,
        before={"email": old},
        after={"email": new},
        reason=reason,
    )
    if old:
        notice = _email_changed_notice(person=person, actor=actor, old=old, new=new)
        # robust: a mail server that fails is logged, and the committed change stands
        transaction.on_commit(notice.send, robust=True)


def save_person(*, person: User, actor, reason: str = "", update_fields=None) -> None:
    """Save an existing person whose identity may have changed, as the module says."""
    with transaction.atomic():
        changes = check_identity_change(person=person, actor=actor)
        person.save(update_fields=update_fields)
        record_identity_change(person=person, actor=actor, changes=changes, reason=reason)


def _email_changed_notice(*, person: User, actor, old: str, new: str) -> EmailMessage:
    """The mail to the old address, written now in the person's language."""
    with translation.override(person.language or settings.LANGUAGE_CODE):
        context = {
            "person": person,
            "actor": actor if actor is not None and actor.pk != person.pk else None,
            "old": old,
            "new": new,
            "when": date_format(timezone.localtime(), "DATETIME_FORMAT"),
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("registration/email_changed_subject.txt", context)
        body = render_to_string("registration/email_changed_email.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[old],
        # RFC 3834: sent by a program, so vacation responders do not answer it
        headers={"Auto-Submitted": "auto-generated"},
    )
