"""Identity belongs to its person (DOMAIN.md): the ways into an account change on one path.

An account's e-mail address, user name, employee id and password are how it is entered:
"Glömt lösenordet?" sends a new password to whatever address the account has, single sign-on
matches people by their address or employee id. Whoever may change them could take the account
over, and with it everything the account decides. So every path that saves them asks one rule,
permissions.may_change_identity_fields (a superuser: anyone's; the person: their own; a
registrar: only those of someone who holds no authority, and never a password):

- the people admin (admin_people.UserAdmin): the change form shows them read-only to whoever
  may not change them and refuses a POST that carries them anyway; its save goes through
  check_identity_change below; the password form asks may_set_password;
- single sign-on linking an account to the person's employee id (sso.SingleSignOnBackend,
  through save_person: the person's own act);
- the person's own password change and reset (Django's views: their own password).

Nothing else writes them: "Inställningar" holds no address, and a sign-in never rewrites one.

A change of e-mail address, whoever makes it and on whatever path, ends the person's sessions
(User.get_session_auth_hash covers the address) and API tokens (a token works only while its
person has the address it was issued under: api.models.PersonalToken).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from .models import User
from .permissions import holds_authority, may_change_identity_fields

IDENTITY_FIELDS = ("username", "email", "employee_id", "password")


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


def save_person(*, person: User, actor, update_fields=None) -> None:
    """Save an existing person whose identity may have changed, as the module says."""
    with transaction.atomic():
        check_identity_change(person=person, actor=actor)
        person.save(update_fields=update_fields)
