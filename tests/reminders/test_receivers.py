"""Reminders follow every write (#25, D8; reminders/receivers.py): after each writer of the
record — the process's services, the admin, contact linking, the import, "Nytt uppdrag", the
API — every planned reminder goes to a current person of its assignment about a deadline in
force, and every future deadline in force has its reminders.

The writers are listed here, each with the audit actions it writes. Every change is audited
and every audit entry replans, so a writer is known by its actions: a test reads every action
the code writes and fails on one that no writer here covers and that is not listed as none of
the reminders' business. A new writer is then added to WRITERS (or to NOT_ABOUT_DEADLINES, with
why), and checked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api import tokens
from assignments.contacts import new_contact
from assignments.models import Absence, Assignment, AuditEntry, Delivery, Milestone, User
from documents.importer import read_document
from reminders import watch_dates
from reminders.deadlines import passed_before_registration
from reminders.models import DELIVERY_SUBJECT, Reminder, ReminderPolicy, WatchDate
from tests import uppdragshandlingar as documents
from tests.admin_forms import admin_form_data
from tests.workflow.test_register import NEW, page_data
from workflow import services as workflow
from workflow.imports import register_imported_draft

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
WRITTEN_ACTION = r'action=\s*"([^"]+)"(?:\s+if\s[^\n]*?\selse\s+"([^"]+)")?'
DEADLINE_KINDS = ("before_due", "due_day", "overdue", "escalation")
# a reminder that is, or is being, told counts as the deadline's reminder too
TOLD_OR_PLANNED = ("planned", "sending", "sent")

# Actions the code writes that change no deadline and no one's place on an assignment: a
# person's own account and settings, tokens and feeds, the outbox's own rows, a new unit or
# contact (the assignment's own entry, written with it, follows). A person made inactive in
# the admin is "admin.changed", a writer below.
NOT_ABOUT_DEADLINES = {
    "admin.password_changed",
    "api_token.created",
    "api_token.revoked",
    "calendar_feed.created",
    "calendar_feed.renewed",
    "notifications.choice_changed",
    "person.created_by_sign_in",
    "person.email_changed",
    "person.linked_by_sign_in",
    "reminder.cancelled",
    "reminder.retried",
    "settings_changed",
    "unit.created",
    "milestone.commented",  # a line in the milestone's log: no date, status or person changes
    "store_true",  # argparse, not the audit trail
}


# --- the invariant ----------------------------------------------------------------------------


def _people(assignment: Assignment, milestone: Milestone | None) -> tuple[set, set]:
    """(whose deadline it is, whom it escalates to), active people only."""
    owners = {assignment.assignee_id}
    if milestone is not None and milestone.responsible_id:
        owners.add(milestone.responsible_id)
    escalation = set(assignment.commissioners.values_list("pk", flat=True))
    escalation |= set(assignment.decision_makers.values_list("pk", flat=True))
    active = set(User.objects.filter(is_active=True).values_list("pk", flat=True))
    return owners & active, escalation & active


def _away(person_ids, day: dt.date) -> dict[int, int]:
    """Of these people, who is away on `day` with a stand-in: person → stand-in (issue 31:
    their reminders go to the stand-in as well)."""
    return dict(
        Absence.objects.filter(
            person_id__in=person_ids, starts__lte=day, ends__gte=day, ended_at=None
        )
        .exclude(stand_in=None)
        .order_by("created_at", "pk")
        .values_list("person_id", "stand_in_id")
    )


def _deadlines(assignment: Assignment) -> list[tuple[Milestone | None, dt.date, str]]:
    """The deadlines in force of an assignment worked on: its open milestones and the final
    delivery, each with the subject of its reminder policy."""
    if assignment.state not in Assignment.WORKING_STATES:
        return []
    found = [
        (m, m.due, m.kind)
        for m in assignment.milestones.exclude(status__in=Milestone.CLOSED_STATUSES)
    ]
    if assignment.delivery_due:
        found.append((None, assignment.delivery_due, DELIVERY_SUBJECT))
    return found


def violations() -> list[str]:
    """What is wrong with the planned reminders of every assignment, in words (none: [])."""
    wrong = []
    for row in Reminder.objects.filter(state="planned", kind__in=DEADLINE_KINDS):
        assignment = row.assignment
        in_force = {
            (m.pk if m else None, due.isoformat()) for m, due, _kind in _deadlines(assignment)
        }
        if (row.milestone_id, row.due_version) not in in_force:
            wrong.append(f"{row} ({row.due_version}): no deadline in force")
            continue
        owners, escalation = _people(assignment, row.milestone)
        people = escalation if row.kind == "escalation" else owners
        away = _away(people, timezone.localdate(row.planned_at))
        if row.recipient_id in people:
            stand_in = away.get(row.recipient_id)
            if stand_in is not None and stand_in not in people:
                copies = Reminder.objects.filter(
                    subject_key=row.subject_key,
                    kind=row.kind,
                    recipient_id=stand_in,
                    due_version=row.due_version,
                    sequence=row.sequence,
                    state__in=TOLD_OR_PLANNED,
                )
                if not copies.exists():
                    wrong.append(f"{row}: not to {row.recipient}'s stand-in as well")
        elif row.recipient_id not in away.values():
            wrong.append(f"{row}: {row.recipient} is not one of its people nor stands in")
    for row in Reminder.objects.filter(state="planned", kind="decision_waiting"):
        delivery = row.delivery
        if delivery.status != Delivery.Status.SUBMITTED or row.recipient_id not in set(
            workflow.waiting_for(delivery)
        ):
            wrong.append(f"{row}: the delivery does not wait for {row.recipient}")
    today = timezone.localdate()
    for assignment in Assignment.objects.filter(state__in=Assignment.WORKING_STATES):
        for milestone, due, subject in _deadlines(assignment):
            if due < today or passed_before_registration(due, assignment):
                continue
            policy = ReminderPolicy.for_subject(subject)
            owners, escalation = _people(assignment, milestone)
            wanted = {("overdue", pk) for pk in owners} if policy.remind_overdue else set()
            if policy.escalate_after_working_days:
                wanted |= {("escalation", pk) for pk in escalation}
            rows = Reminder.objects.filter(
                assignment=assignment,
                milestone=milestone,
                due_version=due.isoformat(),
                state__in=TOLD_OR_PLANNED,
            )
            missing = wanted - set(rows.values_list("kind", "recipient_id"))
            if missing:
                wrong.append(f"{assignment} {milestone or 'slutleverans'} {due}: no {missing}")
    for delivery in Delivery.objects.filter(
        status=Delivery.Status.SUBMITTED, assignment__state=Assignment.State.DELIVERED
    ):
        told = set(
            Reminder.objects.filter(
                delivery=delivery, kind="decision_waiting", state__in=TOLD_OR_PLANNED
            ).values_list("recipient_id", flat=True)
        )
        if missing := set(workflow.waiting_for(delivery)) - told:
            wrong.append(f"{delivery}: nobody reminds {missing} of the decision")
    # a watch date (reminders.watch_dates): planned exactly while it is in force, on its day
    for row in Reminder.objects.filter(state="planned", kind="watch_date"):
        watch = row.watch_date
        if not watch_dates.is_in_force(watch) or row.due_version != watch.day.isoformat():
            wrong.append(f"{row}: a watch date not in force")
    for watch in WatchDate.objects.filter(cancelled_at__isnull=True, day__gte=today):
        told = watch.reminders.filter(due_version=watch.day.isoformat(), state__in=TOLD_OR_PLANNED)
        if watch_dates.is_in_force(watch) and not told.exists():
            wrong.append(f"{watch}: its watch date is not planned")
    return wrong


# --- the writers ------------------------------------------------------------------------------


class World:
    """Seed 004 adopted on 1 Oct 2025 (tests/reminders/conftest.py) and ways to act on it."""

    def __init__(self, seed: Assignment):
        self.seed = seed

    def __getitem__(self, username: str) -> User:
        return User.objects.get(username=username)

    def milestone(self, kind: str = "compilation") -> Milestone:
        return self.seed.milestones.get(kind=kind)

    def browser(self, username: str) -> Client:
        client = Client()
        client.force_login(self[username])
        return client

    def api(self, username: str) -> APIClient:
        _token, secret = tokens.issue_token(user=self[username], name="Test", scope="act")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        return client

    def submitted(self) -> Delivery:
        return workflow.submit_delivery(
            assignment=self.seed, actor=self["jan.strang"], summary="Förslag"
        )

    def admin_change(self, obj, username: str = "registrator", **changes) -> None:
        browser = self.browser(username)
        url = reverse(f"admin:assignments_{obj._meta.model_name}_change", args=[obj.pk])
        response = browser.post(url, admin_form_data(browser.get(url), **changes))
        assert response.status_code == 302, response.content.decode()[:2000]

    def new_version(self) -> Assignment:
        return workflow.draft_new_version(
            assignment=self.seed,
            actor=self["registrator"],
            document_date=dt.date(2025, 10, 1),
            delivery_due=dt.date(2026, 3, 1),
        )

    def sent_new_version(self) -> Assignment:
        """A new version saved on "Ändra utkastet": in its process, to be adopted."""
        draft = self.new_version()
        workflow.start_process(assignment=draft, actor=self["registrator"])
        return draft


def _adopt(w: World) -> None:
    workflow.adopt_assignment(assignment=w.sent_new_version(), actor=w["anders.kullbratt"])


def _milestone_started(w: World) -> None:
    workflow.change_milestone_status(
        milestone=w.milestone(), actor=w["jan.strang"], to_status="in_progress"
    )


def _milestone_done(w: World) -> None:
    workflow.change_milestone_status(
        milestone=w.milestone(), actor=w["jan.strang"], to_status="done"
    )


def _milestone_moved(w: World) -> None:
    workflow.move_milestone_due(
        milestone=w.milestone(), actor=w["jan.strang"], new_due=dt.date(2026, 1, 15), reason="Sent"
    )


def _watch_dates_set_and_removed(w: World) -> None:
    """Set on the "Påminn mig" page by a reader and by Jan, and one removed."""
    url = reverse("workflow:watch", args=[w.seed.pk])
    about = {"about": w.milestone().pk, "note": "Stäm av"}
    reader, jan = w.browser("ann-charlotte.jarnstrom"), w.browser("jan.strang")
    assert reader.post(url, {**about, "when": "tomorrow"}).status_code == 302
    assert jan.post(url, {**about, "when": "in_a_week"}).status_code == 302
    assert jan.post(url, {"about": "", "when": "before_due"}).status_code == 302
    removed = WatchDate.objects.filter(person=w["jan.strang"]).first()
    assert jan.post(reverse("workflow:cancel_watch", args=[removed.pk])).status_code == 302


def _submitted(w: World) -> None:
    w.submitted()


def _approved_by_one(w: World) -> None:
    workflow.approve_delivery(delivery=w.submitted(), decided_by=w["anders.kullbratt"])


def _decided(w: World) -> None:
    delivery = w.submitted()
    workflow.approve_delivery(delivery=delivery, decided_by=w["anders.kullbratt"])
    workflow.approve_delivery(delivery=delivery, decided_by=w["per.albertsson"])


def _returned(w: World) -> None:
    workflow.return_delivery(
        delivery=w.submitted(), decided_by=w["per.albertsson"], comment="Komplettera"
    )


def _handed_to_a_stand_in(w: World) -> None:
    w.submitted()
    per = w["per.albertsson"]
    task = next(t for t in workflow.open_tasks(w.seed) if t.data.get("decision_maker") == per.pk)
    workflow.reassign_task(task=task, actor=per, new_owner=w["regiondirektor"], reason="Semester")


def _away_with_a_stand_in(w: World) -> Absence:
    from tests.factories import UserFactory

    # jan.strang's deadlines in November (seed 004 is worked on from 1 Oct 2025), and an
    # escalation to per.albertsson
    kim = UserFactory(username="kim.berg")
    workflow.set_absence(
        person=w["jan.strang"],
        starts=dt.date(2025, 11, 1),
        ends=dt.date(2025, 12, 31),
        stand_in=kim,
    )
    return workflow.set_absence(
        person=w["per.albertsson"],
        starts=dt.date(2025, 11, 1),
        ends=dt.date(2026, 1, 31),
        stand_in=kim,
    )


def _back_early(w: World) -> None:
    absence = _away_with_a_stand_in(w)
    workflow.end_absence(absence=absence, actor=w["per.albertsson"])


def _cancelled(w: World) -> None:
    workflow.cancel_assignment(assignment=w.seed, actor=w["anders.kullbratt"], reason="Inte nu")


def _superseded(w: World) -> None:
    new = Assignment(
        registration_number="RS 2025-09999",
        document_date=dt.date(2025, 10, 1),
        title="Ny uppdragshandling",
        issuing_unit=w.seed.issuing_unit,
        assignee=w.seed.assignee,
        delivery_due=dt.date(2026, 3, 1),
    )
    workflow.supersede_assignment(old=w.seed, new=new, actor=w["anders.kullbratt"])
    workflow.adopt_assignment(assignment=new, actor=w["anders.kullbratt"])


def _admin_parties_and_deadline(w: World) -> None:
    erica, director = w["erica.sandberg"], w["regiondirektor"]
    w.admin_change(
        w.seed,
        assignee=erica.pk,
        commissioners=[str(director.pk)],
        delivery_due="2026-01-30",
        change_reason="Beslut",
    )


def _decision_makers_changed(w: World) -> None:
    workflow.change_decision_makers(
        assignment=w.seed,
        actor=w["registrator"],
        decision_makers=[w["erica.sandberg"]],
        reason="Anders är sjukskriven",
    )


def _admin_milestone_responsible(w: World) -> None:
    w.admin_change(w.milestone(), responsible=w["erica.sandberg"].pk)


def _admin_milestone_added_to_a_draft(w: World) -> None:
    draft = w.sent_new_version()
    browser = w.browser("registrator")
    response = browser.post(
        reverse("admin:assignments_milestone_add"),
        {
            "assignment": draft.pk,
            "position": 9,
            "kind": "compilation",
            "title": "Extra avstämning",
            "period_label": "",
            "start": "2025-12-01",
            "due": "2026-01-20",
            "responsible": w["erica.sandberg"].pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    workflow.adopt_assignment(assignment=draft, actor=w["anders.kullbratt"])


def _admin_person_deactivated(w: World) -> None:
    w.admin_change(w.milestone(), responsible=w["erica.sandberg"].pk)
    root = User.objects.create(username="root", is_staff=True, is_superuser=True)
    w.admin_change(w["erica.sandberg"], username=root.username, is_active=False)


def _contact_linked(w: World) -> None:
    contact = new_contact("Lena Lind")
    w.admin_change(w.milestone(), responsible=contact.pk)
    commissioners = [*w.seed.commissioners.values_list("pk", flat=True), contact.pk]
    w.admin_change(w.seed, commissioners=[str(pk) for pk in commissioners])
    account = User.objects.create_user("llind", "lena.lind@example.se", "x")
    response = w.browser("registrator").post(
        reverse("admin:assignments_user_changelist"),
        {"action": "link_contact_to_account", "_selected_action": [contact.pk, account.pk]},
    )
    assert response.status_code == 302


def _imported(w: World) -> None:
    text = documents.synthetic_text()
    draft = register_imported_draft(
        document=read_document(text.encode(), "s.txt"),
        data=text.encode(),
        filename="s.txt",
        actor=w["registrator"],
    )
    commissioner = draft.commissioners.first()
    workflow.adopt_assignment(assignment=draft, actor=commissioner)


def _registered_on_the_page_and_edited(w: World) -> None:
    browser = w.browser("registrator")
    assert browser.post(NEW, page_data()).status_code == 302
    draft = Assignment.objects.get(registration_number="RS 2026-00042")
    url = f"/uppdrag/{draft.pk}/redigera/"
    form = browser.get(url).context["forms"]
    data = {k: ("" if v is None else str(v)) for k, v in form.main.initial.items()}
    for prefix, formset in form.formsets.items():
        rows = formset.initial or []
        data.update({f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"})
        data[f"{prefix}-INITIAL_FORMS"] = str(len(rows))
        for i, row in enumerate(rows):
            for key, value in row.items():
                data[f"{prefix}-{i}-{key}"] = "" if value is None else str(value)
    data["milestones-1-due"] = "2027-12-10"
    data["delivery_due"] = "2027-12-20"
    assert browser.post(url, data).status_code == 302
    workflow.adopt_assignment(assignment=draft, actor=w["per.albertsson"])


def _api_milestone_and_delivery(w: World) -> None:
    jan = w.api("jan.strang")
    base = f"/api/assignments/{w.seed.pk}"
    milestone = w.milestone()
    for path, data, format in [
        (f"{base}/milestones/{milestone.pk}/status/", {"to_status": "in_progress"}, "json"),
        (
            f"{base}/milestones/{milestone.pk}/due/",
            {"new_due": "2026-01-16", "reason": "Sent"},
            "json",
        ),
        (f"{base}/deliveries/", {"summary": "Förslag"}, "multipart"),
    ]:
        response = jan.post(path, data, format=format)
        assert response.status_code in (200, 201), response.content[:500]


def _api_approved_and_returned(w: World) -> None:
    w.submitted()
    base = f"/api/assignments/{w.seed.pk}"
    response = w.api("anders.kullbratt").post(f"{base}/approve/", {}, format="json")
    assert response.status_code in (200, 201), response.content[:500]
    response = w.api("per.albertsson").post(
        f"{base}/return/", {"comment": "Komplettera"}, format="json"
    )
    assert response.status_code in (200, 201), response.content[:500]


@dataclass(frozen=True)
class Writer:
    name: str
    write: Callable[[World], None]
    # the audit actions the writer writes, and so covers (the test checks that it writes them)
    actions: frozenset[str]


def writer(name, write, *actions) -> Writer:
    return Writer(name, write, frozenset(actions))


STATE = "assignment.state_changed"
NEW_VERSION = (
    "assignment.version_drafted",
    "assignment.supersedes",
    "assignment.registered",
    "row.registered",
)
REPLACED = ("assignment.superseded", "milestone.status_changed")

WRITERS = [
    writer(
        "adopt", _adopt, *NEW_VERSION, "process.started", *REPLACED, "assignment.adopted", STATE
    ),
    writer("milestone started", _milestone_started, "milestone.status_changed", STATE),
    writer("milestone done", _milestone_done, "milestone.status_changed", STATE),
    writer("milestone moved", _milestone_moved, "milestone.due_moved"),
    writer(
        "watch dates",
        _watch_dates_set_and_removed,
        "watch_date.set",
        "watch_date.cancelled",
    ),
    writer("delivery submitted", _submitted, "delivery.submitted", STATE),
    writer("approved by one", _approved_by_one, "delivery.submitted", STATE, "delivery.approved"),
    writer(
        "decided", _decided, "delivery.submitted", STATE, "delivery.approved", "decision.recorded"
    ),
    writer("returned", _returned, "delivery.submitted", STATE, "delivery.returned"),
    writer("stand-in", _handed_to_a_stand_in, "delivery.submitted", STATE, "task.reassigned"),
    writer("away with a stand-in", _away_with_a_stand_in, "absence.set"),
    writer("back early", _back_early, "absence.set", "absence.ended"),
    writer("cancelled", _cancelled, "milestone.status_changed", STATE),
    writer(
        "superseded",
        _superseded,
        *REPLACED,
        STATE,
        "assignment.supersedes",
        "process.started",
        "assignment.adopted",
    ),
    writer("new version", lambda w: w.new_version(), *NEW_VERSION),
    writer("admin: parties and deadline", _admin_parties_and_deadline, "admin.changed"),
    writer("admin: responsible", _admin_milestone_responsible, "admin.changed"),
    writer(
        "decision-makers changed", _decision_makers_changed, "assignment.decision_makers_changed"
    ),
    writer(
        "admin: milestone of a draft",
        _admin_milestone_added_to_a_draft,
        *NEW_VERSION,
        "process.started",
        *REPLACED,
        "admin.created",
        "assignment.adopted",
        STATE,
    ),
    writer("admin: person deactivated", _admin_person_deactivated, "admin.changed"),
    writer("admin: contact linked", _contact_linked, "admin.changed", "contact.linked"),
    writer(
        "import",
        _imported,
        "assignment.imported",
        "row.registered",
        "process.started",
        "assignment.adopted",
        STATE,
    ),
    writer(
        "Nytt uppdrag",
        _registered_on_the_page_and_edited,
        "assignment.registered",
        "row.registered",
        "contact.created",
        "process.started",
        "assignment.edited",
        "row.edited",
        "assignment.adopted",
        STATE,
    ),
    writer(
        "API: milestone, delivery",
        _api_milestone_and_delivery,
        "api_token.created",
        "milestone.status_changed",
        "milestone.due_moved",
        "delivery.submitted",
        STATE,
    ),
    writer(
        "API: answers",
        _api_approved_and_returned,
        "delivery.submitted",
        STATE,
        "api_token.created",
        "delivery.approved",
        "delivery.returned",
    ),
]


@pytest.mark.parametrize("writer", WRITERS, ids=[w.name for w in WRITERS])
def test_after_each_writer_the_planned_reminders_are_right(seed004, writer):
    assert violations() == []  # the world before
    first = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    writer.write(World(seed004))
    written = set(AuditEntry.objects.filter(pk__gt=first).values_list("action", flat=True))
    assert writer.actions <= written, f"a writer covers only the actions it writes: {written}"
    assert violations() == []


def test_the_check_sees_a_reminder_left_behind(seed004):
    """The invariant can fail: a responsible person changed behind the audit's back."""
    Milestone.objects.filter(pk=seed004.milestones.get(kind="compilation").pk).update(
        responsible=User.objects.get(username="erica.sandberg")
    )
    assert violations()


def test_the_check_sees_a_stand_in_left_out(seed004):
    """The invariant can fail: the stand-in's rows cancelled behind the audit's back."""
    _away_with_a_stand_in(World(seed004))
    assert violations() == []
    Reminder.objects.filter(recipient__username="kim.berg").update(state="cancelled")
    assert any("stand-in" in line for line in violations())


def test_every_action_the_code_writes_is_a_writer_checked_here():
    written = set()
    for app in ("assignments", "workflow", "reminders", "api"):
        for path in (ROOT / app).glob("**/*.py"):
            for found in re.findall(WRITTEN_ACTION, path.read_text()):
                written |= {action for action in found if action}
    assert {"milestone.status_changed", "admin.changed", "contact.linked"} <= written
    covered = set().union(*(w.actions for w in WRITERS))
    assert written - covered - NOT_ABOUT_DEADLINES == set(), (
        "a new writer of the audit trail: add it to WRITERS (or to NOT_ABOUT_DEADLINES, why)"
    )


# -- one write, planned once (assignments.audit.one_write) --------------------------------------


def _counting_replans(monkeypatch) -> list[int]:
    """The assignments reminders/receivers.py plans whole, in order (the planning itself runs)."""
    from reminders import receivers

    planned = []
    replan = receivers.replan_assignment

    def counted(assignment):
        planned.append(assignment.pk)
        replan(assignment)

    monkeypatch.setattr(receivers, "replan_assignment", counted)
    return planned


def test_an_adoption_plans_each_assignment_once_and_right(seed004, monkeypatch):
    """Adopting a new version writes the transition's entry, its own and the earlier version's
    end: one write, each assignment planned once when it ends, and right (the invariant of the
    writers above)."""
    w = World(seed004)
    draft = w.sent_new_version()
    planned = _counting_replans(monkeypatch)
    first = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    workflow.adopt_assignment(assignment=draft, actor=w["anders.kullbratt"])
    assert AuditEntry.objects.filter(pk__gt=first, assignment=draft).count() >= 2
    assert sorted(planned) == sorted({draft.pk, seed004.pk})
    assert Reminder.objects.filter(assignment=draft, state="planned").exists()
    assert violations() == []


def test_entries_outside_a_write_plan_each_at_once(seed004, monkeypatch):
    from assignments import audit

    planned = _counting_replans(monkeypatch)
    for reason in ("one", "two"):
        audit.record(actor=None, action="assignment.noted", obj=seed004, reason=reason)
    assert planned == [seed004.pk, seed004.pk]


def test_a_write_that_fails_plans_nothing_and_leaves_nothing_for_the_next(seed004, monkeypatch):
    from assignments import audit

    planned = _counting_replans(monkeypatch)
    with pytest.raises(RuntimeError), audit.one_write():
        audit.record(actor=None, action="assignment.noted", obj=seed004, reason="rolled back")
        raise RuntimeError("the writer fails")
    assert planned == []
    with audit.one_write():
        pass
    assert planned == []  # the failed write's gathering is gone
