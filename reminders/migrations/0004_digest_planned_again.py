"""The digest is planned at 07:00 on weekdays and again every half hour until 09:30.

Planning is idempotent (one row per person and day), so the later runs plan nothing when the
07:00 run went through; they are there for a run lost with its worker, since the broker keeps
no copy of a message being worked on (config/settings.py). Digest rows are planned for 07:00,
so a late-planned digest goes out at the next sweep."""

from django.db import migrations
from django.utils import timezone

NAME = "Påminnelser: daglig sammanfattning"
SCHEDULE = {"day_of_week": "1-5", "day_of_month": "*", "month_of_year": "*"}


def schedule(minute: str, hour: str):
    def run(apps, schema_editor):
        Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
        Periodic = apps.get_model("django_celery_beat", "PeriodicTask")
        crontab, _ = Crontab.objects.get_or_create(
            minute=minute, hour=hour, timezone="Europe/Stockholm", **SCHEDULE
        )
        Periodic.objects.filter(name=NAME).update(crontab=crontab)
        # update() sends no signal: tell a running beat that its schedule changed
        Changed = apps.get_model("django_celery_beat", "PeriodicTasks")
        Changed.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})

    return run


class Migration(migrations.Migration):
    dependencies = [("reminders", "0003_fewer_indexes")]

    operations = [migrations.RunPython(schedule("0,30", "7-9"), schedule("0", "7"))]
