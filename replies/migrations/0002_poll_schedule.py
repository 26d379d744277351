"""beat polls the reply mailbox every minute (a no-op while REPLY_IMAP_HOST is unset)."""

from django.db import migrations


def create(apps, schema_editor):
    Interval = apps.get_model("django_celery_beat", "IntervalSchedule")
    Periodic = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = Interval.objects.get_or_create(every=1, period="minutes")
    Periodic.objects.update_or_create(
        name="Svar via e-post: läs inkorgen", defaults={"task": "replies.poll", "interval": every_minute}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("replies", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
