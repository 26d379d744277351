"""The five everyday journeys of issue 5 in a real browser, plus axe-core on the main pages."""

from __future__ import annotations

import re

from django.utils import timezone
from playwright.sync_api import expect

from assignments.models import Approval, Assignment, Milestone, User
from workflow import services

from .conftest import assert_accessible, login


def _person(username: str) -> User:
    return User.objects.get(username=username)


def _submit(assignment, summary="Förslag till organisering, version 1"):
    return services.submit_delivery(
        assignment=assignment, actor=_person("jan.strang"), summary=summary
    )


def test_a_assignee_marks_milestone_done_and_sees_it_on_the_timeline(site, new_page):
    page = new_page()
    login(page, site, "jan.strang")
    milestone = Milestone.objects.get(
        assignment=site.assignment, title__startswith="Sammanställning"
    )
    assert milestone.status != Milestone.Status.DONE

    # from the start page, straight to the milestone
    page.locator("#my-milestones a", has_text="Sammanställning").click()
    row = page.locator(f"#milestone-{milestone.pk}")
    row.locator("input[name=comment]").fill("Förslaget är sammanställt")
    row.get_by_role("button", name=re.compile("^Klar")).click()

    page.wait_for_selector(".uppdrag-messages")
    row = page.locator(f"#milestone-{milestone.pk}")
    assert row.locator(".milestone-status").inner_text() == "Klar"
    assert "Förslaget är sammanställt" in row.inner_text()
    bar = page.locator(f"#timeline g[data-milestone='{milestone.pk}']")
    assert bar.get_attribute("data-status") == "done"
    assert bar.locator(".uppdrag-bar-status").text_content() == "Klar"
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.DONE
    assert milestone.updates.get().comment == "Förslaget är sammanställt"
    assert_accessible(page, "assignment page")


def test_b_decision_maker_returns_delivery_from_start_page(site, new_page):
    _submit(site.assignment)
    page = new_page()
    login(page, site, "per.albertsson")

    waiting = page.locator("#my-tasks")
    assert "Beslut om slutleverans" in waiting.inner_text()
    assert site.assignment.title in waiting.inner_text()
    assert_accessible(page, "start page")

    # the demo has another delivery waiting for Per: this assignment's row
    row = waiting.locator("tr", has_text=site.assignment.title)
    row.get_by_role("link", name="Beslut om slutleverans").click()
    page.wait_for_selector("#return")
    assert "Förslag till organisering, version 1" in page.locator("main").inner_text()
    assert_accessible(page, "decision page")

    # a return without a comment is refused, in Swedish, and nothing changes
    page.click("#return")
    expect(page.locator("#errors")).to_contain_text("Skriv varför leveransen återremitteras")
    assert not Approval.objects.filter(decision_maker__username="per.albertsson").exists()

    page.fill("#id_comment", "Komplettera med en konsekvensanalys.")
    page.click("#return")
    page.wait_for_selector(".uppdrag-messages")
    assert page.locator("#assignment-state").inner_text() == "Pågår"
    approval = Approval.objects.get(decision_maker__username="per.albertsson")
    assert approval.verdict == Approval.Verdict.RETURNED
    assert approval.comment == "Komplettera med en konsekvensanalys."


def test_c_resubmitted_delivery_approved_by_both_is_decided(site, new_page):
    delivery = _submit(site.assignment)
    services.return_delivery(
        delivery=delivery, decided_by=_person("per.albertsson"), comment="Komplettera."
    )

    jan = new_page()
    login(jan, site, "jan.strang")
    jan.goto(site.url(f"/uppdrag/{site.assignment.pk}/"))
    jan.fill("#id_summary", "Förslag till organisering, version 2 med konsekvensanalys")
    jan.click("#submit-delivery")
    jan.wait_for_selector(".uppdrag-messages")
    assert jan.locator("#assignment-state").inner_text() == "Slutlevererad"

    for username in ("anders.kullbratt", "per.albertsson"):
        page = new_page()
        login(page, site, username)
        page.locator("#my-tasks tr", has_text=site.assignment.title).get_by_role(
            "link", name="Beslut om slutleverans"
        ).click()
        expect(page.locator("main")).to_contain_text("version 2")
        page.click("#approve")
        page.wait_for_selector(".uppdrag-messages")

    day = timezone.localdate()
    months = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    today = f"{day.day} {months[day.month - 1]} {day.year}"  # as Swedes write it: 23 nov 2026
    assert page.locator("#assignment-state").inner_text() == "Beslutad"
    assert page.locator("#decision-date").inner_text() == today
    site.assignment.refresh_from_db()
    assert site.assignment.state == Assignment.State.DECIDED
    assert site.assignment.decision.decided_on == timezone.localdate()


def test_d_bell_shows_unread_notification_and_marking_read_clears_it(site, new_page):
    # the demo told Per of its other delivery already: read, so the bell counts this one only
    _person("per.albertsson").notifications.mark_all_as_read()
    _submit(site.assignment)  # the decision-makers are told a decision waits for them
    page = new_page()
    login(page, site, "per.albertsson")
    assert page.locator("#notification-count").inner_text() == "1"

    page.click("#notification-bell")
    item = page.locator("#notifications li").first
    assert "Väntar på ditt beslut" in item.inner_text()
    item.get_by_role("button", name=re.compile("^Markera som läst")).click()
    page.wait_for_url(re.compile("/notiser/"))
    assert page.locator("#notification-count").inner_text() == "0"
    assert _person("per.albertsson").notifications.unread().count() == 0

    # the notification still leads to its object
    page.locator("#notifications li").first.get_by_role(
        "button", name=re.compile("^Väntar på ditt beslut")
    ).click()
    page.wait_for_url(re.compile(f"/uppdrag/{site.assignment.pk}/beslut/"))


def test_e_for_information_reader_sees_read_only_and_post_is_forbidden(site, new_page):
    page = new_page()
    login(page, site, "ann-charlotte.jarnstrom")
    page.goto(site.url(f"/uppdrag/{site.assignment.pk}/"))
    assert page.locator("#assignment-title").inner_text() == site.assignment.title
    assert "Ann-Charlotte Järnström" in page.locator("#for-information").inner_text()
    assert page.locator("main form").count() == 0  # nothing to change
    assert page.locator("#timeline svg[role=img]").count() == 1  # the picture (not a swatch)

    milestone = site.assignment.milestones.order_by("position").first()
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        site.url(f"/uppdrag/{site.assignment.pk}/milestones/{milestone.pk}/status/"),
        form={"to_status": "done", "comment": "inte min"},
        headers={"X-CSRFToken": csrf, "Referer": site.url("/")},
    )
    assert response.status == 403
    status_before = milestone.status
    milestone.refresh_from_db()
    assert milestone.status == status_before


def test_portfolio_and_login_pages_are_accessible(site, new_page):
    page = new_page()
    page.goto(site.url("/accounts/login/"))
    assert_accessible(page, "login page")
    login(page, site, "registrator")
    page.goto(site.url("/portfolj/?state=adopted"))
    assert site.assignment.registration_number in page.locator("#portfolio").inner_text()
    assert_accessible(page, "portfolio")


def test_keyboard_only_skip_link_and_milestone_update(site, new_page):
    page = new_page()
    login(page, site, "jan.strang")
    page.goto(site.url(f"/uppdrag/{site.assignment.pk}/"))
    page.keyboard.press("Tab")
    skip = page.locator(".uppdrag-skip")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"

    milestone = site.assignment.milestones.get(title__startswith="Sammanställning")
    row = page.locator(f"#milestone-{milestone.pk}")
    row.locator("input[name=comment]").focus()
    page.keyboard.type("Via tangentbordet")
    # Tab through the status buttons to "Klar" and press Enter
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.value") == "done":
            break
    assert page.evaluate("document.activeElement.value") == "done"
    page.keyboard.press("Enter")
    page.wait_for_selector(".uppdrag-messages")
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.DONE
    assert milestone.updates.get().comment == "Via tangentbordet"
