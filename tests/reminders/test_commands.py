import json
from unittest.mock import ANY

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from reminders import sweep_record
from reminders.models import Reminder
from tests.seeding import load_demo

pytestmark = pytest.mark.django_db


def test_reminders_preview_lists_what_is_planned(seed004, capsys):
    call_command("reminders_preview", "RS 2024-05699")
    out = capsys.readouterr().out
    planned = Reminder.objects.filter(assignment=seed004, state="planned").count()
    assert f"{planned} påminnelser." in out
    lines = out.splitlines()
    assert lines[0].split() == ["Skickas", "Typ", "Mottagare", "Läge", "Slutdatum", "Gäller"]
    assert any(
        line.startswith("2025-11-14 08:00  Före slutdatum")
        and "2025-11-30  Sammanställning" in line
        for line in lines
    ), out
    assert any(line.endswith("Slutleverans") for line in lines), out


def test_reminders_preview_says_what_an_event_not_sent_yet_tells(db, capsys):
    load_demo("--draft", "--seed-only")
    call_command("reminders_preview", "RS 2024-05699")
    lines = capsys.readouterr().out.splitlines()
    waiting = [line for line in lines if "Väntar på fastställelse: Hälso- och" in line]
    assert len(waiting) == 2, lines  # to each commissioner
    assert all("Anders Kullbratt" in line or "Per Albertsson" in line for line in waiting)


def test_reminders_preview_flags_what_the_sweep_has_not_taken_and_app_only_people(seed004, capsys):
    import datetime as dt

    from assignments.models import User

    User.objects.filter(username="jan.strang").update(email="")
    row = Reminder.objects.filter(assignment=seed004, recipient__username="jan.strang").first()
    Reminder.objects.filter(pk=row.pk).update(
        planned_at=dt.datetime(2025, 1, 2, 8, 0, tzinfo=dt.UTC)
    )
    call_command("reminders_preview", "RS 2024-05699")
    first = capsys.readouterr().out.splitlines()[1]
    assert first.startswith("2025-01-02 09:00")
    assert "(väntar på nästa svep; ingen e-postadress: bara i appen)" in first


def test_reminders_preview_rejects_an_unknown_number():
    with pytest.raises(CommandError, match="Inget uppdrag med diarienummer RS 1999-00001"):
        call_command("reminders_preview", "RS 1999-00001")


def test_reminders_sweep_inline_sends_what_is_due(seed004, smtp, clock, capsys):
    import datetime as dt

    clock.move_to(dt.datetime(2025, 11, 14, 8, 30, tzinfo=dt.UTC))
    call_command("reminders_sweep", "--inline")
    assert "sent" in capsys.readouterr().out
    assert smtp.inbox.messages
    assert not Reminder.objects.filter(state="sending").exists()


def test_outbox_is_listed_in_the_admin_with_filters(seed004, client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:reminders_reminder_changelist"), {"state": "planned"})
    assert response.status_code == 200
    assert "RS 2024-05699" in response.content.decode()


def test_information_readers_digest_says_what_they_follow(seed004, smtp, clock):
    import datetime as dt

    from reminders import dispatch
    from reminders.services import plan_digests

    from .test_dispatch import send_row

    plan_digests(dt.date(2025, 10, 1))
    now = dt.datetime(2025, 10, 1, 9, 0, tzinfo=dt.UTC)
    rows = Reminder.objects.filter(kind="digest", recipient__username="ann-charlotte.jarnstrom")
    assert send_row(rows.get().pk, dispatch.claim_due(now), now) == "sent"
    mail = smtp.inbox.to("ann-charlotte.jarnstrom@example.org")[0]
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Uppdrag du får för kännedom" in body
    assert "RS 2024-05699" in body
    assert "Försenat" not in body


def test_healthcheck_prints_each_checks_state_and_fails_when_one_fails(settings, capsys):

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    sweep_record.record_sweep(duration=0.1)
    call_command("healthcheck", "sweep", "outbox")
    assert json.loads(capsys.readouterr().out) == {
        "sweep": {
            "state": "ok",
            "age_seconds": 0,
            "max_age_seconds": 300,
            "duration_seconds": 0.1,
            "ms": ANY,
        },
        "outbox": {
            "state": "ok",
            "backlog": 0,
            "oldest_due_age_seconds": None,
            "max_age_seconds": 1800,
            "ms": ANY,
        },
    }
    with pytest.raises(CommandError, match="fel i broker"):
        call_command("healthcheck")
    with pytest.raises(CommandError, match="okänd kontroll: beat"):
        call_command("healthcheck", "beat")
