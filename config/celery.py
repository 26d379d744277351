"""The Celery application: reminders and e-mail run here."""

import os

from celery import Celery
from celery.signals import task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("uppdrag")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Celery's Django fixup closes the database connection around every task unless told to reuse
# it; a fresh PostgreSQL connection per reminder cost more than composing the reminder.
app.conf["CELERY_DB_REUSE_MAX"] = 1000
app.autodiscover_tasks()


@task_prerun.connect
def check_database_connections(task=None, **kwargs) -> None:
    """Before each task, what Django does before each request: a connection that failed or
    outlived CONN_MAX_AGE is closed, and the task's first query checks the one it reuses
    (CONN_HEALTH_CHECKS), so a dead connection is replaced instead of failing the task.

    Reusing connections (above) had skipped this: after PostgreSQL restarted, the first task
    on each worker thread failed on the connection the server had closed (bench/soak.py): a
    lost sweep, and send tasks whose reminders then waited out their 10-minute lease. The
    check costs a task one `SELECT 1` (~0.1 ms; a reminder's send takes ~10 ms)."""
    if task is not None and task.request.is_eager:
        return  # run inside the caller's transaction (tests, CELERY_TASK_ALWAYS_EAGER)
    from django.db import close_old_connections

    close_old_connections()
