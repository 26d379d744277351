"""Posting an admin change form as a browser would: every field the page offers, as shown."""

from __future__ import annotations

import datetime as dt

from django.forms import MultiWidget


def _add(data: dict, form) -> None:
    for bound in form:
        value = bound.value()
        if value is None or bound.field.disabled:
            continue
        if isinstance(bound.field.widget, MultiWidget):
            for i, part in enumerate(bound.field.widget.decompress(value)):
                if part is not None:
                    data[f"{bound.html_name}_{i}"] = str(part)
        elif isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        elif isinstance(value, dt.date | dt.datetime | int | str):
            data[bound.html_name] = str(value)
        # anything else (a stored file) is not posted again, as in a browser


def admin_form_data(response, **changes) -> dict:
    """The POST a browser would send from the admin change page in `response`, with changes."""
    data: dict = {}
    _add(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _add(data, formset.management_form)
        for form in formset.forms:
            _add(data, form)
    data.update({k: str(v) if isinstance(v, int) else v for k, v in changes.items()})
    return {k: v for k, v in data.items() if v is not None}
