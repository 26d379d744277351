"""A worker that dies between handling a reply and moving it out of the inbox: the reply
acts once. The mailbox is polled in a process of its own, SIGKILLed right after the commit."""

import os
import signal
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command

from assignments.models import Milestone, MilestoneUpdate
from replies.models import InboundReply
from replies.tasks import poll_replies
from tests.reminders.conftest import registered_as_written, told_at_once
from tests.reminders.test_worker import ROOT, database_url
from tests.replies.dovecot import PASSWORD, USER

from .conftest import DONE_FOLDER, answers, first, reply_to

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

KILLED_AFTER_COMMIT = """
import os, signal, django
django.setup()
from replies import mailbox
mailbox.poll(on_committed=lambda: os.kill(os.getpid(), signal.SIGKILL))
raise SystemExit("still alive")
"""


@pytest.fixture
def seed004(clock):
    """Seed 004 by the command itself, as tests/reminders/test_worker.py loads it: the suite's
    in-memory copy of the demo (tests/seeding.py) is for tests inside one transaction."""
    call_command("load_demo", "--seed-only", verbosity=0)
    told_at_once()
    return registered_as_written()


@pytest.fixture(autouse=True)
def _tokens_good_in_the_childs_time(settings):
    # the child process runs on the real clock, the test on seed 004's of 2025
    settings.REPLY_TOKEN_DAYS = 3650


def test_a_worker_killed_before_the_move_leads_to_exactly_one_update(reminder_mail, smtp, dovecot):
    prefix, milestone = first(reminder_mail)
    dovecot.deliver(reply_to(reminder_mail, f"{prefix}klar"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "SITE_URL": settings.SITE_URL,
        "DEBUG": "false",
        "REPLY_ADDRESS": settings.REPLY_ADDRESS,
        "REPLY_TOKEN_DAYS": "3650",
        "REPLY_IMAP_HOST": "127.0.0.1",
        "REPLY_IMAP_PORT": str(dovecot.port),
        "REPLY_IMAP_SSL": "false",
        "REPLY_IMAP_USER": USER,
        "REPLY_IMAP_PASSWORD": PASSWORD,
        "REPLY_IMAP_DONE_FOLDER": DONE_FOLDER,
    }
    child = subprocess.run([sys.executable, "-c", KILLED_AFTER_COMMIT], cwd=ROOT, env=env)
    assert child.returncode == -signal.SIGKILL
    # committed, not moved, not answered
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.DONE
    assert dovecot.count("INBOX") == 1 and dovecot.count(DONE_FOLDER) == 0
    assert answers(smtp, reminder_mail["To"]) == []

    assert poll_replies() == 1  # the next poll finds the same mail again

    assert MilestoneUpdate.objects.filter(milestone=milestone).count() == 1
    assert InboundReply.objects.count() == 1
    assert dovecot.count("INBOX") == 0 and dovecot.count(DONE_FOLDER) == 1
    assert len(answers(smtp, reminder_mail["To"])) == 1  # answered once, after all
