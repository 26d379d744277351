"""A milestone's status set by mistake is corrected, a cancelled one taken up again (issue 29,
item 1): by whoever may change it, with a reason, audited, its reminders planned again; and
cancelling asks first, on a page of its own, apart from "Klar"."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from assignments.models import Assignment, AuditEntry, Milestone
from reminders.models import Reminder
from tests.seeding import load_demo
from workflow import services
from workflow.services import change_milestone_status

pytestmark = pytest.mark.django_db

# before seed 004's milestones are due: each open one has reminders ahead
BEFORE = dt.datetime(2025, 6, 2, 10, tzinfo=dt.UTC)


@pytest.fixture
def adopted(seed004, people):
    services.adopt_assignment(assignment=seed004, actor=people.anders_kullbratt)
    return seed004


def planned_reminders(milestone) -> int:
    return Reminder.objects.filter(milestone=milestone, state=Reminder.State.PLANNED).count()


def test_every_status_change_can_be_undone():
    for status, next_statuses in Milestone.TRANSITIONS.items():
        for to in next_statuses:
            assert status in Milestone.TRANSITIONS[to], f"{status} → {to} cannot be undone"


def test_a_cancelled_milestone_is_taken_up_again_with_a_reason_audited_and_reminded(db, people):
    # registered and adopted before its deadlines: they have reminders to plan
    with time_machine.travel(BEFORE):
        load_demo("--draft", "--seed-only")
        seed = Assignment.objects.get(registration_number="RS 2024-05699", state="draft")
        services.adopt_assignment(assignment=seed, actor=people.anders_kullbratt)
        taken_up_again(seed.milestones.get(kind="compilation"), people.jan_strang)


def taken_up_again(milestone, jan):
    assert planned_reminders(milestone)
    change_milestone_status(
        milestone=milestone, actor=jan, to_status="cancelled", comment="Ersätts av en enkät"
    )
    assert planned_reminders(milestone) == 0

    with pytest.raises(ValidationError) as error:
        change_milestone_status(milestone=milestone, actor=jan, to_status="in_progress")
    assert error.value.message_dict == {"comment": ["Ange varför milstolpen tas upp igen."]}

    change_milestone_status(
        milestone=milestone, actor=jan, to_status="in_progress", comment="Enkäten räcker inte"
    )
    milestone.refresh_from_db()
    assert milestone.status == "in_progress"
    entry = AuditEntry.objects.filter(action="milestone.status_changed").latest("pk")
    assert (entry.actor, entry.before, entry.after, entry.reason) == (
        jan,
        {"status": "cancelled"},
        {"status": "in_progress"},
        "Enkäten räcker inte",
    )
    assert planned_reminders(milestone)


def test_nobody_else_takes_a_cancelled_milestone_up_again(adopted, people):
    milestone = adopted.milestones.get(kind="compilation")
    change_milestone_status(
        milestone=milestone, actor=people.jan_strang, to_status="cancelled", comment="Inte nu"
    )
    with pytest.raises(PermissionDenied):
        change_milestone_status(
            milestone=milestone,
            actor=people["ann-charlotte.jarnstrom"],
            to_status="planned",
            comment="Jag vill",
        )
    milestone.refresh_from_db()
    assert milestone.status == "cancelled"


def test_cancelling_says_why(adopted, people):
    milestone = adopted.milestones.get(kind="compilation")
    with pytest.raises(ValidationError) as error:
        change_milestone_status(milestone=milestone, actor=people.jan_strang, to_status="cancelled")
    assert error.value.message_dict == {"comment": ["Ange varför milstolpen avbryts."]}
    milestone.refresh_from_db()
    assert milestone.status == "planned"


def test_cancelling_asks_first_on_a_page_of_its_own(client, adopted, people):
    client.force_login(people.jan_strang)
    milestone = adopted.milestones.get(kind="compilation")
    url = reverse("workflow:milestone_status", args=[adopted.pk, milestone.pk])

    asked = client.post(url, {"to_status": "cancelled"})
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "Avbryta milstolpen?" in page and milestone.title in page
    assert 'name="confirmed"' in page and 'id="confirm-cancel-no"' in page
    milestone.refresh_from_db()
    assert milestone.status == "planned"

    refused = client.post(url, {"to_status": "cancelled", "confirmed": "True"})
    assert refused.status_code == 400
    assert "Ange varför milstolpen avbryts." in refused.content.decode()
    milestone.refresh_from_db()
    assert milestone.status == "planned"

    done = client.post(
        url, {"to_status": "cancelled", "confirmed": "True", "comment": "Ersätts av en enkät"}
    )
    assert done.status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == "cancelled"


def test_avbruten_is_not_beside_klar(client, adopted, people):
    client.force_login(people.jan_strang)
    milestone = adopted.milestones.get(kind="compilation")
    page = client.get(reverse("workflow:assignment", args=[adopted.pk])).content.decode()
    forms = re.findall(rf"<form[^>]*milestones/{milestone.pk}/status/.*?</form>", page, flags=re.S)
    with_done = [f for f in forms if 'value="done"' in f]
    assert with_done and not any('value="cancelled"' in f for f in with_done)
    assert any('value="cancelled"' in f and "Avbryt milstolpen" in f for f in forms)
