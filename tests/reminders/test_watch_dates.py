"""Watch dates (bevakning, reminders/watch_dates.py): who sets one, when its reminder goes out,
that it is its person's alone, bundled with their other reminders, in the app, in the .ics and
the calendar feed, and removed by cancelling."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from notifications.models import Notification

from assignments.models import Assignment, AuditEntry, User
from reminders import watch_dates
from reminders.messages import compose
from reminders.models import Reminder, WatchDate
from reminders.planning import at_hour
from reminders.services import replan_assignment
from tests.factories import UserFactory
from workflow import calendar_feed

from .test_dispatch import at, listed, sweep_inline

pytestmark = pytest.mark.django_db

NOTE = "Kolla att underlaget från Skaraborg har kommit in."


def person(username: str) -> User:
    return User.objects.get(username=username)


def compilation(seed):
    return seed.milestones.get(kind="compilation")


def rows(watch: WatchDate):
    return Reminder.objects.filter(subject_key=watch_dates.watch_key(watch))


def test_a_watch_date_is_one_reminder_of_its_person_at_the_policy_hour(seed004):
    reader = person("ann-charlotte.jarnstrom")  # "för kännedom": may see, nothing more
    watch = watch_dates.set_watch_date(
        person=reader,
        assignment=seed004,
        milestone=compilation(seed004),
        day=dt.date(2025, 10, 7),
        note=NOTE,
    )
    (row,) = rows(watch)
    assert (row.kind, row.recipient, row.state) == ("watch_date", reader, "planned")
    assert row.planned_at == at_hour(dt.date(2025, 10, 7), 8)  # the policy's hour, Swedish time
    assert row.watch_date == watch and row.milestone == compilation(seed004)
    entry = AuditEntry.objects.get(action="watch_date.set")
    assert entry.actor == reader and entry.after["note"] == NOTE
    # theirs alone: not on the assignment's history, which everyone on it reads
    assert entry.assignment_id is None


def test_a_watch_date_on_a_weekend_goes_out_the_next_working_day(seed004):
    watch = watch_dates.set_watch_date(
        person=person("jan.strang"), assignment=seed004, day=dt.date(2025, 10, 4)
    )
    assert rows(watch).get().planned_at.date() == dt.date(2025, 10, 6)


def test_only_someone_who_may_see_the_assignment_sets_one_and_never_in_the_past(seed004):
    with pytest.raises(PermissionDenied):
        watch_dates.set_watch_date(
            person=UserFactory(), assignment=seed004, day=dt.date(2025, 10, 7)
        )
    with pytest.raises(ValidationError):
        watch_dates.set_watch_date(
            person=person("jan.strang"), assignment=seed004, day=dt.date(2025, 9, 30)
        )
    assert (
        not WatchDate.objects.exists()
        and not AuditEntry.objects.filter(action__startswith="watch_date").exists()
    )


def test_the_presets_follow_the_working_day_calendar():
    friday = dt.date(2025, 10, 3)
    assert watch_dates.preset_day("tomorrow", today=friday, due=None) == dt.date(2025, 10, 6)
    assert watch_dates.preset_day("in_a_week", today=friday, due=None) == dt.date(2025, 10, 10)
    sunday_30_nov = dt.date(2025, 11, 30)
    assert watch_dates.preset_day("before_due", today=friday, due=sunday_30_nov) == dt.date(
        2025, 11, 27
    )
    assert watch_dates.preset_day("before_due", today=friday, due=None) is None


def test_only_its_person_removes_it_which_cancels_its_reminder_audited(seed004):
    jan = person("jan.strang")
    watch = watch_dates.set_watch_date(person=jan, assignment=seed004, day=dt.date(2025, 10, 7))
    with pytest.raises(PermissionDenied):
        watch_dates.cancel_watch_date(watch=watch, person=person("per.albertsson"))
    assert rows(watch).get().state == "planned"

    watch_dates.cancel_watch_date(watch=watch, person=jan)

    assert rows(watch).get().state == "cancelled"
    watch.refresh_from_db()
    assert watch.is_cancelled  # kept, never deleted
    entry = AuditEntry.objects.get(action="watch_date.cancelled")
    assert entry.actor == jan and entry.before == {"cancelled_at": None}
    with pytest.raises(ValidationError):
        watch_dates.cancel_watch_date(watch=watch, person=jan)


def public(seed, is_public: bool) -> Assignment:
    """The assignment marked public within the organisation, or not, behind every writer's
    back (no audit entry, so nothing replans)."""
    Assignment.objects.filter(pk=seed.pk).update(is_public=is_public)
    return Assignment.objects.get(pk=seed.pk)


def test_one_who_may_no_longer_see_the_assignment_is_not_told(seed004, clock):
    outsider = UserFactory(email="utomstaende@example.org")
    watch = watch_dates.set_watch_date(
        person=outsider, assignment=public(seed004, True), day=dt.date(2025, 10, 7)
    )
    assert rows(watch).get().state == "planned"
    public(seed004, False)  # a change no replan saw

    clock.move_to(at("2025-10-07"))
    assert sweep_inline(at("2025-10-07")).count("cancelled") == 1  # the sweep's last word
    assert not Notification.objects.filter(recipient=outsider).exists()

    later = watch_dates.set_watch_date(
        person=outsider, assignment=public(seed004, True), day=dt.date(2025, 10, 20)
    )
    replan_assignment(public(seed004, False))  # what every audited change of it does
    assert rows(later).get().state == "cancelled"


def test_it_arrives_in_the_same_mail_as_the_persons_deadlines_and_in_the_app(seed004, smtp, clock):
    jan = person("jan.strang")
    clock.move_to(at("2025-11-13"))
    sweep_inline(at("2025-11-13"))  # everything older goes first
    smtp.inbox.messages.clear()
    watch = watch_dates.set_watch_date(
        person=jan,
        assignment=seed004,
        milestone=compilation(seed004),
        day=dt.date(2025, 11, 14),  # the day of the ten-working-days reminder
        note=NOTE,
    )

    clock.move_to(at("2025-11-14"))
    sweep_inline(at("2025-11-14"))

    (mail,) = smtp.inbox.to("jan.strang@example.org")
    assert listed(mail) == [
        "Påminnelse: Sammanställning (RS 2024-05699) ska vara klar 30 nov",
        "Påminn mig: Sammanställning (RS 2024-05699), 14 nov",
    ]
    assert NOTE in mail.get_body(preferencelist=("plain",)).get_content()
    ics = next(p for p in mail.iter_attachments() if p.get_content_type() == "text/calendar")
    assert f"UID:watch-{watch.pk}@" in ics.get_content()
    notification = Notification.objects.get(
        recipient=jan, verb="Påminn mig: Sammanställning (RS 2024-05699), 14 nov"
    )
    assert notification.data["reminder"] == rows(watch).get().pk
    assert rows(watch).get().state == "sent"
    sweep_inline(at("2025-11-14", minute=31))
    assert len(smtp.inbox.to("jan.strang@example.org")) == 1  # once


def test_a_reply_acts_on_the_milestone_only_for_one_who_may_comment_on_it(seed004, settings):
    settings.REPLY_ADDRESS = "uppdrag+{token}@region.example"
    day = dt.date(2025, 10, 7)
    milestone = compilation(seed004)
    per = person("per.albertsson")  # a commissioner: comments on a milestone
    reader = person("ann-charlotte.jarnstrom")  # reads only
    for someone in (per, reader):
        watch_dates.set_watch_date(person=someone, assignment=seed004, milestone=milestone, day=day)
    on_the_assignment = watch_dates.set_watch_date(person=per, assignment=seed004, day=day)

    def numbered(someone, watch=None):
        rows_ = Reminder.objects.filter(kind="watch_date", recipient=someone)
        row = rows_.get(watch_date=watch) if watch else rows_.get(milestone=milestone)
        return compose(row).numbered

    assert numbered(per) == [milestone.pk]
    assert numbered(reader) == [None]  # no reply address: a reply could only be refused
    assert numbered(per, on_the_assignment) == [None]  # nothing a reply could update


def test_the_calendar_feed_holds_the_persons_own_watch_dates_only(seed004):
    jan = person("jan.strang")
    watch = watch_dates.set_watch_date(
        person=jan, assignment=seed004, day=dt.date(2025, 10, 7), note=NOTE
    )
    watch_dates.set_watch_date(person=jan, assignment=seed004, day=dt.date(2025, 10, 8))
    watch_dates.cancel_watch_date(watch=WatchDate.objects.get(day=dt.date(2025, 10, 8)), person=jan)
    (item,) = [i for i in calendar_feed.items_for(jan) if i.subject_key.startswith("watch:")]
    assert item.subject_key == f"watch:{watch.pk}" and item.day == dt.date(2025, 10, 7)
    assert NOTE in item.description and seed004.title in item.summary
    per = person("per.albertsson")
    assert not [i for i in calendar_feed.items_for(per) if i.subject_key.startswith("watch:")]
