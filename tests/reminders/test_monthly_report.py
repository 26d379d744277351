"""The monthly återrapportering by e-mail (issue 20, item 2): planned on the 1st for each
commissioner, sent on the month's first working day through the outbox to a real SMTP server
(aiosmtpd) with the report as PDF and Excel, and not sent to whoever opted out."""

import datetime as dt
import io

import pdfplumber
import pytest
from django_celery_beat.models import PeriodicTask
from openpyxl import load_workbook

from assignments.models import User
from reminders import dispatch, tasks
from reminders.models import Reminder
from workflow import services

pytestmark = pytest.mark.django_db

STOCKHOLM = dt.timezone(dt.timedelta(hours=1))
MOVE_REASON = "Seminarierna flyttas efter facklig samverkan"


def person(username: str) -> User:
    return User.objects.get(username=username)


@pytest.fixture
def october(seed004, clock):
    """RS 2024-05699 adopted 1 Oct 2025 (the fixture) and its seminars' due date moved on
    15 Oct; every other reminder out of the way, so the outbox holds the monthly mails only."""
    clock.move_to(dt.datetime(2025, 10, 15, 10, tzinfo=STOCKHOLM))
    seminars = seed004.milestones.get(kind="seminars")
    services.move_milestone_due(
        milestone=seminars,
        actor=person("jan.strang"),
        new_due=dt.date(2025, 11, 14),
        reason=MOVE_REASON,
    )
    Reminder.objects.filter(state="planned").update(state="cancelled")
    return seed004


@pytest.fixture
def send_inline(monkeypatch):
    """The sweep hands each mail to the send right here instead of to a Celery worker."""
    monkeypatch.setattr(
        dispatch,
        "enqueue_send_tasks",
        lambda bundles, queue=None: [dispatch.send(b.pks, b.token) for b in bundles],
    )


def reports_in(smtp) -> list:
    return [m for m in smtp.inbox.messages if "återrapportering" in m["Subject"]]


def test_the_schedule_runs_the_monthly_report_on_the_first_of_the_month():
    task = PeriodicTask.objects.get(name="Påminnelser: månadens återrapportering")
    assert task.task == "reminders.monthly_report" and task.enabled
    assert (task.crontab.day_of_month, task.crontab.hour) == ("1", "7-9")
    assert str(task.crontab.timezone) == "Europe/Stockholm"


def test_each_commissioner_gets_last_months_report_with_pdf_and_excel_attached(
    october, smtp, clock, send_inline
):
    # Saturday 1 November 2025 (Alla helgons dag): planned, sent on Monday the 3rd
    clock.move_to(dt.datetime(2025, 11, 1, 7, 0, tzinfo=STOCKHOLM))
    assert tasks.send_monthly_reports() == 2  # Anders Kullbratt and Per Albertsson
    assert reports_in(smtp) == []
    clock.move_to(dt.datetime(2025, 11, 3, 7, 1, tzinfo=STOCKHOLM))
    dispatch.sweep()
    mails = {m["To"]: m for m in reports_in(smtp)}
    assert sorted(mails) == ["anders.kullbratt@example.org", "per.albertsson@example.org"]
    mail = mails["anders.kullbratt@example.org"]
    assert mail["Subject"] == "Uppdrag: återrapportering för oktober 2025"
    body = mail.get_body(("plain",)).get_content()
    assert "RS 2024-05699: Flyttat slutdatum" in body and MOVE_REASON in body
    files = {part.get_filename(): part.get_content() for part in mail.iter_attachments()}
    assert sorted(files) == [
        "aterrapportering-2025-10-01-2025-10-31.pdf",
        "aterrapportering-2025-10-01-2025-10-31.xlsx",
    ]
    with pdfplumber.open(io.BytesIO(files["aterrapportering-2025-10-01-2025-10-31.pdf"])) as pdf:
        text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert text.startswith("Återrapportering")
    assert "Period: 2025-10-01 – 2025-10-31" in text and "RS 2024-05699" in text
    book = load_workbook(io.BytesIO(files["aterrapportering-2025-10-01-2025-10-31.xlsx"]))
    (moved,) = [r for r in book["Avvikelser"].iter_rows(values_only=True) if r[6] == MOVE_REASON]
    assert moved[4] == dt.datetime(2025, 10, 15)
    # planned again later that morning (beat's repeat) or swept again: no second mail
    clock.move_to(dt.datetime(2025, 11, 3, 9, 30, tzinfo=STOCKHOLM))
    assert tasks.send_monthly_reports() == 0
    dispatch.sweep()
    assert len(reports_in(smtp)) == 2


def test_no_monthly_report_for_whoever_turned_it_off(october, smtp, clock, send_inline):
    User.objects.filter(username="per.albertsson").update(wants_monthly_report=False)
    clock.move_to(dt.datetime(2025, 12, 1, 7, 0, tzinfo=STOCKHOLM))  # a Monday
    tasks.send_monthly_reports()
    dispatch.sweep()
    assert [m["To"] for m in reports_in(smtp)] == ["anders.kullbratt@example.org"]


def test_turning_it_off_after_it_was_planned_stops_the_mail(october, smtp, clock, send_inline):
    clock.move_to(dt.datetime(2025, 11, 1, 7, 0, tzinfo=STOCKHOLM))
    tasks.send_monthly_reports()
    User.objects.filter(username="anders.kullbratt").update(wants_monthly_report=False)
    clock.move_to(dt.datetime(2025, 11, 3, 7, 1, tzinfo=STOCKHOLM))
    dispatch.sweep()
    assert [m["To"] for m in reports_in(smtp)] == ["per.albertsson@example.org"]
    row = Reminder.objects.get(kind="monthly_report", recipient__username="anders.kullbratt")
    assert row.state == Reminder.State.CANCELLED


def test_the_settings_page_turns_the_monthly_report_off(client, people_):
    from tests.factories import AssignmentFactory, UserFactory

    user = UserFactory()
    AssignmentFactory().commissioners.add(user)
    client.force_login(user)
    page = client.get("/installningar/").content.decode()
    assert 'name="wants_monthly_report"' in page
    response = client.post("/installningar/", {"language": "sv", "wants_digest": "on"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.wants_digest, user.wants_monthly_report) == (True, False)


def test_only_a_commissioner_is_offered_the_monthly_report_and_others_keep_their_choice(client, db):
    from tests.factories import UserFactory

    user = UserFactory()  # commissions nothing
    client.force_login(user)
    page = client.get("/installningar/").content.decode()
    assert 'name="wants_monthly_report"' not in page and 'name="wants_digest"' in page
    response = client.post("/installningar/", {"language": "sv"})  # the digest turned off
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.wants_digest, user.wants_monthly_report) == (False, True)
