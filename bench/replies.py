"""Benchmark of answering reminders by mail (issue 31): 1,000 replies in the mailbox.

Builds a database of its own with seed 004 (RS 2024-05699), starts a Dovecot of its own
(Debian's dovecot-imapd, as tests/replies does) and an aiosmtpd sink for the answers, puts
1,000 replies of the assignee into the inbox (each a comment on one of its milestones, with
the reminder quoted below and a signature), and polls the mailbox as beat does until the
inbox is empty. Reports the time per reply, and checks the bars of correctness: every reply
handled once (one row, one comment, one answer each, counted by Message-ID), none left in
the inbox, none lost, none doubled.

Run with `make bench`; `--smoke` runs the same code on 50 replies (tests/test_bench.py).
Exits non-zero when a bar of correctness is missed.
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import sys
import threading
import time
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _common import (  # noqa: E402
    PG,
    SECRET_KEY,
    cheap_passwords,
    drop_database,
    recreate_database,
)

REPLY_ADDRESS = "uppdrag+{token}@region.example"
DONE_FOLDER = "Uppdrag-hanterade"


class Sink:
    """An aiosmtpd handler that counts the Message-IDs of the answers it receives."""

    def __init__(self):
        self.ids: dict[str, int] = {}
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's API)
        import email

        message = email.message_from_bytes(envelope.content)
        with self.lock:
            key = message["Message-ID"]
            self.ids[key] = self.ids.get(key, 0) + 1
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _reply(person, milestone, number: int) -> EmailMessage:
    from reminders.reply_address import reply_address

    mail = EmailMessage()
    mail["From"] = person.email
    mail["To"] = reply_address(person, [milestone.pk])
    mail["Subject"] = f"SV: Påminnelse: {milestone.title}"
    mail["Message-ID"] = make_msgid(idstring=f"bench{number}", domain="region.example")
    mail.set_content(
        f"Läget för vecka {number % 52 + 1}: underlaget {number} är på väg.\n\n"
        "Med vänliga hälsningar\nJan Sträng\n\n"
        "Den 14 nov. 2025 kl 08:30 skrev Uppdrag <uppdrag@localhost>:\n"
        f"> Påminnelse: {milestone.title} ska vara klar 30 nov\n> Öppna: https://uppdrag/\n"
    )
    return mail


def run(count: int, smoke: bool) -> int:
    import django

    django.setup()
    if smoke:
        cheap_passwords()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", "--seed-only", verbosity=0)

    from aiosmtpd.controller import Controller

    from assignments.models import Assignment, MilestoneUpdate
    from replies import mailbox
    from replies.models import InboundReply
    from tests.replies.dovecot import PASSWORD, USER, Dovecot

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's line per command
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=int(os.environ["BENCH_SMTP_PORT"]))
    controller.start()
    dovecot = Dovecot()
    dovecot.start()
    try:
        settings.REPLY_ADDRESS = REPLY_ADDRESS
        settings.REPLY_IMAP_HOST = "127.0.0.1"
        settings.REPLY_IMAP_PORT = dovecot.port
        settings.REPLY_IMAP_SSL = False
        settings.REPLY_IMAP_USER = USER
        settings.REPLY_IMAP_PASSWORD = PASSWORD
        settings.REPLY_IMAP_DONE_FOLDER = DONE_FOLDER
        seed = Assignment.objects.filter(registration_number="RS 2024-05699").first()
        person = seed.assignee
        milestones = list(seed.milestones.order_by("pk"))
        replies = [_reply(person, milestones[i % len(milestones)], i) for i in range(count)]
        started = time.perf_counter()
        dovecot.deliver(*replies)
        print(f"{count} replies put into the inbox in {time.perf_counter() - started:.1f} s")

        polls, handled, seconds = 0, 0, 0.0
        while dovecot.count("INBOX"):
            result = mailbox.poll()
            polls += 1
            handled += result["handled"]
            seconds += result["seconds"]
        moved = dovecot.count(DONE_FOLDER)
    finally:
        # the answers were sent (SMTP accepted each) before poll() returned
        controller.stop()
        dovecot.stop()

    ids = {str(m["Message-ID"]) for m in replies}
    rows = set(InboundReply.objects.values_list("message_id", flat=True))
    comments = MilestoneUpdate.objects.filter(author=person).exclude(comment="").count()
    answered = len(sink.ids)
    doubled = sum(n - 1 for n in sink.ids.values() if n > 1)
    lost = len(ids - rows)
    extra = len(rows - ids)
    per_reply = seconds / max(handled, 1)
    print(f"{handled} replies handled in {polls} poll(s), {seconds:.1f} s")
    print(f"  time per reply: {per_reply * 1000:.1f} ms ({handled / max(seconds, 1e-9):.0f}/s)")
    failures = 0
    checks = [
        (
            lost == 0 and extra == 0 and handled == count,
            f"replies: all {count} handled once, {lost} lost, {extra} doubled",
        ),
        (comments == count, f"comments: {comments} of {count} saved on the milestones"),
        (
            answered == count and doubled == 0,
            f"answers: {answered} of {count} sent, {doubled} doubled",
        ),
        (moved == count, f"moved: {moved} of {count} in {DONE_FOLDER}, inbox empty"),
    ]
    for ok, text in checks:
        print(("PASS  " if ok else "FAIL  ") + text)
        failures += not ok
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="the smoke size (50 replies)")
    args = parser.parse_args(argv)
    count = 50 if args.smoke else 1000
    name = os.environ.get("BENCH_DB", "uppdrag_bench_replies")
    recreate_database(name)
    smtp_port = _free_port()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"{PG}/{name}",
            "SECRET_KEY": SECRET_KEY,
            "DEBUG": "false",
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "BENCH_SMTP_PORT": str(smtp_port),
            "REPLY_TOKEN_DAYS": "3650",
        }
    )
    os.environ.pop("CELERY_TASK_ALWAYS_EAGER", None)
    try:
        return 1 if run(count, args.smoke) else 0
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(name)


if __name__ == "__main__":
    sys.exit(main())
