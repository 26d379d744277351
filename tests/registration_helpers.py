"""The "Nytt uppdrag" page's forms as a browser posts them: what the page shows, sent back."""

from __future__ import annotations


def management(prefix: str, total: int, initial: int = 0) -> dict[str, str]:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial)}


def as_shown(page_forms, **changes) -> dict[str, str]:
    """The page's forms (RegistrationForms, unbound) posted as they are shown, with `changes`:
    "save" pressed without touching anything."""
    data = {k: ("" if v is None else str(v)) for k, v in page_forms.main.initial.items()}
    for prefix, formset in page_forms.formsets.items():
        rows = formset.initial or []
        data.update(management(prefix, len(rows), len(rows)))
        for i, row in enumerate(rows):
            for key, value in row.items():
                data[f"{prefix}-{i}-{key}"] = "" if value is None else str(value)
    data.update(changes)
    return data


def save_unchanged(draft, actor, **changes):
    """ "Ändra utkastet" saved by `actor` as the page shows the draft (with `changes`), through
    the page's forms and workflow.imports.register_draft, as the page does."""
    from assignments.registration_forms import RegistrationForms
    from assignments.selectors import registration_values
    from workflow.imports import register_draft

    initial, rows = registration_values(draft)
    shown = RegistrationForms(initial=initial, rows=rows, instance=draft)
    posted = RegistrationForms(as_shown(shown, **changes), instance=draft)
    assert posted.is_valid(), (posted.main.errors, [f.errors for f in posted.formsets.values()])
    return register_draft(data=posted.cleaned(), actor=actor, assignment=draft)


def read_waiting_imports(*, isolated: bool = False) -> int:
    """What the worker does with the uploads waiting to be read, done here: the same reading
    with its page, paragraph and text limits, in this process (no child process, so no time or
    memory limit: tests/documents/test_import_worker.py runs the real worker), or `isolated` in
    the worker's child process. Returns how many."""
    from documents import import_jobs
    from documents.models import ImportJob

    waiting = list(ImportJob.objects.filter(status=ImportJob.Status.QUEUED))
    for job in waiting:
        import_jobs.run(job.pk, isolated=isolated)
    return len(waiting)


def upload_and_read(client, upload):
    """An uppdragshandling uploaded on "Nytt uppdrag" and read: the progress page's answer
    once the file is read (a redirect to the review, or the refusal)."""
    response = client.post("/uppdrag/nytt/importera/", {"document": upload})
    assert response.status_code == 302, response.status_code
    assert response["Location"].startswith("/uppdrag/nytt/inlasning/"), response["Location"]
    assert read_waiting_imports() == 1
    return client.get(response["Location"])
