"""Personal API tokens, written once: issue one (shown once), revoke one, find the person a
presented token belongs to.

A token is a secret made and kept as people.tokens says: 256 random bits, stored only as
its SHA-256, looked up through a unique index. It works while its person has the e-mail address
it was issued under (api/models.py): a change of address ends it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
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


def issue_token(*, user: User, name: str) -> tuple[PersonalToken, str]:
    """A new token for `user` under `name`; the secret is returned here and never again."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Ge nyckeln ett namn, till exempel systemets.")})
    with transaction.atomic():
        # the person's row serialises two requests that would both pass the limit
        person = User.objects.select_for_update().get(pk=user.pk)
        if active_tokens_of(user).count() >= MAX_ACTIVE_TOKENS:
            raise ValidationError(
                _("Du har redan %(count)d aktiva nycklar. Återkalla någon först.")
                % {"count": MAX_ACTIVE_TOKENS}
            )
        secret = new_secret(TOKEN_PREFIX)
        token = PersonalToken.objects.create(
            user=user,
            name=name[:100],
            prefix=secret[:SHOWN_PREFIX],
            digest=digest_of(secret),
            email_at_issue=person.email,  # it works while the person has this address
        )
        audit.record(
            actor=user,
            action="api_token.created",
            obj=token,
            after={"name": token.name, "prefix": token.prefix},
        )
    return token, secret


def revoke_token(*, token: PersonalToken, actor: User) -> PersonalToken:
    """Revoke one of the actor's own tokens; it stops working at once."""
    with transaction.atomic():
        token = PersonalToken.objects.select_for_update().get(pk=token.pk)
        if token.user_id != actor.pk:
            raise PersonalToken.DoesNotExist
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit.record(
                actor=actor,
                action="api_token.revoked",
                obj=token,
                before={"revoked_at": None},
                after={"revoked_at": token.revoked_at},
            )
    return token


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
