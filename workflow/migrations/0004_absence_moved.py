# The absence now lives in the assignments app (its migration 0011 takes over the table).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('workflow', '0003_absence'),
        ('assignments', '0011_absence'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Absence')],
        ),
    ]
