"""Issue 29 (a working day, round two) in a real browser: a milestone cancelled after a
question and taken up again (1); the assignment page on a 390 px phone, each milestone a card
with its actions in view, and the confirmation in view after an action (2)."""

from __future__ import annotations

import re

from assignments.models import Milestone

from .conftest import ARTIFACTS, assert_accessible, login

PHONE = {"width": 390, "height": 844}

# The action buttons of the assignment page (each milestone's status buttons, its "Flytta
# slutdatum" and its cancel button) that lie outside the window, sideways.
ACTIONS_OUTSIDE = """() => [...document.querySelectorAll(
        '#milestones button, #milestones summary')].filter((el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && (box.left < 0 || box.right > window.innerWidth + 1);
}).map((el) => el.textContent.trim())"""


def in_view(page, selector: str) -> bool:
    return page.evaluate(
        """(selector) => {
            const box = document.querySelector(selector).getBoundingClientRect();
            return box.top >= 0 && box.bottom <= window.innerHeight
                && box.left >= 0 && box.right <= window.innerWidth;
        }""",
        selector,
    )


def test_on_a_phone_each_milestone_is_a_card_with_its_actions_in_view(site, new_page):
    assignment = site.assignment
    compilation = Milestone.objects.get(assignment=assignment, kind="compilation")
    page = new_page()
    page.set_viewport_size(PHONE)
    login(page, site, "jan.strang")
    page.goto(site.url(f"/uppdrag/{assignment.pk}/"))
    assert page.evaluate(ACTIONS_OUTSIDE) == []
    card = page.locator(f"#milestone-{compilation.pk}")
    card.scroll_into_view_if_needed()
    title, done = card.locator("th"), card.get_by_role("button", name=re.compile("^Klar"))
    # title, status and buttons of one milestone together: one card, one screen
    assert card.bounding_box()["width"] <= PHONE["width"]
    assert done.bounding_box()["y"] - title.bounding_box()["y"] < PHONE["height"] / 2
    # the timeline reads: a bar a milestone, wide enough to see
    bars = page.locator(".uppdrag-timeline-phone__bar")
    assert bars.count() == assignment.milestones.count()
    assert all(bars.nth(i).bounding_box()["width"] >= 3 for i in range(bars.count()))
    page.screenshot(path=str(ARTIFACTS / "workday-phone-cards.png"), full_page=True)

    done.click()
    page.wait_for_url(site.url(f"/uppdrag/{assignment.pk}/#milestone-{compilation.pk}"))
    saved = page.locator(f"#milestone-{compilation.pk} .uppdrag-saved")
    assert saved.inner_text() == f"Sparat: ”{compilation.title}” har nu status ”Klar”."
    page.wait_for_function("() => document.activeElement.matches('.uppdrag-saved')")
    assert in_view(page, f"#milestone-{compilation.pk} .uppdrag-saved")
    assert_accessible(page, "assignment page on a phone, after an action")


def test_a_milestone_is_cancelled_after_a_question_and_taken_up_again(site, new_page):
    assignment = site.assignment
    seminars = Milestone.objects.get(assignment=assignment, kind="seminars")
    page = new_page()
    page.set_viewport_size(PHONE)
    login(page, site, "jan.strang")
    page.goto(site.url(f"/uppdrag/{assignment.pk}/"))
    card = page.locator(f"#milestone-{seminars.pk}")
    card.get_by_role("button", name=re.compile("^Avbryt milstolpen")).click()

    # asked first, on a page of its own: "no" changes nothing
    page.wait_for_selector("#confirm-heading")
    assert_accessible(page, "the question before cancelling")
    page.click("#confirm-cancel-no")
    page.wait_for_url(site.url(f"/uppdrag/{assignment.pk}/#milestone-{seminars.pk}"))
    seminars.refresh_from_db()
    assert seminars.status == Milestone.Status.PLANNED

    card.get_by_role("button", name=re.compile("^Avbryt milstolpen")).click()
    page.get_by_label("Varför avbryts milstolpen?").fill("Ersätts av en enkät")
    page.click("#confirm-cancel-yes")
    page.wait_for_url(site.url(f"/uppdrag/{assignment.pk}/#milestone-{seminars.pk}"))
    assert card.locator(".milestone-status").inner_text() == "Avbruten"

    # taken up again, with a reason
    card.get_by_label("Kommentar").fill("Enkäten räcker inte")
    card.get_by_role("button", name=re.compile("^Pågår")).click()
    page.wait_for_url(site.url(f"/uppdrag/{assignment.pk}/#milestone-{seminars.pk}"))
    assert card.locator(".milestone-status").inner_text() == "Pågår"
    assert card.locator(".uppdrag-saved").inner_text().endswith("har nu status ”Pågår”.")


# -- item 7: one font stack, no diarienummer or date broken across lines ----------------------

FONT_STACK = 'Roboto, "Helvetica Neue", Arial, sans-serif'
# Each diarienummer ("RS 2024-05699", "LJ 2013/746") and ISO date in the page's main text whose
# characters lie on more than one line.
BROKEN = """() => {
    const broken = [];
    const pattern = /[A-ZÅÄÖ]{1,4} \\d{4}[-\\/]\\d+|\\d{4}-\\d{2}-\\d{2}/g;
    const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        for (const match of node.textContent.matchAll(pattern)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
            if (lines.size > 1) broken.push(match[0]);
        }
    }
    return broken;
}"""


def test_one_font_stack_everywhere_the_admin_included(site, new_page):
    page = new_page()
    login(page, site, "registrator")
    where = [
        ("/", "body"),
        ("/", ".uppdrag-nav .mdc-list-item__content"),
        ("/", "main h1"),
        ("/workflow/uppdrag/assignment/inbox/", "main"),
        ("/admin/", "body"),
        ("/admin/", "#content h1"),
    ]
    fonts = {}
    for path, selector in where:
        page.goto(site.url(path))
        fonts[f"{path} {selector}"] = page.eval_on_selector(
            selector, "(el) => getComputedStyle(el).fontFamily"
        )
    assert fonts == {key: FONT_STACK for key in fonts}


def test_no_diarienummer_or_date_breaks_across_lines_on_a_phone(site, new_page):
    page = new_page()
    page.set_viewport_size(PHONE)
    login(page, site, "registrator")
    for path in ["/", "/portfolj/", "/aterrapportering/", f"/uppdrag/{site.assignment.pk}/"]:
        page.goto(site.url(path))
        assert page.evaluate(BROKEN) == [], path


# -- item 5: a formset row added in place ------------------------------------------------------


def test_a_row_is_added_in_place_with_the_focus_in_its_first_field(site, new_page):
    page = new_page()
    login(page, site, "registrator")
    page.goto(site.url("/uppdrag/nytt/"))
    rows = page.locator("#rows-milestones > fieldset.uppdrag-row")
    before = rows.count()
    page.evaluate("() => { window.notReloaded = true; }")
    button = page.get_by_role("button", name="Lägg till rad: Tidplan")
    button.scroll_into_view_if_needed()
    scrolled = page.evaluate("() => window.scrollY")
    button.click()
    page.wait_for_function(
        f"() => document.querySelectorAll("
        f"'#rows-milestones > fieldset.uppdrag-row').length === {before + 1}"
    )
    assert page.evaluate("() => window.notReloaded === true")  # no reload
    assert page.evaluate("() => window.scrollY") >= scrolled - 200  # not back at the top
    focused = page.evaluate("() => document.activeElement.name")
    assert focused == f"milestones-{before}-title", focused
    assert page.locator(f"#rows-milestones legend:text-is('Rad {before + 1}')").count() == 1
    assert_accessible(page, "the registration form with a row added")
