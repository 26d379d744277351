"""The lifecycle of assignments as a Hypothesis state machine (issue 25, "Invariants, tested as
trusted systems test them").

`LifecycleMachine` drives the real services, and the page, API and admin paths where they
differ, with random actors of every role (registrar, commissioner, decision-maker, assignee,
project lead, working-group member, stand-in, outsider) and random acts: register (page,
service), import, edit a draft, adopt, change a milestone's status, move a milestone's due
date, link a contact (service, admin action), hand a task on, submit, approve, return, draft a
new version, cancel, and let time pass (time-machine). A refused act (PermissionDenied,
ValidationError, a 4xx) is fine; it must leave no trace.

After every step it checks (`check_*`):
- decided => every decision-maker of record approved, in person or through a stand-in they
  chose themself, nobody on the delivering side, nobody counted twice;
- the assignment's state and its viewflow process agree;
- every planned reminder goes to a current person of the assignment about a deadline in
  force, and every future deadline in force has its reminders;
- every change has an audit entry naming who did it and what changed; a refused act or a
  no-op writes none;
- the återrapportering's deviations (moved deadlines, returns) are exactly the moves and
  returns that happened.

Each example runs inside one transaction that is rolled back at its end (`__init__` opens it,
`teardown` rolls it back), so examples never see each other's rows. The test in
test_properties.py and bench/property_lifecycle.py run the same machine; both read
`LifecycleMachine.examples` to count the examples run.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.contrib.auth.models import Group as AuthGroup
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client, override_settings
from django.utils.translation import gettext
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from rest_framework.test import APIClient
from viewflow.workflow.models import Task

from assignments import permissions
from assignments.contacts import is_contact, link_contact, person_label
from assignments.models import (
    Approval,
    Assignment,
    AssignmentItem,
    AssignmentRelation,
    AuditEntry,
    Decision,
    Delivery,
    Distribution,
    Milestone,
    User,
    WorkingGroupMember,
)
from assignments.registration_forms import RegistrationForms, fill_periods
from assignments.selectors import latest_delivery, milestone_people, registration_values
from reminders import deadlines as reminder_deadlines
from reminders import planning as reminder_planning
from reminders.models import DELIVERY_SUBJECT, Reminder, ReminderPolicy
from reports import report
from workflow import services
from workflow.models import AssignmentProcess
from workflow.selectors import open_tasks

TZ = ZoneInfo("Europe/Stockholm")
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
REPORT_START = dt.date(2026, 1, 1)

# The people of every example: key -> (first name, last name). The names of the importer's
# synthetic document (tests/documents/importer/synthetic.txt) are among them, so an import
# finds their accounts.
PEOPLE = {
    "registrar": ("Rut", "Registrator"),
    "c1": ("Karin", "Lindqvist"),
    "c2": ("Omar", "Haddad"),
    "d1": ("Dan", "Beslutare"),
    "d2": ("Disa", "Beslutare"),
    "assignee": ("Sofia", "Bergström"),
    "lead": ("Per", "Ledare"),
    "member": ("Mats", "Öberg"),
    "stand_in": ("Kim", "Berg"),
    "outsider": ("Olle", "Utom"),
}
# Names no account has: registering them makes contacts (people without a login).
CONTACT_ASSIGNEE = "Sara Kontakt"
CONTACT_DM = "Dora Kontakt"
CONTACT_READER = "Läkemedelskommitténs ordförande"

ROLES = (
    "registrar",
    "commissioner",
    "decision_maker",
    "assignee",
    "project_lead",
    "member",
    "stand_in",
    "task_holder",
    "outsider",
    "anyone",
)

role = st.sampled_from(ROLES)


def likely(*roles: str):
    """Any role, the ones who may do the act four times as often: a lifecycle gets far
    (adopted, delivered, decided) within an example's steps, and refusals still come."""
    return st.sampled_from(roles * 4 + ROLES)


index = st.integers(0, 7)
via_page = st.sampled_from(("service", "page"))
via_api = st.sampled_from(("service", "page", "api"))


# What a registrar writes on "Nytt uppdrag" (LifecycleMachine.registration_data).
registration_spec = st.fixed_dictionaries(
    {
        "reuse_number": st.sampled_from((False, False, False, True)),
        # c1 commissions every assignment: the report of c1 shows them all
        "commissioners": st.sampled_from((["c1"], ["c1", "c2"], ["c2", "c1"])),
        "decision_makers": st.sampled_from(
            ([], ["c1"], ["d1"], ["d1", "d2"], ["c1", "d1"], ["c2", "d2"], ["d1", CONTACT_DM])
        ),
        "assignee": st.sampled_from(("assignee", "assignee", CONTACT_ASSIGNEE)),
        "lead": st.sampled_from((None, None, "lead", "d1", "c1")),
        "members": st.lists(
            st.sampled_from(("member", "d2", CONTACT_ASSIGNEE, "stand_in")),
            unique=True,
            max_size=2,
        ),
        "execution": st.sampled_from(([], [], ["d1"], ["member"])),
        "information": st.sampled_from(([], ["outsider"], [CONTACT_READER])),
        "milestones": st.lists(st.tuples(st.integers(5, 150), st.integers(0, 40)), max_size=3),
        "delivery_due": st.sampled_from((None, 60, 120, 200)),
    }
)


class Refused(Exception):
    """A page or the API said no (4xx)."""


# -- the record, as the checks read it --------------------------------------------------------

MISSING = object()
ASSIGNMENT_FIELDS = (
    "registration_number",
    "document_date",
    "issuing_unit_id",
    "title",
    "description",
    "purpose",
    "working_group_note",
    "communication",
    "schedule_note",
    "costs_and_financing",
    "decision_form",
    "decision_makers_label",
    "delivery_due",
    "assignee_id",
    "project_lead_id",
    "supersedes_id",
    "state",
    "is_public",
)
ROWS = {
    # model -> the fields whose change is a change of the record
    Milestone: ("assignment_id", "status", "start", "due", "responsible_id", "title", "kind"),
    WorkingGroupMember: ("assignment_id", "person_id", "is_active", "role"),
    Distribution: ("assignment_id", "person_id", "purpose", "note"),
    AssignmentItem: ("assignment_id", "kind", "text", "position"),
    AssignmentRelation: ("assignment_id", "kind", "text", "target_group_id", "target_reference"),
    Delivery: ("assignment_id", "number", "status", "summary"),
    Approval: ("delivery__assignment_id", "verdict", "decision_maker_id", "acted_by_id"),
    Decision: ("assignment_id", "delivery_id", "decided_on"),
}
# Changes of these fields must be named, field by field, in an entry on the object itself.
NAMED_FIELDS = {
    "Assignment": set(ASSIGNMENT_FIELDS) | {"commissioners", "decision_makers"},
    "Milestone": {"status", "due", "start", "responsible_id"},
    "User": {"is_active", "email"},
}
OPEN_TASK = ("NEW", "ASSIGNED", "STARTED")
# Keys an entry may repeat unchanged in before and after: they say which thing, not a change.
IDENTIFYING_KEYS = {"task", "id", "pk", "assignment", "delivery", "milestone", "number"}


def fingerprint() -> dict:
    """Everything of the record an act may change, as {(model, pk, field): value}."""
    found: dict = {}
    pks = []
    for row in Assignment.objects.values("pk", *ASSIGNMENT_FIELDS):
        pk = row.pop("pk")
        pks.append(pk)
        found[("Assignment", pk, "__exists__")] = True
        for name, value in row.items():
            found[("Assignment", pk, name)] = value
    for name in ("commissioners", "decision_makers"):
        through = getattr(Assignment, name).through
        people = defaultdict(set)
        for assignment_id, user_id in through.objects.values_list("assignment_id", "user_id"):
            people[assignment_id].add(user_id)
        for pk in pks:
            found[("Assignment", pk, name)] = frozenset(people[pk])
    for model, fields in ROWS.items():
        label = model.__name__
        for row in model.objects.values("pk", *fields):
            pk = row.pop("pk")
            found[(label, pk, "__exists__")] = True
            for name, value in row.items():
                found[(label, pk, name)] = value
    for row in User.objects.values("pk", "is_active", "email", "username"):
        pk = row.pop("pk")
        found[("User", pk, "__exists__")] = True
        for name, value in row.items():
            found[("User", pk, name)] = value
    for pk, artifact in AssignmentProcess.objects.values_list("pk", "artifact_object_id"):
        # a process started is a change (a new version's copy is sent for adoption when saved)
        found[("Process", pk, "__exists__")] = True
        found[("Process", pk, "assignment_id")] = int(artifact)
    for task in Task.objects.filter(flow_task_type="HUMAN").only(
        "pk", "owner_id", "status", "data", "process_id"
    ):
        # who holds an open task, and for whom (a stand-in); its opening and closing follow
        # the assignment's state, which the state check reads
        found[("Task", task.pk, "status")] = task.status
        found[("Task", task.pk, "owner")] = task.owner_id
        found[("Task", task.pk, "stand_in")] = (task.data or {}).get("stand_in")
        found[("Task", task.pk, "process")] = task.process_id
    return found


def traces() -> dict:
    """What a refused act must not leave behind besides the record: reminders, audit."""
    return {
        "reminders": sorted(
            Reminder.objects.values_list("pk", "state", "recipient_id", "planned_at")
        ),
        "audit": AuditEntry.objects.count(),
        "processes": AssignmentProcess.objects.count(),
    }


def _assignment_of_key(key, before: dict, after: dict):
    model, pk, _name = key
    if model == "Assignment":
        return pk
    if model == "Task":
        process_id = after.get(("Task", pk, "process"), before.get(("Task", pk, "process")))
        process = AssignmentProcess.objects.filter(pk=process_id).first()
        return int(process.artifact_object_id) if process else None
    for name in ("assignment_id", "delivery__assignment_id"):
        value = after.get((model, pk, name), before.get((model, pk, name), MISSING))
        if value is not MISSING:
            return value
    return None


def _is_a_change(key, before: dict, after: dict) -> bool:
    """A task opening or closing follows the assignment's state (the state check reads it);
    who holds a task that stays open is a change of its own."""
    model, pk, name = key
    if model != "Task":
        return True
    if name in ("status", "process"):
        return False
    status = (model, pk, "status")
    return before.get(status) in OPEN_TASK and after.get(status) in OPEN_TASK


def _entry_keys(entry: AuditEntry) -> set[str]:
    """What an entry names: the fields of its before and after, and the places it lists
    (contact.linked names each place of an assignment that moved: "assignee", "milestone:7")."""
    keys = set()
    for side in (entry.before, entry.after):
        if isinstance(side, dict):
            keys |= set(side)
            for value in side.values():
                if isinstance(value, list):
                    keys |= {v for v in value if isinstance(v, str)}
    return keys


def _named(name: str, keys: set[str]) -> bool:
    plain = name.removesuffix("_id")
    return name in keys or plain in keys


# -- the machine -----------------------------------------------------------------------------


@dataclass
class Move:
    assignment: int
    from_due: dt.date
    to_due: dt.date
    on: dt.date
    in_force: bool  # moved while the assignment was adopted and open (not as a draft's edit)


class LifecycleMachine(RuleBasedStateMachine):
    examples = 0  # examples run, counted by the machine itself
    steps = 0
    done: Counter = Counter()  # acts done (not refused), by kind, over every example
    max_assignments = 2

    def __init__(self):
        super().__init__()
        type(self).examples += 1
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        # an imported document's file goes where the example's rows go: away at its end
        self._media = tempfile.mkdtemp(prefix="lifecycle-")
        self._media_root = override_settings(MEDIA_ROOT=self._media)
        self._media_root.enable()
        self._clock = time_machine.travel(START, tick=False)
        self._clock_coordinates = self._clock.start()
        self.numbers = 0
        self.assignments: list[int] = []
        self.moves: list[Move] = []
        self.returns: list[tuple[int, dt.date]] = []
        # (decision-maker, stand-in) pairs each decision-maker chose themself
        self.chosen_stand_ins: set[tuple[int, int]] = set()
        self.clients: dict[tuple[str, int], object] = {}
        self.log: list[str] = []
        # whether the record or the day changed since the invariants were last checked: a
        # refused act is proven traceless by act() itself
        self.dirty = True
        self._fingerprint: dict | None = None  # the record after the last act
        self._request_log = logging.getLogger("django.request")
        self._request_log_level = self._request_log.level
        self._request_log.setLevel(logging.ERROR)  # refusals are expected: no 4xx tracebacks
        self.people = self._people()

    def teardown(self):
        try:
            self._request_log.setLevel(self._request_log_level)
            self._clock.stop()
            self._media_root.disable()
            shutil.rmtree(self._media, ignore_errors=True)
        finally:
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

    # -- the world ---------------------------------------------------------------------------

    def _people(self) -> dict[str, User]:
        registrars, _created = AuthGroup.objects.get_or_create(name=permissions.REGISTRAR_GROUP)
        registrars.permissions.set(permissions.registrar_permissions())
        people = {}
        for key, (first, last) in PEOPLE.items():
            username = f"{first}.{last}".lower().replace("ö", "o")
            person = User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.org",
                is_staff=key == "registrar",
            )
            person.set_unusable_password()  # a login without a hash's cost; force_login'd
            person.save()
            people[key] = person
        people["registrar"].groups.add(registrars)
        return people

    def written(self, name: str) -> str:
        """How a registration writes a person: an account as the list offers it, else a name."""
        if name in self.people:
            return person_label(self.people[name])
        return name

    def client(self, kind: str, user: User):
        key = (kind, user.pk)
        if key not in self.clients:
            if kind == "api":
                client = APIClient()
                client.force_authenticate(user)
            else:
                client = Client()
                client.force_login(user)
            self.clients[key] = client
        return self.clients[key]

    def today(self) -> dt.date:
        from django.utils import timezone

        return timezone.localdate()

    def assignment(self, i: int, *prefer: str) -> Assignment:
        """The i-th assignment of the example, among those in a `prefer`red state if any is:
        an act mostly meets an assignment it applies to, and sometimes one it does not."""
        pool = list(Assignment.objects.filter(pk__in=self.assignments).order_by("pk"))
        preferred = [a for a in pool if a.state in prefer]
        if preferred and i % 4:
            pool = preferred
        return pool[i % len(pool)]

    def actor(self, role_name: str, assignment: Assignment | None, i: int) -> User:
        pool: list[User] = []
        if role_name == "registrar":
            return self.people["registrar"]
        if role_name == "stand_in":
            return self.people["stand_in"]
        if role_name == "outsider":
            return self.people["outsider"]
        if role_name == "anyone" or assignment is None:
            pool = list(User.objects.filter(is_active=True).order_by("pk"))
        elif role_name == "commissioner":
            pool = list(assignment.commissioners.order_by("pk"))
        elif role_name == "decision_maker":
            pool = list(assignment.decision_makers.order_by("pk"))
        elif role_name == "assignee":
            pool = [assignment.assignee]
        elif role_name == "project_lead":
            pool = [assignment.project_lead or assignment.assignee]
        elif role_name == "member":
            pool = [m.person for m in assignment.working_group.filter(is_active=True)]
        elif role_name == "task_holder":
            pool = [t.owner for t in open_tasks(assignment).order_by("pk") if t.owner_id]
        return pool[i % len(pool)] if pool else self.people["outsider"]

    # -- one act, and what it may leave behind --------------------------------------------------

    def act(self, actor: User, what: str, do) -> bool:
        """Run `do`; refused, it leaves no trace; done, every change it made is audited as a
        change by `actor`, and a no-op writes nothing. Returns whether it was done."""
        if "page" in what or "admin" in what:
            self.client("page", actor)  # the login's own writes are not the act's
        if "api" in what:
            self.client("api", actor)
        # the record as the last act left it (nothing between two acts writes; were something
        # to, its change would show as this act's and fail the audit check, never hide)
        before = self._fingerprint if self._fingerprint is not None else fingerprint()
        traces_before = traces()
        last_entry = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        try:
            do()
            done = True
        except (PermissionDenied, ValidationError, Refused):
            done = False
        type(self).steps += 1
        if done:
            type(self).done[what.split(" ")[0]] += 1
        self.log.append(f"{what} by {actor.username}: {'done' if done else 'refused'}")
        after = self._fingerprint = fingerprint()
        entries = list(AuditEntry.objects.filter(pk__gt=last_entry).order_by("pk"))
        if not done:
            changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
            assert not changed, f"{what}: refused, but changed {changed[:5]}"
            assert traces() == traces_before, f"{what}: refused, but left reminders or audit"
            return False
        self.dirty = True
        self._check_audit(what, actor, before, after, entries)
        return True

    def _check_audit(self, what, actor, before: dict, after: dict, entries) -> None:
        changed = [
            k
            for k in set(before) | set(after)
            if before.get(k, MISSING) != after.get(k, MISSING) and _is_a_change(k, before, after)
        ]
        if not changed:
            written = [(e.action, e.before, e.after) for e in entries]
            assert not entries, f"{what}: changed nothing, but wrote {written}"
            return
        for entry in entries:
            assert entry.actor_id == actor.pk, (
                f"{what}: entry {entry.action} names {entry.actor_id}, not the actor {actor.pk}"
            )
            if isinstance(entry.before, dict) and isinstance(entry.after, dict):
                same = [
                    k
                    for k in set(entry.before) & set(entry.after)
                    if entry.before[k] == entry.after[k] and k not in IDENTIFYING_KEYS
                ]
                assert not same, (
                    f"{what}: entry {entry.action} records unchanged {same} as a change"
                )
        created = {(k[0], k[1]) for k in changed if k[2] == "__exists__" and k not in before}
        for key in changed:
            model, pk, name = key
            if name == "__exists__":
                continue
            if (model, pk) in created:
                continue
            if model in NAMED_FIELDS and name in NAMED_FIELDS[model]:
                # an entry on the object naming the field, or one on its assignment naming
                # the field (of the assignment) or the object ("milestone:7")
                label = "assignments." + model
                owner = _assignment_of_key(key, before, after)
                place = name if model == "Assignment" else f"{model.lower()}:{pk}"
                named = [
                    e
                    for e in entries
                    if (
                        e.object_type == label
                        and e.object_id == str(pk)
                        and _named(name, _entry_keys(e))
                    )
                    or (
                        model != "User"
                        and e.assignment_id == owner
                        and _named(place, _entry_keys(e))
                    )
                ]
                assert named, (
                    f"{what}: {model} {pk} {name} changed "
                    f"{before.get(key)!r} -> {after.get(key)!r} without an entry naming it"
                )
                continue
            assignment_id = _assignment_of_key(key, before, after)
            assert any(e.assignment_id == assignment_id for e in entries), (
                f"{what}: {model} {pk} {name} of assignment {assignment_id} changed "
                f"{before.get(key)!r} -> {after.get(key)!r} without an entry on the assignment"
            )
        for model, pk in created:
            if model in ("User", "Assignment"):
                label = "assignments." + model
                assert any(e.object_type == label and e.object_id == str(pk) for e in entries), (
                    f"{what}: {model} {pk} created without an entry"
                )
            else:
                assignment_id = _assignment_of_key((model, pk, "x"), before, after)
                assert any(e.assignment_id == assignment_id for e in entries), (
                    f"{what}: {model} {pk} created on assignment {assignment_id} without an entry"
                )

    def page(self, actor: User, method: str, path: str, data=None, *, kind="page"):
        client = self.client(kind, actor)
        if kind == "api":
            response = client.post(path, data or {}, format="json")
        else:
            response = getattr(client, method)(path, data or {})
        assert response.status_code < 500, f"{method} {path}: {response.status_code}"
        if response.status_code >= 400:
            raise Refused(response.status_code)
        if kind != "api" and method == "post" and response.status_code != 302:
            raise Refused(response.status_code)
        if response.status_code == 302 and response["Location"].startswith(settings.LOGIN_URL):
            raise Refused(response.status_code)  # not signed in: nothing was done
        if method == "get" and response.status_code != 200:
            raise Refused(response.status_code)  # the admin sends a non-staff to its login
        return response

    # -- registering ---------------------------------------------------------------------------

    def _number(self, reuse: bool) -> str:
        if reuse and self.assignments:
            return Assignment.objects.get(pk=self.assignments[0]).registration_number
        self.numbers += 1
        return f"RS 2026-{self.numbers:05d}"

    def registration_data(self, spec: dict) -> dict:
        """The "Nytt uppdrag" page as a registrar fills it in, from a drawn spec."""
        today = self.today()

        def management(prefix, total, initial=0):
            return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial)}

        data = {
            "registration_number": self._number(spec["reuse_number"]),
            "document_date": today.isoformat(),
            "issuing_unit": "Koncernkontoret",
            "title": "Översyn",
            "assignee": self.written(spec["assignee"]),
            "project_lead": self.written(spec["lead"]) if spec["lead"] else "",
            "description": "Beskrivning",
            "delivery_due": (today + dt.timedelta(days=spec["delivery_due"])).isoformat()
            if spec["delivery_due"]
            else "",
            **management("scope", 0),
            **management("requirements", 0),
            **management("relations", 0),
        }
        lists = {
            "commissioners": [{"name": self.written(n)} for n in spec["commissioners"]],
            "decision_makers": [{"name": self.written(n)} for n in spec["decision_makers"]],
            "working_group": [
                {"name": self.written(n), "role": "Deltagare"} for n in spec["members"]
            ],
            "execution": [{"name": self.written(n), "note": ""} for n in spec["execution"]],
            "information": [{"name": self.written(n), "note": ""} for n in spec["information"]],
            "milestones": [
                {
                    "title": f"Aktivitet {i + 1}",
                    "kind": "compilation",
                    "period_label": "",
                    "start": (today + dt.timedelta(days=due - length)).isoformat(),
                    "due": (today + dt.timedelta(days=due)).isoformat(),
                }
                for i, (due, length) in enumerate(spec["milestones"])
            ],
        }
        for prefix, rows in lists.items():
            data.update(management(prefix, len(rows)))
            for i, row in enumerate(rows):
                for key, value in row.items():
                    data[f"{prefix}-{i}-{key}"] = value
        return data

    @staticmethod
    def _save_as_service(data: dict, actor, assignment=None):
        from workflow.imports import register_draft

        data = dict(data)
        fill_periods(data)
        forms = RegistrationForms(data, instance=assignment)
        if not forms.is_valid():
            raise ValidationError("invalid form")
        return register_draft(data=forms.cleaned(), actor=actor, assignment=assignment)

    @initialize(
        spec=registration_spec,
        stage=st.sampled_from(("draft", "adopted", "delivered", "delivered")),
    )
    def start_with_one(self, spec, stage):
        """One assignment to start from, registered by the registrar, adopted by its first
        commissioner and delivered by its assignee as far as `stage` says (through act(), so
        checked as every act is)."""
        registrar = self.people["registrar"]
        data = self.registration_data({**spec, "reuse_number": False})
        created = []

        def register():
            created.append(self._save_as_service(data, registrar).pk)

        if not self.act(registrar, "register (service)", register):
            return
        self.assignments.extend(created)
        assignment = Assignment.objects.get(pk=created[0])
        if stage == "draft":
            return
        commissioner = assignment.commissioners.order_by("pk").first()

        def adopt():
            services.adopt_assignment(assignment=assignment, actor=commissioner, reason="")

        if not self.act(commissioner, f"adopt {assignment.pk} (service)", adopt):
            return
        if stage == "delivered":
            assignee = assignment.assignee

            def submit():
                services.submit_delivery(assignment=assignment, actor=assignee, summary="Klar")

            self.act(assignee, f"submit {assignment.pk} (service)", submit)

    @precondition(lambda self: len(self.assignments) < self.max_assignments)
    @rule(
        via=st.sampled_from(("service", "page", "import")),
        who=st.sampled_from(("registrar", "registrar", "commissioner", "outsider", "assignee")),
        i=index,
        spec=registration_spec,
    )
    def register(self, via, who, i, spec):
        if via == "import":
            # the importer's synthetic document (its people are c1, c2 and the assignee)
            self.import_document({"commissioner": "c1"}.get(who, who), spec["reuse_number"])
            return
        actor = {
            "registrar": self.people["registrar"],
            "commissioner": self.people[spec["commissioners"][i % len(spec["commissioners"])]],
            "outsider": self.people["outsider"],
            "assignee": self.people["assignee"],
        }[who]
        data = self.registration_data(spec)
        created = []

        def do():
            before = set(Assignment.objects.values_list("pk", flat=True))
            if via == "page":
                self.page(actor, "post", "/uppdrag/nytt/", data)
            else:
                self._save_as_service(data, actor)
            created.extend(Assignment.objects.exclude(pk__in=before).values_list("pk", flat=True))

        if self.act(actor, f"register ({via})", do):
            self.assignments.extend(created)

    def import_document(self, who, reuse):
        from documents.importer import read_document
        from tests import uppdragshandlingar as documents
        from workflow.imports import register_imported_draft

        actor = self.people[who]
        number = self._number(reuse and len(self.assignments) > 0)
        text = documents.synthetic_text().replace("RJL 2026/0412", number)
        created = []

        def do():
            if not permissions.may_register_assignments(actor):
                raise PermissionDenied  # the import page's rule (workflow/views/register.py)
            document = read_document(text.encode(), "uppdrag.txt", today=self.today())
            assignment = register_imported_draft(
                document=document, data=text.encode(), filename="uppdrag.txt", actor=actor
            )
            created.append(assignment.pk)

        if self.act(actor, "import", do):
            self.assignments.extend(created)

    @precondition(lambda self: self.assignments)
    @rule(
        via=via_page,
        who=likely("registrar", "commissioner"),
        i=index,
        j=index,
        change=st.sampled_from(("none", "none", "delivery_due", "title", "milestone_due", "dms")),
        days=st.integers(1, 30),
    )
    def edit_draft(self, via, who, i, j, change, days):
        assignment = self.assignment(i, "draft")
        actor = self.actor(who, assignment, j)
        initial, rows = registration_values(assignment)
        data = {k: ("" if v is None else str(v)) for k, v in initial.items()}
        for prefix, formset_rows in rows.items():
            data[f"{prefix}-TOTAL_FORMS"] = str(len(formset_rows))
            data[f"{prefix}-INITIAL_FORMS"] = str(len(formset_rows))
            for n, row in enumerate(formset_rows):
                for key, value in row.items():
                    data[f"{prefix}-{n}-{key}"] = "" if value is None else str(value)
        moved = None
        if change == "delivery_due" and assignment.delivery_due:
            new_due = assignment.delivery_due + dt.timedelta(days=days)
            data["delivery_due"] = new_due.isoformat()
            moved = (assignment.delivery_due, new_due)
        elif change == "title":
            data["title"] = assignment.title + " (ändrad)"
        elif change == "milestone_due" and rows["milestones"]:
            old = rows["milestones"][0]["due"]
            data["milestones-0-due"] = (old + dt.timedelta(days=days)).isoformat()
        elif change == "dms":
            data["decision_makers-TOTAL_FORMS"] = "1"
            data["decision_makers-INITIAL_FORMS"] = "0"
            data["decision_makers-0-name"] = self.written(("d1", "d2", "c1")[j % 3])
        was = assignment.state

        def do():
            if via == "page":
                self.page(actor, "post", f"/uppdrag/{assignment.pk}/redigera/", data)
            else:
                if not permissions.may_edit_draft(actor, assignment):
                    raise PermissionDenied
                self._save_as_service(data, actor, assignment)

        if self.act(actor, f"edit draft {assignment.pk} {change} ({via})", do) and moved:
            self.moves.append(Move(assignment.pk, *moved, self.today(), was != "draft"))

    # -- the process ---------------------------------------------------------------------------

    @precondition(lambda self: self.assignments)
    @rule(via=via_page, who=likely("commissioner"), i=index, j=index)
    def adopt(self, via, who, i, j):
        assignment = self.assignment(i, "draft")
        actor = self.actor(who, assignment, j)

        def do():
            if via == "page":
                self.page(actor, "post", f"/uppdrag/{assignment.pk}/adopt/", {"reason": "Ok"})
            else:
                services.adopt_assignment(assignment=assignment, actor=actor, reason="Ok")

        self.act(actor, f"adopt {assignment.pk} ({via})", do)

    @precondition(lambda self: self.assignments)
    @rule(
        via=via_api,
        who=likely("assignee", "member"),
        i=index,
        j=index,
        to_status=st.sampled_from(Milestone.Status.values),
    )
    def milestone_status(self, via, who, i, j, to_status):
        assignment = self.assignment(i, "adopted", "in_progress")
        milestones = list(assignment.milestones.order_by("pk"))
        if not milestones:
            return
        milestone = milestones[j % len(milestones)]
        actor = self.actor(who, assignment, j)
        path = f"/uppdrag/{assignment.pk}/milestones/{milestone.pk}/status/"
        data = {"to_status": to_status, "comment": "Lägesrapport"}

        def do():
            if via == "page":
                self.page(actor, "post", path, data)
            elif via == "api":
                self.page(
                    actor,
                    "post",
                    f"/api/assignments/{assignment.pk}/milestones/{milestone.pk}/status/",
                    data,
                    kind="api",
                )
            else:
                services.change_milestone_status(
                    milestone=milestone, actor=actor, to_status=to_status, comment="Lägesrapport"
                )

        self.act(actor, f"milestone {milestone.pk} -> {to_status} ({via})", do)

    @precondition(lambda self: self.assignments)
    @rule(
        via=via_api,
        who=likely("assignee", "member"),
        i=index,
        j=index,
        days=st.integers(-20, 40),
    )
    def move_milestone(self, via, who, i, j, days):
        assignment = self.assignment(i, "adopted", "in_progress")
        milestones = list(assignment.milestones.order_by("pk"))
        if not milestones:
            return
        milestone = milestones[j % len(milestones)]
        actor = self.actor(who, assignment, j)
        new_due = milestone.due + dt.timedelta(days=days)
        data = {"new_due": new_due.isoformat(), "reason": "Förskjutet"}
        was = assignment.state

        def do():
            if via == "page":
                self.page(
                    actor, "post", f"/uppdrag/{assignment.pk}/milestones/{milestone.pk}/due/", data
                )
            elif via == "api":
                self.page(
                    actor,
                    "post",
                    f"/api/assignments/{assignment.pk}/milestones/{milestone.pk}/due/",
                    data,
                    kind="api",
                )
            else:
                services.move_milestone_due(
                    milestone=milestone, actor=actor, new_due=new_due, reason="Förskjutet"
                )

        if self.act(actor, f"move milestone {milestone.pk} {days:+d} days ({via})", do):
            self.moves.append(
                Move(assignment.pk, milestone.due, new_due, self.today(), was != "draft")
            )

    @precondition(lambda self: self.assignments)
    @rule(who=likely("registrar"), i=index, j=index, days=st.integers(-30, 60))
    def move_delivery(self, who, i, j, days):
        """The admin's audited correction of the final delivery's date (with its reason)."""
        assignment = self.assignment(i, "adopted", "in_progress")
        actor = self.actor(who, assignment, j)
        old = assignment.delivery_due
        new = (old or self.today()) + dt.timedelta(days=days)
        path = f"/admin/assignments/assignment/{assignment.pk}/change/"

        def do():
            page = self.page(actor, "get", path)
            data = admin_form_data(page.context)
            data["delivery_due"] = new.isoformat()
            data["change_reason"] = "Förskjutet"
            self.page(actor, "post", path, data)

        was = assignment.state
        if self.act(actor, f"admin move delivery of {assignment.pk} {days:+d} days", do):
            assignment.refresh_from_db()
            if old and assignment.delivery_due != old:
                self.moves.append(
                    Move(assignment.pk, old, assignment.delivery_due, self.today(), was != "draft")
                )

    @precondition(lambda self: self.assignments)
    @rule(via=via_api, who=likely("assignee"), i=index, j=index)
    def submit(self, via, who, i, j):
        assignment = self.assignment(i, "adopted", "in_progress")
        actor = self.actor(who, assignment, j)

        def do():
            if via == "page":
                self.page(
                    actor, "post", f"/uppdrag/{assignment.pk}/delivery/", {"summary": "Rapport"}
                )
            elif via == "api":
                self.page(
                    actor,
                    "post",
                    f"/api/assignments/{assignment.pk}/deliveries/",
                    {"summary": "Rapport"},
                    kind="api",
                )
            else:
                services.submit_delivery(assignment=assignment, actor=actor, summary="Rapport")

        self.act(actor, f"submit {assignment.pk} ({via})", do)

    @precondition(lambda self: self.assignments)
    @rule(via=via_api, who=likely("decision_maker", "task_holder"), i=index, j=index)
    def approve(self, via, who, i, j):
        assignment = self.assignment(i, "delivered")
        actor = self.actor(who, assignment, j)

        def do():
            if via == "page":
                self.page(
                    actor,
                    "post",
                    f"/uppdrag/{assignment.pk}/approve/",
                    {"decided_on": self.today().isoformat(), "paragraph_reference": ""},
                )
            elif via == "api":
                self.page(
                    actor,
                    "post",
                    f"/api/assignments/{assignment.pk}/approve/",
                    {"paragraph_reference": ""},
                    kind="api",
                )
            else:
                delivery = services.delivery_awaiting_decision(assignment)
                services.approve_delivery(delivery=delivery, decided_by=actor)

        self.act(actor, f"approve {assignment.pk} ({via})", do)

    @precondition(lambda self: self.assignments)
    @rule(via=via_api, who=likely("decision_maker", "task_holder"), i=index, j=index)
    def return_delivery(self, via, who, i, j):
        assignment = self.assignment(i, "delivered")
        actor = self.actor(who, assignment, j)

        def do():
            if via == "page":
                self.page(
                    actor, "post", f"/uppdrag/{assignment.pk}/return/", {"comment": "Komplettera"}
                )
            elif via == "api":
                self.page(
                    actor,
                    "post",
                    f"/api/assignments/{assignment.pk}/return/",
                    {"comment": "Komplettera"},
                    kind="api",
                )
            else:
                delivery = services.delivery_awaiting_decision(assignment)
                services.return_delivery(delivery=delivery, decided_by=actor, comment="Komplettera")

        if self.act(actor, f"return {assignment.pk} ({via})", do):
            self.returns.append((assignment.pk, self.today()))

    @precondition(lambda self: self.assignments)
    @rule(
        via=via_page,
        who=likely("decision_maker", "registrar", "assignee", "commissioner"),
        i=index,
        j=index,
        k=index,
        to=likely("stand_in", "decision_maker", "outsider"),
        m=index,
    )
    def hand_on(self, via, who, i, j, k, to, m):
        assignment = self.assignment(i, "delivered", "draft")
        tasks = list(open_tasks(assignment).order_by("pk"))
        if not tasks:
            return
        task = tasks[k % len(tasks)]
        actor = self.actor(who, assignment, j)
        new_owner = self.actor(to, assignment, m)
        decision_maker = (task.data or {}).get("decision_maker")

        def do():
            if via == "page":
                self.page(
                    actor,
                    "post",
                    f"/uppdrag/{assignment.pk}/reassign/",
                    {"task": task.pk, "new_owner": new_owner.pk, "reason": "Frånvaro"},
                )
            else:
                services.reassign_task(
                    task=task, actor=actor, new_owner=new_owner, reason="Frånvaro"
                )

        done = self.act(
            actor,
            f"hand {task.flow_task.name} task {task.pk} of {assignment.pk} to "
            f"{new_owner.username} ({via})",
            do,
        )
        if done and task.flow_task.name == "approve" and actor.pk == decision_maker:
            self.chosen_stand_ins.add((decision_maker, new_owner.pk))

    @precondition(lambda self: self.assignments)
    @rule(
        who=likely("registrar"),
        i=index,
        j=index,
        makers=st.sampled_from((["d1"], ["d2"], ["d1", "d2"], ["c1", "d2"], ["stand_in"])),
    )
    def change_decision_makers(self, who, i, j, makers):
        """The registrar changes who decides, with a reason, when a decision-maker cannot act
        (workflow.services.change_decision_makers)."""
        change = services.change_decision_makers
        assignment = self.assignment(i, "draft", "adopted", "in_progress", "delivered")
        actor = self.actor(who, assignment, j)
        people = [self.people[key] for key in makers]

        def do():
            change(assignment=assignment, actor=actor, decision_makers=people, reason="Sjukskriven")

        self.act(actor, f"change decision-makers of {assignment.pk} to {makers}", do)

    @precondition(lambda self: self.assignments)
    @rule(via=via_page, who=role, i=index, j=index)
    def cancel(self, via, who, i, j):
        assignment = self.assignment(i)
        actor = self.actor(who, assignment, j)

        def do():
            if via == "page":
                self.page(
                    actor,
                    "post",
                    f"/uppdrag/{assignment.pk}/cancel/",
                    {"confirmed": "True", "reason": "Utgår"},
                )
            else:
                services.cancel_assignment(assignment=assignment, actor=actor, reason="Utgår")

        self.act(actor, f"cancel {assignment.pk} ({via})", do)

    @precondition(
        lambda self: self.assignments and len(self.assignments) < self.max_assignments + 1
    )
    @rule(
        via=via_page,
        who=likely("registrar", "commissioner"),
        i=index,
        j=index,
        days=st.sampled_from((None, 250)),
    )
    def new_version(self, via, who, i, j, days):
        assignment = self.assignment(i, "adopted", "in_progress", "delivered")
        actor = self.actor(who, assignment, j)
        delivery_due = self.today() + dt.timedelta(days=days) if days else None
        created = []

        def do():
            before = set(Assignment.objects.values_list("pk", flat=True))
            if via == "page":
                self.page(
                    actor,
                    "post",
                    f"/uppdrag/{assignment.pk}/ny-version/",
                    {
                        "document_date": self.today().isoformat(),
                        "delivery_due": delivery_due.isoformat() if delivery_due else "",
                    },
                )
            else:
                services.draft_new_version(
                    assignment=assignment,
                    actor=actor,
                    document_date=self.today(),
                    delivery_due=delivery_due,
                )
            created.extend(Assignment.objects.exclude(pk__in=before).values_list("pk", flat=True))

        if self.act(actor, f"new version of {assignment.pk} ({via})", do):
            self.assignments.extend(created)

    @rule(
        via=via_page,
        contact=st.sampled_from((CONTACT_ASSIGNEE, CONTACT_DM, CONTACT_READER)),
        account=st.sampled_from(("stand_in", "outsider", "assignee", "d2", "lead")),
        who=st.sampled_from(("registrar", "registrar", "outsider")),
    )
    def link(self, via, contact, account, who):
        person = (
            User.objects.filter(is_active=True)
            .exclude(email__gt="")
            .filter(first_name__in=[contact.rsplit(" ", 1)[0], contact])
            .order_by("pk")
        )
        found = [p for p in person if is_contact(p) and str(p) == contact]
        if not found:
            return
        target = self.people[account]
        actor = self.people[who]

        def do():
            if via == "page":
                response = self.page(
                    actor,
                    "post",
                    "/admin/assignments/user/",
                    {
                        "action": "link_contact_to_account",
                        "_selected_action": [found[0].pk, target.pk],
                        "index": "0",
                    },
                )
                # the admin action tells its refusals as a message, on a redirect
                if not User.objects.filter(pk=found[0].pk, is_active=False).exists():
                    raise Refused(response.status_code)
            else:
                if not permissions.is_registrar(actor):
                    raise PermissionDenied  # the admin's rule
                link_contact(contact=found[0], account=target, actor=actor)

        self.act(actor, f"link {contact} to {target.username} ({via})", do)

    @rule(days=st.sampled_from((1, 3, 10, 30, 90)))
    def time_passes(self, days):
        self._clock_coordinates.shift(dt.timedelta(days=days))
        self.clients.clear()  # sessions expire; everyone signs in anew
        self.dirty = True
        self.log.append(f"{days} days pass")

    # -- the invariants --------------------------------------------------------------------------

    @invariant()
    def invariants_hold(self):
        if not self.dirty:
            return
        self.dirty = False
        for assignment in Assignment.objects.filter(pk__in=self.assignments).order_by("pk"):
            check_decision(assignment, self.chosen_stand_ins)
            check_state_and_process(assignment)
            check_reminders(assignment, self.today())
        if self.assignments:
            check_report(self.people, self.moves, self.returns, self.today())


def admin_form_data(context) -> dict:
    """What the admin's change page posts back unchanged: its form and every inline's rows."""
    data: dict = {}

    def add(form):
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if value is True:
                data[field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(v) for v in value]
            else:
                data[field.html_name] = str(value)

    add(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.initial_forms:
            add(form)
    return data


# -- the checks, one per invariant ---------------------------------------------------------------


def delivering_side(assignment: Assignment) -> set[int]:
    """Who carries the assignment out: the assignee, the project lead, the working group and
    those it is sent to "för genomförande"."""
    people = {assignment.assignee_id, assignment.project_lead_id}
    people |= set(
        assignment.working_group.filter(is_active=True).values_list("person_id", flat=True)
    )
    people |= set(
        assignment.distribution.filter(purpose=Distribution.Purpose.EXECUTION).values_list(
            "person_id", flat=True
        )
    )
    return people - {None}


def check_decision(assignment: Assignment, chosen: set[tuple[int, int]]) -> None:
    """Every approval answers for one decision-maker of record, by them or a stand-in they
    chose, nobody on the delivering side, nobody twice; decided => all of them approved."""
    delivery = latest_delivery(assignment)
    if delivery is None:
        assert assignment.state not in ("delivered", "decided"), assignment.state
        return
    if delivery.status == Delivery.Status.RETURNED:
        # that round is history: who decides may have changed since (change_decision_makers)
        return
    makers = set(assignment.decision_makers.values_list("pk", flat=True))
    working = delivering_side(assignment)
    # Whose delivery it is: no decision-maker answers for it. A decision-maker the document
    # also lists in its working group still decides (seed 004 lists Anders Kullbratt there
    # "as beslutsfattare"); a stand-in is never anyone of the working side.
    delivers = {assignment.assignee_id, assignment.project_lead_id} - {None}
    approvals = list(delivery.approvals.filter(verdict=Approval.Verdict.APPROVED))
    answered = [a.decision_maker_id for a in approvals]
    acting = [a.acted_by_id or a.decision_maker_id for a in approvals]
    where = f"{assignment.registration_number} delivery {delivery.number}"
    assert len(set(answered)) == len(answered), f"{where}: a decision-maker answered twice"
    assert len(set(acting)) == len(acting), f"{where}: one person answered twice: {acting}"
    for approval in approvals:
        maker, by = approval.decision_maker_id, approval.acted_by_id or approval.decision_maker_id
        assert maker in makers, f"{where}: approval for {maker}, not a decision-maker of record"
        assert maker not in delivers, f"{where}: decision-maker {maker} delivers it themself"
        assert by not in delivers, f"{where}: approved by {by}, who delivers it"
        if by != maker:
            assert by not in working, f"{where}: stand-in {by} is on the delivering side"
            assert by not in makers, (
                f"{where}: decision-maker {by} answered for decision-maker {maker}"
            )
            assert (maker, by) in chosen, (
                f"{where}: {by} answered for {maker}, who never chose them as stand-in"
            )
    if assignment.state == Assignment.State.DECIDED:
        assert set(answered) == makers, (
            f"{where}: decided with approvals of {sorted(answered)}, decision-makers "
            f"{sorted(makers)}"
        )
        decision = Decision.objects.filter(assignment=assignment).first()
        assert decision is not None and decision.delivery_id == delivery.pk, (
            f"{where}: decided without a decision on its latest delivery"
        )


def check_state_and_process(assignment: Assignment) -> None:
    """The assignment's state and its viewflow process tell the same story."""
    state = assignment.state
    process = AssignmentProcess.of(assignment).first()
    where = f"{assignment.registration_number} ({state})"
    tasks = list(open_tasks(assignment))
    if process is None:
        # A new version's copy is sent for adoption when it is saved (D6): until then a
        # draft without a process, nobody asked to adopt it (or dropped as one).
        assert assignment.supersedes_id and state in ("draft", "cancelled"), f"{where}: no process"
        assert not tasks, f"{where}: open tasks {tasks} without a process"
        return
    names = sorted(t.flow_task.name for t in tasks)
    delivery = latest_delivery(assignment)
    if state == Assignment.State.DRAFT:
        assert names == ["adopt"], f"{where}: open tasks {names}"
    elif state in Assignment.WORKING_STATES:
        assert names == ["work"], f"{where}: open tasks {names}"
        assert delivery is None or delivery.status == Delivery.Status.RETURNED, (
            f"{where}: delivery {delivery.status}"
        )
    elif state == Assignment.State.DELIVERED:
        assert delivery is not None and delivery.status == Delivery.Status.SUBMITTED, (
            f"{where}: latest delivery {delivery and delivery.status}"
        )
        answered = set(delivery.approvals.values_list("decision_maker_id", flat=True))
        waiting = set(assignment.decision_makers.values_list("pk", flat=True)) - answered
        for_whom = [(t.data or {}).get("decision_maker") for t in tasks]
        assert set(names) == {"approve"} or not names, f"{where}: open tasks {names}"
        assert sorted(for_whom) == sorted(waiting), (
            f"{where}: approval tasks for {for_whom}, waiting for {sorted(waiting)}"
        )
    else:
        assert not names, f"{where}: open tasks {names}"
        expected = "DONE" if state == Assignment.State.DECIDED else "CANCELED"
        assert process.status == expected, f"{where}: process {process.status}"
    if state in Assignment.OPEN_STATES:
        assert process.status not in ("DONE", "CANCELED"), f"{where}: process {process.status}"


def check_reminders(assignment: Assignment, today: dt.date) -> None:
    """Every planned reminder goes to a current person about a deadline in force; every future
    deadline in force has its reminders."""
    where = assignment.registration_number
    planned = list(
        Reminder.objects.filter(
            assignment=assignment,
            state=Reminder.State.PLANNED,
            kind__in=[*reminder_planning.DEADLINE_KINDS, Reminder.Kind.DECISION_WAITING],
        ).select_related("milestone", "recipient")
    )
    working = assignment.state in Assignment.WORKING_STATES
    escalated = set(assignment.commissioners.values_list("pk", flat=True)) | set(
        assignment.decision_makers.values_list("pk", flat=True)
    )
    delivery = latest_delivery(assignment)
    holders = {
        t.owner_id
        for t in open_tasks(assignment)
        if t.flow_task.name == "approve" and t.owner_id is not None
    }
    for row in planned:
        what = f"{where}: planned {row.kind} to {row.recipient.username} ({row.due_version})"
        assert row.recipient.is_active, f"{what}: the recipient is inactive"
        if row.kind == Reminder.Kind.DECISION_WAITING:
            assert assignment.state == Assignment.State.DELIVERED, what
            assert delivery is not None and row.delivery_id == delivery.pk, what
            assert row.recipient_id in holders, f"{what}: holds no approval task ({holders})"
            continue
        assert working, f"{what}: the assignment is {assignment.state}"
        if row.milestone_id:
            milestone = row.milestone
            assert not milestone.is_closed, f"{what}: the milestone is {milestone.status}"
            assert row.due_version == milestone.due.isoformat(), f"{what}: due {milestone.due}"
            people = set(milestone_people(milestone))
        else:
            due = assignment.delivery_due
            assert due and row.due_version == due.isoformat(), f"{what}: delivery due {due}"
            people = {assignment.assignee_id}
        if row.kind == Reminder.Kind.ESCALATION:
            assert row.recipient_id in escalated, f"{what}: neither commissions nor decides"
        else:
            assert row.recipient_id in people, f"{what}: not whose deadline it is ({people})"

    have = {(r.subject_key, r.recipient_id, r.kind, r.due_version) for r in planned}
    if working:
        deadlines = [
            (reminder_planning.milestone_key(m), m.due, set(milestone_people(m)), m.kind)
            for m in assignment.milestones.exclude(status__in=Milestone.CLOSED_STATUSES)
        ]
        if assignment.delivery_due:
            deadlines.append(
                (
                    reminder_planning.deadline_key(assignment),
                    assignment.delivery_due,
                    {assignment.assignee_id},
                    DELIVERY_SUBJECT,
                )
            )
        active = set(User.objects.filter(is_active=True).values_list("pk", flat=True))
        for key, due, owners, subject in deadlines:
            if due < today or reminder_deadlines.passed_before_registration(due, assignment):
                continue
            policy = ReminderPolicy.for_subject(subject)
            if policy.remind_overdue:
                for owner in owners & active:
                    assert (key, owner, Reminder.Kind.OVERDUE, due.isoformat()) in have, (
                        f"{where}: {key} due {due}: no reminder planned for {owner}"
                    )
            if policy.escalate_after_working_days:
                for person in escalated & active:
                    assert (key, person, Reminder.Kind.ESCALATION, due.isoformat()) in have, (
                        f"{where}: {key} due {due}: no escalation planned for {person}"
                    )
    if assignment.state == Assignment.State.DELIVERED:
        key = reminder_planning.delivery_key(delivery)
        active = set(User.objects.filter(is_active=True).values_list("pk", flat=True))
        for holder in holders & active:
            assert (key, holder, Reminder.Kind.DECISION_WAITING, str(delivery.number)) in have, (
                f"{where}: no decision reminder for {holder}, who holds an approval task"
            )


def check_report(people: dict, moves: list[Move], returns, today: dt.date) -> None:
    """The återrapportering's moved deadlines and returns are exactly those that happened."""
    reader = people["registrar"]
    scope = report.Scope("commissioner", people["c1"])  # c1 commissions every assignment
    seen = {
        part.assignment.pk: part
        for part in report.build(reader, scope, REPORT_START, today, today=today).assignments
    }
    got_moves = Counter()
    got_returns = Counter()
    for pk, part in seen.items():
        for deviation in part.deviations:
            if deviation.kind == "moved":
                got_moves[(pk, deviation.on, deviation.detail)] += 1
            elif deviation.kind == "returned":
                got_returns[(pk, deviation.on)] += 1
    want_moves = Counter(
        (
            m.assignment,
            m.on,
            gettext("från %(from)s till %(to)s") % {"from": m.from_due, "to": m.to_due},
        )
        for m in moves
        if m.assignment in seen and m.in_force and m.from_due != m.to_due
    )
    want_returns = Counter((pk, on) for pk, on in returns if pk in seen)
    assert got_moves == want_moves, (
        f"report: moved deadlines {dict(got_moves)}, but these moved: {dict(want_moves)}"
    )
    assert got_returns == want_returns, (
        f"report: returns {dict(got_returns)}, but these were returned: {dict(want_returns)}"
    )
