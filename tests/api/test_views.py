"""The API's endpoints (api/views/): what each person reads and may do, through the same rules
and services as the pages. The information reader reads and cannot write; a stranger gets 404,
as on the pages (tests/access_matrix.py states the same for every role)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from api import tokens
from assignments.models import Approval, Assignment, AuditEntry, MilestoneUpdate
from tests.factories import UserFactory
from workflow import services

TODAY = "2025-09-15 10:00 +02:00"


@pytest.fixture(autouse=True)
def _autumn_2025():
    """While seed 004 is being worked on (its delivery is due 2025-12-01)."""
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def stranger(demo):
    _token, secret = tokens.issue_token(
        user=UserFactory(username="ingen.roll"), name="Test", scope="act"
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def milestone_of(demo, position=1):
    return demo.milestones.get(position=position)


def pdf():
    return SimpleUploadedFile(
        "slutrapport.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n", "application/pdf"
    )


# -- reading ------------------------------------------------------------------------------------


def test_the_assignment_reads_whole(demo, api_as):
    body = api_as("ann-charlotte.jarnstrom").get(f"/api/assignments/{demo.pk}/").json()
    assert body["registration_number"] == "RS 2024-05699"
    assert [p["name"] for p in body["commissioners"]] == ["Per Albertsson", "Anders Kullbratt"]
    assert body["assignee"]["name"] == "Jan Sträng"
    assert len(body["milestones"]) == demo.milestones.count()
    assert body["milestones"][0]["responsible"]["name"] == "Jan Sträng"  # the assignee
    assert {d["purpose"] for d in body["distribution"]} == {"execution", "information"}
    assert "Erica Sandberg" in [m["person"]["name"] for m in body["working_group"]]
    assert len(body["scope"]) == 3 and len(body["requirements"]) == 3
    assert body["deliveries"] == [] and body["decision"] is None
    assert body["web_url"] == f"http://testserver/uppdrag/{demo.pk}/"
    # the reader may not update any milestone; the assignee every one
    assert not any(m["may_update"] for m in body["milestones"])
    body = api_as("jan.strang").get(f"/api/assignments/{demo.pk}/").json()
    assert all(m["may_update"] for m in body["milestones"])


def test_reading_one_assignment_costs_a_fixed_number_of_queries(
    demo, api_as, django_assert_max_num_queries
):
    jan = api_as("jan.strang")
    jan.get(f"/api/assignments/{demo.pk}/")  # the token's last use is written once
    with django_assert_max_num_queries(20):
        response = jan.get(f"/api/assignments/{demo.pk}/")
    assert response.status_code == 200


def test_a_stranger_gets_404_for_an_assignment_and_an_empty_list(demo, stranger):
    assert stranger.get(f"/api/assignments/{demo.pk}/").status_code == 404
    assert stranger.get("/api/assignments/").json()["count"] == 0
    response = stranger.post(
        f"/api/assignments/{demo.pk}/milestones/{milestone_of(demo).pk}/status/",
        {"to_status": "in_progress"},
        format="json",
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "Hittades inte.", "code": "not_found"}


def test_the_list_holds_only_what_the_person_may_read(demo, api_as):
    numbers = {
        row["registration_number"]
        for row in api_as("ann-charlotte.jarnstrom").get("/api/assignments/").json()["results"]
    }
    assert numbers == {"RS 2024-05699"}
    registrar = api_as("registrator").get("/api/assignments/").json()
    assert registrar["count"] == Assignment.objects.count()


def test_the_list_filters_by_state_unit_commissioner_and_dates(demo, api_as):
    registrar = api_as("registrator")

    def numbers(query: str) -> set[str]:
        response = registrar.get(f"/api/assignments/?{query}")
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    everything = numbers("")
    assert numbers("state=adopted") == set(
        Assignment.objects.filter(state="adopted").values_list("pk", flat=True)
    )
    assert demo.pk in numbers(f"unit={demo.issuing_unit_id}")
    assert numbers("commissioner=Per Albertsson") == {demo.pk}
    assert numbers("delivery_due_from=2025-12-01&delivery_due_to=2025-12-01") == set(
        Assignment.objects.filter(delivery_due=dt.date(2025, 12, 1)).values_list("pk", flat=True)
    )
    assert demo.pk in numbers("document_date_from=2025-08-12&document_date_to=2025-08-12")
    assert numbers("document_date_from=2099-01-01") == set()
    assert numbers("updated_since=2000-01-01T00:00:00Z") == everything


def test_bad_filters_are_a_400_naming_each_field_in_swedish(demo, api_as):
    response = api_as("registrator").get(
        "/api/assignments/?state=nonsense&delivery_due_from=igår&unit=999999"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"state", "delivery_due_from", "unit"}
    assert "Välj ett giltigt alternativ" in errors["state"][0]
    assert "Datumet har fel format" in errors["delivery_due_from"][0]


def test_the_list_is_paginated(demo, api_as):
    from tests.factories import AssignmentFactory

    AssignmentFactory.create_batch(3)  # more than two pages of two
    registrar = api_as("registrator")
    first = registrar.get("/api/assignments/?page_size=2").json()
    assert len(first["results"]) == 2 and first["next"].endswith("page=2&page_size=2")
    second = registrar.get("/api/assignments/?page_size=2&page=2").json()
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
    response = registrar.get("/api/assignments/?page=999")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_my_tasks_are_mine(demo, api_as):
    tasks = api_as("jan.strang").get("/api/me/tasks/").json()["results"]
    assert [(t["step"], t["assignment"]["registration_number"]) for t in tasks] == [
        ("work", "RS 2024-05699")
    ]
    assert tasks[0]["web_url"] == f"http://testserver/uppdrag/{demo.pk}/"
    assert api_as("per.albertsson").get("/api/me/tasks/").json()["results"] == []


def test_my_notifications_are_mine_and_filter_by_unread(demo, api_as, people):
    services.submit_delivery(assignment=demo, actor=people["jan.strang"], summary="Rapport.")
    per = api_as("per.albertsson")
    notes = per.get("/api/me/notifications/").json()["results"]
    assert notes[0]["text"] == f"Väntar på ditt beslut: {demo.title} (RS 2024-05699)"
    assert notes[0]["detail"] and notes[0]["unread"]
    assert notes[0]["web_url"].startswith("http://testserver/")
    unread = per.get("/api/me/notifications/?unread=true").json()["results"]
    read = per.get("/api/me/notifications/?unread=false").json()["results"]
    assert unread and all(n["unread"] for n in unread)
    # what asked him to adopt it, read once it was adopted
    assert [n["text"] for n in read] == [f"Väntar på fastställelse: {demo.title} (RS 2024-05699)"]
    assert len(unread) + len(read) == len(notes)
    assert api_as("ann-charlotte.jarnstrom").get("/api/me/notifications/").json()["count"] == 0


def test_an_unknown_api_address_is_a_json_404(db):
    response = APIClient().get("/api/finns-inte/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Hittades inte.", "code": "not_found"}


# -- writing: milestones ----------------------------------------------------------------------


def test_the_assignee_changes_a_milestones_status_with_a_comment(demo, api_as, people):
    milestone = milestone_of(demo)
    response = api_as("jan.strang").post(
        f"/api/assignments/{demo.pk}/milestones/{milestone.pk}/status/",
        {"to_status": "in_progress", "comment": "Vi har börjat."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "in_progress"
    assert response.json()["updates"][-1]["comment"] == "Vi har börjat."
    update = MilestoneUpdate.objects.get(milestone=milestone)
    assert update.author == people["jan.strang"]
    assert AuditEntry.objects.filter(
        action="milestone.status_changed", object_id=str(milestone.pk), reason="Vi har börjat."
    ).exists()
    demo.refresh_from_db()
    assert demo.state == Assignment.State.IN_PROGRESS  # the first update starts the work


def test_a_working_group_member_updates_only_the_milestones_they_answer_for(demo, api_as, people):
    mine, other = milestone_of(demo, 1), milestone_of(demo, 2)
    mine.responsible = people["erica.sandberg"]
    mine.save(update_fields=["responsible"])
    erica = api_as("erica.sandberg")
    url = f"/api/assignments/{demo.pk}/milestones/{{}}/status/"
    ok = erica.post(url.format(mine.pk), {"to_status": "in_progress"}, format="json")
    assert ok.status_code == 200
    refused = erica.post(url.format(other.pk), {"to_status": "in_progress"}, format="json")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Du får inte uppdatera den här milstolpen."


def test_the_information_reader_reads_but_cannot_write(demo, api_as):
    reader = api_as("ann-charlotte.jarnstrom")
    milestone = milestone_of(demo)
    assert reader.get(f"/api/assignments/{demo.pk}/").status_code == 200
    for url, data in [
        (f"/api/assignments/{demo.pk}/milestones/{milestone.pk}/status/", {"to_status": "done"}),
        (
            f"/api/assignments/{demo.pk}/milestones/{milestone.pk}/due/",
            {"new_due": "2025-12-30", "reason": "Sen"},
        ),
        (f"/api/assignments/{demo.pk}/approve/", {}),
        (f"/api/assignments/{demo.pk}/return/", {"comment": "Nej"}),
    ]:
        assert reader.post(url, data, format="json").status_code == 403, url
    response = reader.post(
        f"/api/assignments/{demo.pk}/deliveries/", {"summary": "Rapport"}, format="multipart"
    )
    assert response.status_code == 403
    assert not MilestoneUpdate.objects.filter(milestone__assignment=demo).exists()
    assert not demo.deliveries.exists()


def test_an_illegal_status_change_is_a_400_from_the_service(demo, api_as):
    milestone = milestone_of(demo)
    response = api_as("jan.strang").post(
        f"/api/assignments/{demo.pk}/milestones/{milestone.pk}/status/",
        {"to_status": "planned"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Milstolpen har redan den statusen.",
        "code": "invalid",
        "errors": {"non_field_errors": ["Milstolpen har redan den statusen."]},
    }


def test_moving_a_due_date_needs_a_reason_and_is_audited(demo, api_as):
    milestone = milestone_of(demo)
    url = f"/api/assignments/{demo.pk}/milestones/{milestone.pk}/due/"
    jan = api_as("jan.strang")
    refused = jan.post(url, {"new_due": "2025-12-30"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"reason": ["Detta fält måste fyllas i."]}
    moved = jan.post(url, {"new_due": "2025-12-30", "reason": "Remissen dröjer."}, format="json")
    assert moved.status_code == 200 and moved.json()["due"] == "2025-12-30"
    entry = AuditEntry.objects.get(action="milestone.due_moved", object_id=str(milestone.pk))
    assert entry.reason == "Remissen dröjer."


def test_errors_are_in_english_when_the_request_asks_for_it(demo, api_as):
    milestone = milestone_of(demo)
    jan = api_as("jan.strang", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9,sv;q=0.5")
    response = jan.post(
        f"/api/assignments/{demo.pk}/milestones/{milestone.pk}/due/",
        {"new_due": "2025-12-30"},
        format="json",
    )
    assert response.status_code == 400
    assert response["Content-Language"] == "en"
    assert response.json()["errors"] == {"reason": ["This field is required."]}
    response = jan.post(
        f"/api/assignments/{demo.pk}/milestones/{milestone.pk}/status/",
        {"to_status": "planned"},
        format="json",
    )
    assert response.json()["detail"] == "The milestone already has that status."
    assert APIClient(HTTP_ACCEPT_LANGUAGE="en").get("/api/assignments/").json() == {
        "detail": "Authentication credentials were not provided.",
        "code": "not_authenticated",
    }


def test_a_session_may_read_but_writes_only_with_the_csrf_token(demo, people):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(people["jan.strang"])
    assert browser.get(f"/api/assignments/{demo.pk}/").status_code == 200
    url = f"/api/assignments/{demo.pk}/milestones/{milestone_of(demo).pk}/status/"
    refused = browser.post(url, {"to_status": "in_progress"}, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    browser.get("/installningar/")  # any page sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(
        url, {"to_status": "in_progress"}, format="json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 200


# -- writing: the delivery and the decision ----------------------------------------------------


def test_the_assignee_submits_the_delivery_with_a_document(demo, api_as, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = api_as("jan.strang").post(
        f"/api/assignments/{demo.pk}/deliveries/",
        {"summary": "Slutrapport med förslag.", "document": pdf()},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == 1 and body["document_name"] == "slutrapport.pdf"
    assert body["document_url"] == f"http://testserver/uppdrag/{demo.pk}/leveranser/1/dokument/"
    demo.refresh_from_db()
    assert demo.state == Assignment.State.DELIVERED


def test_a_document_of_a_refused_type_is_a_400(demo, api_as, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page = SimpleUploadedFile("rapport.html", b"<html><script>x</script></html>", "text/html")
    response = api_as("jan.strang").post(
        f"/api/assignments/{demo.pk}/deliveries/",
        {"summary": "Slutrapport.", "document": page},
        format="multipart",
    )
    assert response.status_code == 400
    assert "rapport.html" in response.json()["errors"]["document"][0]
    assert not demo.deliveries.exists()


def test_only_the_assignee_submits(demo, api_as):
    response = api_as("per.albertsson").post(
        f"/api/assignments/{demo.pk}/deliveries/", {"summary": "Rapport"}, format="multipart"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Bara uppdragstagaren kan lämna slutleveransen."


@pytest.fixture
def delivered(demo, people):
    services.submit_delivery(assignment=demo, actor=people["jan.strang"], summary="Rapport.")
    return demo


def test_a_decision_maker_approves_and_the_last_approval_records_the_decision(delivered, api_as):
    per = api_as("per.albertsson").post(
        f"/api/assignments/{delivered.pk}/approve/",
        {"decided_on": "2025-09-15", "paragraph_reference": "§ 12"},
        format="json",
    )
    assert per.status_code == 201, per.json()
    assert per.json()["verdict"] == "approved" and per.json()["answered_by"] == "Per Albertsson"
    anders = api_as("anders.kullbratt").post(
        f"/api/assignments/{delivered.pk}/approve/", {}, format="json"
    )
    assert anders.status_code == 201
    body = api_as("jan.strang").get(f"/api/assignments/{delivered.pk}/").json()
    assert body["state"] == "decided"
    assert body["decision"]["decided_on"] == "2025-09-15"
    assert len(body["deliveries"][0]["approvals"]) == 2


def test_nobody_approves_their_own_delivery(delivered, api_as):
    response = api_as("jan.strang").post(
        f"/api/assignments/{delivered.pk}/approve/", {}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Ingen beslutar om sin egen leverans")
    assert not Approval.objects.filter(delivery__assignment=delivered).exists()


def test_a_return_needs_a_comment_and_sends_the_work_back(delivered, api_as):
    per = api_as("per.albertsson")
    refused = per.post(f"/api/assignments/{delivered.pk}/return/", {}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"comment": ["Skriv varför leveransen återremitteras."]}
    returned = per.post(
        f"/api/assignments/{delivered.pk}/return/",
        {"comment": "Komplettera med kostnader."},
        format="json",
    )
    assert returned.status_code == 201 and returned.json()["verdict"] == "returned"
    delivered.refresh_from_db()
    assert delivered.state == Assignment.State.IN_PROGRESS
    again = per.post(f"/api/assignments/{delivered.pk}/approve/", {}, format="json")
    assert again.status_code == 400  # nothing waits for a decision any more


def test_a_future_decision_date_is_refused_on_its_field(delivered, api_as):
    response = api_as("per.albertsson").post(
        f"/api/assignments/{delivered.pk}/approve/", {"decided_on": "2025-09-16"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"decided_on": ["Beslutsdatum kan inte ligga i framtiden."]}


@pytest.mark.parametrize("decided_on", ["1999-01-01", "day before the delivery"])
def test_a_decision_dated_before_its_delivery_is_refused_on_its_field(
    delivered, api_as, decided_on
):
    """Issue 27: a decision could be dated 1999; it cannot precede what it decides on."""
    delivery = delivered.deliveries.get()
    if decided_on.startswith("day"):
        decided_on = (timezone.localdate(delivery.submitted_at) - dt.timedelta(days=1)).isoformat()
    response = api_as("per.albertsson").post(
        f"/api/assignments/{delivered.pk}/approve/", {"decided_on": decided_on}, format="json"
    )
    assert response.status_code == 400
    [message] = response.json()["errors"]["decided_on"]
    assert message.startswith("Beslutsdatum kan inte ligga före leveransen")
    assert not Approval.objects.filter(delivery=delivery).exists()


def test_a_decision_dated_the_day_of_its_delivery_is_recorded(delivered, api_as):
    delivery = delivered.deliveries.get()
    on = timezone.localdate(delivery.submitted_at).isoformat()
    response = api_as("per.albertsson").post(
        f"/api/assignments/{delivered.pk}/approve/", {"decided_on": on}, format="json"
    )
    assert response.status_code == 201
    assert Approval.objects.get(delivery=delivery).decided_on.isoformat() == on


def test_the_schema_and_its_texts_follow_the_language_asked_for(db):
    swedish = APIClient().get("/api/schema/?format=json").json()
    english = APIClient(HTTP_ACCEPT_LANGUAGE="en").get("/api/schema/?format=json").json()
    assert swedish["info"]["description"].startswith("Läs uppdragshandlingar")
    assert english["info"]["description"].startswith("Read assignment documents")
    assert english["paths"]["/api/assignments/"]["get"]["responses"]["401"]["description"] == (
        "No valid API token or session."
    )
    approve = "/api/assignments/{id}/approve/"
    assert swedish["paths"][approve]["post"]["summary"] == "Godkänn slutleveransen"
    assert english["paths"][approve]["post"]["summary"] == "Approve the final delivery"
