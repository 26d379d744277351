from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from assignments.models import Assignment
from reminders.models import Reminder


class Command(BaseCommand):
    help = "Visar vilka påminnelser som är planerade för ett uppdrag och när."

    def add_arguments(self, parser):
        parser.add_argument(
            "registration_number", help="Diarienummer, till exempel 'RS 2024-05699'."
        )
        parser.add_argument("--all", action="store_true", help="Visa även skickade och avbrutna.")

    def handle(self, *args, registration_number, **options):
        assignments = Assignment.objects.filter(registration_number=registration_number)
        if not assignments.exists():
            raise CommandError(f"Inget uppdrag med diarienummer {registration_number}.")
        rows = Reminder.objects.filter(assignment__in=assignments).select_related(
            "recipient", "milestone"
        )
        if not options["all"]:
            rows = rows.filter(state=Reminder.State.PLANNED)
        for row in rows.order_by("planned_at", "pk"):
            what = row.milestone.title[:40] if row.milestone else "Slutleverans"
            when = timezone.localtime(row.planned_at).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(
                f"{when}  {row.get_kind_display():<22} {str(row.recipient):<24} "
                f"{row.get_state_display():<10} {what}"
            )
        self.stdout.write(f"{rows.count()} påminnelser.")
