"""`manage.py gallra [--dry-run]`: dispose of what the gallring rules name (records/gallring.py);
with --dry-run only list it."""

from django.core.management.base import BaseCommand

from records import gallring


class Command(BaseCommand):
    help = (
        "Gallrar det som gallringsreglerna anger; med --dry-run visas bara vad som skulle gallras."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Visa vad som skulle gallras, ta inte bort något.",
        )

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            found = gallring.find()
            for candidate in found:
                self.stdout.write(
                    f"{candidate.rule.get_kind_display()}\t{candidate.object_type} "
                    f"#{candidate.object_id}\t{candidate.description}\t"
                    f"{candidate.registration_number}\t{candidate.rule.decision}"
                )
            self.stdout.write(f"{len(found)} handlingar skulle gallras (inget har tagits bort).")
            return
        logged = gallring.dispose()
        self.stdout.write(f"{len(logged)} handlingar gallrade och loggade i gallringsloggen.")
