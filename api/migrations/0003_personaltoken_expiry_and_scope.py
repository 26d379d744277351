"""Tokens get an expiry and a scope (issue 27). Those there are keep what they could do, read
and act, and expire API_TOKEN_DEFAULT_DAYS after this migration runs (docs/integration.md)."""

import datetime as dt

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def expire_and_scope_existing(apps, schema_editor):
    PersonalToken = apps.get_model("api", "PersonalToken")
    PersonalToken.objects.filter(expires_at__isnull=True).update(
        expires_at=timezone.now() + dt.timedelta(days=settings.API_TOKEN_DEFAULT_DAYS),
        scope="act",
    )


class Migration(migrations.Migration):
    dependencies = [("api", "0002_personaltoken_email_at_issue")]

    operations = [
        migrations.AddField(
            model_name="personaltoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="gäller till"),
        ),
        migrations.AddField(
            model_name="personaltoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "Läsa"), ("act", "Läsa och agera")],
                default="act",
                max_length=8,
                verbose_name="behörighet",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(expire_and_scope_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="personaltoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="gäller till"),
        ),
    ]
