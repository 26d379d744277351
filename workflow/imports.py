"""Registering a draft: the registry saves it through its one draft writer
(assignments/registration.py save_draft; an imported document through
documents/importer/drafts.py create_draft, which uses it) and the draft goes into its
process, as a draft registered in the admin does (workflow/admin.py), in one transaction.

Registering is what asks the commissioners to adopt: a new version's draft ("Ny version") has
no process until it is saved on "Ändra utkastet", so nobody is asked to adopt a copy nobody
has looked at.

Deadlines that passed before the registration are the parse's warnings; a draft has no
reminders, and the reminder services plan them when it is adopted.
"""

from __future__ import annotations

from assignments import audit
from assignments.models import Assignment
from assignments.registration import save_draft
from documents.importer.drafts import create_draft, match_people
from documents.importer.result import ParsedDocument

from .services import commissioners_changed, current_process, start_process


def register_imported_draft(
    *,
    document: ParsedDocument,
    data: bytes,
    filename: str,
    actor=None,
    reviewed: dict | None = None,
    trusted: bool = False,
) -> Assignment:
    """Save an imported document as a draft and start its process: what the document says
    (the command), or `reviewed`, the review page's values for it (RegistrationForms.cleaned()).
    `trusted` is the command line, which asks nobody's permission. Nothing is saved when any
    part fails (ValidationError or PermissionDenied says why)."""
    with audit.one_write():
        assignment = create_draft(
            document,
            data=data,
            filename=filename,
            actor=actor,
            matches=match_people(document),
            reviewed=reviewed,
            trusted=trusted,
        )
        start_process(assignment=assignment, actor=actor)
        return assignment


def register_draft(*, data: dict, actor, assignment: Assignment | None = None) -> Assignment:
    """Save "Nytt uppdrag" (or "Ändra utkastet") as a draft; a draft not yet in its process (a
    new one, a new version's copy) goes into it, as in the admin. One transaction: a refusal
    (ValidationError, PermissionDenied) keeps nothing."""
    with audit.one_write():
        before = set(assignment.commissioners.values_list("pk", flat=True)) if assignment else set()
        assignment = save_draft(data=data, actor=actor, assignment=assignment)
        if current_process(assignment) is None:
            start_process(assignment=assignment, actor=actor)
        else:
            commissioners_changed(assignment=assignment, before=before, actor=actor)
        return assignment
