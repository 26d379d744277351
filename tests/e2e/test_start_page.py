"""Issue 17 in a real browser, the start page "Mina uppdrag": the "för kännedom" reader sees
what she follows (6); a draft is not late (11)."""

from __future__ import annotations

import datetime as dt

from assignments.models import Assignment, Distribution, Milestone, User

from .conftest import ARTIFACTS, assert_accessible, login
from .test_assignment_forms import console_errors


def swedish(day: dt.date) -> str:
    """A date as the pages write it in Swedish: 31 aug 2025."""
    months = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    return f"{day.day} {months[day.month - 1]} {day.year}"


def test_a_draft_with_past_dates_is_late_on_nobodys_start_page(site, new_page):
    today = dt.date.today()
    # the demo's generated draft (erica.sandberg's, commissioned by the regional director) and
    # an assignment being worked on, given to the same two people
    draft = Assignment.objects.get(
        title="Översyn av regiongemensamma riktlinjer för inköp", state="draft"
    )
    adopted = Assignment.objects.get(
        title="Samordnad uppföljning av vårdens tillgänglighet", state="in_progress"
    )
    Assignment.objects.filter(pk=adopted.pk).update(assignee=draft.assignee)
    adopted.commissioners.set(draft.commissioners.all())
    # both tidplans lie in the past, whatever day the test runs
    Milestone.objects.filter(assignment__in=[draft, adopted]).update(
        start=today - dt.timedelta(days=40), due=today - dt.timedelta(days=10)
    )
    for username, section in [
        ("erica.sandberg", "#mine-heading"),
        ("regiondirektor", "#commissioned-heading"),
    ]:
        page = new_page()
        errors = console_errors(page)
        login(page, site, username)
        listed = page.locator(f"section:has({section}) li")
        assert "försenat" not in listed.filter(has_text=draft.title).inner_text()
        assert "försenat" in listed.filter(has_text=adopted.title).inner_text()
        assert page.locator("#my-milestones").get_by_text(draft.title).count() == 0
        assert_accessible(page, f"start page of {username}")
        assert errors == []

    page.goto(site.url(f"/uppdrag/{draft.pk}/"))
    assert page.locator("#milestones .uppdrag-overdue").count() == 0
    assert page.locator("#timeline [data-overdue=true]").count() == 0


def test_the_reader_sees_the_assignments_she_follows_with_deadline_and_decision(site, new_page):
    reader = User.objects.get(username="ann-charlotte.jarnstrom")
    decided = Assignment.objects.get(
        title="Gemensam struktur för koncernövergripande grupper", state="decided"
    )
    Distribution.objects.get_or_create(assignment=decided, person=reader, purpose="information")
    page = new_page()
    errors = console_errors(page)
    login(page, site, "ann-charlotte.jarnstrom")

    followed = page.locator("section:has(#followed-heading)")
    assert followed.get_by_role("heading").inner_text() == "Uppdrag jag följer"
    seed = followed.locator("li", has_text=site.assignment.title)
    assert "Fastställd · för kännedom" in seed.inner_text()
    # its milestones are past their dates: "försenat", never a "Nästa tidpunkt" in the past
    assert "försenat" in seed.inner_text()
    assert "Nästa tidpunkt" not in seed.inner_text()
    decision = decided.decision
    item = followed.locator("li", has_text=decided.title)
    written = swedish(decision.decided_on)
    assert f"Beslut: {written}, {decision.paragraph_reference}" in item.inner_text()
    assert "Beslutad" in item.inner_text()
    assert_accessible(page, "the reader's start page")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "reader-start-page.png"), full_page=True)

    item.get_by_role("link", name=decided.title).click()
    page.wait_for_url(site.url(f"/uppdrag/{decided.pk}/"))
    assert errors == []
