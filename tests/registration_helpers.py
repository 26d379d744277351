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
