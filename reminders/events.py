"""In-app notifications of process events (a delivery waits for a decision, was returned, was
decided), written in each recipient's language, in the same transaction as the event."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from notifications.signals import notify

VERBS = {
    "decision_waiting": lambda a: _("Väntar på ditt beslut: %(title)s (%(dnr)s)"),
    "delivery_returned": lambda a: _("Slutleveransen återremitterades: %(title)s (%(dnr)s)"),
    "decided": lambda a: _("Uppdraget är beslutat: %(title)s (%(dnr)s)"),
}


def notify_event(event: str, *, assignment, recipients, actor=None) -> None:
    url = reverse(
        "workflow:decision" if event == "decision_waiting" else "workflow:assignment",
        args=[assignment.pk],
    )
    seen = set()
    for person in recipients:
        if person is None or person.pk in seen or (actor is not None and person.pk == actor.pk):
            continue
        seen.add(person.pk)
        with translation.override(person.language or "sv"):
            verb = VERBS[event](assignment) % {
                "title": assignment.title,
                "dnr": assignment.registration_number,
            }
        notify.send(
            actor or assignment,
            recipient=person,
            verb=verb,
            target=assignment,
            event=event,
            url=url,
        )
