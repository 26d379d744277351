"""python manage.py import_uppdragshandling FILE [--dry-run] [--json] [--user USERNAME]

Reads an uppdragshandling (.docx, .pdf or .txt) and registers it as a draft whose process
starts, as the admin does; --dry-run saves nothing. --json prints one JSON object with the
fields read (names as the document writes them, dates ISO or null) and the warnings: the
contract automated checks use. Exit code 0 when the file was read, 2 when it is no
uppdragshandling (or cannot be read at all), 1 when it was read but cannot be saved.
"""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from assignments.models import User
from documents.importer import NotAnAssignmentDocument, ReaderUnavailable, read_document
from documents.importer.drafts import match_people
from workflow.imports import register_imported_draft

NOT_AN_ASSIGNMENT = 2


class Command(BaseCommand):
    help = (
        "Läser in en uppdragshandling (.docx, .pdf, .txt) och registrerar den som utkast "
        "vars process startar. --dry-run sparar inget; --json skriver fälten som JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Uppdragshandlingen: .docx, .pdf eller .txt.")
        parser.add_argument("--dry-run", action="store_true", help="Läs bara, spara inget.")
        parser.add_argument("--json", action="store_true", help="Skriv resultatet som JSON.")
        parser.add_argument(
            "--user", help="Användarnamnet på den som registrerar (står i granskningsloggen)."
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        actor = self._actor(options["user"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(
                f"Filen {path} kunde inte läsas: {error.strerror or error}",
                returncode=NOT_AN_ASSIGNMENT,
            ) from error
        try:
            document = read_document(data, path.name, today=timezone.localdate())
        except ReaderUnavailable as error:
            raise CommandError(str(error)) from error
        except NotAnAssignmentDocument as error:
            raise CommandError(str(error), returncode=NOT_AN_ASSIGNMENT) from error
        except Exception as error:  # a file nobody foresaw is refused, not a crash
            raise CommandError(
                f"Filen {path.name} kunde inte tolkas som en uppdragshandling "
                f"({type(error).__name__}).",
                returncode=NOT_AN_ASSIGNMENT,
            ) from error
        assignment = None
        if options["dry_run"]:
            for message in match_people(document).warnings():
                document.warn(message)
        else:
            try:
                # run by whoever may run manage.py: --user is who the trail names
                assignment = register_imported_draft(
                    document=document, data=data, filename=path.name, actor=actor, trusted=True
                )
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        if options["json"]:
            self.stdout.write(json.dumps(document.as_contract(), ensure_ascii=False, indent=2))
            return
        self._summary(document, assignment)

    def _actor(self, username):
        if not username:
            return None
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist as error:
            raise CommandError(f"Det finns ingen användare {username}.") from error

    def _summary(self, document, assignment) -> None:
        fields = document.as_contract()
        out = self.stdout
        out.write(f"{fields['registration_number'] or '–'}  {fields['date'] or '–'}")
        out.write(fields["title"] or "(rubrik saknas)")
        out.write(f"Uppdragsgivare: {', '.join(fields['commissioners']) or '–'}")
        out.write(f"Uppdragstagare: {fields['assignee'] or '–'}")
        out.write(f"Tidplan: {len(fields['milestones'])} aktiviteter")
        for message in fields["warnings"]:
            out.write(self.style.WARNING(f"  ! {message}"))
        if assignment is None:
            out.write("Inget sparat (--dry-run).")
        else:
            out.write(self.style.SUCCESS(f"Utkast registrerat: {assignment} (id {assignment.pk})."))
