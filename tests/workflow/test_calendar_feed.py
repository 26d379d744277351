"""The calendar feed (workflow/calendar_feed.py, workflow/calendar_tokens.py,
workflow/views/calendar.py), fetched as a calendar program fetches it: without a login, by its
address, again and again, conditionally."""

from __future__ import annotations

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.http import http_date

from assignments import history
from assignments.models import AuditEntry, Milestone
from reminders import planning
from tests.factories import (
    AssignmentFactory,
    MilestoneFactory,
    UserFactory,
    WorkingGroupMemberFactory,
)
from workflow import calendar_tokens, services
from workflow.models import CalendarFeedToken

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def clock():
    """Monday 5 May 2025, 09.00 in Stockholm: the world below is registered and adopted now,
    so every deadline lies ahead and has its reminders planned."""
    with time_machine.travel(dt.datetime(2025, 5, 5, 9, tzinfo=STOCKHOLM), tick=False) as now:
        yield now


class World:
    """Jan carries out an adopted assignment, Erica is in its working group, Per commissions
    and decides it; Olle carries out an assignment of his own."""

    def __init__(self):
        self.jan = UserFactory(username="jan", first_name="Jan", last_name="Strang")
        self.erica = UserFactory(username="erica", first_name="Erica", last_name="Sandberg")
        self.per = UserFactory(username="per", first_name="Per", last_name="Albertsson")
        self.olle = UserFactory(username="olle", first_name="Olle", last_name="Ek")
        self.assignment = self.registered(
            "RS 2025-00100", assignee=self.jan, members=[self.erica], decider=self.per
        )
        self.seminars = self.assignment.milestones.get(title="Seminarier")
        self.compilation = self.assignment.milestones.get(title="Sammanställning")
        self.other = self.registered("RS 2025-00200", assignee=self.olle, decider=self.per)

    @staticmethod
    def registered(number, *, assignee, decider, members=()):
        assignment = AssignmentFactory(
            registration_number=number,
            title=f"Uppdrag {number}",
            assignee=assignee,
            project_lead=assignee,
            state="draft",
            delivery_due=dt.date(2025, 12, 1),
            commissioners=[decider],
            decision_makers=[decider],
        )
        for person in members:
            WorkingGroupMemberFactory(assignment=assignment, person=person)
        MilestoneFactory(
            assignment=assignment,
            title="Seminarier",
            period_label="Sep – okt 2025",
            start=dt.date(2025, 9, 1),
            due=dt.date(2025, 10, 31),
        )
        MilestoneFactory(
            assignment=assignment,
            title="Sammanställning",
            start=dt.date(2025, 11, 1),
            due=dt.date(2025, 11, 30),
        )
        services.start_process(assignment=assignment)
        services.adopt_assignment(assignment=assignment, actor=decider, reason="Fastställd")
        assignment.refresh_from_db()
        return assignment


@pytest.fixture
def world(clock):
    return World()


def subscribe(person) -> str:
    """The path of the person's new calendar address."""
    _token, secret = calendar_tokens.renew_calendar_token(user=person)
    return calendar_tokens.feed_path(secret)


def fetch(path: str, **headers):
    """As a calendar program: no login, no cookies."""
    return Client().get(path, **headers)


def events(response) -> dict[str, icalendar.Event]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    ical = icalendar.Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]): event for event in ical.walk("VEVENT")}


def milestone_event(response, milestone: Milestone) -> icalendar.Event:
    (event,) = [
        event
        for event in events(response).values()
        if str(event["URL"]).endswith(f"#milestone-{milestone.pk}")
    ]
    return event


# -- the Done-when line -------------------------------------------------------------------------


def test_a_moved_due_date_is_the_same_event_with_a_higher_sequence(world, clock):
    address = subscribe(world.jan)
    before = milestone_event(fetch(address), world.seminars)
    assert before.decoded("DTSTART") == dt.date(2025, 10, 31)
    assert before["SEQUENCE"] == 0
    # the UID its reminders' .ics gives it: one event, wherever the person met it
    assert str(before["UID"]) == f"milestone-{world.seminars.pk}@{settings.MESSAGE_ID_DOMAIN}"

    clock.shift(dt.timedelta(hours=1))
    services.move_milestone_due(
        milestone=world.seminars, actor=world.jan, new_due=dt.date(2025, 11, 14), reason="Lokal"
    )
    after = milestone_event(fetch(address), world.seminars)
    assert str(after["UID"]) == str(before["UID"])
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after.decoded("DTSTART") == dt.date(2025, 11, 14)
    assert after.decoded("DTEND") == dt.date(2025, 11, 15)

    # back to the first date: still a new revision, never an old one (RFC 5545)
    clock.shift(dt.timedelta(hours=1))
    services.move_milestone_due(
        milestone=world.seminars, actor=world.jan, new_due=dt.date(2025, 10, 31), reason="Ändrat"
    )
    again = milestone_event(fetch(address), world.seminars)
    assert again["SEQUENCE"] > after["SEQUENCE"]
    assert again.decoded("DTSTART") == dt.date(2025, 10, 31)


def test_a_renewed_address_makes_the_old_one_404(world):
    old = subscribe(world.jan)
    assert fetch(old).status_code == 200
    new = subscribe(world.jan)
    assert new != old
    assert fetch(old).status_code == 404
    assert fetch(new).status_code == 200
    assert CalendarFeedToken.objects.filter(user=world.jan).count() == 2  # revoked, not deleted
    assert CalendarFeedToken.objects.active().filter(user=world.jan).count() == 1


def test_renewing_is_audited_and_told_in_the_history(world):
    subscribe(world.jan)
    subscribe(world.jan)
    created, renewed = AuditEntry.objects.filter(action__startswith="calendar_feed.").order_by("pk")
    assert (created.action, renewed.action) == ("calendar_feed.created", "calendar_feed.renewed")
    assert renewed.actor == world.jan
    assert renewed.before["prefix"] == created.after["prefix"] != renewed.after["prefix"]
    with translation.override("sv"):
        lines = history.describe([created, renewed])
    assert [line.text for line in lines] == [
        "Jan Strang skapade en adress för att prenumerera på sin kalender",
        "Jan Strang förnyade adressen till sin kalender; den gamla slutade fungera",
    ]
    with translation.override("en"):
        assert history.describe([renewed])[0].text == (
            "Jan Strang renewed the address of their calendar; the old one stopped working"
        )


# -- conditional requests -----------------------------------------------------------------------


def test_an_unchanged_feed_is_a_304_to_if_none_match_and_if_modified_since(world, clock):
    address = subscribe(world.jan)
    first = fetch(address)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and modified

    clock.shift(dt.timedelta(minutes=30))
    by_etag = fetch(address, HTTP_IF_NONE_MATCH=etag)
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    assert by_etag["ETag"] == etag and by_etag["Last-Modified"] == modified
    by_date = fetch(address, HTTP_IF_MODIFIED_SINCE=modified)
    assert by_date.status_code == 304
    assert fetch(address).content == first.content  # the same feed, byte for byte


def test_a_change_is_sent_again_with_a_new_etag_and_a_later_last_modified(world, clock):
    address = subscribe(world.jan)
    first = fetch(address)
    clock.shift(dt.timedelta(minutes=30))
    services.change_milestone_status(
        milestone=world.compilation, actor=world.jan, to_status="at_risk", comment="Sjukdom"
    )
    by_etag = fetch(address, HTTP_IF_NONE_MATCH=first["ETag"])
    assert by_etag.status_code == 200
    assert by_etag["ETag"] != first["ETag"]
    assert "Status: I riskzonen" in str(milestone_event(by_etag, world.compilation)["DESCRIPTION"])
    by_date = fetch(address, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_date.status_code == 200
    assert by_date["Last-Modified"] == http_date(
        dt.datetime(2025, 5, 5, 9, 30, tzinfo=STOCKHOLM).timestamp()
    )


def test_something_leaving_the_feed_is_a_change_too(world, clock):
    address = subscribe(world.jan)
    first = fetch(address)
    clock.shift(dt.timedelta(minutes=30))
    services.cancel_assignment(assignment=world.assignment, actor=world.per, reason="Ej aktuellt")
    later = fetch(address, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert later.status_code == 200
    assert events(later) == {}


# -- what is in it, and for whom ----------------------------------------------------------------


def test_the_assignee_sees_their_milestones_and_final_delivery(world):
    found = events(fetch(subscribe(world.jan)))
    assert sorted(found) == [
        "Milstolpe: Sammanställning (RS 2025-00100)",
        "Milstolpe: Seminarier (RS 2025-00100)",
        "Slutleverans: Uppdrag RS 2025-00100 (RS 2025-00100)",
    ]
    delivery = found["Slutleverans: Uppdrag RS 2025-00100 (RS 2025-00100)"]
    assert str(delivery["UID"]) == f"assignment-{world.assignment.pk}@{settings.MESSAGE_ID_DOMAIN}"
    assert delivery.decoded("DTSTART") == dt.date(2025, 12, 1)
    link = f"{settings.SITE_URL}/uppdrag/{world.assignment.pk}/process/"
    assert str(delivery["URL"]) == link
    assert link in str(delivery["DESCRIPTION"])
    seminars = found["Milstolpe: Seminarier (RS 2025-00100)"]
    assert str(seminars["URL"]) == f"{link}#milestone-{world.seminars.pk}"
    description = str(seminars["DESCRIPTION"])
    assert "Tidplan: Sep – okt 2025" in description and "Ansvarig: Jan Strang" in description


def test_a_working_group_member_sees_the_milestones_but_not_the_final_delivery(world):
    found = events(fetch(subscribe(world.erica)))
    assert sorted(found) == [
        "Milstolpe: Sammanställning (RS 2025-00100)",
        "Milstolpe: Seminarier (RS 2025-00100)",
    ]


def test_another_persons_items_are_absent(world):
    jans = fetch(subscribe(world.jan)).content.decode()
    olles = fetch(subscribe(world.olle)).content.decode()
    assert "RS 2025-00200" not in jans and f"/uppdrag/{world.other.pk}/" not in jans
    assert "RS 2025-00100" not in olles and f"/uppdrag/{world.assignment.pk}/" not in olles
    # a commissioner has nothing to do until a delivery waits for their decision
    assert events(fetch(subscribe(world.per))) == {}


def test_a_decision_waiting_is_in_the_decision_makers_feed_until_it_is_made(world, clock):
    address = subscribe(world.per)
    delivery = services.submit_delivery(
        assignment=world.assignment, actor=world.jan, summary="Förslag"
    )
    (event,) = events(fetch(address)).values()
    assert str(event["SUMMARY"]) == "Väntar på ditt beslut: slutleverans (RS 2025-00100)"
    assert str(event["URL"]) == f"{settings.SITE_URL}/uppdrag/{world.assignment.pk}/beslut/"
    # the day the reminder policy expects the decision: three working days after submission
    assert event.decoded("DTSTART") == dt.date(2025, 5, 8)
    assert "Slutleverans 1 lämnades in 5 maj 2025 av Jan Strang." in str(event["DESCRIPTION"])
    # delivered: the final delivery and the milestones' work leave the assignee's feed...
    jans = events(fetch(subscribe(world.jan)))
    assert not [summary for summary in jans if summary.startswith("Slutleverans")]

    services.approve_delivery(delivery=delivery, decided_by=world.per)
    assert events(fetch(address)) == {}
    # ...and once decided, nothing of the assignment is left
    assert events(fetch(subscribe(world.jan))) == {}


def test_a_decision_handed_to_a_stand_in_moves_to_the_stand_ins_feed(world):
    kim = UserFactory(username="kim", first_name="Kim", last_name="Berg")
    services.submit_delivery(assignment=world.assignment, actor=world.jan, summary="Förslag")
    (task,) = services.open_tasks(world.assignment)
    pers, kims = subscribe(world.per), subscribe(kim)
    services.reassign_task(task=task, actor=world.per, new_owner=kim, reason="Semester")
    assert events(fetch(pers)) == {}
    (event,) = events(fetch(kims)).values()
    assert str(event["UID"]) == f"approval-{task.pk}@{settings.MESSAGE_ID_DOMAIN}"
    assert "Du är ersättare för Per Albertsson." in str(event["DESCRIPTION"])


def test_the_feeds_queries_grow_by_one_a_decision_waiting(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    kim = UserFactory(username="kim", first_name="Kim", last_name="Berg")
    address = subscribe(kim)
    counts = []
    for assignment in (world.assignment, world.other):
        services.submit_delivery(assignment=assignment, actor=assignment.assignee, summary="Ok")
        (task,) = services.open_tasks(assignment)
        services.reassign_task(task=task, actor=world.per, new_owner=kim, reason="Semester")
        fetch(address)  # the change noted on the address
        with CaptureQueriesContext(connection) as queries:
            found = events(fetch(address))
        counts.append(len(queries))
    assert len(found) == 2
    assert all(
        "Du är ersättare för Per Albertsson." in str(e["DESCRIPTION"]) for e in found.values()
    )
    # two queries more a decision: the stand-in's standing on its assignment and their
    # decision-maker's (a stand-in answers only while that decision-maker could), asked through
    # the one rule (assignments.permissions); the names and the policy are read once
    assert counts[1] - counts[0] == 2, counts


@pytest.mark.parametrize("status", ["done", "cancelled"])
def test_done_and_cancelled_milestones_leave_the_feed(world, status):
    address = subscribe(world.jan)
    services.change_milestone_status(
        milestone=world.seminars, actor=world.jan, to_status=status, comment="Utgår"
    )
    assert "Milstolpe: Seminarier (RS 2025-00100)" not in events(fetch(address))
    assert "Milstolpe: Sammanställning (RS 2025-00100)" in events(fetch(address))


def test_the_feed_is_in_the_persons_language(world):
    world.jan.language = "en"
    world.jan.save(update_fields=["language"])
    response = fetch(subscribe(world.jan))
    assert response["Content-Language"] == "en"
    found = events(response)
    assert "Milestone: Seminarier (RS 2025-00100)" in found
    assert "Final delivery: Uppdrag RS 2025-00100 (RS 2025-00100)" in found


# -- the address --------------------------------------------------------------------------------


def test_only_a_hash_of_the_address_is_stored(world):
    token, secret = calendar_tokens.renew_calendar_token(user=world.jan)
    stored = CalendarFeedToken.objects.values().get(pk=token.pk)
    assert secret.startswith("cal_") and len(secret) > 40
    assert stored["digest"] == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(stored)
    entry = AuditEntry.objects.get(action="calendar_feed.created")
    assert secret not in f"{entry.before}{entry.after}{entry.object_repr}"


def test_a_person_who_has_left_is_a_404(world):
    address = subscribe(world.jan)
    world.jan.is_active = False
    world.jan.save(update_fields=["is_active"])
    assert fetch(address).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/kalender/cal_finns-inte.ics",
        "/kalender/upd_en-api-nyckel.ics",
        "/kalender/" + "cal_" + "x" * 200 + ".ics",
    ],
)
def test_an_unknown_address_is_a_404(world, path):
    assert fetch(path).status_code == 404


def test_the_feed_takes_no_login_starts_no_session_and_is_kept_only_privately(world):
    response = fetch(subscribe(world.jan))
    assert response.status_code == 200
    assert not response.cookies  # no session, no CSRF cookie
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert Client().post(subscribe(world.jan)).status_code == 405


def test_the_calendar_is_all_day_events_in_swedish_time(world):
    response = fetch(subscribe(world.jan))
    ical = icalendar.Calendar.from_ical(response.content)
    assert str(ical["X-WR-TIMEZONE"]) == "Europe/Stockholm"
    (timezone,) = ical.walk("VTIMEZONE")
    assert str(timezone["TZID"]) == "Europe/Stockholm"
    assert str(ical["X-WR-CALNAME"]) == "Uppdrag – Jan Strang"
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in response.content  # Outlook's refresh hint
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in response.content
    for event in ical.walk("VEVENT"):
        assert type(event.decoded("DTSTART")) is dt.date  # all day, no time to convert
        assert str(event["TRANSP"]) == "TRANSPARENT"  # a deadline never makes one busy


def test_reminders_and_feed_share_the_due_revision(world):
    """One rule: the SEQUENCE the feed gives a deadline is the due revision its reminders
    were planned with."""
    services.move_milestone_due(
        milestone=world.seminars, actor=world.jan, new_due=dt.date(2025, 11, 7), reason="Lokal"
    )
    key = planning.milestone_key(world.seminars)
    planned = world.seminars.reminders.filter(state="planned").values_list(
        "due_revision", flat=True
    )
    assert set(planned) == {1}
    assert planning.current_due_revisions({key: dt.date(2025, 11, 7)}) == {key: 1}


# -- on "Inställningar" -------------------------------------------------------------------------


def test_the_settings_page_offers_an_address_and_shows_it_only_once(world, client):
    client.force_login(world.jan)
    page = client.get("/installningar/").content.decode()
    assert 'id="calendar-feed"' in page and "Skapa kalenderadress" in page
    assert client.get("/installningar/kalender/").status_code == 405

    created = client.post("/installningar/kalender/")
    assert created.status_code == 200
    assert "no-store" in created["Cache-Control"]
    https = created.context["addresses"]["https"]
    assert https.startswith(settings.SITE_URL + "/kalender/cal_") and https.endswith(".ics")
    assert created.context["addresses"]["webcal"] == "webcal://" + https.split("://", 1)[1]
    assert https in created.content.decode()

    page = client.get("/installningar/").content.decode()
    assert "Förnya kalenderadressen" in page
    assert https.rsplit("/", 1)[1] not in page  # never shown again
    token = CalendarFeedToken.objects.active().get(user=world.jan)
    assert f"/kalender/{token.prefix}…" in page


def test_renewing_needs_a_login(db):
    response = Client().post("/installningar/kalender/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not CalendarFeedToken.objects.exists()
