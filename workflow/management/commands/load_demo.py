"""Load the demo data (idempotent): seed 004 as a live assignment, seed 002 groups, demo users.

A command of the workflow app: it moves the demo assignments through their process with the
real services (start, adopt, milestones, delivery, decision), so their reminders are planned
as on any other path."""

import datetime as dt
import os
import secrets

from django.conf import settings
from django.contrib.auth.models import Group as AuthGroup
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from assignments import demo_data, demo_groups
from assignments.models import Assignment, Group, OrgUnit, User
from assignments.permissions import (
    REGIONAL_DIRECTOR_GROUP,
    REGISTRAR_GROUP,
    registrar_permissions,
)
from assignments.registration import TEXT_FIELDS, save_draft
from reminders import calendar
from workflow import services as workflow
from workflow.lifecycle import lifecycle


def demo_password() -> str:
    """DEMO_PASSWORD from the environment, else one generated per machine under var/."""
    if value := os.environ.get("DEMO_PASSWORD"):
        return value
    path = settings.VAR_DIR / "demo_password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(9))
        path.chmod(0o600)
    return path.read_text().strip()


class Command(BaseCommand):
    help = "Läser in demodata: uppdragshandling RS 2024-05699 (seed 004), grupper och användare."

    def add_arguments(self, parser):
        parser.add_argument(
            "--draft",
            action="store_true",
            help="Lämna RS 2024-05699 som utkast (testerna driver det genom flödet).",
        )
        parser.add_argument(
            "--seed-only",
            action="store_true",
            help="Bara RS 2024-05699, grupperna och personerna, utan de genererade uppdragen.",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        self.draft = options["draft"]
        password = demo_password()
        units = self._org_units()
        people = self._people(units, password)
        groups = self._groups(people)
        seed = self._seed_004(units, people, groups)
        if not options["seed_only"]:
            self._generated(units, people)
        self._roles(people, password)
        if options["verbosity"]:
            self._print_logins(seed, password)

    # -- organisation and people -------------------------------------------------------------

    def _org_units(self) -> dict[str, OrgUnit]:
        units: dict[str, OrgUnit] = {}
        for name, kind, parent in demo_data.ORG_UNITS:
            units[name], _ = OrgUnit.objects.update_or_create(
                name=name, parent=units.get(parent), defaults={"kind": kind}
            )
        return units

    def _people(self, units, password) -> dict[str, User]:
        people = {}
        for username, (first, last, title, unit) in demo_data.PEOPLE.items():
            user, created = User.objects.update_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "title": title,
                    "org_unit": units[unit],
                    "email": f"{username}@example.org",
                },
            )
            if created or not user.check_password(password):
                user.set_password(password)
                user.save(update_fields=["password"])
            people[username] = user
        return people

    def _roles(self, people, password) -> None:
        registrars, _ = AuthGroup.objects.get_or_create(name=REGISTRAR_GROUP)
        registrars.permissions.set(registrar_permissions())
        directors, _ = AuthGroup.objects.get_or_create(name=REGIONAL_DIRECTOR_GROUP)
        people["registrator"].groups.add(registrars)
        people["regiondirektor"].groups.add(directors)
        User.objects.filter(pk=people["registrator"].pk).update(is_staff=True)
        admin, created = User.objects.get_or_create(
            username="admin",
            defaults={"first_name": "Admin", "is_staff": True, "is_superuser": True},
        )
        if created or not admin.check_password(password):
            admin.set_password(password)
            admin.save(update_fields=["password"])

    def _groups(self, people) -> dict[str, Group]:
        groups: dict[str, Group] = {}
        for (
            name,
            kind,
            process,
            mandate,
            chair,
            _reports,
            note,
            statutory,
            text,
        ) in demo_groups.GROUPS:
            groups[name], _ = Group.objects.update_or_create(
                name=name,
                defaults={
                    "kind": kind,
                    "process": process,
                    "mandate": mandate,
                    "chair_description": chair,
                    "reports_to_note": note,
                    "is_statutory": statutory,
                    "description": text,
                },
            )
        for name, *_rest in demo_groups.GROUPS:
            reports = _rest[4]
            groups[name].reports_to.set([groups[r] for r in reports])
        leadership = groups["Koncernledning hälso- och sjukvård"]
        leadership.chair = people["regiondirektor"]
        leadership.save(update_fields=["chair"])
        coordinating = groups["Samordningsgrupp för vårdinformationsmiljö"]
        coordinating.members.set([people["anders.kullbratt"], people["per.albertsson"]])
        return groups

    # -- seed 004 ------------------------------------------------------------------------------

    def _seed_004(self, units, people, groups) -> Assignment:
        seed = demo_data.SEED_004
        old_spec = seed["supersedes"]
        # The version it replaces is history: created and ended (superseded) through the
        # lifecycle, never a draft the writer saves.
        old, old_created = Assignment.objects.get_or_create(
            registration_number=old_spec["registration_number"],
            document_date=old_spec["document_date"],
            defaults={
                "title": old_spec["title"],
                "issuing_unit": units[seed["issuing_unit"]],
                "assignee": people[seed["assignee"]],
            },
        )
        if old_created:
            # the earlier version, known only as the one seed 004 replaces
            note = f"Ersatt av {seed['registration_number']}"
            lifecycle(old, actor=None, reason=note).supersede()
        assignment = Assignment.objects.filter(
            registration_number=seed["registration_number"], document_date=seed["document_date"]
        ).first()
        if assignment is not None:
            return assignment
        assignment = save_draft(
            data=document_values(seed, people, groups, units),
            actor=None,
            trusted=True,
            supersedes=old,
        )
        workflow.start_process(assignment=assignment)
        if not self.draft:
            workflow.adopt_assignment(
                assignment=assignment,
                actor=people["anders.kullbratt"],
                reason="Uppdragshandlingen daterad 2025-08-12.",
            )
        return Assignment.objects.get(pk=assignment.pk)

    # -- a few more, in other states -----------------------------------------------------------

    def _generated(self, units, people) -> None:
        """A few more assignments, placed relative to today and moved to their state through
        the real services, so each demo person has current work (demo_data.GENERATED)."""
        today = timezone.localdate()
        for row in demo_data.GENERATED:
            number, title, state, registered, assignee, commissioners, milestones, due, readers = (
                row
            )
            registration_number = f"RS {today.year}-{number}"
            if Assignment.objects.filter(registration_number=registration_number).exists():
                continue
            deciders = [{"name": people[username]} for username in commissioners]
            values = {
                **{name: None for name in TEXT_FIELDS},
                "registration_number": registration_number,
                "title": title,
                "document_date": today - dt.timedelta(days=registered),
                "issuing_unit": units["Koncernkontoret"],
                "assignee": people[assignee],
                "project_lead": None,
                "description": f"Demouppdrag i läget ”{Assignment.State(state).label}”.",
                "delivery_due": calendar.add_working_days(today, due),
                "commissioners": deciders,
                "decision_makers": deciders,
                "scope": [],
                "requirements": [],
                "working_group": [{"name": people["levi.siljemyr"], "role": "Ekonomi"}],
                "relations": [],
                "milestones": [
                    {
                        "kind": kind,
                        "title": label,
                        "period_label": "",
                        "start": calendar.add_working_days(today, start),
                        "due": calendar.add_working_days(today, end),
                    }
                    for kind, label, start, end in milestones
                ],
                "execution": [],
                "information": [{"name": people[username], "note": ""} for username in readers],
            }
            assignment = save_draft(data=values, actor=None, trusted=True)
            self._generated_state(assignment, state, people[assignee], people[commissioners[0]])

    def _generated_state(self, assignment, state, assignee, commissioner) -> None:
        today = timezone.localdate()
        workflow.start_process(assignment=assignment)
        if state == "draft":
            return
        workflow.adopt_assignment(assignment=assignment, actor=commissioner)
        if state == "cancelled":
            workflow.cancel_assignment(
                assignment=assignment, actor=commissioner, reason="Förstudien prioriterades bort."
            )
            return
        for milestone in assignment.milestones.all():
            if state != "in_progress" or milestone.due < today:
                workflow.change_milestone_status(
                    milestone=milestone, actor=assignee, to_status="done"
                )
        if state == "in_progress":
            return
        delivery = workflow.submit_delivery(
            assignment=assignment, actor=assignee, summary="Slutrapport med förslag."
        )
        if state == "decided":
            workflow.approve_delivery(
                delivery=delivery,
                decided_by=commissioner,
                decided_on=today,  # a decision is never dated before its delivery
                paragraph_reference="§ 12",
            )

    def _print_logins(self, seed: Assignment, password: str) -> None:
        out = self.stdout
        out.write(self.style.SUCCESS(f"Demodata inläst: {seed}"))
        out.write("Demoinloggningar (lösenord för alla): " + self.style.WARNING(password))
        for username, role in [
            ("jan.strang", "uppdragstagare"),
            ("anders.kullbratt", "uppdragsgivare och beslutsfattare"),
            ("per.albertsson", "uppdragsgivare och beslutsfattare"),
            ("erica.sandberg", "arbetsgrupp"),
            ("ann-charlotte.jarnstrom", "för kännedom"),
            ("registrator", "registrator"),
            ("admin", "administratör"),
        ]:
            out.write(f"  {username:<26} {role}")


def document_values(data, people, groups, units, *, milestones=None) -> dict:
    """An uppdragshandling as demo_data writes it (seed 004), in the draft writer's shape
    (assignments/registration.py save_draft): people by username, groups by name, the tidplan
    (`milestones`, else the data's)."""
    values = {name: data.get(name) for name in TEXT_FIELDS}
    values.update(
        issuing_unit=units[data["issuing_unit"]],
        assignee=people[data["assignee"]],
        project_lead=people[data["project_lead"]] if data.get("project_lead") else None,
        commissioners=[{"name": people[u]} for u in data["commissioners"]],
        decision_makers=[{"name": people[u]} for u in data["decision_makers"]],
        scope=[{"text": text} for text in data["scope"]],
        requirements=[{"text": text} for text in data["requirements"]],
        working_group=[
            {"name": people[username], "role": role} for username, role in data["working_group"]
        ],
        relations=[
            {
                "kind": kind,
                "text": text,
                "target_group": groups.get(group) if group else None,
                "target_reference": reference,
            }
            for kind, text, group, reference in data["relations"]
        ],
        milestones=[
            {"kind": kind, "title": title, "period_label": label, "start": start, "due": due}
            for kind, title, label, start, due in (
                data["milestones"] if milestones is None else milestones
            )
        ],
    )
    for purpose in ("execution", "information"):
        values[purpose] = [
            {"name": people[username], "note": note}
            for kind, username, note in data["distribution"]
            if kind == purpose
        ]
    return values
