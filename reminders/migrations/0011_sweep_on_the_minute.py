"""The sweep at the start of every calendar minute (a crontab), not every 60 seconds from
whenever beat started: the sweep puts what is due to one person in one mail, so the events of
one calendar minute to one person (three at an adoption, a status set and corrected) are one
sweep's and one mail (issue 29, item 6)."""

from django.db import migrations
from django.utils import timezone

NAME = "Påminnelser: svep"


def _changed(apps):
    # tell a running beat that its schedule changed
    Changed = apps.get_model("django_celery_beat", "PeriodicTasks")
    Changed.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def on_the_minute(apps, schema_editor):
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    Periodic = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = Crontab.objects.get_or_create(
        minute="*",
        hour="*",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/Stockholm",
    )
    Periodic.objects.update_or_create(
        name=NAME, defaults={"task": "reminders.sweep", "crontab": every_minute, "interval": None}
    )
    _changed(apps)


def every_sixty_seconds(apps, schema_editor):
    Interval = apps.get_model("django_celery_beat", "IntervalSchedule")
    Periodic = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = Interval.objects.get_or_create(every=1, period="minutes")
    Periodic.objects.filter(name=NAME).update(interval=every_minute, crontab=None)
    _changed(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0010_watch_dates"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(on_the_minute, every_sixty_seconds)]
