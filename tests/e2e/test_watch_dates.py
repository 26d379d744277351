"""A watch date (bevakning, issue 31) as a person sets it on a phone, by keyboard: "Påminn mig"
on a milestone, a preset day and a note; the clock moved to that day, it arrives by mail (a
real SMTP server) and in the app."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from reminders import watch_dates
from reminders.models import WatchDate
from tests.reminders.conftest import smtp  # noqa: F401 (the fixture)
from tests.reminders.test_dispatch import sweep_inline

from .conftest import assert_accessible, login

PHONE = {"width": 390, "height": 844}
NOTE = "Stäm av underlaget med Skaraborg."


def test_a_watch_date_set_with_a_note_arrives_by_mail_and_in_the_app(
    site,
    new_page,
    smtp,  # noqa: F811
):
    milestone = site.assignment.milestones.exclude(status__in=["done", "cancelled"]).first()
    page = new_page()
    page.set_viewport_size(PHONE)
    login(page, site, "jan.strang")
    page.goto(site.url(f"/uppdrag/{site.assignment.pk}/"))
    page.get_by_role("link", name=f"Påminn mig – {milestone.title}").click()
    page.wait_for_selector("#watch-form")
    assert_accessible(page, "Påminn mig on a phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.get_by_label("Påminn mig om").input_value() == str(milestone.pk)
    page.get_by_label("Om en vecka").check()
    page.get_by_label("Anteckning").fill(NOTE)
    page.get_by_role("button", name="Påminn mig").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/uppdrag/{site.assignment.pk}/"))
    assert "Du blir påmind" in page.locator(f"#milestone-{milestone.pk}").inner_text()
    day = watch_dates.preset_day("in_a_week", today=timezone.localdate(), due=None)
    watch = WatchDate.objects.get(person__username="jan.strang")
    assert (watch.day, watch.milestone, watch.note) == (day, milestone, NOTE)
    page.goto(site.url("/"))
    assert NOTE in page.locator("#watch-dates").inner_text()

    that_morning = dt.datetime.combine(day, dt.time(8, 30), tzinfo=ZoneInfo("Europe/Stockholm"))
    with time_machine.travel(that_morning, tick=True):
        sweep_inline(timezone.now())

        mails = smtp.inbox.to("jan.strang@example.org")
        texts = [m.get_body(preferencelist=("plain",)).get_content() for m in mails]
        assert [t for t in texts if "Påminn mig: " in t and NOTE in t], texts
        login(page, site, "jan.strang")  # a week later: the session has ended
        unread = page.locator("#unread-notifications").inner_text()
        assert f"Påminn mig: {milestone.get_kind_display()} (" in unread and NOTE in unread
