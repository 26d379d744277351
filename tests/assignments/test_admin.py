import pytest
from django.urls import reverse

from assignments.models import Assignment, AuditEntry, Milestone
from tests.factories import AssignmentFactory, MilestoneFactory, UserFactory

pytestmark = pytest.mark.django_db

ADMIN_MODELS = [
    "assignment",
    "milestone",
    "milestoneupdate",
    "orgunit",
    "user",
    "group",
    "delivery",
    "decision",
    "auditentry",
]


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_changelist_renders_in_swedish(admin_client, model):
    AssignmentFactory()
    response = admin_client.get(reverse(f"admin:assignments_{model}_changelist"))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "sv"


def test_assignment_change_form_has_the_document_inlines(admin_client):
    assignment = AssignmentFactory()
    response = admin_client.get(
        reverse("admin:assignments_assignment_change", args=[assignment.pk])
    )
    content = response.content.decode()
    for heading in [
        "Tidplan",
        "Arbetsgrupp",
        "Uppdraget skickas till",
        "Samband och gränsdragning",
    ]:
        assert heading in content


@pytest.mark.parametrize(
    ("term", "expected"),
    [("RS 2024-05699", True), ("organisering", True), ("Sträng", True), ("nomatch", False)],
)
def test_assignment_search_by_number_title_and_person(admin_client, term, expected):
    jan = UserFactory(username="jan", first_name="Jan", last_name="Sträng")
    AssignmentFactory(registration_number="RS 2024-05699", title="Organisering", assignee=jan)
    AssignmentFactory(registration_number="RS 2025-00001", title="Annat")
    response = admin_client.get(reverse("admin:assignments_assignment_changelist"), {"q": term})
    assert ("Organisering" in response.content.decode()) is expected
    assert "Annat" not in response.content.decode()


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_delete_is_impossible_through_the_admin(admin_client, model):
    from django.contrib import admin

    from assignments import models

    model_class = {m._meta.model_name: m for m in admin.site._registry}[model]
    model_admin = admin.site._registry[model_class]
    request = admin_client.get("/").wsgi_request
    assert model_admin.has_delete_permission(request) is False
    assert "delete_selected" not in model_admin.get_actions(request)
    if model == "assignment":
        assignment = AssignmentFactory()
        url = reverse("admin:assignments_assignment_delete", args=[assignment.pk])
        assert admin_client.get(url).status_code == 403
        assert admin_client.post(url, {"post": "yes"}).status_code == 403
        assert models.Assignment.objects.filter(pk=assignment.pk).exists()


def test_admin_save_writes_an_audit_entry_with_changed_fields(admin_client):
    milestone = MilestoneFactory(title="Seminarier")
    url = reverse("admin:assignments_milestone_change", args=[milestone.pk])
    form = {
        "assignment": milestone.assignment.pk,
        "kind": milestone.kind,
        "title": "Seminarier och dialog",
        "period_label": "",
        "start": "2025-09-01",
        "due": "2025-10-31",
        "responsible": "",
        "status": "planned",
        "position": str(milestone.position),
    }
    response = admin_client.post(url, form)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="admin.changed")
    assert entry.before == {"title": "Seminarier"}
    assert entry.after == {"title": "Seminarier och dialog"}
    assert entry.assignment == milestone.assignment
    assert entry.actor.username == "root"


def test_admin_rejects_bad_milestone_dates_in_swedish_and_saves_nothing(admin_client):
    milestone = MilestoneFactory(title="Seminarier")
    url = reverse("admin:assignments_milestone_change", args=[milestone.pk])
    response = admin_client.post(
        url,
        {
            "assignment": milestone.assignment.pk,
            "kind": "other",
            "title": "Ny",
            "start": "2025-09-01",
            "due": "2025-08-01",
            "status": "planned",
            "position": "1",
        },
    )
    assert response.status_code == 200
    assert "Slutdatum kan inte ligga före startdatum." in response.content.decode()
    assert Milestone.objects.get(pk=milestone.pk).title == "Seminarier"
    assert not AuditEntry.objects.exists()


def test_assignment_add_form_requires_a_commissioner(admin_client):
    response = admin_client.get(reverse("admin:assignments_assignment_add"))
    assert response.status_code == 200
    form = response.context["adminform"].form
    form_data = {"registration_number": "RS 2025-00001", "title": "X"}
    bound = type(form)(data=form_data)
    assert not bound.is_valid()
    assert bound.errors["commissioners"] == ["Ange minst en uppdragsgivare."]
    assert not Assignment.objects.exists()


def test_registering_a_draft_in_the_admin_starts_its_process(admin_client):
    from tests.factories import OrgUnitFactory
    from workflow.services import open_tasks

    commissioner, assignee = UserFactory(), UserFactory()
    unit = OrgUnitFactory(name="Koncernkontoret")
    form = {
        "document_date": "2025-08-12",
        "registration_number": "RS 2025-00999",
        "issuing_unit": unit.pk,
        "title": "Nytt uppdrag",
        "commissioners": [commissioner.pk],
        "assignee": assignee.pk,
        "state": "draft",
        "decision_makers": [commissioner.pk],
    }
    for prefix in ["items", "working_group", "relations", "milestones", "distribution"]:
        form.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = admin_client.post(reverse("admin:assignments_assignment_add"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assignment = Assignment.objects.get(registration_number="RS 2025-00999")
    tasks = list(open_tasks(assignment))
    assert [(t.flow_task.name, t.owner) for t in tasks] == [("adopt", commissioner)]
    assert AuditEntry.objects.filter(assignment=assignment, action="admin.created").exists()
