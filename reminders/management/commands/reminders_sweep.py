from django.core.management.base import BaseCommand

from reminders import dispatch


class Command(BaseCommand):
    help = "Kör ett svep: gör anspråk på förfallna påminnelser och lägg dem i kön för utskick."

    def add_arguments(self, parser):
        parser.add_argument(
            "--inline", action="store_true", help="Skicka direkt i den här processen, utan kö."
        )

    def handle(self, *args, **options):
        if options["inline"]:
            results = []
            count = dispatch.sweep(
                enqueue=lambda pks, token: results.extend(dispatch.send(pks, token).values())
            )
            self.stdout.write(f"{count} påminnelser: " + ", ".join(sorted(set(results))))
        else:
            count = dispatch.sweep()
            self.stdout.write(f"{count} påminnelser lagda i kön.")
