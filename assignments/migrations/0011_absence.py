# The absence moves from the workflow app to the base (the reminders read it too, and they sit
# below the workflow): only Django's state moves, the table keeps its name. Then it gains when
# and by whom it was ended early.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assignments', '0010_user_answers_by_mail'),
        ('workflow', '0003_absence'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Absence',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('starts', models.DateField(verbose_name='från')),
                        ('ends', models.DateField(verbose_name='till')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='skapad')),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='absences', to=settings.AUTH_USER_MODEL, verbose_name='person')),
                        ('stand_in', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='standing_in_for', to=settings.AUTH_USER_MODEL, verbose_name='ersättare')),
                    ],
                    options={
                        'verbose_name': 'frånvaro',
                        'verbose_name_plural': 'frånvaro',
                        'ordering': ['person', 'starts', 'pk'],
                        'db_table': 'workflow_absence',
                        'constraints': [models.CheckConstraint(condition=models.Q(('ends__gte', models.F('starts'))), name='absence_ends_after_it_starts')],
                    },
                ),
            ],
        ),
        migrations.AddField(
            model_name='absence',
            name='ended_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='avslutad'),
        ),
        migrations.AddField(
            model_name='absence',
            name='ended_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='avslutad av'),
        ),
    ]
