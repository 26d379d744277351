"""{% load uppdrag_history %}: `entries|as_history` words audit entries for the reader."""

from django import template

from assignments import history

register = template.Library()


@register.filter
def as_history(entries) -> list[history.Line]:
    """The entries as history lines (sentences and field changes) in the active language."""
    return history.describe(entries)
