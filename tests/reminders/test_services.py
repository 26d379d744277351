import datetime as dt

import pytest
import time_machine

from assignments.models import User
from reminders.models import EVENT_KINDS, Reminder, ReminderPolicy
from reminders.services import plan_digests
from tests.seeding import load_demo
from workflow import services as workflow
from workflow.services import change_milestone_status, move_milestone_due

pytestmark = pytest.mark.django_db


def planned(assignment, **filters):
    """The reminders planned for an assignment's deadlines and decision (the mails of its events,
    sent within the minute, are reminders.events' and tested there)."""
    rows = Reminder.objects.filter(assignment=assignment, state="planned", **filters)
    return rows.exclude(kind__in=EVENT_KINDS)


def local(reminder) -> str:
    from django.utils import timezone

    return timezone.localtime(reminder.planned_at).strftime("%Y-%m-%d %H:%M")


def test_compilation_reminders_follow_the_working_day_calendar(seed004):
    compilation = seed004.milestones.get(kind="compilation")
    rows = {
        (r.kind, r.sequence, r.recipient.username): local(r)
        for r in planned(seed004, milestone=compilation)
    }
    assert rows == {
        ("before_due", 10, "jan.strang"): "2025-11-14 08:00",
        ("before_due", 3, "jan.strang"): "2025-11-25 08:00",
        ("due_day", 0, "jan.strang"): "2025-11-28 08:00",  # Sunday 30 Nov moves to Friday
        ("overdue", 0, "jan.strang"): "2025-12-01 08:00",
        ("escalation", 0, "anders.kullbratt"): "2025-12-05 08:00",
        ("escalation", 0, "per.albertsson"): "2025-12-05 08:00",
    }


def test_final_delivery_deadline_is_planned_for_the_assignee(seed004):
    rows = planned(seed004, milestone=None, subject_key=f"assignment:{seed004.pk}")
    assert {(r.kind, r.recipient.username) for r in rows} >= {
        ("before_due", "jan.strang"),
        ("due_day", "jan.strang"),
        ("overdue", "jan.strang"),
        ("escalation", "per.albertsson"),
    }


def test_information_readers_get_no_deadline_reminders(seed004):
    for username in ["ann-charlotte.jarnstrom", "anna.karevi.verdoes", "angelica.horngren"]:
        assert not Reminder.objects.filter(recipient__username=username).exists()


def test_information_reader_gets_the_digest(seed004):
    plan_digests(dt.date(2025, 10, 1))
    digests = Reminder.objects.filter(kind="digest")
    assert digests.filter(recipient__username="ann-charlotte.jarnstrom").count() == 1
    assert digests.filter(recipient__username="jan.strang").count() == 1


def test_digest_respects_the_opt_out(seed004):
    User.objects.filter(username="ann-charlotte.jarnstrom").update(wants_digest=False)
    plan_digests(dt.date(2025, 10, 1))
    assert not Reminder.objects.filter(
        kind="digest", recipient__username="ann-charlotte.jarnstrom"
    ).exists()


def test_no_digest_on_a_holiday(seed004):
    assert plan_digests(dt.date(2025, 12, 24)) == 0


def test_moving_a_due_date_cancels_the_old_rows_and_plans_new_ones(seed004, people_):
    compilation = seed004.milestones.get(kind="compilation")
    move_milestone_due(
        milestone=compilation,
        actor=people_("jan.strang"),
        new_due=dt.date(2025, 12, 12),
        reason="Seminarier flyttade",
    )
    rows = Reminder.objects.filter(milestone=compilation)
    assert set(rows.filter(state="cancelled").values_list("due_version", flat=True)) == {
        "2025-11-30"
    }
    assert set(rows.filter(state="planned").values_list("due_version", flat=True)) == {"2025-12-12"}
    assert local(rows.get(state="planned", kind="due_day")) == "2025-12-12 08:00"


def test_completing_a_milestone_cancels_its_pending_reminders(seed004, people_):
    compilation = seed004.milestones.get(kind="compilation")
    change_milestone_status(milestone=compilation, actor=people_("jan.strang"), to_status="done")
    assert not Reminder.objects.filter(milestone=compilation, state="planned").exists()
    assert Reminder.objects.filter(milestone=compilation, state="cancelled").count() == 6


def test_planning_twice_creates_nothing_new(seed004):
    from reminders.services import replan_assignment

    before = Reminder.objects.count()
    replan_assignment(seed004)
    replan_assignment(seed004)
    assert Reminder.objects.count() == before


def test_policy_changes_the_lead_times(seed004):
    ReminderPolicy.objects.filter(subject="compilation").update(lead_working_days=[5])
    compilation = seed004.milestones.get(kind="compilation")
    from reminders.deadlines import plan_for_milestone

    plan_for_milestone(compilation)
    assert set(
        planned(seed004, milestone=compilation, kind="before_due").values_list(
            "sequence", flat=True
        )
    ) == {5}


def test_submitted_delivery_plans_decision_waiting_and_an_answer_cancels_it(seed004, people_):
    delivery = workflow.submit_delivery(
        assignment=seed004, actor=people_("jan.strang"), summary="Förslag"
    )
    waiting = Reminder.objects.filter(kind="decision_waiting", delivery=delivery, state="planned")
    assert {r.recipient.username for r in waiting} == {"anders.kullbratt", "per.albertsson"}
    assert local(waiting.first()) == "2025-10-06 08:00"  # three working days after 1 Oct
    workflow.approve_delivery(delivery=delivery, decided_by=people_("anders.kullbratt"))
    assert {r.recipient.username for r in waiting.all()} == {"per.albertsson"}


def test_policy_rejects_bad_lead_times():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        ReminderPolicy(subject="other", lead_working_days=[10, -1]).full_clean()


def test_the_digest_is_planned_at_seven_and_again_for_a_lost_run(seed004):
    """A run lost with its worker is made good by the next half-hourly one (the broker keeps
    no copy of a message being worked on): planning again adds nothing."""
    from django_celery_beat.models import PeriodicTask

    schedule = PeriodicTask.objects.get(task="reminders.digest").crontab.schedule
    assert (sorted(schedule.hour), sorted(schedule.minute)) == ([7, 8, 9], [0, 30])
    assert sorted(schedule.day_of_week) == [1, 2, 3, 4, 5]
    day = dt.date(2025, 10, 1)
    planned = plan_digests(day)
    assert planned >= 2
    assert plan_digests(day) == 0
    assert Reminder.objects.filter(kind="digest", due_version=day.isoformat()).count() == planned


def test_deadlines_passed_before_registration_get_no_reminders(db, clock):
    """Registered mid-flight (#18): a deadline already past on the day the assignment was
    registered is history, not a reason for an overdue or escalation mail; one that passes
    after registration is reminded of as usual. Seed 004 registered on 1 Oct 2025."""

    from assignments.models import Assignment

    load_demo("--seed-only")
    seed004 = Assignment.objects.get(registration_number="RS 2024-05699", state="adopted")
    registered = seed004.created_at.date()
    assert registered == dt.date(2025, 10, 1)
    past = [m for m in seed004.milestones.all() if m.due < registered and not m.is_closed]
    assert past, "seed 004 has open milestones due before 1 Oct 2025"
    assert not Reminder.objects.filter(milestone__in=past).exists()

    # One that passes after registration is reminded of, overdue and escalated.
    compilation = seed004.milestones.get(kind="compilation")
    assert compilation.due >= registered
    assert planned(seed004, milestone=compilation, kind="overdue").exists()
    assert planned(seed004, milestone=compilation, kind="escalation").exists()


def test_a_draft_with_dates_in_the_past_reminds_nobody_of_anything(db):
    """Issue 17, 11: a draft's deadlines are not in force: no reminder, no escalation, no
    digest line, however late its dates are."""
    from django.core.management import call_command

    from reminders.services import replan_assignment
    from tests.factories import AssignmentFactory, DistributionFactory, MilestoneFactory

    day = dt.date(2025, 12, 3)  # a Wednesday
    assignee, commissioner, reader = (User.objects.create(username=n) for n in "abc")
    draft = AssignmentFactory(
        state="draft",
        assignee=assignee,
        commissioners=[commissioner],
        decision_makers=[commissioner],
        delivery_due=day - dt.timedelta(days=20),
        # registered before its dates, so only its being a draft keeps the reminders away
        created_at=dt.datetime(2025, 9, 1, 8, tzinfo=dt.UTC),
    )
    DistributionFactory(assignment=draft, person=reader, purpose="information")
    MilestoneFactory(
        assignment=draft, start=day - dt.timedelta(days=60), due=day - dt.timedelta(days=30)
    )
    with time_machine.travel(dt.datetime(2025, 12, 3, 6, tzinfo=dt.UTC), tick=False):
        replan_assignment(draft)
        assert plan_digests(day) == 0
        call_command("reminders_sweep", "--inline", verbosity=0)
    assert not Reminder.objects.exists()


def test_at_send_time_a_reminder_goes_only_to_one_of_the_deadlines_people(seed004):
    """is_still_due, the sweep's last word: a row left planned by a change no replan saw (here
    an update behind the audit's back) is not sent to someone no longer concerned."""
    from reminders.services import is_still_due

    compilation = seed004.milestones.get(kind="compilation")
    jan_row = planned(seed004, milestone=compilation, kind="due_day").get()
    per_row = (
        planned(seed004, milestone=compilation, kind="escalation")
        .filter(recipient__username="per.albertsson")
        .get()
    )
    assert is_still_due(jan_row) and is_still_due(per_row)
    erica = User.objects.get(username="erica.sandberg")
    type(seed004).objects.filter(pk=seed004.pk).update(assignee=erica)
    seed004.commissioners.remove(per_row.recipient)
    seed004.decision_makers.remove(per_row.recipient)
    jan_row.refresh_from_db()
    per_row.refresh_from_db()
    assert not is_still_due(jan_row)
    assert not is_still_due(per_row)
