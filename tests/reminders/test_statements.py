"""The send's own statements (reminders/statements.py): on PostgreSQL they are prepared, so
the server plans each once per connection, not once per reminder."""

import pytest
from django.db import connection

from reminders.models import Reminder
from tests.reminders.test_dispatch import at, sweep_inline
from tests.settings_probe import evaluated_under

PG_URL = "postgres://postgres@127.0.0.1:5432/test"


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
def test_the_send_statements_are_planned_once_per_connection(seed004, smtp, clock):
    assert sweep_inline(at("2025-11-14")).count("sent") >= 2  # several sends, one connection
    sent = Reminder.objects.filter(state=Reminder.State.SENT).count()
    if connection.vendor != "postgresql":  # SQLite has no prepared statements to keep
        assert connection.vendor == "sqlite" and sent >= 2
        return
    prepared = prepared_statements()
    for start in (
        'SELECT r."id"',  # the locked read
        'INSERT INTO "notifications_notification"',  # the in-app notification
        'UPDATE "reminders_reminder" SET',  # marking the row sent
    ):
        assert len([s for s in prepared if s.startswith(start)]) == 1, (start, prepared)
    assert not any("pg_prepared_statements" in s for s in prepared)  # Django's own: never

    assert "sent" in sweep_inline(at("2025-11-26"))  # more sends: no new statements
    assert sorted(prepared_statements()) == sorted(prepared)


@pytest.mark.parametrize(
    ("env", "threshold"),
    [
        ({"DATABASE_URL": PG_URL}, "0"),
        ({"DATABASE_URL": PG_URL, "DATABASE_PREPARED_STATEMENTS": "false"}, "None"),
        ({"DATABASE_URL": "sqlite:///var/probe.sqlite3"}, "None"),
    ],
)
def test_prepared_statements_can_be_turned_off_for_a_pooler(env, threshold):
    expression = "settings.DATABASES['default'].get('OPTIONS', {}).get('prepare_threshold')"
    imports = "from django.conf import settings"
    assert evaluated_under(env, expression, imports=imports) == threshold
