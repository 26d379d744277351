"""`manage.py record_accessibility_assessment REPORT`: record a run of the automated
accessibility walk, whose last passing run dates the accessibility statement."""

from django.core.management.base import BaseCommand, CommandError

from records import accessibility


class Command(BaseCommand):
    help = (
        "Registrerar en automatisk tillgänglighetsgranskning (axe-core) från "
        "genomgångens rapport (JSON)."
    )

    def add_arguments(self, parser):
        parser.add_argument("report", help="axe-walk.json från webbläsartesterna")

    def handle(self, *args, report, **options):
        try:
            done = accessibility.record_from_report(report)
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(f"Rapporten kunde inte läsas: {error}") from error
        verdict = "godkänd" if done.passed else f"{done.violations} avvikelser"
        self.stdout.write(
            f"Granskning {done.assessed_at:%Y-%m-%d} registrerad: {done.pages} sidor, {verdict}."
        )
