"""The moments of the process people are told about at once: an assignment waits for adoption,
was adopted, a task was handed to you, a decision waits for you, your delivery was returned,
the assignment was decided (issue #17, 7).

The workflow's services call notify_event() inside their own transaction, so an event is told
exactly when it is committed, and never when it is rolled back:
- in the app, a notification of the notifications library (notify.send), whose `data` keeps the
  event's kind and parameters: it is read in the language of whoever reads it, when they read it
  (reminders.notices), not in the language of whoever caused it;
- by e-mail, an outbox row (a Reminder of the event's kind, its unique key naming the event's
  occurrence), sent by the worker as every reminder is: claimed once, retried, with a stable
  Message-ID, written in the recipient's language when it is sent.

Each person chooses per kind of event whether to be told in the app, by e-mail, both or neither
(NotificationPreference, on the settings page). Reminders of one's own deadlines and escalations
are not events: they cannot be turned off.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from notifications.models import Notification
from notifications.signals import notify

from assignments.models import Assignment, Delivery, Milestone, User
from assignments.permissions import is_working_group_member, may_update_milestone

from . import reply_address
from .models import EVENT_KINDS, Reminder
from .parts import Entry, Message
from .preferences import preferences

Kind = Reminder.Kind

# What each kind of event says, in one line (the notification, the e-mail's subject).
TEXTS = {
    Kind.ADOPTION_WAITING: _("Väntar på fastställelse: %(title)s (%(dnr)s)"),
    Kind.ADOPTED: _("Uppdraget är fastställt, arbetet kan börja: %(title)s (%(dnr)s)"),
    Kind.TASK_DELEGATED: _("%(task)s har lämnats till dig: %(title)s (%(dnr)s)"),
    Kind.DECISION_REQUESTED: _("Väntar på ditt beslut: %(title)s (%(dnr)s)"),
    Kind.DELIVERY_RETURNED: _("Slutleveransen återremitterades: %(title)s (%(dnr)s)"),
    Kind.DECIDED: _("Uppdraget är beslutat: %(title)s (%(dnr)s)"),
}

# The tasks of the process a person can be handed, by the name of their step in the flow.
TASKS = {
    "adopt": _("Fastställelsen"),
    "work": _("Genomförandet och slutleveransen"),
    "approve": _("Beslutet om slutleveransen"),
}

# What a person is told about, and why, for the settings page (in the order of the process).
DESCRIPTIONS = {
    Kind.ADOPTION_WAITING: _("Ett uppdrag du är uppdragsgivare för väntar på fastställelse"),
    Kind.ADOPTED: _("Ett uppdrag du arbetar med är fastställt och kan börja"),
    Kind.TASK_DELEGATED: _("En uppgift har lämnats över till dig"),
    Kind.DECISION_REQUESTED: _("En slutleverans väntar på ditt beslut"),
    Kind.DELIVERY_RETURNED: _("Din slutleverans har återremitterats, med kommentaren"),
    Kind.DECIDED: _("Ett uppdrag du följer eller arbetar med är beslutat"),
}


# -- what an event says, in the language active when it is read --------------------------------


def text(kind: str, params: dict) -> str:
    """The event in one line, in the active language."""
    task = TASKS.get(params.get("task", ""), _("En uppgift"))
    return str(TEXTS[kind]) % {
        "title": params.get("title", ""),
        "dnr": params.get("dnr", ""),
        "task": task,
    }


def detail(kind: str, params: dict) -> str:
    """What the event adds to its line (who, the comment, the date), in the active language;
    empty when it adds nothing."""
    actor = params.get("actor", "")
    note = params.get("comment") or params.get("reason") or ""
    if kind == Kind.DECIDED and params.get("decided_on"):
        day = formats.date_format(parse_date(params["decided_on"]), "DATE_FORMAT")
        return _("Beslutsdatum %(date)s.") % {"date": day}
    if kind == Kind.DELIVERY_RETURNED and actor:
        return _("%(actor)s återremitterade: ”%(comment)s”") % {"actor": actor, "comment": note}
    if kind == Kind.TASK_DELEGATED and actor:
        return _("Lämnad av %(actor)s: ”%(reason)s”") % {"actor": actor, "reason": note}
    if kind == Kind.ADOPTED and actor:
        if note:
            return _("Fastställt av %(actor)s: ”%(reason)s”") % {"actor": actor, "reason": note}
        return _("Fastställt av %(actor)s.") % {"actor": actor}
    if kind == Kind.DECISION_REQUESTED and actor:
        return _("Lämnad av %(actor)s.") % {"actor": actor}
    if kind == Kind.ADOPTION_WAITING and params.get("nobody"):
        return _(
            "Ingen kan fastställa: %(people)s kan inte logga in. Koppla kontakten till ett "
            "konto eller ändra uppdragsgivare."
        ) % {"people": params["nobody"]}
    if kind == Kind.ADOPTION_WAITING and params.get("replaces"):
        day = formats.date_format(parse_date(params["replaces"]), "DATE_FORMAT")
        return _(
            "Det är en ny version, som ersätter den fastställda uppdragshandlingen daterad "
            "%(date)s (%(iso)s) när den fastställs."
        ) % {"date": day, "iso": params["replaces"]}
    return ""


def link(params: dict) -> str:
    """The absolute address of the page to act on (SITE_URL as it is when the mail is sent)."""
    return settings.SITE_URL + params.get("path", "/")


# -- who wants what ------------------------------------------------------------------------


def still_wanted(reminder: Reminder) -> bool:
    """At send time: does the recipient still want this kind of event by e-mail, and is it
    still news (the draft not adopted yet, the delivery not answered by them yet)?"""
    if not preferences([reminder.recipient_id], reminder.kind)[reminder.recipient_id][1]:
        return False
    if reminder.kind == Kind.ADOPTION_WAITING:
        return reminder.assignment.state == Assignment.State.DRAFT
    if reminder.kind in NEWS_WHILE_OPEN and not reminder.assignment.is_open:
        return False  # cancelled or superseded since (settle_closing, asked again)
    if reminder.kind == Kind.DECISION_REQUESTED:
        delivery = reminder.delivery
        person = reminder.recipient_id
        return (
            delivery.status == Delivery.Status.SUBMITTED
            and not delivery.approvals.filter(
                Q(decision_maker_id=person) | Q(acted_by_id=person)
            ).exists()
        )
    return True


# -- telling ---------------------------------------------------------------------------------


def notify_event(
    kind: str,
    *,
    assignment: Assignment,
    recipients: Iterable[User | None],
    occurrence: str,
    path: str,
    actor: User | None = None,
    delivery: Delivery | None = None,
    **details: str,
) -> int:
    """Tell `recipients` (each once, never the actor, never a person who has left) about one
    event, in the app and by e-mail as each has chosen. `occurrence` names this event among
    the assignment's events of its kind (the audit entry that records it): told twice, it is
    still sent once. `path` is the page to act on; `details` are the event's own parameters
    (the comment, the reason, the decision date, the task). Returns how many were told."""
    if kind not in EVENT_KINDS:
        raise ValueError(f"not an event: {kind}")
    people = {}
    for person in recipients:
        if person is None or (actor is not None and person.pk == actor.pk):
            continue
        if person.is_active:
            people.setdefault(person.pk, person)
    params = {
        "title": assignment.title,
        "dnr": assignment.registration_number,
        "path": path,
        **({"actor": actor.get_full_name() or actor.username} if actor is not None else {}),
        **{key: str(value) for key, value in details.items() if value not in (None, "")},
    }
    now = timezone.now()
    mails, told = [], set()
    for pk, (in_app, by_email) in preferences(people, kind).items():
        person = people[pk]
        if in_app:
            told.add(pk)
            with translation.override(person.language or settings.LANGUAGE_CODE):
                verb = text(kind, params)  # for readers that only know the library's verb
            notify.send(
                actor or assignment,
                recipient=person,
                verb=verb,
                target=assignment,
                event=kind,
                params=params,
                url=path,
            )
        if by_email and person.email:
            told.add(pk)
            mails.append(
                Reminder(
                    # not the deadline's "assignment:<pk>": an event is no deadline
                    subject_key=f"event:{assignment.pk}",
                    kind=kind,
                    recipient=person,
                    due_version=occurrence,
                    planned_at=now,
                    assignment=assignment,
                    delivery=delivery,
                    params=params,
                    # the app was told above (or, by the person's choice, not at all): the
                    # outbox row carries the e-mail only
                    in_app_at=now,
                )
            )
    # One statement for every mail; an occurrence told already is kept once by the unique
    # constraint (its rows are skipped, not an error).
    Reminder.objects.bulk_create(mails, ignore_conflicts=True)
    return len(told)


def entry(reminder: Reminder) -> Entry:
    """The event as a line of a bundled mail, in the active language."""
    params = reminder.params
    return Entry(
        reminder, text(reminder.kind, params), link(params), "", detail(reminder.kind, params)
    )


def compose_event(reminder: Reminder) -> Message:
    """The e-mail of one event, in the recipient's language."""
    language = reminder.recipient.language or settings.LANGUAGE_CODE
    with translation.override(language):
        params = reminder.params
        subject = text(reminder.kind, params)
        milestones = _to_answer(reminder)
        context = {
            "subject": subject,
            "detail": detail(reminder.kind, params),
            "link": link(params),
            "settings_url": settings.SITE_URL + reverse("user_settings"),
            "recipient": reminder.recipient,
            "language": language,
            "params": params,
            "milestones": list(enumerate(milestones, 1)),
            "answers": reply_address.answers_by_mail(reminder.recipient) and bool(milestones),
        }
        # Alone in its mail (several of one minute are a bundle, messages.compose_bundle):
        # the message's one entry is this event.
        return Message(
            subject,
            render_to_string("reminders/event.txt", context),
            render_to_string("reminders/event.html", context),
            context["link"],
            None,
            [Entry(reminder, subject, context["link"], "", context["detail"])],
            numbered=[milestone.pk for milestone in milestones],
        )


def _to_answer(reminder: Reminder) -> list[Milestone]:
    """What "arbetet kan börja" numbers, so that the reply "1 påbörjad" starts the work: the
    tidplan's open milestones the recipient may update (the rule a reply is judged by)."""
    if reminder.kind != Kind.ADOPTED or reminder.assignment is None:
        return []
    assignment, person = reminder.assignment, reminder.recipient
    milestones = assignment.milestones.exclude(status__in=Milestone.CLOSED_STATUSES)
    member = functools.cache(lambda: is_working_group_member(person, assignment))  # one query
    return [m for m in milestones if may_update_milestone(person, assignment, m, member)]


# -- when an event is no longer news -------------------------------------------------------------


def _withdraw(rows) -> int:
    """E-mails of an event not sent yet are cancelled (one claimed already is asked again at
    send time: still_wanted)."""
    return rows.filter(state=Reminder.State.PLANNED).update(state=Reminder.State.CANCELLED)


def _about(assignment: Assignment) -> Q:
    return Q(
        target_content_type=ContentType.objects.get_for_model(Assignment),
        target_object_id=str(assignment.pk),
    )


def settle_adoption(*, assignment: Assignment) -> int:
    """The draft is adopted: "waiting for adoption" is news to no commissioner any more (read,
    its e-mails not sent yet withdrawn). Returns how many notices were unread."""
    _withdraw(Reminder.objects.filter(kind=Kind.ADOPTION_WAITING, assignment=assignment))
    notices = Notification.objects.filter(_about(assignment), data__event=Kind.ADOPTION_WAITING)
    return notices.mark_all_as_read()


# What is no longer news once an assignment closes undecided (cancelled, superseded): nothing
# waits to be adopted, started, handled or decided in it. Its decision (DECIDED) is news still.
NEWS_WHILE_OPEN = (
    Kind.ADOPTION_WAITING,
    Kind.ADOPTED,
    Kind.TASK_DELEGATED,
    Kind.DECISION_REQUESTED,
)


def settle_closing(*, assignment: Assignment) -> int:
    """The assignment closes without a decision: its e-mails of what waited for someone, not
    sent yet, are withdrawn (the notices in the app stay, as its history). Returns how many."""
    return _withdraw(Reminder.objects.filter(kind__in=NEWS_WHILE_OPEN, assignment=assignment))


def settle_decision(*, delivery: Delivery, people: Iterable[int] | None = None) -> int:
    """ "Waiting for your decision" is news no more to `people` (who answered), or to anyone
    when nothing waits for a decision any more (returned, decided): its notices become read,
    the event's and the reminder's, and its e-mails not sent yet are withdrawn. Returns how
    many notices were unread."""
    rows = Reminder.objects.filter(delivery=delivery)
    notices = Notification.objects.all()
    if people is not None:
        people = [pk for pk in people if pk is not None]
        rows = rows.filter(recipient_id__in=people)
        notices = notices.filter(recipient_id__in=people)
    _withdraw(rows.filter(kind=Kind.DECISION_REQUESTED))
    reminders = list(rows.filter(kind=Kind.DECISION_WAITING).values_list("pk", flat=True))
    # "decision_waiting": the key of this event before it kept its parameters
    the_event = _about(delivery.assignment) & Q(
        data__event__in=[Kind.DECISION_REQUESTED, "decision_waiting"]
    )
    the_reminders = Q(data__reminder__in=reminders) if reminders else Q(pk__in=[])
    return notices.filter(the_event | the_reminders).mark_all_as_read()
