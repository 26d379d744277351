"""Registering an imported uppdragshandling: the draft the registry saves from it
(documents/importer/drafts.py) goes straight into its process, as a draft registered in the
admin does (workflow/admin.py), in one transaction.

Deadlines that passed before the registration are the parse's warnings; a draft has no
reminders, and the reminder services plan them when it is adopted.
"""

from __future__ import annotations

from django.db import transaction

from assignments.models import Assignment
from documents.importer.drafts import create_draft, match_people
from documents.importer.result import ParsedDocument

from .services import start_process


def register_imported_draft(
    *, document: ParsedDocument, data: bytes, filename: str, actor=None
) -> Assignment:
    """Save an imported document as a draft and start its process; nothing is saved when any
    part fails (ValidationError says why)."""
    with transaction.atomic():
        assignment = create_draft(
            document, data=data, filename=filename, actor=actor, matches=match_people(document)
        )
        start_process(assignment=assignment, actor=actor)
        return assignment


def register_draft(
    *, data: dict, actor, assignment: Assignment | None = None, source=None
) -> Assignment:
    """Save "Nytt uppdrag" (or a reviewed import) as a draft; a new draft's process starts, as
    in the admin. One transaction: a refusal (ValidationError, PermissionDenied) keeps nothing."""
    from assignments.registration import save_draft

    with transaction.atomic():
        new = assignment is None
        assignment = save_draft(data=data, actor=actor, assignment=assignment, source=source)
        if new:
            start_process(assignment=assignment, actor=actor)
        return assignment
