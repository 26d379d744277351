"""Issue 17 in a real browser, the start page "Mina uppdrag": a draft is not late (11)."""

from __future__ import annotations

import datetime as dt

from assignments.models import Assignment, Milestone

from .conftest import assert_accessible, login
from .test_assignment_forms import console_errors


def test_a_draft_with_past_dates_is_late_on_nobodys_start_page(site, new_page):
    today = dt.date.today()
    draft = Assignment.objects.get(registration_number="RS 2025-00112", state="draft")
    adopted = Assignment.objects.get(registration_number="RS 2025-00231", state="adopted")
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
