"""Issue 17 in a real browser, the assignment page's forms: only what the person may do now is
offered (2), and a refused form comes back as typed, its errors beside its fields (5)."""

from __future__ import annotations

import re

from assignments.models import Milestone

from .conftest import assert_accessible, login


def console_errors(page) -> list[str]:
    """Every error the page's console reports from now on (the list fills as they come)."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_after_the_final_delivery_no_milestone_buttons_are_offered(site, new_page):
    assignment = site.assignment
    compilation = Milestone.objects.get(assignment=assignment, kind="compilation")
    page = new_page()
    errors = console_errors(page)
    login(page, site, "jan.strang")
    page.goto(site.url(f"/uppdrag/{assignment.pk}/"))
    row = page.locator(f"#milestone-{compilation.pk}")
    assert row.get_by_role("button", name=re.compile("^Klar")).count() == 1
    assert row.get_by_text("Flytta slutdatum").count() == 1

    page.fill("#id_summary", "Förslag till organisering")
    page.click("#submit-delivery")
    page.wait_for_selector(".uppdrag-messages")
    assert page.locator("#assignment-state").inner_text() == "Slutlevererad"
    assert page.locator("#milestones button").count() == 0
    assert page.locator("#milestones form").count() == 0
    assert page.locator("#milestones").get_by_text("Flytta slutdatum").count() == 0
    assert page.locator("#milestones th", has_text="Uppdatera").count() == 0
    assert_accessible(page, "assignment page after the delivery")
    assert errors == []
