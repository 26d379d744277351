"""A new version of an uppdragshandling ("Ny version", issue 18 item 4): a registrar or a
commissioner copies it into a draft that records what it supersedes; adopting the draft
supersedes the old one (its process, open milestones and reminders end; its history stays)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from assignments.models import Assignment, AuditEntry, Milestone, User
from reminders.models import Reminder
from tests.factories import UserFactory
from workflow import services

pytestmark = pytest.mark.django_db

NEW_DUE = dt.date(2027, 3, 31)


@pytest.fixture
def adopted(seed004, people):
    services.adopt_assignment(assignment=seed004, actor=people.anders_kullbratt)
    return Assignment.objects.get(pk=seed004.pk)


def _new_version(old, actor, **dates):
    return services.draft_new_version(
        assignment=old,
        actor=actor,
        document_date=dates.get("document_date", timezone.localdate()),
        delivery_due=dates.get("delivery_due", NEW_DUE),
    )


def _registered(old, actor, **dates):
    """A new version, saved on "Ändra utkastet" as it was copied: in its process."""
    from tests.registration_helpers import save_unchanged

    return save_unchanged(_new_version(old, actor, **dates), actor)


def _open_task_names(assignment):
    return [t.flow_task.name for t in services.open_tasks(assignment)]


def test_a_new_version_is_a_draft_with_everything_of_the_old_one(adopted, people):
    seminars = adopted.milestones.get(kind="seminars")
    resources = adopted.milestones.get(kind="resource_allocation")
    services.change_milestone_status(
        milestone=resources, actor=people.jan_strang, to_status=Milestone.Status.DONE
    )
    services.change_milestone_status(
        milestone=seminars, actor=people.jan_strang, to_status=Milestone.Status.AT_RISK
    )
    registrar = User.objects.get(username="registrator")
    new = _new_version(adopted, registrar)

    assert new.state == Assignment.State.DRAFT
    assert new.supersedes == adopted
    assert (new.registration_number, new.title) == (adopted.registration_number, adopted.title)
    assert new.delivery_due == NEW_DUE
    assert new.document_date == timezone.localdate()
    for name in ("description", "purpose", "communication", "schedule_note", "decision_form"):
        assert getattr(new, name) == getattr(adopted, name)
    for relation in ("commissioners", "decision_makers"):
        assert set(getattr(new, relation).all()) == set(getattr(adopted, relation).all())

    def rows(a, relation, *fields):
        return list(getattr(a, relation).order_by(*fields[:1], "position").values_list(*fields))

    assert rows(new, "items", "kind", "text") == rows(adopted, "items", "kind", "text")
    assert rows(new, "working_group", "person", "role") == rows(
        adopted, "working_group", "person", "role"
    )
    assert rows(new, "relations", "kind", "text", "target_group") == rows(
        adopted, "relations", "kind", "text", "target_group"
    )
    assert rows(new, "distribution", "person", "purpose", "note") == rows(
        adopted, "distribution", "person", "purpose", "note"
    )
    copied = {m.kind: m for m in new.milestones.all()}
    assert [m.title for m in new.milestones.order_by("position")] == [
        m.title for m in adopted.milestones.order_by("position")
    ]
    # work done stays done; "at risk" was said of the old plan
    assert copied["resource_allocation"].status == Milestone.Status.DONE
    assert copied["seminars"].status == Milestone.Status.PLANNED
    # nobody is asked to adopt the copy before it is saved on "Ändra utkastet"
    assert _open_task_names(new) == []
    assert AuditEntry.objects.get(action="assignment.version_drafted").after == {
        "new_version": new.pk
    }
    assert AuditEntry.objects.filter(
        action="assignment.supersedes", assignment=new, actor=registrar
    ).exists()


def test_the_old_version_goes_on_until_the_new_one_is_adopted(adopted, people):
    from reminders.services import replan_assignment

    # registered when it was written, so its 2025 deadlines are reminded of (#18 item 5)
    Assignment.objects.filter(pk=adopted.pk).update(
        created_at=dt.datetime(2025, 8, 12, 8, tzinfo=dt.UTC)
    )
    adopted.refresh_from_db()
    replan_assignment(adopted)
    planned = Reminder.objects.filter(assignment=adopted, state=Reminder.State.PLANNED).count()
    assert planned > 0
    new = _registered(adopted, people.anders_kullbratt)
    adopted.refresh_from_db()
    assert adopted.state == Assignment.State.ADOPTED
    assert _open_task_names(adopted) == ["work"]
    # a draft is not reminded of deadlines; saved, its other commissioner is asked to adopt it
    assert set(Reminder.objects.filter(assignment=new).values_list("kind", "recipient")) == {
        (Reminder.Kind.ADOPTION_WAITING, people.per_albertsson.pk)
    }
    assert (
        Reminder.objects.filter(assignment=adopted, state=Reminder.State.PLANNED).count() == planned
    )


def test_adopting_the_new_version_supersedes_the_old_one(adopted, people):
    history_before = AuditEntry.objects.filter(assignment=adopted).count()
    new = _registered(adopted, people.anders_kullbratt)
    services.adopt_assignment(assignment=new, actor=people.per_albertsson, reason="Ny tidplan")

    adopted.refresh_from_db()
    new.refresh_from_db()
    assert adopted.state == Assignment.State.SUPERSEDED
    assert new.state == Assignment.State.ADOPTED
    assert services.current_process(adopted).status == "CANCELED"
    assert _open_task_names(adopted) == []
    assert _open_task_names(new) == ["work"]
    assert set(adopted.milestones.values_list("status", flat=True)) == {Milestone.Status.CANCELLED}
    assert not Reminder.objects.filter(assignment=adopted, state=Reminder.State.PLANNED).exists()
    assert Reminder.objects.filter(assignment=new, state=Reminder.State.PLANNED).exists()
    superseded = AuditEntry.objects.get(action="assignment.superseded", assignment=adopted)
    assert superseded.actor == people.per_albertsson
    assert superseded.after == {"superseded_by": new.pk}
    # the old one's history is all still there, with its closing on top
    assert AuditEntry.objects.filter(assignment=adopted).count() > history_before
    assert AuditEntry.objects.filter(assignment=new, action="assignment.adopted").exists()


def test_the_assignee_and_the_working_group_may_not_make_a_new_version(adopted, people):
    for person in (people.jan_strang, people.erica_sandberg, people["ann-charlotte.jarnstrom"]):
        with pytest.raises(PermissionDenied):
            _new_version(adopted, person)
    assert not Assignment.objects.filter(supersedes=adopted).exists()


def test_one_new_version_at_a_time_and_a_dropped_draft_makes_room(adopted, people):
    first = _new_version(adopted, people.anders_kullbratt)
    with pytest.raises(ValidationError, match="Det finns redan en ny version"):
        _new_version(adopted, people.per_albertsson)
    services.cancel_assignment(assignment=first, actor=people.anders_kullbratt, reason="Fel")
    second = _new_version(adopted, people.per_albertsson)
    assert second.supersedes == adopted and second.pk != first.pk


def test_a_draft_and_a_closed_assignment_get_no_new_version(seed004, people):
    with pytest.raises(ValidationError, match="Ett utkast ändras direkt"):
        _new_version(seed004, people.anders_kullbratt)
    services.adopt_assignment(assignment=seed004, actor=people.anders_kullbratt)
    services.cancel_assignment(assignment=seed004, actor=people.anders_kullbratt, reason="Klart")
    with pytest.raises(ValidationError, match="avslutat"):
        _new_version(seed004, people.anders_kullbratt)


def test_a_final_delivery_before_the_new_documents_date_is_refused(adopted, people):
    with pytest.raises(ValidationError) as refused:
        _new_version(adopted, people.anders_kullbratt, delivery_due=dt.date(2025, 12, 1))
    assert refused.value.message_dict == {
        "delivery_due": ["Slutleveransen kan inte ligga före uppdragets datum."]
    }
    assert not Assignment.objects.filter(supersedes=adopted).exists()


def test_a_new_version_whose_old_one_closed_meanwhile_is_not_adopted(adopted, people):
    new = _registered(adopted, people.anders_kullbratt)
    services.cancel_assignment(assignment=adopted, actor=people.anders_kullbratt, reason="Stopp")
    with pytest.raises(ValidationError, match="redan avslutad"):
        services.adopt_assignment(assignment=new, actor=people.per_albertsson)
    new.refresh_from_db()
    assert new.state == Assignment.State.DRAFT


# -- over HTTP ---------------------------------------------------------------------------------


def _post(client, assignment, **data):
    url = reverse("workflow:new_version", args=[assignment.pk])
    return client.post(url, {"document_date": "2026-11-26", "delivery_due": "2027-03-31", **data})


def test_a_commissioner_makes_a_new_version_and_lands_on_the_draft(client, adopted, people):
    client.force_login(people.anders_kullbratt)
    page = client.get(reverse("workflow:assignment", args=[adopted.pk])).content.decode()
    assert 'id="make-new-version"' in page
    response = _post(client, adopted)
    new = Assignment.objects.get(supersedes=adopted)
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    draft_page = client.get(response["Location"]).content.decode()
    # not sent for adoption until it is saved; then adopting it replaces the old one
    assert 'id="not-sent-for-adoption"' in draft_page and 'id="adopt"' not in draft_page
    assert _edit_unchanged(client, new).status_code == 302
    draft_page = client.get(response["Location"]).content.decode()
    assert "När den här versionen fastställs ersätter den uppdragshandlingen daterad" in (
        draft_page
    )
    old_page = client.get(reverse("workflow:assignment", args=[adopted.pk])).content.decode()
    assert "Utkast till ny version:" in old_page and 'id="make-new-version"' not in old_page


def test_the_assignee_gets_403_and_a_stranger_404_and_nothing_is_made(client, adopted, people):
    client.force_login(people.jan_strang)
    page = client.get(reverse("workflow:assignment", args=[adopted.pk])).content.decode()
    assert 'id="make-new-version"' not in page
    assert _post(client, adopted).status_code == 403
    client.force_login(UserFactory(username="okand.person"))
    assert _post(client, adopted).status_code == 404
    assert not Assignment.objects.filter(supersedes=adopted).exists()


def test_bad_dates_are_swedish_field_errors_and_what_was_typed_stays(client, adopted, people):
    client.force_login(people.anders_kullbratt)
    response = _post(client, adopted, document_date="2026-11-26", delivery_due="2025-12-01")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Slutleveransen kan inte ligga före uppdragets datum." in page
    assert 'value="2025-12-01"' in page and '<details id="new-version" open>' in page
    assert _post(client, adopted, document_date="igår").status_code == 400
    assert not Assignment.objects.filter(supersedes=adopted).exists()


def test_the_versions_page_compares_the_old_and_the_new(client, adopted, people):
    new = _new_version(adopted, people.anders_kullbratt)
    new.title = "Hälso- och sjukvårdens nya organisering"
    new.save(update_fields=["title"])
    client.force_login(people["ann-charlotte.jarnstrom"])  # "för kännedom" reads both
    page = client.get(reverse("workflow:versions", args=[new.pk])).content.decode()
    assert "Fält som ändrats" in page
    assert "<ins>" in page and "<del>" in page
    assert "före:" in page or "Före (" in page
    swapped = client.get(
        reverse("workflow:versions", args=[new.pk]), {"fran": new.pk, "till": adopted.pk}
    )
    assert swapped.status_code == 200
    same = client.get(reverse("workflow:versions", args=[new.pk]), {"fran": new.pk, "till": new.pk})
    assert same.status_code == 400 and "Välj två olika versioner." in same.content.decode()
    other = client.get(reverse("workflow:versions", args=[new.pk]), {"fran": 999999, "till": 1})
    assert other.status_code == 400


def test_a_stranger_gets_404_on_the_versions_page(client, adopted, people):
    client.force_login(UserFactory(username="okand.person"))
    assert client.get(reverse("workflow:versions", args=[adopted.pk])).status_code == 404


# -- editing the new version's draft (issue 25, reproduction 5) ----------------------------------


def _edit_unchanged(client, draft):
    from tests.registration_helpers import as_shown

    url = reverse("workflow:edit", args=[draft.pk])
    return client.post(url, as_shown(client.get(url).context["forms"]))


def _adoption_waiting(draft):
    return Reminder.objects.filter(assignment=draft, kind=Reminder.Kind.ADOPTION_WAITING)


def test_the_new_versions_draft_saved_unchanged_is_saved_not_refused(client, adopted, people):
    client.force_login(User.objects.get(username="registrator"))
    _post(client, adopted)
    new = Assignment.objects.get(supersedes=adopted)

    response = _edit_unchanged(client, new)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == new.get_absolute_url()
    new.refresh_from_db()
    assert (new.state, new.supersedes_id) == (Assignment.State.DRAFT, adopted.pk)


def test_the_commissioners_are_asked_to_adopt_a_new_version_once_it_is_saved(
    client, adopted, people
):
    from notifications.models import Notification

    from reminders import events

    client.force_login(User.objects.get(username="registrator"))
    _post(client, adopted)
    new = Assignment.objects.get(supersedes=adopted)
    # the unedited copy is nobody's to adopt yet
    assert not _adoption_waiting(new).exists()
    about_new = Notification.objects.filter(target_object_id=str(new.pk))
    assert not about_new.filter(data__event=Reminder.Kind.ADOPTION_WAITING).exists()

    assert _edit_unchanged(client, new).status_code == 302

    waiting = list(_adoption_waiting(new))
    assert {r.recipient for r in waiting} == {people.anders_kullbratt, people.per_albertsson}
    mail = events.compose_event(waiting[0]).text
    assert "ersätter den fastställda uppdragshandlingen" in mail
    assert adopted.document_date.isoformat() in mail


def test_a_version_is_not_adopted_while_another_document_holds_its_number(seed004, people):
    from tests.factories import AssignmentFactory

    # seed 004's draft shares its number as a version does, so another may hold it meanwhile
    AssignmentFactory(registration_number=seed004.registration_number, state="adopted")
    with pytest.raises(ValidationError, match="redan ett gällande uppdrag med det diarienumret"):
        services.adopt_assignment(assignment=seed004, actor=people.anders_kullbratt)
    seed004.refresh_from_db()
    assert seed004.state == Assignment.State.DRAFT
