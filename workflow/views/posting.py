"""How a page posts a form to a service: the service's refusal goes onto the form it answers."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def keep_on_form(form, error: ValidationError) -> None:
    """Put a refusal on the form it answers: a service's errors beside the fields they name
    (the others on the form as a whole), the form's own errors are there already. Focus goes
    to the first field in error (or to the form's summary of errors)."""
    if form.is_valid():
        by_field = error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
        for field, errors in by_field.items():
            form.add_error(field if field in form.fields else None, errors)
    if hasattr(form, "note_lost_files"):
        form.note_lost_files()
    first = next(
        (name for name in form.fields if name in form.errors and not form[name].is_hidden), None
    )
    if first:
        form.fields[first].widget.attrs["autofocus"] = True
    else:
        form.focus_summary = True


def submitted(form, save):
    """What `save(form.cleaned_data)` returns, when the form is valid and the service behind
    `save` takes it; None when either refuses, the service's refusal then on the form
    (keep_on_form). The person's own pages (absence, watch dates) post this way."""
    if not form.is_valid():
        return None
    try:
        return save(form.cleaned_data)
    except ValidationError as error:
        keep_on_form(form, error)
        return None
