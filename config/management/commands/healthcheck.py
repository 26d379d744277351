import json

from django.core.management.base import BaseCommand, CommandError

from config import checks as health


class Command(BaseCommand):
    help = (
        "Kör hälsokontrollerna för /healthz i den här processen och skriv resultatet som JSON; "
        "avslutas med felkod 1 om någon kontroll fallerar (docker-compose: beats hälsokontroll)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "checks",
            nargs="*",
            metavar="KONTROLL",
            help=f"Kontroller att köra, bland {', '.join(health.CHECKS)} (alla om inga anges).",
        )

    def handle(self, *args, **options):
        if unknown := set(options["checks"]) - set(health.CHECKS):
            raise CommandError(f"okänd kontroll: {', '.join(sorted(unknown))}")
        results = health.run_checks(options["checks"] or None)
        self.stdout.write(json.dumps({check.name: check.as_dict() for check in results}))
        if not all(check.ok for check in results):
            raise CommandError("fel i " + ", ".join(c.name for c in results if not c.ok))
