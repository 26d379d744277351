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
