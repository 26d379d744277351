"""The registrar's desk on the start page (issue 29, item 3): drafts, drafts waiting for their
adoption, what needs attention (a commissioner without a login, a late milestone nobody can be
told of, mail that bounced); in a number of queries that does not grow with the registry."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.urls import reverse
from django.utils import timezone

from assignments.contacts import new_contact
from assignments.models import Assignment
from assignments.permissions import REGISTRAR_GROUP
from reminders.models import Reminder
from tests.factories import AssignmentFactory, MilestoneFactory, UserFactory
from workflow import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def registrar():
    person = UserFactory(username="rut.desk")
    person.groups.add(AuthGroup.objects.get_or_create(name=REGISTRAR_GROUP)[0])
    return person


def the_registry(n: int) -> dict:
    """n of each thing the desk lists; returns the first of each."""
    first = {}
    commissioner = UserFactory()
    for i in range(n):
        draft = AssignmentFactory(state=Assignment.State.DRAFT, title=f"Utkast {i}")
        sent = AssignmentFactory(state=Assignment.State.DRAFT, title=f"Att fastställa {i}")
        sent.commissioners.set([commissioner])
        services.start_process(assignment=sent)
        contact = new_contact(f"Kontakt Nummer{i}")
        with_contact = AssignmentFactory(title=f"Kontaktbeställt {i}", commissioners=[contact])
        late = MilestoneFactory(
            assignment=AssignmentFactory(assignee=new_contact(f"Ingen Alls{i}")),
            title=f"Sen aktivitet {i}",
            due=timezone.localdate() - dt.timedelta(days=5),
            start=timezone.localdate() - dt.timedelta(days=50),
        )
        bounce = Reminder.objects.create(
            subject_key=f"m:{i}",
            kind=Reminder.Kind.OVERDUE,
            recipient=UserFactory(first_name=f"Studsad{i}"),
            due_version="2025-10-31",
            planned_at=timezone.now(),
            state=Reminder.State.FAILED,
            last_error="550 5.1.1 mailbox unknown",
            assignment=with_contact,
        )
        first.setdefault("draft", draft)
        first.setdefault("sent", sent)
        first.setdefault("with_contact", with_contact)
        first.setdefault("late", late)
        first.setdefault("bounce", bounce)
    return first


def test_the_registrar_sees_what_waits_for_the_registry(client, registrar):
    the_registry(1)
    # what is in order is not listed: an assignee with a login, a commissioner with one
    AssignmentFactory(title="I ordning", commissioners=[UserFactory()])
    client.force_login(registrar)
    page = client.get(reverse("home")).content.decode()
    desk = page.split('id="desk"')[1].split("</section>")[0]
    drafts, rest = desk.split('id="desk-to-adopt"')
    to_adopt, attention = rest.split('id="desk-attention"')
    assert "Utkast 0" in drafts and "Att fastställa 0" not in drafts
    assert "Att fastställa 0" in to_adopt
    assert "Kontaktbeställt 0" in attention
    assert "Sen aktivitet 0" in attention
    assert "Studsad0" in attention and "550 5.1.1 mailbox unknown" in attention
    assert "I ordning" not in desk


def test_nobody_but_a_registrar_has_the_desk(client):
    the_registry(1)
    client.force_login(UserFactory())
    assert 'id="desk"' not in client.get(reverse("home")).content.decode()


def test_the_desk_costs_the_same_queries_however_large_the_registry(
    client, registrar, django_assert_max_num_queries
):
    client.force_login(registrar)

    def count() -> int:
        client.get(reverse("home"))
        with django_assert_max_num_queries(30) as queries:
            assert client.get(reverse("home")).status_code == 200
        return len(queries)

    the_registry(2)
    few = count()
    the_registry(14)
    assert count() == few


def test_the_registrars_own_uploads_under_review_are_on_the_desk(client, registrar):
    """An upload read by the worker waits for its uploader's review (issue 29: it was on no
    list, so a registrar who left the review page had no way back but the browser's history)."""
    from documents.models import ImportJob

    def upload(person, name: str, status: str) -> ImportJob:
        return ImportJob.objects.create(
            token=f"token-{name}", user=person, filename=f"{name}.docx", status=status
        )

    read = upload(registrar, "granskas", ImportJob.Status.DONE)
    upload(registrar, "lases", ImportJob.Status.QUEUED)
    colleague = UserFactory(username="kollega.desk")
    colleague.groups.add(AuthGroup.objects.get(name=REGISTRAR_GROUP))
    upload(colleague, "kollegans", ImportJob.Status.DONE)

    client.force_login(registrar)
    page = client.get(reverse("home")).content.decode()
    desk = page.split('id="desk"')[1].split("</section>")[0]
    imports = desk.split('id="desk-imports"')[1].split("</ul>")[0]
    assert "granskas.docx</a> – inläst, väntar på din granskning" in imports
    assert "lases.docx</a> – väntar" in imports
    assert "kollegans.docx" not in desk  # the review page is the uploader's alone
    assert reverse("workflow:import_progress", args=[read.token]) in imports
    assert "Inget väntar på registraturen" not in desk
