"""The Celery entry points (reminders/tasks.py) as a worker loads them."""

from tests.settings_probe import evaluated_under

RATE_LIMIT = "app.tasks['reminders.send'].rate_limit"
LOADED = "from config.celery import app; app.loader.import_default_modules()"


def test_the_send_task_keeps_to_the_mail_relays_rate():
    assert evaluated_under({"EMAIL_RATE_LIMIT": "30/m"}, RATE_LIMIT, imports=LOADED) == "30/m"


def test_no_rate_limit_unless_one_is_set():
    assert evaluated_under({"EMAIL_RATE_LIMIT": ""}, RATE_LIMIT, imports=LOADED) == "None"
    sweep = "app.tasks['reminders.sweep'].rate_limit"
    assert evaluated_under({"EMAIL_RATE_LIMIT": "30/m"}, sweep, imports=LOADED) == "None"
