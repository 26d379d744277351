import csv
import io

import pytest
from django.urls import reverse

from assignments.models import AuditEntry, Milestone, User
from tests.factories import AssignmentFactory, UserFactory
from workflow import services
from workflow.models import AssignmentProcess

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted(seed004, people):
    services.adopt_assignment(assignment=seed004, actor=people.anders_kullbratt)
    return seed004


def login(client, user):
    client.force_login(user)
    return client


def test_information_reader_sees_the_page_but_gets_403_on_a_milestone_post(client, adopted, people):
    reader = people["ann-charlotte.jarnstrom"]
    login(client, reader)
    page = client.get(reverse("workflow:process", args=[adopted.pk]))
    assert page.status_code == 200
    assert "<select" not in page.content.decode()
    milestone = adopted.milestones.first()
    response = client.post(
        reverse("workflow:milestone_status", args=[adopted.pk, milestone.pk]),
        {"to_status": "in_progress", "comment": "x"},
    )
    assert response.status_code == 403
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.PLANNED
    assert not milestone.updates.exists()


def test_assignee_updates_a_milestone_with_a_comment(client, adopted, people):
    login(client, people.jan_strang)
    milestone = adopted.milestones.get(kind="compilation")
    response = client.post(
        reverse("workflow:milestone_status", args=[adopted.pk, milestone.pk]),
        {"to_status": "done", "comment": "Klart"},
    )
    assert response.status_code == 302
    update = milestone.updates.get()
    assert (update.to_status, update.comment, update.author) == ("done", "Klart", people.jan_strang)


def test_illegal_transition_over_http_is_a_400_with_a_swedish_message(client, adopted, people):
    login(client, people.jan_strang)
    milestone = adopted.milestones.get(kind="compilation")
    url = reverse("workflow:milestone_status", args=[adopted.pk, milestone.pk])
    client.post(url, {"to_status": "cancelled", "confirmed": "True", "comment": "Inte nu"})
    response = client.post(url, {"to_status": "done"})
    assert response.status_code == 400
    assert "En milstolpe som är ”Avbruten” kan inte bli ”Klar”." in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.status == "cancelled"


def test_decision_maker_of_another_assignment_sees_nothing(client, adopted):
    outsider = UserFactory()
    AssignmentFactory(decision_makers=[outsider], commissioners=[outsider])
    login(client, outsider)
    for name in ["workflow:process", "workflow:audit", "workflow:audit_csv"]:
        assert client.get(reverse(name, args=[adopted.pk])).status_code == 404
    assert client.post(reverse("workflow:approve", args=[adopted.pk]), {}).status_code == 404
    process = services.current_process(adopted)
    detail = client.get(reverse("uppdrag:assignment:process_detail", args=[process.pk]))
    assert detail.status_code == 403
    inbox = client.get(reverse("uppdrag:assignment:inbox"))
    assert "RS 2024-05699" not in inbox.content.decode()


def test_working_group_member_cannot_approve_over_http(client, adopted, people):
    services.submit_delivery(assignment=adopted, actor=people.jan_strang, summary="Förslag")
    login(client, people.erica_sandberg)
    response = client.post(
        reverse("workflow:approve", args=[adopted.pk]), {"decided_on": "2025-12-01"}
    )
    assert response.status_code == 403
    assert not adopted.deliveries.get().approvals.exists()


def test_decision_maker_returns_over_http_only_with_a_comment(client, adopted, people):
    services.submit_delivery(assignment=adopted, actor=people.jan_strang, summary="Förslag")
    login(client, people.per_albertsson)
    url = reverse("workflow:return", args=[adopted.pk])
    assert client.post(url, {"comment": ""}).status_code == 400
    assert client.post(url, {"comment": "Komplettera"}).status_code == 302
    adopted.refresh_from_db()
    assert adopted.state == "in_progress"


def test_inbox_lists_the_task_for_its_owner(client, adopted, people):
    login(client, people.jan_strang)
    response = client.get("/workflow/uppdrag/assignment/inbox/")
    assert response.status_code == 200
    assert "Genomför uppdraget och lämna slutleverans" in response.content.decode()


def test_viewflow_task_page_submits_the_delivery_through_the_same_service(client, adopted, people):
    login(client, people.jan_strang)
    task = services.open_tasks(adopted).get()
    url = reverse("uppdrag:assignment:work:execute", args=[task.process_id, task.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"summary": "Förslag via inkorgen"})
    assert response.status_code == 302
    assert adopted.deliveries.get().summary == "Förslag via inkorgen"
    assert AuditEntry.objects.filter(action="delivery.submitted", actor=people.jan_strang).exists()


def test_other_users_cannot_open_someone_elses_task(client, adopted, people):
    task = services.open_tasks(adopted).get()
    login(client, people.erica_sandberg)
    url = reverse("uppdrag:assignment:work:execute", args=[task.process_id, task.pk])
    assert client.post(url, {"summary": "x"}).status_code == 403
    assert not adopted.deliveries.exists()


def test_flow_chart_is_reachable(client, adopted, people):
    login(client, people.jan_strang)
    response = client.get(reverse("uppdrag:assignment:chart"))
    assert response.status_code == 200
    assert "<svg" in response.content.decode()


NAVIGATION = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
IMAGE = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8"


def test_the_flow_chart_opened_in_the_browser_is_a_page_with_the_menu(client, adopted, people):
    """Issue 29, 8: the chart opened in a tab was a bare SVG, with no menu and no way back.
    A browser's navigation gets a page of the layout, the steps in words and the chart as an
    image; viewflow's <img> (and ?format=svg) still get the SVG."""
    login(client, people.jan_strang)
    process = AssignmentProcess.of(adopted).get()
    url = reverse("uppdrag:assignment:process_chart", args=[process.pk])
    page = client.get(url, HTTP_ACCEPT=NAVIGATION)
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert "Accept" in page["Vary"]
    html = page.content.decode()
    assert 'class="uppdrag-nav' in html
    assert f'src="{url}?format=svg"' in html
    assert f'href="{reverse("workflow:assignment", args=[adopted.pk])}"' in html
    steps = html.split('id="chart-steps"')[1].split("</table>")[0]
    assert "<td>Registrering</td><td>Klar</td>" in steps
    assert "<td>Genomför uppdraget och lämna slutleverans</td><td>Väntar</td>" in steps
    assert "<td>Beslut om slutleverans</td><td>Inte påbörjad</td>" in steps
    for accept in (IMAGE, "*/*"):
        image = client.get(url, HTTP_ACCEPT=accept)
        assert image["Content-Type"] == "image/svg+xml", accept
    assert client.get(f"{url}?format=svg", HTTP_ACCEPT=NAVIGATION)["Content-Type"] == (
        "image/svg+xml"
    )
    # the flow's own chart: the steps in order, in the reader's language
    User.objects.filter(pk=people.jan_strang.pk).update(language="en")
    flow_chart = client.get(reverse("uppdrag:assignment:chart"), HTTP_ACCEPT=NAVIGATION)
    html = flow_chart.content.decode()
    assert "Flow chart of the assignment process" in html
    assert "<li>Registration</li>" in html
    # someone who may not see the assignment gets neither the page nor the image
    login(client, UserFactory())
    assert client.get(url, HTTP_ACCEPT=NAVIGATION).status_code == 403


def test_all_process_list_is_for_registrars_only(client, adopted, people):
    login(client, people.jan_strang)
    assert client.get(reverse("uppdrag:assignment:process_list")).status_code == 403
    login(client, people.registrator)
    assert client.get(reverse("uppdrag:assignment:process_list")).status_code == 200


def test_audit_csv_lists_every_entry(client, adopted, people):
    login(client, people.anders_kullbratt)
    response = client.get(reverse("workflow:audit_csv", args=[adopted.pk]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Tidpunkt"
    assert len(rows) - 1 == AuditEntry.objects.filter(assignment=adopted).count()
    assert any(row[2] == "assignment.adopted" and row[1] == "Anders Kullbratt" for row in rows)


def test_audit_page_renders(client, adopted, people):
    login(client, people.jan_strang)
    response = client.get(reverse("workflow:audit", args=[adopted.pk]))
    assert response.status_code == 200
    assert "Anders Kullbratt fastställde uppdraget" in response.content.decode()


def test_anonymous_users_are_sent_to_login(client, adopted):
    response = client.get(reverse("workflow:process", args=[adopted.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_viewflow_inbox_speaks_swedish(client, adopted, people):
    login(client, people.jan_strang)
    response = client.get(reverse("uppdrag:assignment:inbox"))
    content = response.content.decode()
    assert "Inkorg" in content
    assert "Inbox" not in content


def test_assignee_delegates_a_task_to_a_stand_in_over_http(client, adopted, people):
    login(client, people.jan_strang)
    task = services.open_tasks(adopted).get()
    response = client.post(
        reverse("workflow:reassign", args=[adopted.pk]),
        {"task": task.pk, "new_owner": people.erica_sandberg.pk, "reason": "Föräldraledig"},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.owner == people.erica_sandberg
    assert AuditEntry.objects.get(action="task.reassigned").reason == "Föräldraledig"


def test_assignee_moves_a_due_date_over_http_only_with_a_reason(client, adopted, people):
    login(client, people.jan_strang)
    milestone = adopted.milestones.get(kind="compilation")
    url = reverse("workflow:milestone_due", args=[adopted.pk, milestone.pk])
    page = client.get(reverse("workflow:process", args=[adopted.pk])).content.decode()
    assert url in page
    response = client.post(url, {"new_due": "2025-12-12", "reason": ""})
    assert response.status_code == 400
    milestone.refresh_from_db()
    assert str(milestone.due) == "2025-11-30"
    assert client.post(url, {"new_due": "2025-12-12", "reason": "Seminarier"}).status_code == 302
    milestone.refresh_from_db()
    assert str(milestone.due) == "2025-12-12"


def test_commissioner_cancels_over_http_with_a_reason(client, adopted, people):
    login(client, people.per_albertsson)
    url = reverse("workflow:cancel", args=[adopted.pk])
    assert client.post(url, {"confirmed": "True", "reason": ""}).status_code == 400
    response = client.post(url, {"confirmed": "True", "reason": "Omprioriterat"})
    assert response.status_code == 302
    adopted.refresh_from_db()
    assert adopted.state == "cancelled"
    assert "Orsak: Omprioriterat" in client.get(response.url).content.decode()
    login(client, people.jan_strang)
    assert client.post(url, {"confirmed": "True", "reason": "x"}).status_code == 403


def test_cancelling_an_assignment_asks_first_and_says_what_ends(client, adopted, people):
    """Issue 29, 1: a destructive choice asks first. The assignment page's button leads to a
    question that says what ends; nothing changes until it is answered yes, with a reason."""
    login(client, people.per_albertsson)
    page = client.get(reverse("workflow:assignment", args=[adopted.pk])).content.decode()
    assert 'id="cancel-assignment"' in page
    assert '<details id="cancel"' not in page  # it was a form folded away, asking nothing
    url = reverse("workflow:cancel", args=[adopted.pk])
    open_milestones = sum(not m.is_closed for m in adopted.milestones.all())
    question = client.post(url)
    assert question.status_code == 200
    text = question.content.decode()
    assert "Avbryta uppdraget?" in text
    assert f"{open_milestones} öppna milstolpar avbryts." in text
    assert 'id="confirm-cancel-no"' in text
    adopted.refresh_from_db()
    assert adopted.state != "cancelled"
    # "yes" without a reason: asked again on the same page, nothing saved
    refused = client.post(url, {"confirmed": "True", "reason": " "})
    assert refused.status_code == 400
    assert "Ange varför uppdraget avbryts." in refused.content.decode()
    assert "Avbryta uppdraget?" in refused.content.decode()
    adopted.refresh_from_db()
    assert adopted.state != "cancelled"


def test_approval_task_from_the_inbox_opens_the_decision_page(client, adopted, people):
    services.submit_delivery(assignment=adopted, actor=people.jan_strang, summary="Förslag")
    login(client, people.per_albertsson)
    task = next(
        t
        for t in services.open_tasks(adopted)
        if t.flow_task.name == "approve" and t.owner_id == people.per_albertsson.pk
    )
    url = reverse("uppdrag:assignment:approve:execute", args=[task.process_id, task.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("workflow:decision", args=[adopted.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'id="approve"' in page and "Förslag" in page


def test_after_the_final_delivery_the_page_offers_no_milestone_action(client, adopted, people):
    """Issue 17, 2: the status buttons and the due-date forms answered 400 after delivery."""
    login(client, people.jan_strang)
    milestone = adopted.milestones.get(kind="compilation")
    status_url = reverse("workflow:milestone_status", args=[adopted.pk, milestone.pk])
    due_url = reverse("workflow:milestone_due", args=[adopted.pk, milestone.pk])
    page = client.get(reverse("workflow:assignment", args=[adopted.pk])).content.decode()
    assert status_url in page and due_url in page and "Uppdatera" in page

    services.submit_delivery(assignment=adopted, actor=people.jan_strang, summary="Förslag")
    page = client.get(reverse("workflow:assignment", args=[adopted.pk])).content.decode()
    assert "/milestones/" not in page
    assert "Flytta slutdatum" not in page
    assert "Uppdatera" not in page  # no column of dashes
    # and a request made anyway is refused, in Swedish, nothing changed
    response = client.post(due_url, {"new_due": "2025-12-12", "reason": "Sent"})
    assert response.status_code == 400
    assert "bara uppdateras medan uppdraget pågår" in response.content.decode()
    milestone.refresh_from_db()
    assert str(milestone.due) == "2025-11-30"


def test_a_working_group_member_is_offered_only_the_milestones_they_answer_for(
    client, adopted, people
):
    erica = people.erica_sandberg
    mine = adopted.milestones.get(kind="compilation")
    mine.responsible = erica
    mine.save()
    login(client, erica)
    page = client.get(reverse("workflow:assignment", args=[adopted.pk])).content.decode()
    offered = {m.pk for m in adopted.milestones.all() if f"/milestones/{m.pk}/status/" in page}
    assert offered == {mine.pk}


# -- a refused form comes back as sent (issue 17, 5) -----------------------------------------------


def test_a_refused_due_date_move_comes_back_as_typed_at_its_form(client, adopted, people):
    login(client, people.jan_strang)
    milestone = adopted.milestones.get(kind="compilation")
    url = reverse("workflow:milestone_due", args=[adopted.pk, milestone.pk])
    response = client.post(url, {"new_due": "2025-10-15", "reason": "Seminarierna flyttas"})
    assert response.status_code == 400
    page = response.content.decode()
    field = f"due-{milestone.pk}-new_due"
    assert 'value="2025-10-15"' in page and 'value="Seminarierna flyttas"' in page
    assert f'aria-describedby="{field}_error"' in page and f'id="{field}_error"' in page
    assert "Slutdatum kan inte ligga före startdatum." in page.split(f'id="{field}_error"')[1]
    assert "<details open>" in page  # the move's form, shown
    date_input = page.split(f'id="{field}"', 1)[0].rsplit("<input", 1)[1]
    assert "autofocus" in date_input and 'aria-invalid="true"' in date_input
    assert f'action="{url}#milestone-{milestone.pk}"' in page  # back at the form
    # the page names its own address, which the language switch returns to
    own = reverse("workflow:assignment", args=[adopted.pk])
    assert f'<link rel="canonical" href="{own}">' in page
    assert f'name="next" value="{own}"' in page
    assert 'id="errors"' in page.split(f'id="milestone-{milestone.pk}"')[1]  # at the form
    milestone.refresh_from_db()
    assert str(milestone.due) == "2025-11-30"

    response = client.post(url, {"new_due": "2025-12-12", "reason": " "})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="2025-12-12"' in page
    assert "Ange varför datumet flyttas." in page.split(f'id="due-{milestone.pk}-reason_error"')[1]


def test_a_refused_status_change_keeps_the_comment(client, adopted, people):
    login(client, people.jan_strang)
    milestone = adopted.milestones.get(kind="compilation")
    services.change_milestone_status(milestone=milestone, actor=people.jan_strang, to_status="done")
    url = reverse("workflow:milestone_status", args=[adopted.pk, milestone.pk])
    response = client.post(url, {"to_status": "blocked", "comment": "Remissen dröjer"})
    assert response.status_code == 400
    row = response.content.decode().split(f'id="milestone-{milestone.pk}"')[1].split("</tr>")[0]
    assert 'value="Remissen dröjer"' in row
    assert "En milstolpe som är ”Klar” kan inte bli ”Blockerad”." in row
    assert 'id="errors" tabindex="-1" autofocus' in row  # no field in error: the summary


def test_a_refused_delivery_asks_for_the_file_again_whoever_refused_it(
    client, adopted, people, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests import sample_files as documents

    settings.MEDIA_ROOT = tmp_path
    adopted.decision_makers.clear()  # the service refuses: nobody to decide
    login(client, people.jan_strang)
    pdf = SimpleUploadedFile("Slutrapport.pdf", documents.pdf(), "application/pdf")
    response = client.post(
        reverse("workflow:submit", args=[adopted.pk]), {"summary": "Förslag", "document": pdf}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Uppdraget saknar beslutsfattare." in page.split('id="deliver"')[1]
    assert "Välj filen igen" in page.split('id="id_document_error"')[1]
    assert "\nFörslag</textarea>" in page
    assert not adopted.deliveries.exists()


def test_after_a_return_the_new_version_starts_from_the_last_under_the_return(
    client, adopted, people
):
    delivery = services.submit_delivery(
        assignment=adopted, actor=people.jan_strang, summary="Förslag, version 1"
    )
    services.return_delivery(
        delivery=delivery, decided_by=people.per_albertsson, comment="Komplettera med kostnader."
    )
    login(client, people.jan_strang)
    page = client.get(reverse("workflow:assignment", args=[adopted.pk])).content.decode()
    deliver = page.split('id="deliver"')[1]
    note, form = deliver.split("<form", 1)
    assert "Version 1 återremitterades av Per Albertsson" in note
    assert "Komplettera med kostnader." in note
    assert "\nFörslag, version 1</textarea>" in form
    assert "Lämna en ny version av slutleveransen" in form


def test_a_refused_return_shows_its_error_beside_the_comment(client, adopted, people):
    services.submit_delivery(assignment=adopted, actor=people.jan_strang, summary="Förslag")
    login(client, people.per_albertsson)
    response = client.post(reverse("workflow:return", args=[adopted.pk]), {"comment": " "})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'aria-describedby="id_comment_error"' in page
    assert "Skriv varför leveransen återremitteras." in page.split('id="id_comment_error"')[1]
    own = reverse("workflow:decision", args=[adopted.pk])
    assert f'<link rel="canonical" href="{own}">' in page


def test_the_inbox_task_page_also_starts_a_new_version_from_the_last(client, adopted, people):
    delivery = services.submit_delivery(
        assignment=adopted, actor=people.jan_strang, summary="Förslag, version 1"
    )
    services.return_delivery(
        delivery=delivery, decided_by=people.per_albertsson, comment="Komplettera med kostnader."
    )
    login(client, people.jan_strang)
    task = services.open_tasks(adopted).get()
    url = reverse("uppdrag:assignment:work:execute", args=[task.process_id, task.pk])
    page = client.get(url).content.decode()
    note, form = page.split('id="return-to-answer"')[1].split("<form", 1)
    assert "Version 1 återremitterades av Per Albertsson" in note
    assert "Komplettera med kostnader." in note
    assert "\nFörslag, version 1</textarea>" in form
