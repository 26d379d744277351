"""A token is bound to its person's e-mail address: the tokens there are, to the address their
person has now."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def bind_to_current_address(apps, schema_editor):
    PersonalToken = apps.get_model("api", "PersonalToken")
    User = apps.get_model("assignments", "User")
    PersonalToken.objects.update(
        email_at_issue=Subquery(User.objects.filter(pk=OuterRef("user_id")).values("email")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="personaltoken",
            name="email_at_issue",
            field=models.EmailField(
                blank=True, max_length=254, verbose_name="e-postadress när den skapades"
            ),
        ),
        migrations.RunPython(bind_to_current_address, migrations.RunPython.noop),
    ]
