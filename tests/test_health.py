"""/healthz and /metrics over HTTP (config/health.py): the answers a load balancer and a
Prometheus scraper get, and who may read the metrics."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.urls import reverse

from reminders import relay_record, sweep_record
from reminders.models import Reminder
from tests.factories import AssignmentFactory, UserFactory
from tests.redis_server import redis_server  # noqa: F401 - the fixture

NOON = dt.datetime(2026, 3, 2, 11, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture
def healthy(settings, redis_server):  # noqa: F811 - the fixture
    """Everything working at NOON: the broker (a Redis of this test's own) answers, a sweep
    finished a minute ago, the outbox is empty."""
    settings.CELERY_BROKER_URL = redis_server.url
    sweep_record.record_sweep(duration=0.02, finished_at=NOON - dt.timedelta(minutes=1))
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def healthz(client):
    response = client.get(reverse("healthz"))
    assert response["Content-Type"] == "application/json"
    return response, json.loads(response.content)


def test_healthz_answers_200_with_each_checks_state_to_anyone(client, healthy):
    response, body = healthz(client)
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert {name: check["state"] for name, check in body["checks"].items()} == {
        "database": "ok",
        "broker": "ok",
        "sweep": "ok",
        "outbox": "ok",
        "relay": "ok",
    }
    assert body["checks"]["sweep"]["age_seconds"] == 60
    assert body["checks"]["outbox"]["backlog"] == 0
    assert "no-store" in response["Cache-Control"]


def test_healthz_turns_503_at_the_first_check_after_redis_stopped(
    client,
    healthy,
    redis_server,  # noqa: F811 - the fixture
):
    assert healthz(client)[0].status_code == 200
    redis_server.stop()
    response, body = healthz(client)
    assert response.status_code == 503
    assert body["status"] == "fail"
    assert body["checks"]["broker"]["state"] == "fail"
    assert body["checks"]["broker"]["error"] == "ConnectionError"
    assert body["checks"]["broker"]["ms"] < 2000  # a short timeout, no retries
    assert [name for name, check in body["checks"].items() if check["state"] == "fail"] == [
        "broker"
    ]


def test_healthz_turns_503_when_no_sweep_has_finished_for_five_minutes(client, healthy):
    last = NOON - dt.timedelta(minutes=1)
    healthy.move_to(last + dt.timedelta(minutes=4, seconds=59))
    assert healthz(client)[0].status_code == 200
    healthy.move_to(last + dt.timedelta(minutes=5))
    response, body = healthz(client)
    assert response.status_code == 503
    assert body["checks"]["sweep"] == {
        "state": "fail",
        "age_seconds": 300,
        "max_age_seconds": 300,
        "duration_seconds": 0.02,
        "ms": body["checks"]["sweep"]["ms"],
    }


def test_a_sweep_by_the_task_makes_healthz_healthy_again(client, healthy):
    from reminders.tasks import sweep_reminders

    healthy.move_to(NOON + dt.timedelta(minutes=10))
    assert healthz(client)[0].status_code == 503
    sweep_reminders()
    response, body = healthz(client)
    assert response.status_code == 200
    assert body["checks"]["sweep"]["age_seconds"] == 0


def test_the_sweep_age_limit_comes_from_the_settings(client, healthy, settings):
    settings.HEALTH_SWEEP_MAX_AGE = dt.timedelta(minutes=10)
    healthy.move_to(NOON + dt.timedelta(minutes=8))
    response, body = healthz(client)
    assert response.status_code == 200
    assert body["checks"]["sweep"]["max_age_seconds"] == 600


def test_healthz_is_503_before_any_sweep_was_recorded(client, healthy):
    from django.core.cache import cache

    cache.clear()
    response, body = healthz(client)
    assert response.status_code == 503
    assert body["checks"]["sweep"]["state"] == "fail"
    assert body["checks"]["sweep"]["age_seconds"] is None


def test_healthz_turns_503_while_the_relay_refuses_and_200_when_it_takes_a_mail(client, healthy):
    relay_record.record_handoff(accepted=True, at=NOON - dt.timedelta(minutes=2))
    assert healthz(client)[0].status_code == 200
    relay_record.record_handoff(accepted=False)
    response, body = healthz(client)
    assert response.status_code == 503
    assert body["checks"]["relay"]["state"] == "fail"
    assert body["checks"]["relay"]["age_seconds"] == 0
    assert [name for name, check in body["checks"].items() if check["state"] == "fail"] == ["relay"]
    healthy.move_to(NOON + dt.timedelta(seconds=30))
    relay_record.record_handoff(accepted=True)
    response, body = healthz(client)
    assert response.status_code == 200
    assert body["checks"]["relay"]["age_seconds"] == 0


def test_no_mail_handed_to_the_relay_yet_is_no_failure(client, healthy):
    from django.core.cache import cache

    cache.delete(relay_record.LAST_HANDOFF)  # the in-memory cache outlives a test
    response, body = healthz(client)
    assert response.status_code == 200
    assert body["checks"]["relay"]["age_seconds"] is None


def planned_reminder(planned_at: dt.datetime, **fields) -> Reminder:
    assignment = AssignmentFactory()
    return Reminder.objects.create(
        subject_key=f"assignment:{assignment.pk}",
        kind=Reminder.Kind.DUE_DAY,
        recipient=UserFactory(),
        due_version=str(planned_at.date()),
        planned_at=planned_at,
        assignment=assignment,
        **fields,
    )


def test_a_reminder_due_longer_than_the_limit_and_unsent_turns_healthz_503(client, healthy):
    planned_reminder(NOON - dt.timedelta(minutes=29))
    planned_reminder(NOON - dt.timedelta(minutes=3))
    planned_reminder(NOON + dt.timedelta(hours=1))  # not due yet
    response, body = healthz(client)
    assert response.status_code == 200
    assert body["checks"]["outbox"]["backlog"] == 2
    assert body["checks"]["outbox"]["oldest_due_age_seconds"] == 29 * 60
    healthy.move_to(NOON + dt.timedelta(minutes=1))
    response, body = healthz(client)
    assert response.status_code == 503
    assert body["checks"]["outbox"]["state"] == "fail"
    assert body["checks"]["outbox"]["oldest_due_age_seconds"] == 30 * 60


def test_sent_and_failed_reminders_are_no_backlog(client, healthy):
    long_ago = NOON - dt.timedelta(days=3)
    planned_reminder(long_ago, state=Reminder.State.SENT, sent_at=long_ago)
    planned_reminder(long_ago, state=Reminder.State.FAILED, attempts=6)
    planned_reminder(long_ago, state=Reminder.State.CANCELLED)
    response, body = healthz(client)
    assert response.status_code == 200
    assert body["checks"]["outbox"]["backlog"] == 0


def test_healthz_names_no_address_or_password_of_the_broker(client, healthy, settings):
    settings.CELERY_BROKER_URL = "redis://:hemligt-lösen@127.0.0.1:1/0"  # nothing listens there
    response, body = healthz(client)
    assert response.status_code == 503
    text = response.content.decode()
    assert "hemligt" not in text and "127.0.0.1" not in text and ":1" not in text
    assert body["checks"]["broker"] == {
        "state": "fail",
        "error": "ConnectionError",
        "ms": body["checks"]["broker"]["ms"],
    }


def test_healthz_takes_no_post(client, healthy):
    assert client.post(reverse("healthz")).status_code == 405


def test_healthz_is_not_redirected_to_https(client, healthy, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("home")).status_code == 301  # every other page is


# -- /metrics: who may read it ---------------------------------------------------------------------


def test_metrics_are_refused_to_anyone_without_token_or_network(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = []
    assert client.get(reverse("metrics")).status_code == 403


def test_metrics_are_refused_to_a_logged_in_superuser_too(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = []
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(reverse("metrics")).status_code == 403


def test_metrics_are_read_with_the_bearer_token(client, settings):
    settings.METRICS_TOKEN = "skrap-nyckel-123"
    settings.METRICS_ALLOWED_NETWORKS = []
    response = client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer skrap-nyckel-123")
    assert response.status_code == 200
    assert "uppdrag_reminders_sent_total" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    wrong = client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer skrap-nyckel-12")
    assert wrong.status_code == 403


def test_metrics_are_read_from_an_allowed_network(client, settings):
    import ipaddress

    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = [ipaddress.ip_network("10.1.0.0/16")]
    assert client.get(reverse("metrics"), REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get(reverse("metrics"), REMOTE_ADDR="10.2.0.1").status_code == 403


def test_a_forged_forwarded_address_opens_no_metrics(client, settings):
    """Without a trusted proxy, X-Forwarded-For is the client's own word."""
    import ipaddress

    settings.TRUSTED_PROXY_NETWORKS = []
    settings.METRICS_ALLOWED_NETWORKS = [ipaddress.ip_network("127.0.0.0/8")]
    forged = client.get(
        reverse("metrics"), REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="127.0.0.1"
    )
    assert forged.status_code == 403


def test_a_forged_forwarded_address_from_outside_the_proxies_opens_no_metrics(client, settings):
    """Issue 27, reproduction 4: with a proxy in front, a client that reaches the app port
    directly writes the scraper's address into X-Forwarded-For; only the proxy's is believed."""
    import ipaddress

    settings.TRUSTED_PROXY_NETWORKS = [ipaddress.ip_network("172.30.27.0/24")]
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = [ipaddress.ip_network("10.1.0.0/16")]
    forged = client.get(
        reverse("metrics"), REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="10.1.2.3"
    )
    assert forged.status_code == 403
    through_the_proxy = client.get(
        reverse("metrics"), REMOTE_ADDR="172.30.27.2", HTTP_X_FORWARDED_FOR="10.1.2.3"
    )
    assert through_the_proxy.status_code == 200
