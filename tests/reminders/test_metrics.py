"""The reminders' metrics on /metrics (reminders/metrics.py): counted from the outbox, so what a
worker in another process sent shows on the web server's scrape."""

from __future__ import annotations

import datetime as dt

import environ
import pytest
from django.urls import reverse
from django.utils import timezone

from assignments.models import Assignment
from reminders import sweep_record
from reminders.models import Reminder
from reminders.services import plan_for_milestone
from reminders.tasks import sweep_reminders
from tests.factories import AssignmentFactory, MilestoneFactory, UserFactory
from tests.redis_server import redis_server  # noqa: F401 - the fixture

from .test_worker import Worker, wait_until

TOKEN = "prometheus-nyckel"


def scrape(client) -> dict[str, float]:
    """The samples of /metrics by their full name with labels, as Prometheus reads them."""
    response = client.get(reverse("metrics"), HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    samples = {}
    for line in response.content.decode().splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            samples[name] = float(value)
    return samples


@pytest.fixture(autouse=True)
def _token_and_no_sweep_yet(settings):
    from django.core.cache import cache

    settings.METRICS_TOKEN = TOKEN
    cache.clear()  # the sweeps recorded by earlier tests (the in-memory cache outlives them)


def row(kind=Reminder.Kind.DUE_DAY, **fields) -> Reminder:
    assignment = AssignmentFactory()
    return Reminder.objects.create(
        subject_key=f"assignment:{assignment.pk}",
        kind=kind,
        recipient=fields.pop("recipient", None) or UserFactory(),
        due_version="2026-03-02",
        planned_at=fields.pop("planned_at", timezone.now() - dt.timedelta(days=1)),
        assignment=assignment,
        **fields,
    )


@pytest.mark.django_db
def test_sent_failed_and_retried_are_counted_from_the_outbox_by_channel_and_kind(client):
    now = timezone.now()
    row(state="sent", sent_at=now, in_app_at=now, attempts=1)
    row(state="sent", sent_at=now, in_app_at=now, attempts=3)  # two retries, then sent
    # a person without an address: shown in the app, no mail
    row(state="sent", sent_at=now, in_app_at=now, attempts=1, recipient=UserFactory(email=""))
    row(state="failed", in_app_at=now, attempts=6)  # five retries, then out of attempts
    row(state="planned", in_app_at=now, attempts=2)  # two retries so far
    row(kind=Reminder.Kind.ADOPTED, state="sent", sent_at=now, in_app_at=now, attempts=1)
    samples = scrape(client)
    assert samples['uppdrag_reminders_sent_total{channel="mail",kind="due_day"}'] == 2
    assert samples['uppdrag_reminders_sent_total{channel="in_app",kind="due_day"}'] == 5
    assert samples['uppdrag_reminders_failed_total{channel="mail",kind="due_day"}'] == 1
    assert samples['uppdrag_reminders_retried_total{channel="mail",kind="due_day"}'] == 9
    assert samples['uppdrag_reminders_sent_total{channel="mail",kind="adopted"}'] == 1
    # an event's in-app notification is not the outbox's to deliver (reminders.events)
    assert samples['uppdrag_reminders_sent_total{channel="in_app",kind="adopted"}'] == 0
    assert samples['uppdrag_outbox_backlog{state="planned"}'] == 1
    assert samples["uppdrag_outbox_oldest_due_age_seconds"] >= 24 * 3600 - 5


@pytest.mark.django_db
def test_the_sweeps_durations_make_a_histogram(client):
    for seconds in (0.03, 0.2, 0.2, 7.0):
        sweep_record.record_sweep(duration=seconds)
    samples = scrape(client)
    prefix = "uppdrag_reminder_sweep_duration_seconds"
    assert samples[f'{prefix}_bucket{{le="0.05"}}'] == 1
    assert samples[f'{prefix}_bucket{{le="0.25"}}'] == 3
    assert samples[f'{prefix}_bucket{{le="5.0"}}'] == 3
    assert samples[f'{prefix}_bucket{{le="+Inf"}}'] == 4
    assert samples[f"{prefix}_count"] == 4
    assert samples[f"{prefix}_sum"] == pytest.approx(7.43)
    assert samples["uppdrag_reminder_sweep_last_finished_timestamp_seconds"] == pytest.approx(
        timezone.now().timestamp(), abs=60
    )


# -- with a real worker ---------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_reminder_a_worker_sent_shows_on_metrics(
    client,
    smtp,
    settings,
    tmp_path,
    monkeypatch,
    redis_server,  # noqa: F811 - the fixture
):
    """beat's task goes through a broker (a Redis of this test's own) to a worker in another
    process, which sweeps, sends the reminder through a real SMTP server and records its sweep;
    the web process's scrape counts the reminder and the sweep."""
    cache = f"filecache://{tmp_path / 'cache'}"  # web and worker share it, as in production
    monkeypatch.setenv("CACHE_URL", cache)
    settings.CACHES = {"default": environ.Env.cache_url_config(cache)}
    settings.CELERY_BROKER_URL = redis_server.url
    # a milestone's reminder of its due day (an ordinary Wednesday), due now
    person = UserFactory(email="kim.berg@example.org")
    assignment = AssignmentFactory(state=Assignment.State.IN_PROGRESS, assignee=person)
    due = dt.date(2030, 3, 13)
    milestone = MilestoneFactory(assignment=assignment, start=dt.date(2030, 1, 7), due=due)
    plan_for_milestone(milestone)
    reminder = Reminder.objects.get(recipient=person, kind=Reminder.Kind.DUE_DAY)
    Reminder.objects.exclude(pk=reminder.pk).update(state=Reminder.State.CANCELLED)
    Reminder.objects.filter(pk=reminder.pk).update(planned_at=timezone.now())
    before = scrape(client)
    sent = 'uppdrag_reminders_sent_total{channel="mail",kind="due_day"}'
    assert before[sent] == 0
    worker = Worker(tmp_path, smtp.port, redis_server.url, "celery")
    try:
        from config.celery import app

        with app.connection_for_write(redis_server.url) as connection:
            sweep_reminders.apply_async(connection=connection)  # as beat sends it
        wait_until(
            lambda: Reminder.objects.get(pk=reminder.pk).state == Reminder.State.SENT,
            progress=worker.cpu,
            what="the reminder sent",
        )
        wait_until(
            lambda: sweep_record.last_sweep() is not None,
            progress=worker.cpu,
            what="the sweep recorded",
        )
    finally:
        worker.stop()
    (mail,) = smtp.inbox.to("kim.berg@example.org")
    assert mail["Message-ID"] == reminder.message_id
    after = scrape(client)
    assert after[sent] >= 1
    assert after["uppdrag_reminder_sweep_duration_seconds_count"] >= 1
    assert after['uppdrag_outbox_backlog{state="planned"}'] == 0
