"""A person's calendar feed (/kalender/<token>.ics): what they must have done by a date, for
Outlook, Google Calendar and any calendar program that subscribes to an iCalendar address.

What a person finds in it (docs/glossary.md, "Who may do what"):
- the open milestones of the assignments they carry out (as assignee or in the working group)
  and those they are responsible for, while the assignment's tidplan is in force;
- the final delivery of the assignments they deliver (assignee or project lead), while the work
  goes on;
- each decision on a final delivery that waits for them (an open approval task they hold and
  may answer), on the day the reminder policy expects it;
- their own watch dates ("påminn mig", reminders.watch_dates) from today on, with their note.
What is done, cancelled, decided, superseded or handed on leaves the feed, and the calendar
program removes it at its next fetch.

Every deadline is one all-day event, with the UID and SEQUENCE its reminders' .ics give it
(reminders.messages.deadline_event): the SEQUENCE is the deadline's due revision, which rises
each time its due date moves, so a calendar replaces the event instead of adding another.

The feed answers a conditional request with 304: its ETag is a digest of what it holds, and its
Last-Modified the first time it was served holding that (kept on the address's row), so a
calendar that asks again is sent the feed exactly when something in it changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass

import icalendar
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from assignments import permissions
from assignments import selectors as registry
from assignments.links import process_url
from assignments.models import Assignment, Delivery, Milestone, User
from assignments.permissions import OPEN_TASK_STATUSES
from reminders import decisions, planning, watch_dates
from reminders.messages import deadline_event
from reminders.models import WatchDate
from reminders.parts import decision_url

from . import calendar_tokens
from .models import CalendarFeedToken

# Raise when what the feed says about the same data changes (a new property, other words), so
# that every calendar is sent the feed again instead of "not modified".
FORMAT_VERSION = 1
TIME_ZONE = "Europe/Stockholm"
# How often a calendar program should fetch the feed again (Outlook reads X-PUBLISHED-TTL,
# Apple and others REFRESH-INTERVAL; Google keeps its own pace, up to a day).
REFRESH = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Item:
    """One event of the feed: a deadline or a decision waiting, on one day."""

    subject_key: str  # its UID's source (reminders.messages.event_uid)
    revision: int  # its SEQUENCE
    day: dt.date
    summary: str
    description: str
    link: str


@dataclass(frozen=True)
class Feed:
    body: bytes
    etag: str
    last_modified: dt.datetime
    language: str


# -- what the person has to do -----------------------------------------------------------------


def _day(day: dt.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _lines(*lines: str) -> str:
    return "\n".join(line for line in lines if line is not None)


def milestones_for(person: User) -> list[Milestone]:
    """The open milestones of assignments in force that the person carries out (assignee or
    working group) or is responsible for, soonest first."""
    carried_out = registry.worked_on_by(person).values("pk")
    return list(
        Milestone.objects.filter(
            Q(assignment__in=carried_out) | Q(responsible=person),
            assignment__state__in=Assignment.IN_FORCE_STATES,
        )
        .exclude(status__in=Milestone.CLOSED_STATUSES)
        .select_related("assignment__assignee", "responsible")
        .order_by("due", "pk")
    )


def deliveries_due_for(person: User) -> list[Assignment]:
    """The assignments whose final delivery the person makes (assignee or project lead) while
    the work goes on, with a delivery date."""
    return list(
        Assignment.objects.filter(
            Q(assignee=person) | Q(project_lead=person),
            state__in=Assignment.WORKING_STATES,
            delivery_due__isnull=False,
        ).order_by("delivery_due", "pk")
    )


def decisions_waiting_for(person: User) -> list[tuple[Task, Assignment, Delivery]]:
    """The approval tasks the person holds and may answer (assignments.permissions), each with its
    assignment and the submitted delivery it decides."""
    tasks = Task.objects.filter(
        owner=person,
        status__in=OPEN_TASK_STATUSES,
        flow_task_type="HUMAN",
        process__artifact_content_type=ContentType.objects.get_for_model(Assignment),
    ).select_related("process")
    approvals = [task for task in tasks if task.flow_task.name == permissions.APPROVE]
    if not approvals:
        return []
    assignments = Assignment.objects.in_bulk(
        {int(task.process.artifact_object_id) for task in approvals}
    )
    submitted = {
        delivery.assignment_id: delivery
        for delivery in Delivery.objects.filter(
            assignment__in=assignments.values(),
            assignment__state=Assignment.State.DELIVERED,
            status=Delivery.Status.SUBMITTED,
        ).select_related("submitted_by")
    }
    waiting = []
    for task in sorted(approvals, key=lambda task: task.pk):
        assignment = assignments.get(int(task.process.artifact_object_id))
        delivery = submitted.get(assignment.pk) if assignment else None
        if delivery and permissions.may_run(task, permissions.standing(person, assignment)):
            waiting.append((task, assignment, delivery))
    return waiting


def _milestone_item(milestone: Milestone, revision: int) -> Item:
    assignment = milestone.assignment
    dnr = assignment.registration_number
    if milestone.period_label:
        period = _("Tidplan: %(period)s") % {"period": milestone.period_label}
    else:
        period = _("Tidplan: %(start)s – %(due)s") % {
            "start": _day(milestone.start),
            "due": _day(milestone.due),
        }
    link = process_url(assignment.pk, milestone.pk)
    return Item(
        subject_key=planning.milestone_key(milestone),
        revision=revision,
        day=milestone.due,
        summary=_("Milstolpe: %(title)s (%(dnr)s)") % {"title": milestone.title, "dnr": dnr},
        description=_lines(
            assignment.title,
            _("Diarienummer: %(dnr)s") % {"dnr": dnr},
            period,
            _("Status: %(status)s") % {"status": milestone.status_label},
            _("Ansvarig: %(person)s") % {"person": milestone.responsible_person},
            "",
            _("Öppna uppdraget: %(link)s") % {"link": link},
        ),
        link=link,
    )


def _delivery_item(assignment: Assignment, revision: int) -> Item:
    dnr = assignment.registration_number
    link = process_url(assignment.pk)
    return Item(
        subject_key=planning.deadline_key(assignment),
        revision=revision,
        day=assignment.delivery_due,
        summary=_("Slutleverans: %(title)s (%(dnr)s)") % {"title": assignment.title, "dnr": dnr},
        description=_lines(
            assignment.title,
            _("Diarienummer: %(dnr)s") % {"dnr": dnr},
            _("Slutleveransen ska lämnas senast %(date)s.")
            % {"date": _day(assignment.delivery_due)},
            "",
            _("Öppna uppdraget: %(link)s") % {"link": link},
        ),
        link=link,
    )


def _decision_item(
    task: Task, assignment: Assignment, delivery: Delivery, *, stand_in_for, policy
) -> Item:
    """`stand_in_for`: the decision-maker the person answers for, None when it is their own."""
    dnr = assignment.registration_number
    link = decision_url(assignment.pk)
    on_behalf = None
    if stand_in_for is not None:
        on_behalf = _("Du är ersättare för %(person)s.") % {"person": stand_in_for}
    return Item(
        # one event per approval task: a resubmitted delivery is a new decision
        subject_key=f"approval:{task.pk}",
        revision=0,
        day=decisions.decision_reminder_day(delivery, policy),
        summary=_("Väntar på ditt beslut: slutleverans (%(dnr)s)") % {"dnr": dnr},
        description=_lines(
            assignment.title,
            _("Diarienummer: %(dnr)s") % {"dnr": dnr},
            _("Slutleverans %(number)s lämnades in %(date)s av %(person)s.")
            % {
                "number": delivery.number,
                "date": _day(timezone.localdate(delivery.submitted_at)),
                "person": delivery.submitted_by,
            },
            on_behalf,
            "",
            _("Besluta: %(link)s") % {"link": link},
        ),
        link=link,
    )


def _decision_items(person: User) -> list[Item]:
    """The decisions waiting for the person, with the decision-makers they stand in for and
    the reminder policy read once for all of them."""
    waiting = decisions_waiting_for(person)
    if not waiting:
        return []
    makers = {task: permissions.decision_maker_of(task) for task, _a, _d in waiting}
    others = User.objects.in_bulk({pk for pk in makers.values() if pk and pk != person.pk})
    policy = decisions.decision_policy()
    return [
        _decision_item(
            task, assignment, delivery, stand_in_for=others.get(makers[task]), policy=policy
        )
        for task, assignment, delivery in waiting
    ]


def _watch_item(watch: WatchDate) -> Item:
    assignment, milestone = watch.assignment, watch.milestone
    dnr = assignment.registration_number
    link = process_url(assignment.pk, watch.milestone_id)
    what = milestone.title if milestone else assignment.title
    return Item(
        subject_key=watch_dates.watch_key(watch),
        revision=0,  # a watch date is never moved: a new day is a new watch date
        day=watch.day,
        summary=_("Påminn mig: %(what)s (%(dnr)s)") % {"what": what, "dnr": dnr},
        description=_lines(
            assignment.title,
            _("Diarienummer: %(dnr)s") % {"dnr": dnr},
            _("Aktivitet: %(title)s") % {"title": milestone.title} if milestone else None,
            _("Din anteckning: %(note)s") % {"note": watch.note} if watch.note else None,
            "",
            _("Öppna uppdraget: %(link)s") % {"link": link},
        ),
        link=link,
    )


def items_for(person: User) -> list[Item]:
    """Everything of the person's feed, in the active language, by day."""
    milestones = milestones_for(person)
    deliveries = deliveries_due_for(person)
    revisions = planning.current_due_revisions(
        {planning.milestone_key(m): m.due for m in milestones}
        | {planning.deadline_key(a): a.delivery_due for a in deliveries}
    )
    items = [_milestone_item(m, revisions[planning.milestone_key(m)]) for m in milestones]
    items += [_delivery_item(a, revisions[planning.deadline_key(a)]) for a in deliveries]
    items += _decision_items(person)
    items += [_watch_item(w) for w in watch_dates.open_watch_dates(person, timezone.localdate())]
    return sorted(items, key=lambda item: (item.day, item.subject_key))


# -- the feed ----------------------------------------------------------------------------------


def _event(item: Item, stamp: dt.datetime) -> icalendar.Event:
    event = deadline_event(
        subject_key=item.subject_key,
        revision=item.revision,
        due=item.day,
        summary=item.summary,
        link=item.link,
        stamp=stamp,
    )
    event.add("description", item.description)
    # A deadline takes no time of the day: it never makes the person look busy.
    event.add("transp", "TRANSPARENT")
    event.add("x-microsoft-cdo-busystatus", "FREE")
    return event


def _calendar(name: str, items: list[Item], stamp: dt.datetime) -> bytes:
    ical = icalendar.Calendar()
    ical.add("prodid", "-//Uppdrag//kalender//SV")
    ical.add("version", "2.0")
    ical.add("calscale", "GREGORIAN")
    ical.add("method", "PUBLISH")
    ical.add("x-wr-calname", name)
    ical.add("x-wr-caldesc", _("Dina milstolpar, slutleveranser och beslut i Uppdrag."))
    # Dates are Swedish dates: all-day events, read in Swedish time by whoever shows them.
    ical.add("x-wr-timezone", TIME_ZONE)
    ical.add("x-published-ttl", icalendar.vDuration(REFRESH))
    ical.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    years = [item.day.year for item in items] or [timezone.localdate(stamp).year]
    ical.add_component(
        icalendar.Timezone.from_tzid(
            TIME_ZONE, first_date=dt.date(min(years), 1, 1), last_date=dt.date(max(years) + 2, 1, 1)
        )
    )
    for item in items:
        ical.add_component(_event(item, stamp))
    return ical.to_ical()


def _note_fetch(token: CalendarFeedToken, digest: str) -> dt.datetime:
    """Keep what the feed holds now and since when (its Last-Modified), and when it was last
    fetched (at most one write in LAST_FETCHED_RESOLUTION); returns since when."""
    now = timezone.now()
    changes = {}
    if token.content_digest != digest or token.content_changed_at is None:
        changes.update(content_digest=digest, content_changed_at=now.replace(microsecond=0))
    if (
        token.last_fetched_at is None
        or now - token.last_fetched_at >= calendar_tokens.LAST_FETCHED_RESOLUTION
    ):
        changes["last_fetched_at"] = now
    if changes:
        CalendarFeedToken.objects.filter(pk=token.pk).update(**changes)
    return changes.get("content_changed_at", token.content_changed_at)


def feed_for(token: CalendarFeedToken) -> Feed:
    """The feed of the address's person, in their language, with its ETag and Last-Modified."""
    person = token.user
    language = person.language or settings.LANGUAGE_CODE
    with translation.override(language):
        items = items_for(person)
        name = _("Uppdrag – %(person)s") % {"person": person}
        content = json.dumps(
            [FORMAT_VERSION, language, name, settings.SITE_URL, [asdict(i) for i in items]],
            default=str,
        )
        digest = hashlib.sha256(content.encode()).hexdigest()
        changed_at = _note_fetch(token, digest)
        body = _calendar(name, items, stamp=changed_at)
    return Feed(body=body, etag=f'"{digest[:32]}"', last_modified=changed_at, language=language)
