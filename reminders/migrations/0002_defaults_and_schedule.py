"""The default reminder policies (docs/glossary.md) and the beat schedule: sweep every minute,
digest at 07:00 on weekdays (the task itself skips Swedish holidays)."""

from django.db import migrations

SUBJECTS = ["resource_allocation", "seminars", "compilation", "decision", "other", "delivery"]


def create(apps, schema_editor):
    Policy = apps.get_model("reminders", "ReminderPolicy")
    for subject in SUBJECTS:
        Policy.objects.get_or_create(subject=subject, defaults={"lead_working_days": [10, 3]})
    Interval = apps.get_model("django_celery_beat", "IntervalSchedule")
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    Periodic = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = Interval.objects.get_or_create(every=1, period="minutes")
    Periodic.objects.update_or_create(
        name="Påminnelser: svep", defaults={"task": "reminders.sweep", "interval": every_minute}
    )
    seven, _ = Crontab.objects.get_or_create(
        minute="0", hour="7", day_of_week="1-5", day_of_month="*", month_of_year="*",
        timezone="Europe/Stockholm",
    )
    Periodic.objects.update_or_create(
        name="Påminnelser: daglig sammanfattning",
        defaults={"task": "reminders.digest", "crontab": seven},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
