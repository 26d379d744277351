from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assignments.models import Assignment
from reminders import events
from reminders.models import Reminder

COLUMNS = (16, 22, 26, 12, 10)


class Command(BaseCommand):
    help = "Visar vilka påminnelser som är planerade för ett uppdrag och när."

    def add_arguments(self, parser):
        parser.add_argument(
            "registration_number", help="Diarienummer, till exempel 'RS 2024-05699'."
        )
        parser.add_argument("--all", action="store_true", help="Visa även skickade och avbrutna.")

    def handle(self, *args, registration_number, **options):
        with translation.override("sv"):
            self._handle(registration_number, options["all"])

    def _row(self, *values) -> str:
        cells = [f"{value:<{width}}" for value, width in zip(values, COLUMNS, strict=False)]
        return "  ".join([*cells, *values[len(COLUMNS) :]]).rstrip()

    def _handle(self, registration_number: str, show_all: bool) -> None:
        assignments = Assignment.objects.filter(registration_number=registration_number)
        if not assignments.exists():
            raise CommandError(f"Inget uppdrag med diarienummer {registration_number}.")
        rows = Reminder.objects.filter(assignment__in=assignments).select_related(
            "recipient", "milestone"
        )
        if not show_all:
            rows = rows.filter(state=Reminder.State.PLANNED)
        rows = list(rows.order_by("planned_at", "pk"))
        now = timezone.now()
        self.stdout.write(self._row("Skickas", "Typ", "Mottagare", "Läge", "Slutdatum", "Gäller"))
        for row in rows:
            what = row.milestone.title[:40] if row.milestone else _("Slutleverans")
            if row.is_event:
                what = events.text(row.kind, row.params)[:60]
            notes = []
            if row.state == Reminder.State.PLANNED and row.planned_at <= now:
                notes.append("väntar på nästa svep")
            if not row.recipient.email:
                notes.append("ingen e-postadress: bara i appen")
            if row.last_error:
                notes.append(f"senaste fel: {row.last_error[:60]}")
            self.stdout.write(
                self._row(
                    timezone.localtime(row.planned_at).strftime("%Y-%m-%d %H:%M"),
                    row.get_kind_display(),
                    str(row.recipient)[:26],
                    row.get_state_display(),
                    row.due_date.isoformat() if row.due_date else "",
                    what + (f" ({'; '.join(notes)})" if notes else ""),
                )
            )
        self.stdout.write(f"{len(rows)} påminnelser.")
