"""Whether the mail relay took the last mail handed to it: written by the send
(reminders/dispatch.py), read by the health check `relay` (config/checks.py). Kept in the cache
beside the sweep's record (reminders/sweep_record.py), which web and workers share.

The outbox cannot tell: a mail the relay refuses for now is planned again after a back-off, so
no row stays due for long, and after its sixth attempt (an hour) it has failed and left the
outbox. A relay answering 451 to every mail never turned /healthz 503 (bench/soak.py found
it). So each hand-off records its outcome: accepted, or
refused for now (4xx) or not reached (a refused or dropped connection, a timeout). A 5xx
refuses one message or address and says nothing of the relay: it is not recorded.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.cache import cache
from django.utils import timezone

log = logging.getLogger(__name__)

LAST_HANDOFF = "reminders:relay:last"


def record_handoff(*, accepted: bool, at: dt.datetime | None = None) -> None:
    """Record whether the relay took a mail (now, unless told). Never raises: the send calls
    this between the relay's answer and its commit, where an error would send the mail again."""
    at = at or timezone.now()
    try:
        cache.set(LAST_HANDOFF, {"accepted": accepted, "at": at.timestamp()}, None)
    except Exception as error:  # noqa: BLE001 - a cache that is down loses the record, no more
        log.warning("the relay's last answer not recorded: %s", type(error).__name__)


def last_handoff() -> tuple[bool, dt.datetime] | None:
    """Whether the relay took the last mail handed to it, and when; None if none is recorded."""
    record = cache.get(LAST_HANDOFF)
    if not record:
        return None
    return record["accepted"], dt.datetime.fromtimestamp(record["at"], tz=dt.UTC)
