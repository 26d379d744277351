"""What a person sees of issue 17's items 9, 10, 13 and 14 in a real browser: the history in
words, task lists that name their assignment, the registrar's admin on a 1366 px screen, and
the timeline, menu, bell and favicon. Pages are drawn with their CSS (served by the test itself:
the live server does not serve static files here), screenshots under artifacts/."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import unquote, urlparse

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone
from playwright.sync_api import expect

from assignments.models import Assignment, Milestone, User
from workflow import services
from workflow import services as registry

from .conftest import ARTIFACTS, assert_accessible, login

COMPILATION = "Sammanställning av material, framtagande av förslag till organisering"


def _person(username: str) -> User:
    return User.objects.get(username=username)


def serve_static(page) -> None:
    """Answer /static/ from the static files finders, as the development server does."""

    def answer(route):
        found = finders.find(unquote(urlparse(route.request.url).path).removeprefix("/static/"))
        if found:
            route.fulfill(path=found)
        else:
            route.fulfill(status=404, body="")

    page.context.route("**/static/**", answer)


@pytest.fixture
def styled_page(new_page):
    """new_page() with the site's CSS and scripts loaded."""

    def make():
        page = new_page()
        serve_static(page)
        return page

    return make


def _has_our_css(page) -> bool:
    return page.evaluate(
        "() => [...document.styleSheets].some(s => (s.href || '').endsWith('uppdrag.css'))"
        " && getComputedStyle(document.querySelector('.uppdrag-skip')).position === 'absolute'"
    )


# -- item 9: the history -------------------------------------------------------------------------


def test_history_tells_what_happened_in_the_readers_language(site, styled_page):
    page = styled_page()
    login(page, site, "jan.strang")
    page.goto(site.url(f"/uppdrag/{site.assignment.pk}/"))
    assert _has_our_css(page)
    milestone = site.assignment.milestones.get(kind="compilation")
    row = page.locator(f"#milestone-{milestone.pk}")
    row.locator("input[name=comment]").fill("Förslaget är sammanställt")
    row.get_by_role("button", name=re.compile("^Klar")).click()
    page.wait_for_selector(".uppdrag-messages")

    history = page.locator("#history")
    assert (
        f"Jan Sträng satte {COMPILATION} till Klar: ”Förslaget är sammanställt”"
        in history.inner_text()
    )
    assert "Anders Kullbratt fastställde uppdraget" in history.inner_text()
    assert "milestone.status_changed" not in history.inner_text()
    assert "{" not in history.inner_text()
    assert_accessible(page, "assignment page history")

    page.get_by_role("button", name="In English").click()
    page.wait_for_selector("html[lang=en]")
    history = page.locator("#history")
    assert f"Jan Sträng set {COMPILATION} to Done: “Förslaget är sammanställt”" in (
        history.inner_text()
    )
    page.get_by_role("link", name="Full audit log").click()
    # the click only starts the navigation: wait for the audit page, not the first bytes of it
    expect(page.locator("#history")).to_contain_text("Anders Kullbratt adopted the assignment")
    page.locator("#history").screenshot(path=str(ARTIFACTS / "history-audit-page-en.png"))
    assert_accessible(page, "audit page")


# -- item 10: the task lists ----------------------------------------------------------------------


def test_the_inbox_names_the_assignment_and_leads_to_its_page(site, styled_page):
    services.submit_delivery(
        assignment=site.assignment, actor=_person("jan.strang"), summary="Förslag"
    )
    page = styled_page()
    login(page, site, "per.albertsson")
    page.locator(".uppdrag-nav").get_by_role("link", name="Inkorg").click()
    row = page.locator("table tbody tr").first
    assert "Beslut om slutleverans" in row.inner_text()
    assert row.inner_text().count("Beslut om slutleverans") == 1
    assert_accessible(page, "inbox")
    page.screenshot(path=str(ARTIFACTS / "inbox-names-the-assignment.png"))
    row.get_by_role("link", name=re.compile(f"^{site.assignment.registration_number}")).click()
    page.wait_for_url(site.url(f"/uppdrag/{site.assignment.pk}/"))
    assert page.locator("#assignment-title").inner_text() == site.assignment.title


# -- item 13: the registrar's admin ---------------------------------------------------------------


def test_the_registrar_edits_a_tidplan_on_a_1366_screen_and_views_it_on_the_site(site, browser):
    draft = Assignment.objects.get(state=Assignment.State.DRAFT)
    context = browser.new_context(
        locale="sv-SE", timezone_id="Europe/Stockholm", viewport={"width": 1366, "height": 768}
    )
    page = context.new_page()
    serve_static(page)
    try:
        page.goto(site.url("/admin/login/"))
        page.fill("#id_username", "registrator")
        page.fill("#id_password", site.password)
        page.click("input[type=submit]")
        page.goto(site.url(f"/admin/assignments/assignment/{draft.pk}/change/"))
        tidplan = page.locator("#milestones-group")
        tidplan.scroll_into_view_if_needed()
        widths = tidplan.evaluate(
            "group => [group.querySelector('table').scrollWidth, group.clientWidth,"
            " document.documentElement.scrollWidth, window.innerWidth]"
        )
        table, room, document, window = widths
        assert table <= room, widths  # the tidplan fits beside the admin's menu
        assert document <= window, widths  # and the page does not scroll sideways
        page.screenshot(path=str(ARTIFACTS / "admin-tidplan-1366.png"))

        page.locator("a.viewsitelink").click()  # "Visa på webbplats"
        page.wait_for_url(site.url(f"/uppdrag/{draft.pk}/"))
        assert page.locator("#assignment-title").inner_text() == draft.title

        page.goto(site.url("/admin/"))
        page.get_by_role("rowheader", name="Påminnelser", exact=True).get_by_role("link").click()
        page.wait_for_url(re.compile("/admin/reminders/reminder/"))
        assert page.locator("#result_list").count() == 1  # the outbox the README points to
    finally:
        context.close()


# -- item 14: timeline, menu, bell, favicon ----------------------------------------------------


def test_timeline_today_marker_and_planned_and_cancelled_bars_differ(site, styled_page):
    seminars = site.assignment.milestones.get(kind="seminars")
    registry.change_milestone_status(
        milestone=seminars,
        actor=_person("jan.strang"),
        to_status=Milestone.Status.CANCELLED,
        comment="Ersätts av en enkät",
    )
    page = styled_page()
    login(page, site, "jan.strang")
    page.goto(site.url(f"/uppdrag/{site.assignment.pk}/"))
    picture = page.locator("#timeline")
    picture.scroll_into_view_if_needed()
    picture.screenshot(path=str(ARTIFACTS / "timeline-today-planned-cancelled.png"))

    today = page.locator("#timeline .uppdrag-today")
    last_due = max(m.due for m in site.assignment.milestones.all())
    if timezone.localdate() > last_due.replace(day=28) + dt.timedelta(days=4):
        assert today.get_attribute("data-edge") == "end"
        assert today.locator("polygon").count() == 1  # the arrow out of the picture
    assert today.locator("text").text_content().startswith("I dag")

    planned = page.locator("#timeline g.uppdrag-bar[data-status=planned] rect").first
    cancelled = page.locator("#timeline g.uppdrag-bar[data-status=cancelled] rect")
    assert planned.get_attribute("fill") == "#fff"  # hollow: not begun
    assert cancelled.get_attribute("fill") == "url(#uppdrag-hatch)"  # struck through
    assert planned.get_attribute("stroke") != cancelled.get_attribute("stroke")
    legend = page.locator("#timeline .uppdrag-legend")
    assert "Planerad" in legend.inner_text() and "Avbruten" in legend.inner_text()
    assert_accessible(page, "assignment page with the timeline")


def test_menu_reaches_the_bottom_bell_in_the_page_font_and_a_favicon(site, styled_page):
    page = styled_page()
    login(page, site, "jan.strang")
    page.goto(site.url("/workflow/uppdrag/assignment/inbox/"))  # a short page
    assert _has_our_css(page)
    menu_bottom, window_height = page.evaluate(
        "() => [document.querySelector('aside.vf-page__menu').getBoundingClientRect().bottom,"
        " window.innerHeight]"
    )
    assert menu_bottom >= window_height - 1
    count_font = page.locator("#notification-count").evaluate(
        "el => getComputedStyle(el).fontFamily"
    )
    main_font = page.locator("main").evaluate("el => getComputedStyle(el).fontFamily")
    assert count_font.split(",")[0] == main_font.split(",")[0] == "Roboto"

    icon = page.locator("link[rel=icon]")
    assert icon.get_attribute("href") == "/static/uppdrag/favicon.svg"
    status, kind = page.evaluate(
        "href => fetch(href).then(r => [r.status, r.headers.get('content-type')])",
        icon.get_attribute("href"),
    )
    assert status == 200 and kind.startswith("image/svg+xml")
    page.screenshot(path=str(ARTIFACTS / "menu-bell-short-page.png"))
