"""`manage.py verify_audit`: check the audit trail's hash chain; name the first broken link."""

from django.core.management.base import BaseCommand, CommandError

from assignments import audit


class Command(BaseCommand):
    help = "Kontrollerar granskningsloggens kedja av kontrollsummor och namnger första brottet."

    def handle(self, *args, **options):
        checked, broken = audit.verify_chain()
        if broken is not None:
            raise CommandError(f"Granskningsloggen är bruten vid post {broken}")
        self.stdout.write(f"Granskningsloggen är hel: {checked} poster kontrollerade.")
