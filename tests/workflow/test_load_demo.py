import datetime as dt

import pytest
from django.apps import apps
from django.core.management import call_command

from assignments import demo_data, demo_groups
from assignments.models import Assignment, Distribution, Group, Milestone, OrgUnit

pytestmark = pytest.mark.django_db


def _snapshot() -> dict:
    """Every row of every registry table, as values, for comparing two loads."""
    result = {}
    for model in apps.get_app_config("assignments").get_models():
        rows = model.objects.order_by("pk").values()
        result[model._meta.label] = [
            {k: v for k, v in row.items() if k not in ("updated_at", "last_login")} for row in rows
        ]
    return result


def test_load_demo_twice_leaves_the_same_rows():
    call_command("load_demo", verbosity=0)
    first = _snapshot()
    call_command("load_demo", verbosity=0)
    assert _snapshot() == first
    assert first["assignments.Assignment"], "the demo must create assignments"


def test_load_demo_prints_the_logins_and_password(capsys, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-lösen-42")
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "demo-lösen-42" in out
    assert "jan.strang" in out


def test_demo_users_can_log_in_with_the_printed_password(client, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-lösen-42")
    call_command("load_demo", verbosity=0)
    # through the login page: axes needs the request (client.login() gives it none)
    response = client.post(
        "/accounts/login/", {"username": "jan.strang", "password": "demo-lösen-42"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_seed_004_header(demo):
    assert demo.registration_number == "RS 2024-05699"
    assert demo.document_date == dt.date(2025, 8, 12)
    assert demo.issuing_unit.name == "Koncernkontoret"
    assert demo.issuing_unit.parent.name == "Västra Götalandsregionen"
    assert demo.title == (
        "Hälso- och sjukvårdens organisering av verksamhetsutveckling med stöd av digitalisering"
    )
    assert sorted(str(p) for p in demo.commissioners.all()) == [
        "Anders Kullbratt",
        "Per Albertsson",
    ]
    assert str(demo.assignee) == "Jan Sträng"
    assert demo.state == Assignment.State.ADOPTED


def test_seed_004_supersedes_the_document_of_2025_06_18(demo):
    old = demo.supersedes
    assert old.document_date == dt.date(2025, 6, 18)
    assert (
        old.title
        == "Koncernkontorets organisering av verksamhetsutveckling med stöd av digitalisering"
    )
    assert old.state == Assignment.State.SUPERSEDED
    assert list(old.superseded_by.all()) == [demo]


def test_seed_004_description_purpose_scope_and_requirements(demo):
    assert demo.description.startswith("Enligt den externa granskning som genomfördes av KPMG")
    assert "kunskap om beslutsvägar." in demo.description
    assert demo.purpose.startswith("Syftet med detta uppdrag är att bättre förbereda")
    scope = [i.text for i in demo.items.filter(kind="scope").order_by("position")]
    requirements = [i.text for i in demo.items.filter(kind="requirement").order_by("position")]
    assert scope == demo_data.SEED_004["scope"]
    assert len(scope) == 3 and scope[0].startswith(
        "Ta fram förslag på en arbets- och beslutsprocess"
    )
    assert requirements[0].startswith("Utgå från sammanställningen av medarbetarnas erfarenheter")
    assert requirements[2].startswith("Beakta pågående eller tidigare genomförda utredningar")


def test_seed_004_working_group_with_role_texts(demo):
    members = [(str(m.person), m.role) for m in demo.working_group.order_by("position")]
    assert members == [
        ("Anders Kullbratt", "beslutsfattare Samordningsgrupp"),
        ("Bjarne Christiansson", "tillförordnad programchef"),
        ("Björn Järbur", "sjukhusdirektör NU-sjukvården"),
        ("Boubou Hallberg", "sjukhusdirektör Sahlgrenska Universitetssjukhuset"),
        ("Erica Sandberg", "utvecklingschef koncernstab digitalisering"),
        ("Henrietta Arwin", "direktör Regionhälsan"),
        ("Levi Siljemyr", "avdelningschef avtal, produktionsstyrning och ekonomi"),
        ("Susanne Gustavsson", "strateg avdelningen stöd och utveckling av vårdens processer"),
    ]
    assert str(demo.project_lead) == "Jan Sträng"
    assert demo.working_group_note.startswith("Till ovanstående grupp adderas ytterligare resurser")


def test_seed_004_relations(demo):
    relations = list(demo.relations.order_by("position"))
    assert [r.kind for r in relations] == ["within", "cooperation", "stakeholder", "cooperation"]
    assert relations[0].target_group.name == "Samordningsgrupp för vårdinformationsmiljö"
    assert relations[2].target_group.name == "Koncernledning hälso- och sjukvård"
    assert "Planering förändringledning" in relations[3].text
    assert relations[3].target_reference == "RS 2024-05699"


def test_seed_004_communication_costs_and_decision_form(demo):
    assert demo.communication == (
        "Kommunikation sker via gruppen Samordningsgrupp för vårdinformationsmiljö."
    )
    assert demo.schedule_note.startswith("Arbetet är högt prioriterat.")
    assert demo.costs_and_financing == "Uppdraget hanteras inom ordinarie verksamhet."
    assert demo.decision_form == (
        "Rapportering sker till beslutfattare för Samordningsgrupp för vårdinformativmiljö."
    )
    assert demo.decision_makers_label == "Beslutfattare Samordningsgrupp för vårdinformativmiljö"
    assert sorted(str(p) for p in demo.decision_makers.all()) == [
        "Anders Kullbratt",
        "Per Albertsson",
    ]
    assert demo.delivery_due == dt.date(2025, 12, 1)
    assert not hasattr(demo, "decision") or demo.decision is None


def test_seed_004_timeline(demo):
    milestones = [
        (m.kind, m.period_label, m.start, m.due, m.status, m.responsible_person.username)
        for m in demo.milestones.order_by("position")
    ]
    D = dt.date
    assert milestones == [
        (
            "resource_allocation",
            "Juni – aug 2025",
            D(2025, 6, 1),
            D(2025, 8, 31),
            "planned",
            "jan.strang",
        ),
        ("seminars", "Sep – okt 2025", D(2025, 9, 1), D(2025, 10, 31), "planned", "jan.strang"),
        ("compilation", "Nov 2025", D(2025, 11, 1), D(2025, 11, 30), "planned", "jan.strang"),
        ("decision", "Jan – juni 2026", D(2026, 1, 1), D(2026, 6, 30), "planned", "jan.strang"),
    ]
    assert Milestone.objects.get(assignment=demo, kind="compilation").title == (
        "Sammanställning av material, framtagande av förslag till organisering"
    )


def test_seed_004_distribution_lists(demo):
    execution = [
        str(d.person) for d in demo.distribution.filter(purpose="execution").order_by("position")
    ]
    information = [
        (str(d.person), d.note)
        for d in demo.distribution.filter(purpose=Distribution.Purpose.INFORMATION).order_by(
            "position"
        )
    ]
    assert execution == [
        "Jan Sträng",
        "Anders Kullbratt",
        "Bjarne Christiansson",
        "Björn Järbur",
        "Boubou Hallberg",
        "Erica Sandberg",
        "Henrietta Arwin",
        "Levi Siljemyr",
        "Susanne Gustavsson",
    ]
    assert information == [
        ("Per Albertsson", ""),
        ("Ann-Charlotte Järnström", ""),
        ("Anna Karevi Verdoes", "för distribution till koncernledning hälso- och sjukvård"),
        ("Angelica Hörngren", "för distribution till RS MBL"),
    ]


def test_seed_002_group_catalogue(demo):
    kinds = set(Group.objects.values_list("kind", flat=True))
    assert kinds == set(Group.Kind.values)
    medicines = Group.objects.get(name="Läkemedelskommittén")
    assert medicines.is_statutory
    support = Group.objects.get(name="Funktionsgrupp inköp")
    assert {g.name for g in support.reports_to.all()} == set(demo_groups.KONCERNLEDNINGAR)
    assert support.reports_to_note == "Regiondirektören"
    leadership = Group.objects.get(name="Koncernledning hälso- och sjukvård")
    assert leadership.chair.title == "Regiondirektör"


def test_org_units_from_seeds_000_001_004(demo):
    names = set(OrgUnit.objects.values_list("name", flat=True))
    for name in ["Koncernkontoret", "VGR-IT", "Regionstyrelsen", "Koncernstab Hälso- och sjukvård"]:
        assert name in names


def test_generated_assignments_cover_the_other_states(db):
    call_command("load_demo", verbosity=0)
    states = set(Assignment.objects.values_list("state", flat=True))
    assert {"draft", "adopted", "delivered", "decided", "cancelled", "superseded"} <= states
    decided = Assignment.objects.get(state="decided")
    assert decided.decision.decided_on is not None


@pytest.mark.parametrize("day", [dt.datetime(2027, 3, 10, 7, 0), dt.datetime(2028, 12, 22, 7, 0)])
def test_the_demo_is_alive_on_the_day_it_is_loaded(day):
    """#18 item 6: whoever logs in has current work on the day the demo is loaded, whatever
    day that is; seed 004 stays as registered."""
    import time_machine
    from django.utils import timezone

    from assignments.models import User
    from assignments.selectors import upcoming_milestones
    from reminders import calendar
    from reminders.models import Reminder
    from workflow.selectors import tasks_waiting_for

    with time_machine.travel(day.replace(tzinfo=dt.UTC), tick=False):
        call_command("load_demo", verbosity=0)
        today = timezone.localdate()
        person = {u.username: u for u in User.objects.all()}
        seed = Assignment.objects.get(registration_number="RS 2024-05699", state="adopted")
        assert seed.document_date == dt.date(2025, 8, 12)

        horizon = calendar.add_working_days(today, 15)
        upcoming = upcoming_milestones(person["jan.strang"], due_by=horizon, today=today, limit=50)
        assert [m for m in upcoming if m.due >= today], "jan.strang has deadlines ahead"
        week = timezone.now() + dt.timedelta(days=7)
        assert Reminder.objects.filter(
            recipient=person["jan.strang"], state="planned", planned_at__lte=week
        ).exists(), "a reminder due within the week"
        for decider in ("anders.kullbratt", "per.albertsson"):
            tasks = tasks_waiting_for(person[decider], 25)
            assert any(t.flow_task.name == "approve" for t, _ in tasks), decider
        followed = Assignment.objects.filter(
            distribution__person=person["ann-charlotte.jarnstrom"],
            distribution__purpose=Distribution.Purpose.INFORMATION,
        )
        assert {a.state for a in followed} >= {"in_progress", "delivered", "decided"}
