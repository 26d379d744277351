"""Personal API tokens, written once: issue one (shown once, told to its person by mail), revoke
one or all of a person's, find the person a presented token belongs to.

A token is a secret made and kept as people.tokens says: 256 random bits, stored only as
its SHA-256, looked up through a unique index. It works until it expires, within its scope,
while its person has the e-mail address it was issued under (api/models.py) and until it is
revoked (by its person, or by api/receivers.py when their ways in change).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assignments import audit
from assignments.models import User
from people.tokens import digest_of, new_secret

from .models import PersonalToken

# Makes a token recognisable in logs and to secret scanners.
TOKEN_PREFIX = "upd_"  # noqa: S105 - a marker, not a secret
SHOWN_PREFIX = 12  # "upd_" and 8 characters of the token: enough to tell tokens apart
MAX_ACTIVE_TOKENS = 25
# last_used_at is a write: at most one per token in this interval, not one per request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=5)


def active_tokens_of(user: User):
    """The person's tokens that still work, newest first."""
    return PersonalToken.objects.active().filter(user=user).order_by("-created_at", "-pk")


def lifetime(days: int | None) -> dt.timedelta:
    """How long a new token works: `days`, or API_TOKEN_DEFAULT_DAYS; at most API_TOKEN_MAX_DAYS."""
    if days is None:
        days = settings.API_TOKEN_DEFAULT_DAYS
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError(
            {
                "days": _("En API-nyckel gäller mellan 1 och %(max)d dagar.")
                % {"max": settings.API_TOKEN_MAX_DAYS}
            }
        )
    return dt.timedelta(days=days)


def issue_token(
    *, user: User, name: str, scope: str = PersonalToken.Scope.READ, days: int | None = None
) -> tuple[PersonalToken, str]:
    """A new token for `user` under `name`, of `scope`, working for `days` (else the default);
    the secret is returned here and never again. Its person is told by mail once it is made."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Ge nyckeln ett namn, till exempel systemets.")})
    if scope not in PersonalToken.Scope.values:
        raise ValidationError({"scope": _("Välj vad nyckeln får göra.")})
    valid_for = lifetime(days)
    with transaction.atomic():
        # the person's row serialises two requests that would both pass the limit
        person = User.objects.select_for_update().get(pk=user.pk)
        if active_tokens_of(user).count() >= MAX_ACTIVE_TOKENS:
            raise ValidationError(
                _("Du har redan %(count)d aktiva nycklar. Återkalla någon först.")
                % {"count": MAX_ACTIVE_TOKENS}
            )
        secret = new_secret(TOKEN_PREFIX)
        now = timezone.now()
        token = PersonalToken.objects.create(
            user=user,
            name=name[:100],
            prefix=secret[:SHOWN_PREFIX],
            digest=digest_of(secret),
            created_at=now,
            expires_at=now + valid_for,
            scope=scope,
            email_at_issue=person.email,  # it works while the person has this address
        )
        audit.record(
            actor=user,
            action="api_token.created",
            obj=token,
            after={
                "name": token.name,
                "prefix": token.prefix,
                "scope": token.scope,
                "expires_at": token.expires_at,
            },
        )
        if person.email:
            # robust: a mail server that fails is logged, and the token stands
            transaction.on_commit(_created_notice(token, person).send, robust=True)
    return token, secret


def revoke_token(*, token: PersonalToken, actor: User) -> PersonalToken:
    """Revoke one of the actor's own tokens; it stops working at once."""
    with transaction.atomic():
        token = PersonalToken.objects.select_for_update().get(pk=token.pk)
        if token.user_id != actor.pk:
            raise PersonalToken.DoesNotExist
        if token.revoked_at is None:
            _revoke(token, actor=actor)
    return token


def revoke_all_of(person: User, *, reason: str, issued_under_another_address=False) -> int:
    """Revoke the person's tokens not yet revoked (only those issued under an address the person
    no longer has, if asked), each audited with `reason`; how many."""
    with transaction.atomic():
        rows = PersonalToken.objects.select_for_update().filter(
            user=person, revoked_at__isnull=True
        )
        if issued_under_another_address:
            rows = rows.exclude(email_at_issue=person.email)
        revoked = list(rows.order_by("pk"))
        for token in revoked:
            _revoke(token, actor=None, reason=reason)
    return len(revoked)


def _revoke(token: PersonalToken, *, actor, reason: str = "") -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        action="api_token.revoked",
        obj=token,
        before={"revoked_at": None},
        after={"revoked_at": token.revoked_at},
        reason=reason,
    )


def token_for(secret: str) -> PersonalToken | None:
    """The active token of an active person that `secret` is, with its person; else None."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        PersonalToken.objects.active()
        .select_related("user")
        .filter(digest=digest_of(secret), user__is_active=True)
        .first()
    )
    if token is not None:
        _note_use(token)
    return token


def _note_use(token: PersonalToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        PersonalToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def _created_notice(token: PersonalToken, person: User) -> EmailMessage:
    """The mail that tells the person a token was made for their account, written now in their
    language: if it was not them, they revoke it and change their password."""
    with translation.override(person.language or settings.LANGUAGE_CODE):
        context = {
            "person": person,
            "token": token,
            "scope": token.get_scope_display(),
            "created": date_format(timezone.localtime(token.created_at), "DATETIME_FORMAT"),
            "expires": date_format(timezone.localtime(token.expires_at), "DATE_FORMAT"),
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("api/token_created_subject.txt", context)
        body = render_to_string("api/token_created_email.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email],
        # RFC 3834: sent by a program, so vacation responders do not answer it
        headers={"Auto-Submitted": "auto-generated"},
    )
