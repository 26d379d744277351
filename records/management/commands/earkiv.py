"""`manage.py earkiv --year 2026 --output DIR`: write the e-arkiv package of every assignment
closed that year, one folder each, for the region's e-arkiv to take in."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from records.archive import package, selection


class Command(BaseCommand):
    help = "Skriver e-arkivpaket (E-ARK SIP) för varje uppdrag som avslutades ett visst år."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="avslutade det året")
        parser.add_argument("--output", required=True, help="katalog att skriva paketen i")

    def handle(self, *args, year, output, **options):
        root = Path(output)
        if root.exists() and not root.is_dir():
            raise CommandError(f"{root} är ingen katalog.")
        root.mkdir(parents=True, exist_ok=True)
        written = 0
        for assignment in selection.closed_in_year(year).iterator(chunk_size=50):
            folder = package.write_package(assignment, root)
            self.stdout.write(f"{assignment.registration_number}\t{folder}")
            written += 1
        self.stdout.write(f"{written} e-arkivpaket för {year} skrivna i {root}.")
