"""The inbound mailbox: replies read over IMAP (imap-tools), each handled, then moved to the
folder of handled mail (settings.REPLY_IMAP_DONE_FOLDER).

Nothing is lost when the worker dies mid-way: a mail leaves the inbox only after its reply was
committed (replies.handling), and a mail handled but not moved yet is found again on the next
poll and recognised by its Message-ID, so it is applied once.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from imap_tools import MailBox, MailBoxUnencrypted

from . import handling

# Moved out of the inbox in batches: one IMAP command for many handled mails.
MOVE_BATCH = 50


def configured() -> bool:
    return bool(settings.REPLY_IMAP_HOST and settings.REPLY_IMAP_USER)


def _connect():
    kind = MailBox if settings.REPLY_IMAP_SSL else MailBoxUnencrypted
    box = kind(settings.REPLY_IMAP_HOST, settings.REPLY_IMAP_PORT, timeout=30)
    folder = settings.REPLY_IMAP_FOLDER
    if settings.REPLY_IMAP_OAUTH2_TOKEN:
        return box.xoauth2(settings.REPLY_IMAP_USER, settings.REPLY_IMAP_OAUTH2_TOKEN, folder)
    return box.login(settings.REPLY_IMAP_USER, settings.REPLY_IMAP_PASSWORD, folder)


def poll(
    *, limit: int | None = None, on_committed: Callable[[], None] | None = None
) -> dict[str, float]:
    """Handle what is in the inbox now (at most `limit` mails); returns how many were handled
    and the seconds it took. `on_committed` runs after each reply's commit, before its move."""
    if not configured():
        return {"handled": 0, "seconds": 0.0}
    started = time.perf_counter()
    handled = 0
    done_folder = settings.REPLY_IMAP_DONE_FOLDER
    with _connect() as box:
        if not box.folder.exists(done_folder):
            box.folder.create(done_folder)
        to_move: list[str] = []
        for message in box.fetch(mark_seen=False, limit=limit, bulk=MOVE_BATCH):
            handling.handle(message.obj.as_bytes(), on_committed=on_committed)
            handled += 1
            to_move.append(message.uid)
            if len(to_move) >= MOVE_BATCH:
                box.move(to_move, done_folder)
                to_move = []
        if to_move:
            box.move(to_move, done_folder)
    return {"handled": handled, "seconds": time.perf_counter() - started}
