"""The secret of a person's calendar subscription address: issue (or renew) it, shown once, and
find the person a presented one belongs to.

A calendar program cannot log in, so the address itself is the key: whoever has it reads the
person's calendar feed (workflow.calendar_feed), nothing else. It is made and kept like an API
token (people.tokens: only a hash is stored), one works per person at a time, and renewing
it revokes the old one for good, as "reset the secret address" does in Google Calendar.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assignments import audit
from assignments.models import User
from people.tokens import digest_of, new_secret

from .models import CalendarFeedToken

# Makes an address's secret recognisable in logs and to secret scanners.
TOKEN_PREFIX = "cal_"  # noqa: S105 - a marker, not a secret
SHOWN_PREFIX = 12  # "cal_" and 8 characters: enough to tell addresses apart
# last_fetched_at is a write: at most one per address in this interval, not one per request.
LAST_FETCHED_RESOLUTION = dt.timedelta(minutes=5)


def active_token_of(user: User) -> CalendarFeedToken | None:
    """The person's address that works now, if they have one."""
    return CalendarFeedToken.objects.active().filter(user=user).first()


def renew_calendar_token(*, user: User) -> tuple[CalendarFeedToken, str]:
    """A new address for `user`; the one they had stops working at once. The secret is returned
    here and never again."""
    secret = new_secret(TOKEN_PREFIX)
    with transaction.atomic():
        # the person's row serialises two renewals (two tabs): each revokes what the other made
        User.objects.select_for_update().filter(pk=user.pk).first()
        old = active_token_of(user)
        if old is not None:
            old.revoked_at = timezone.now()
            old.save(update_fields=["revoked_at"])
        token = CalendarFeedToken.objects.create(
            user=user, prefix=secret[:SHOWN_PREFIX], digest=digest_of(secret)
        )
        audit.record(
            actor=user,
            action="calendar_feed.renewed" if old is not None else "calendar_feed.created",
            obj=token,
            before={"prefix": old.prefix} if old is not None else None,
            after={"prefix": token.prefix},
        )
    return token, secret


def token_for(secret: str) -> CalendarFeedToken | None:
    """The working address of an active person that `secret` is, with its person; else None
    (an unknown, renewed or malformed secret, or a person who has left)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    return (
        CalendarFeedToken.objects.active()
        .select_related("user")
        .filter(digest=digest_of(secret), user__is_active=True)
        .first()
    )


def feed_path(secret: str) -> str:
    """The path of the feed whose address holds `secret`."""
    return reverse("calendar_feed", args=[secret])


def feed_addresses(secret: str) -> dict[str, str]:
    """The subscription address, as https (Google, Outlook on the web) and as webcal (opens the
    computer's own calendar program), on the site's public address (SITE_URL)."""
    https = settings.SITE_URL.rstrip("/") + feed_path(secret)
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[1]}
