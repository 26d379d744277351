"""What a person ends of their own (an absence, a watch date): one way for every such page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404

from assignments import links


def end_own(request, model, pk, end, done: str, default_url: str):
    """End one of the person's own `model` rows with `end(row)`, its service; anyone else's is a
    404. A refusal shows the service's words; back to `next`, else `default_url`."""
    row = get_object_or_404(model, pk=pk, person=request.user)
    try:
        end(row)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return HttpResponseRedirect(links.next_url(request, default_url))
