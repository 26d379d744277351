import pytest
from django.urls import reverse

from assignments.models import Assignment, AuditEntry, Milestone
from tests.admin_forms import admin_form_data
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
    from django.apps import apps
    from django.contrib import admin

    from assignments import models

    model_admin = admin.site.get_model_admin(apps.get_model("assignments", model))
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
    milestone = MilestoneFactory(
        title="Seminarier", assignment__state=Assignment.State.DRAFT
    )  # the dates of a draft's tidplan are the registrar's to correct
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
    # in the queue of its commissioners, who are told
    assert [(t.flow_task.name, t.owner) for t in tasks] == [("adopt", None)]
    assert commissioner.notifications.get().data["event"] == "adoption_waiting"
    assert AuditEntry.objects.filter(assignment=assignment, action="admin.created").exists()


# -- repro 3: the admin rewrites the record around the process --------------------------------


@pytest.fixture
def decided(db, settings, tmp_path):
    """An assignment driven through its process to an approved delivery and a decision."""
    from workflow import services as workflow

    settings.MEDIA_ROOT = tmp_path
    decision_maker, assignee = UserFactory(username="beslut"), UserFactory(username="tagare")
    assignment = AssignmentFactory(
        state=Assignment.State.DRAFT,
        commissioners=[decision_maker],
        decision_makers=[decision_maker],
        assignee=assignee,
    )
    workflow.start_process(assignment=assignment)
    workflow.adopt_assignment(assignment=assignment, actor=decision_maker)
    delivery = workflow.submit_delivery(
        assignment=assignment, actor=assignee, summary="Förslag till organisering"
    )
    workflow.approve_delivery(delivery=delivery, decided_by=decision_maker)
    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.DECIDED
    return assignment


def test_registrar_cannot_edit_an_approved_delivery(registrar_client, decided):
    from django.core.files.uploadedfile import SimpleUploadedFile

    delivery = decided.deliveries.get()
    url = reverse("admin:assignments_delivery_change", args=[delivery.pk])
    page = registrar_client.get(url)
    assert page.status_code == 200  # the registrar reads it
    assert 'name="summary"' not in page.content.decode()
    assert 'name="document"' not in page.content.decode()
    audit_before = AuditEntry.objects.count()
    response = registrar_client.post(
        url,
        {
            "summary": "Ett annat förslag",
            "document": SimpleUploadedFile("annat.pdf", b"%PDF-1.4\n", "application/pdf"),
            "status": "approved",
        },
    )
    assert response.status_code == 403
    delivery.refresh_from_db()
    assert (delivery.summary, delivery.document.name) == ("Förslag till organisering", "")
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.parametrize("model", ["delivery", "decision", "milestoneupdate", "auditentry"])
def test_process_records_cannot_be_added_or_changed_by_a_superuser_either(
    admin_client, decided, model
):
    from django.apps import apps
    from django.contrib import admin

    model_admin = admin.site.get_model_admin(apps.get_model("assignments", model))
    request = admin_client.get("/").wsgi_request
    assert model_admin.has_add_permission(request) is False
    if model != "decision":  # its minutes fields are filled in once, see below
        assert model_admin.has_change_permission(request) is False


def test_registrar_cannot_set_an_assignments_state_or_what_it_supersedes(registrar_client):
    assignment = AssignmentFactory(
        state=Assignment.State.IN_PROGRESS, title="Gammal rubrik", commissioners=[UserFactory()]
    )
    other = AssignmentFactory(state=Assignment.State.IN_PROGRESS)
    url = reverse("admin:assignments_assignment_change", args=[assignment.pk])
    page = registrar_client.get(url)
    content = page.content.decode()
    assert 'name="state"' not in content and 'name="supersedes"' not in content
    data = admin_form_data(page, title="Rättad rubrik", state="decided", supersedes=other.pk)
    response = registrar_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assignment.refresh_from_db()
    assert assignment.title == "Rättad rubrik"  # registry data: hers to correct
    assert (assignment.state, assignment.supersedes) == (Assignment.State.IN_PROGRESS, None)
    entry = AuditEntry.objects.get(action="admin.changed", object_id=str(assignment.pk))
    assert (entry.before, entry.after) == ({"title": "Gammal rubrik"}, {"title": "Rättad rubrik"})


def test_an_assignment_registered_in_the_admin_starts_as_a_draft_whatever_is_posted(
    registrar_client,
):
    commissioner, assignee = UserFactory(), UserFactory()
    form = {
        "document_date": "2025-08-12",
        "registration_number": "RS 2025-00998",
        "issuing_unit": AssignmentFactory().issuing_unit.pk,
        "title": "Redan beslutat?",
        "commissioners": [commissioner.pk],
        "assignee": assignee.pk,
        "state": "decided",
        "decision_makers": [commissioner.pk],
    }
    for prefix in ["items", "working_group", "relations", "milestones", "distribution"]:
        form.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = registrar_client.post(reverse("admin:assignments_assignment_add"), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Assignment.objects.get(registration_number="RS 2025-00998").state == "draft"


def test_registrar_cannot_set_a_milestone_status_in_its_own_form(registrar_client):
    milestone = MilestoneFactory(title="Seminarier")
    url = reverse("admin:assignments_milestone_change", args=[milestone.pk])
    page = registrar_client.get(url)
    assert 'name="status"' not in page.content.decode()
    response = registrar_client.post(url, admin_form_data(page, status="done", title="Dialog"))
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.title, milestone.status) == ("Dialog", Milestone.Status.PLANNED)


def test_registrar_cannot_set_a_milestone_status_in_the_assignments_tidplan(registrar_client):
    milestone = MilestoneFactory(assignment=AssignmentFactory(commissioners=[UserFactory()]))
    url = reverse("admin:assignments_assignment_change", args=[milestone.assignment.pk])
    page = registrar_client.get(url)
    assert 'name="milestones-0-status"' not in page.content.decode()
    response = registrar_client.post(url, admin_form_data(page, **{"milestones-0-status": "done"}))
    assert response.status_code == 302, response.content.decode()[:3000]
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.PLANNED


def test_milestone_dates_of_a_running_assignment_move_only_through_the_process(registrar_client):
    """Moving a due date once adopted needs a reason (workflow.services.move_milestone_due)."""
    import datetime as dt

    milestone = MilestoneFactory(assignment__state=Assignment.State.IN_PROGRESS)
    url = reverse("admin:assignments_milestone_change", args=[milestone.pk])
    page = registrar_client.get(url)
    assert 'name="due"' not in page.content.decode()
    registrar_client.post(url, admin_form_data(page, due="2026-03-31", start="2025-01-01"))
    milestone.refresh_from_db()
    assert (milestone.start, milestone.due) == (dt.date(2025, 9, 1), dt.date(2025, 10, 31))
    inline = registrar_client.get(
        reverse("admin:assignments_assignment_change", args=[milestone.assignment.pk])
    )
    assert 'name="milestones-0-due"' not in inline.content.decode()


def test_a_drafts_tidplan_is_the_registrars_to_plan(registrar_client):
    import datetime as dt

    milestone = MilestoneFactory(
        assignment=AssignmentFactory(state=Assignment.State.DRAFT, commissioners=[UserFactory()])
    )
    url = reverse("admin:assignments_assignment_change", args=[milestone.assignment.pk])
    page = registrar_client.get(url)
    response = registrar_client.post(
        url, admin_form_data(page, **{"milestones-0-due": "2025-11-30"})
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    milestone.refresh_from_db()
    assert milestone.due == dt.date(2025, 11, 30)
    entry = AuditEntry.objects.get(object_type="assignments.Milestone", action="admin.changed")
    assert (entry.object_id, entry.before, entry.after) == (
        str(milestone.pk),
        {"due": "2025-10-31"},
        {"due": "2025-11-30"},
    )


def test_no_milestone_is_added_to_a_running_assignment_in_the_admin(registrar_client):
    assignment = AssignmentFactory(state=Assignment.State.IN_PROGRESS)
    response = registrar_client.post(
        reverse("admin:assignments_milestone_add"),
        {
            "assignment": assignment.pk,
            "kind": "other",
            "title": "Ny aktivitet",
            "start": "2025-09-01",
            "due": "2025-10-01",
            "position": "9",
        },
    )
    assert response.status_code == 200
    assert "Tidplanen för ett fastställt uppdrag ändras" in response.content.decode()
    assert not assignment.milestones.exists()


def test_the_decision_is_read_only_but_its_minutes_fields_can_be_filled_in_once(
    registrar_client, decided
):
    decision = decided.decision
    url = reverse("admin:assignments_decision_change", args=[decision.pk])
    page = registrar_client.get(url)
    content = page.content.decode()
    assert 'name="decided_on"' not in content and 'name="paragraph_reference"' not in content
    data = admin_form_data(
        page,
        minutes_verified_by="Anna Andersson",
        decided_on="2020-01-01",
        paragraph_reference="§ 99",
    )
    assert registrar_client.post(url, data).status_code == 302
    decision.refresh_from_db()
    assert decision.minutes_verified_by == "Anna Andersson"
    assert decision.paragraph_reference == "" and decision.decided_on.year != 2020
    entry = AuditEntry.objects.get(action="admin.changed", object_type="assignments.Decision")
    assert entry.after == {"minutes_verified_by": "Anna Andersson"}
    again = registrar_client.get(url)
    assert 'name="minutes_verified_by"' not in again.content.decode()
    assert 'name="extract_certified_by"' in again.content.decode()


def test_the_parties_are_fixed_once_the_delivery_is_in(registrar_client, decided):
    page = registrar_client.get(reverse("admin:assignments_assignment_change", args=[decided.pk]))
    content = page.content.decode()
    for name in ("commissioners", "decision_makers", "assignee"):
        assert f'name="{name}"' not in content, name
    assert 'name="title"' in content


def test_moving_the_final_delivery_date_of_an_adopted_assignment_needs_a_reason(
    registrar_client,
):
    import datetime as dt

    assignment = AssignmentFactory(
        state=Assignment.State.IN_PROGRESS, commissioners=[UserFactory()]
    )
    url = reverse("admin:assignments_assignment_change", args=[assignment.pk])
    page = registrar_client.get(url)
    refused = registrar_client.post(url, admin_form_data(page, delivery_due="2026-02-01"))
    assert refused.status_code == 200
    assert "Ange varför slutleveransen flyttas." in refused.content.decode()
    assignment.refresh_from_db()
    assert assignment.delivery_due == dt.date(2025, 12, 1)
    assert not AuditEntry.objects.filter(action="admin.changed").exists()
    moved = registrar_client.post(
        url,
        admin_form_data(
            page, delivery_due="2026-02-01", change_reason="Beslut i koncernledningen 2025-11-20"
        ),
    )
    assert moved.status_code == 302
    entry = AuditEntry.objects.get(action="admin.changed")
    assert entry.after == {"delivery_due": "2026-02-01"}
    assert entry.reason == "Beslut i koncernledningen 2025-11-20"


# -- every admin save is audited: many-to-many fields and inlines too ---------------------------


def test_changing_the_commissioners_is_audited(registrar_client):
    first, second = UserFactory(), UserFactory()
    assignment = AssignmentFactory(commissioners=[first])
    url = reverse("admin:assignments_assignment_change", args=[assignment.pk])
    page = registrar_client.get(url)
    data = admin_form_data(page, commissioners=[str(first.pk), str(second.pk)])
    assert registrar_client.post(url, data).status_code == 302
    entry = AuditEntry.objects.get(action="admin.changed")
    assert entry.before == {"commissioners": [first.pk]}
    assert entry.after == {"commissioners": sorted([first.pk, second.pk])}
    assert entry.assignment == assignment


def test_changing_a_working_group_member_in_the_inline_is_audited(registrar_client):
    from tests.factories import WorkingGroupMemberFactory

    member = WorkingGroupMemberFactory(
        role="ekonomi", assignment=AssignmentFactory(commissioners=[UserFactory()])
    )
    url = reverse("admin:assignments_assignment_change", args=[member.assignment.pk])
    page = registrar_client.get(url)
    data = admin_form_data(page, **{"working_group-0-role": "controller"})
    assert registrar_client.post(url, data).status_code == 302
    entry = AuditEntry.objects.get(
        object_type="assignments.WorkingGroupMember", action="admin.changed"
    )
    assert (entry.action, entry.before, entry.after) == (
        "admin.changed",
        {"role": "ekonomi"},
        {"role": "controller"},
    )
    assert entry.assignment == member.assignment


def test_changing_a_groups_members_is_audited(registrar_client):
    from tests.factories import GroupFactory

    group = GroupFactory()
    person = UserFactory()
    url = reverse("admin:assignments_group_change", args=[group.pk])
    page = registrar_client.get(url)
    assert (
        registrar_client.post(url, admin_form_data(page, members=[str(person.pk)])).status_code
        == 302
    )
    entry = AuditEntry.objects.get(object_type="assignments.Group")
    assert (entry.before, entry.after) == ({"members": []}, {"members": [person.pk]})


def test_registrar_group_may_read_but_not_change_the_process_records(registrar):
    for model in ("delivery", "approval", "decision", "milestoneupdate", "auditentry"):
        assert registrar.has_perm(f"assignments.view_{model}"), model
        assert not registrar.has_perm(f"assignments.add_{model}"), model
    for model in ("delivery", "approval", "milestoneupdate", "auditentry"):
        assert not registrar.has_perm(f"assignments.change_{model}"), model
    for model in ("assignment", "milestone", "orgunit", "user", "group", "workinggroupmember"):
        assert registrar.has_perm(f"assignments.change_{model}"), model
    assert not registrar.has_perm("auth.change_group")


# -- registrars' niceties (issue 17, item 13) --------------------------------------------------


def test_view_on_site_of_an_assignment_leads_to_its_assignment_page(registrar_client, demo):
    page = registrar_client.get(reverse("admin:assignments_assignment_change", args=[demo.pk]))
    view_on_site = page.context["adminform"].form.instance.get_absolute_url()
    assert view_on_site == reverse("workflow:assignment", args=[demo.pk])
    link = reverse("admin:view_on_site", args=[page.context["content_type_id"], demo.pk])
    assert f'href="{link}"' in page.content.decode()
    response = registrar_client.get(link)
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("workflow:assignment", args=[demo.pk]))
    assert registrar_client.get(response["Location"]).status_code == 200


def test_view_on_site_of_a_milestone_leads_to_its_row_on_the_assignment_page(
    registrar_client, demo
):
    milestone = demo.milestones.first()
    page = registrar_client.get(reverse("admin:assignments_milestone_change", args=[milestone.pk]))
    link = reverse("admin:view_on_site", args=[page.context["content_type_id"], milestone.pk])
    response = registrar_client.get(link)
    assert response["Location"].endswith(f"/uppdrag/{demo.pk}/#milestone-{milestone.pk}")


def test_the_tidplan_inline_has_narrow_widgets_and_no_order_column(registrar_client, demo):
    page = registrar_client.get(reverse("admin:assignments_assignment_change", args=[demo.pk]))
    tidplan = next(
        inline
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is Milestone
    )
    form = tidplan.formset.forms[0]
    assert "position" not in form.fields
    assert form.fields["title"].widget.attrs["rows"] == 2
    assert "uppdrag/admin.css" in page.content.decode()  # templates/admin/base_site.html
    # the milestone's own page (its order, its status log) is one click away
    change = reverse("admin:assignments_milestone_change", args=[form.instance.pk])
    assert f'href="{change}"' in page.content.decode()
