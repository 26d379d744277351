"""The audit trail's hash chain (assignments/audit.py): every entry written so far is chained
in the order of its id, with the same hash the writer uses from now on."""

from django.db import migrations, models


def chain_existing_entries(apps, schema_editor):
    from assignments.audit import GENESIS, chain_hash

    AuditEntry = apps.get_model("assignments", "AuditEntry")
    previous = GENESIS
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        entry_hash = chain_hash(entry, previous)
        # A queryset update: AuditEntry.save() refuses to change a stored entry.
        AuditEntry.objects.filter(pk=entry.pk).update(previous_hash=previous, entry_hash=entry_hash)
        previous = entry_hash


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0008_user_sso_subject"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="previous_hash",
            field=models.CharField(
                default="", max_length=64, verbose_name="föregående postens kontrollsumma"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="entry_hash",
            field=models.CharField(max_length=64, null=True, verbose_name="kontrollsumma"),
        ),
        migrations.RunPython(chain_existing_entries, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditentry",
            name="entry_hash",
            field=models.CharField(max_length=64, unique=True, verbose_name="kontrollsumma"),
        ),
    ]
