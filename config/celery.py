"""The Celery application: reminders and e-mail run here."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("uppdrag")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Celery's Django fixup closes the database connection around every task unless told to reuse
# it; a fresh PostgreSQL connection per reminder cost more than composing the reminder.
app.conf["CELERY_DB_REUSE_MAX"] = 1000
app.autodiscover_tasks()
