"""Every page each role reaches, on a phone (390 × 844) and on a laptop (1366 × 768), in
Chromium with the site's CSS and scripts (issue 17, item 1): a Content Security Policy on
every page and no console error or violation of it (issue 15; the flow charts too: a page with
the menu for the assignee, opened in a tab of their own for the other roles), no horizontal
scrolling of the page (a wide table scrolls inside its own region), no axe violation, and on
pages with the menu: the menu button opens and closes it by mouse and by keyboard, its focus
visible and its aria-expanded true to the menu; on the assignment page on a phone, every
action button inside the window (issue 29: not in a table column scrolled out of view).

One browser context per role, each page loaded afresh at each size. What differs between the sizes
of a page is its layout; its markup is the same but for the side menu, which the laptop shows and
the phone hides. So axe reads every page at the phone size, and at the laptop size the first page
of each part of the site (its first path segment) per role, where the menu is new; the menu's
button is tried on the role's first page that has it, at both sizes (the same template and script
on every page; trying it on each part's first page took a sixth of the walk); every page with a
finding is photographed, and the start page with its menu toggled. The findings of the whole walk
are reported together, counted per check (and written to findings.txt beside the screenshots,
var/screenshots/responsive/<size>/<role>/). Pages that are the same for everyone logged in (groups,
settings, password change) are walked by the first role only; the superuser walks the admin pages
that differ from the registrar's. The browser asks for reduced motion, which uppdrag.css answers
with a menu that opens without sliding: the same script, no waiting.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assignments.models import Assignment, Delivery, Group, Milestone, OrgUnit, User
from reminders import watch_dates
from reminders.models import Reminder, ReminderPolicy
from tests.registration_helpers import read_waiting_imports
from workflow import services
from workflow.flows import AssignmentFlow
from workflow.models import AssignmentProcess

from .conftest import AXE, ROOT, WCAG_TAGS, Console, login
from .test_register import imported_docx

SCREENSHOTS = ROOT / "var" / "screenshots" / "responsive"


def _axe_version() -> str:
    package = json.loads((AXE.parent / "package.json").read_text(encoding="utf-8"))
    return package["version"]


VIEWPORTS = {"phone": (390, 844), "laptop": (1366, 768)}
FLOW = "/workflow/uppdrag/assignment"
CHECKS = ("console", "scroll", "axe", "menu", "actions")
ASSIGNMENT_PAGE = re.compile(r"^/uppdrag/\d+/$")
AXE_SOURCE = AXE.read_text(encoding="utf-8")

# The assignment page's action buttons (each milestone's status buttons, "Flytta slutdatum",
# its cancel button) that lie sideways outside the window: on a phone they are on the
# milestone's card, not in a column scrolled out of view (issue 29, item 2).
ACTIONS_OUTSIDE = """() => [...document.querySelectorAll(
        '#milestones button, #milestones summary')].filter((el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && (box.left < 0 || box.right > window.innerWidth + 1);
}).map((el) => el.textContent.trim().replace(/\\s+/g, ' ') + ' '
    + Math.round(el.getBoundingClientRect().left) + 'px')"""
# Where a horizontal scroll comes from: the innermost elements that reach past the window's
# right edge, leaving out those inside a scrolling region of their own.
OVERFLOW = """() => {
    const width = window.innerWidth;
    const past = [...document.querySelectorAll('body *')].filter((el) => {
        const box = el.getBoundingClientRect();
        if (box.right <= width + 1 || box.width === 0) return false;
        for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
            if (getComputedStyle(up).overflowX !== 'visible') return false;
        }
        return true;
    });
    const innermost = past.filter((el) => ![...el.children].some((child) => past.includes(child)));
    const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + (typeof el.className === 'string' && el.className.trim()
            ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    return innermost.slice(0, 4).map(
        (el) => name(el) + ' ' + Math.round(el.getBoundingClientRect().right) + 'px');
}"""
AXE_RUN = """async (tags) => {
    const result = await axe.run(document, {
        runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
    });
    return result.violations.map((v) => v.id + ' (' + v.nodes.length + '): '
        + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', '));
}"""
# What the menu and its button say now: open (and not closing), aria-expanded, the focused
# element's name and whether it shows its focus.
MENU_STATE = """() => {
    const drawer = document.querySelector('.vf-page__menu');
    const toggle = document.querySelector('.vf-page__menu-toggle');
    const classes = drawer.classList;
    const focused = document.activeElement;
    const style = getComputedStyle(focused);
    return {
        open: classes.contains('mdc-drawer--open') && !classes.contains('mdc-drawer--closing'),
        visible: drawer.getBoundingClientRect().right > 0
            && getComputedStyle(drawer).visibility !== 'hidden'
            && getComputedStyle(drawer).display !== 'none',
        expanded: toggle.getAttribute('aria-expanded'),
        onToggle: focused === toggle,
        inMenu: drawer.contains(focused),
        focusVisible: focused.matches(':focus-visible')
            && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    };
}"""


def _person(username: str) -> User:
    return User.objects.get(username=username)


def _slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "start"


def _task_pages(process, node: str, *actions: str, owner: User | None = None) -> list[str]:
    tasks = process.task_set.filter(flow_task=getattr(AssignmentFlow, node)).order_by("pk")
    task = (tasks.filter(owner=owner) if owner else tasks).first()
    return [f"{FLOW}/{process.pk}/{node}/{task.pk}/{action}/" for action in actions]


class Walk:
    """The findings of the walk per check, how many pages and menus it saw and where the time
    went."""

    def __init__(self):
        self.findings: dict[str, list[str]] = defaultdict(list)
        self.pages = 0
        self.axed = 0  # page views axe read
        self.menus = 0
        self.seconds: dict[str, float] = defaultdict(float)
        self._seen: dict[int, tuple[int, int]] = {}
        self._parts: set[tuple[str, str, str]] = set()
        self._menus_tried: set[tuple[str, str]] = set()

    def first_of_its_part(self, role: str, viewport: str, path: str) -> bool:
        """Whether this page is the role's first at this size in its part of the site."""
        part = (role, viewport, path.strip("/").split("/", 1)[0])
        new = part not in self._parts
        self._parts.add(part)
        return new

    def menu_untried(self, role: str, viewport: str) -> bool:
        """Whether the role's menu button is still to be tried at this size: once each, on the
        first page that has it (the same template and script on every page)."""
        return (role, viewport) not in self._menus_tried

    def menu_tried(self, role: str, viewport: str) -> None:
        self._menus_tried.add((role, viewport))
        self.menus += 1

    def fail(self, check: str, where: str, what: str) -> None:
        self.findings[check].append(f"{where}: {what}")

    @property
    def found(self) -> int:
        return sum(len(found) for found in self.findings.values())

    @contextmanager
    def timed(self, phase: str):
        started = time.monotonic()
        yield
        self.seconds[phase] += time.monotonic() - started

    def console_news(self, console: Console) -> list[str]:
        """What the console said since the last call for it."""
        errors, violations = self._seen.get(id(console), (0, 0))
        self._seen[id(console)] = (len(console.errors), len(console.violations))
        return console.errors[errors:] + console.violations[violations:]

    def report(self, limit: int | None = 60) -> str:
        counts = ", ".join(f"{check} {len(self.findings[check])}" for check in CHECKS)
        times = ", ".join(f"{phase} {seconds:.0f} s" for phase, seconds in self.seconds.items())
        seen = f"{self.pages} page views ({self.axed} read by axe), {self.menus} menus"
        lines = [f"{seen}; failures: {counts}; {times}"]
        for check in CHECKS:
            lines += [f"-- {check}", *self.findings[check][:limit]]
        return "\n".join(lines)


def _screenshot(walk: Walk, page, folder: Path, path: str) -> None:
    with walk.timed("screenshots"):
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{_slug(path)}.png"), full_page=True)


def check_page(walk: Walk, console: Console, site, role: str, viewport: str, path: str):
    """Open the page and check it: status, console, horizontal scroll, menu, axe."""
    page = console.page
    where = f"{role} {viewport} {path}"
    first = walk.first_of_its_part(role, viewport, path)
    found = walk.found
    with walk.timed("load"):
        response = page.goto(site.url(path))
        # one animation frame: the page's own scripts (viewflow's components) have run
        page.evaluate("() => new Promise((done) => requestAnimationFrame(() => done()))")
    walk.pages += 1
    if response is None or not response.ok:
        walk.fail("console", where, f"status {response and response.status}")
    elif "content-security-policy" not in response.headers:
        walk.fail("console", where, "no Content-Security-Policy header")
    assert page.evaluate(
        "() => [...document.styleSheets].some((s) => (s.href || '').includes('/static/'))"
    ), f"{where}: no stylesheet loaded"

    width, window = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if width > window:
        walk.fail("scroll", where, f"{width} > {window} px; {page.evaluate(OVERFLOW)}")

    if viewport == "phone" and ASSIGNMENT_PAGE.match(path):
        for button in page.evaluate(ACTIONS_OUTSIDE):
            walk.fail("actions", where, f"outside the window: {button}")

    folder = SCREENSHOTS / viewport / role

    menu = first and walk.menu_untried(role, viewport)
    if menu and page.locator(".vf-page__menu-toggle").count():
        walk.menu_tried(role, viewport)
        with walk.timed("menu"):
            shot = folder / "menu-toggled.png" if path == "/" else None
            for problem in check_menu(page, viewport, shot):
                walk.fail("menu", where, problem)

    for line in walk.console_news(console):
        walk.fail("console", where, line)
    if walk.found != found:  # a picture of each page with a finding
        _screenshot(walk, page, folder, path)

    # Last: axe reads the page's style sheets into <style> elements of its own, which the
    # Content Security Policy refuses and reports. Those reports are axe's, not the page's,
    # and are left out (the next page's console starts after them).
    if viewport != "phone" and not first:
        return
    walk.axed += 1
    with walk.timed("axe"):
        page.evaluate(AXE_SOURCE)
        for violation in page.evaluate(AXE_RUN, WCAG_TAGS):
            walk.fail("axe", where, violation)
    walk.console_news(console)


def _wait_menu(page, open_: bool) -> None:
    page.wait_for_function(
        """(open) => {
            const classes = document.querySelector('.vf-page__menu').classList;
            const moving = ['animate', 'opening', 'closing'].some(
                (name) => classes.contains('mdc-drawer--' + name));
            return !moving && classes.contains('mdc-drawer--open') === open;
        }""",
        arg=open_,
        timeout=2000,
    )


def check_menu(page, viewport: str, shot: Path | None = None) -> list[str]:
    """The menu button toggles the menu by mouse, then by keyboard; what went wrong. `shot`:
    where to save a picture of the page with its menu toggled (opened on a phone)."""
    problems = []
    toggle = page.locator(".vf-page__menu-toggle")

    def state():
        return page.evaluate(MENU_STATE)

    def expect(open_: bool, how: str) -> bool:
        try:
            _wait_menu(page, open_)
        except Exception:
            problems.append(f"{how}: the menu did not {'open' if open_ else 'close'}")
            return False
        # the drawer's classes settle a frame before its box may: wait for the box too
        try:
            page.wait_for_function(
                f"(open) => ({MENU_STATE})().visible === open", arg=open_, timeout=2000
            )
        except Exception:
            problems.append(f"{how}: menu {'hidden' if open_ else 'still on screen'}")
        now = state()
        if now["expanded"] != str(open_).lower():
            problems.append(f"{how}: aria-expanded={now['expanded']} with the menu open={open_}")
        return True

    initially_open = state()["open"]
    if now_expanded := state()["expanded"]:
        if now_expanded != str(initially_open).lower():
            problems.append(f"on load: aria-expanded={now_expanded}, open={initially_open}")
    else:
        problems.append("the menu button has no aria-expanded")

    # by mouse: twice, back to where it was
    toggle.click()
    if not expect(not initially_open, "click"):
        return problems
    if shot:
        page.screenshot(path=str(shot))
    if viewport == "phone":
        # the modal menu covers the button: the scrim (outside the menu) closes it
        page.mouse.click(385, 400)
    else:
        toggle.click()
    if not expect(initially_open, "second click"):
        return problems

    # by keyboard: Tab from the top of the page (its first stop, the skip link) to the button
    page.locator(".uppdrag-skip").focus()
    for _ in range(30):
        page.keyboard.press("Tab")
        if state()["onToggle"]:
            break
    else:
        problems.append("Tab never reaches the menu button")
        return problems
    if not state()["focusVisible"]:
        problems.append("the menu button shows no focus")
    page.keyboard.press("Enter")
    if not expect(not initially_open, "Enter"):
        return problems
    now = state()
    if not initially_open:
        # the modal menu takes the focus; Escape closes it and gives the focus back
        if not now["inMenu"]:
            problems.append("the opened menu did not take the focus")
        page.keyboard.press("Escape")
        if not expect(False, "Escape"):
            return problems
        if not state()["onToggle"]:
            problems.append("Escape did not return the focus to the menu button")
    else:
        # the side menu: Space opens it again; Escape from inside it closes it and gives the
        # focus back to the button; Enter opens it again, as the next page expects
        page.keyboard.press("Space")
        if not expect(True, "Space"):
            return problems
        if not state()["inMenu"]:  # (Material focuses the current page's entry, if any)
            page.keyboard.press("Shift+Tab")
        if not state()["inMenu"]:
            problems.append("Shift+Tab from the menu button does not reach the menu")
            return problems
        page.keyboard.press("Escape")
        if not expect(False, "Escape"):
            return problems
        if not state()["onToggle"]:
            problems.append("Escape did not return the focus to the menu button")
            return problems
        page.keyboard.press("Enter")
        expect(True, "Enter after Escape")
    return problems


def _uploaded_for_review(page, site, tmp_path) -> str:
    """An uppdragshandling uploaded as the registrar does it: the review page's path."""
    page.goto(site.url("/uppdrag/nytt/"))
    page.set_input_files("#id_document", str(imported_docx(tmp_path)))
    page.click("#import-submit")
    page.wait_for_selector("#import-status")
    read_waiting_imports(isolated=True)
    page.wait_for_selector("#source-heading")
    path = page.url.removeprefix(site.base)
    assert path.startswith("/uppdrag/nytt/granska/"), path
    return path


@pytest.mark.long
def test_every_page_fits_a_phone_and_a_laptop_for_every_role(site, browser, tmp_path):
    assignment = site.assignment
    process = AssignmentProcess.of(assignment).first()
    group = Group.objects.filter(is_archived=False).order_by("name").first()
    jan = _person("jan.strang")
    pk = assignment.pk

    # Jan's watch date: his start page lists it, as does his "Påminn mig" page (watch.html)
    watch_dates.set_watch_date(
        person=jan,
        assignment=assignment,
        milestone=assignment.milestones.order_by("pk").first(),
        day=dt.date.today() + dt.timedelta(days=7),
        note="Stäm av underlaget med Skaraborg innan mötet i samordningsgruppen på torsdag.",
    )
    # what every role has a view of its own of: its tasks, notifications, assignment
    own = [
        "/",
        "/notiser/",
        f"{FLOW}/inbox/",
        f"{FLOW}/queue/",
        f"{FLOW}/archive/",
        f"/uppdrag/{pk}/",
        f"/uppdrag/{pk}/audit/",
        f"/uppdrag/{pk}/versioner/",  # seed 004 supersedes an earlier version
        f"{FLOW}/{process.pk}/",
    ]
    # the same for everyone logged in (the menu aside): walked by the first role only
    shared = [
        "/grupper/",
        f"/grupper/{group.pk}/",
        "/installningar/",
        "/installningar/franvaro/",
        "/accounts/password_change/",
        "/accounts/password_change/done/",
    ]
    draft = Assignment.objects.filter(state=Assignment.State.DRAFT).order_by("pk").first()
    registry = [
        "/portfolj/",
        "/portfolj/?state=adopted&sort=title",
        "/aterrapportering/",
        f"/aterrapportering/?scope=group:{group.pk}&period=ytd",
        "/uppdrag/nytt/",
        "/arkiv/",  # the audit trail's export and the e-arkiv packages
        f"/uppdrag/{draft.pk}/redigera/",
        f"{FLOW}/",
        f"{FLOW}/flows/",
        f"{FLOW}/tasks/",
    ]

    def admin(app: str, model: str, obj) -> list[str]:
        base = f"/admin/{app}/{model}/"
        return [base, f"{base}{obj.pk}/change/"]

    def registrar_admin() -> list[str]:
        return [
            "/admin/",
            *admin("assignments", "assignment", assignment),
            "/admin/assignments/assignment/add/",
            f"/admin/assignments/assignment/{pk}/history/",
            *admin("assignments", "milestone", Milestone.objects.filter(assignment=assignment)[0]),
            *admin("assignments", "delivery", Delivery.objects.filter(assignment=assignment)[0]),
            *admin("assignments", "user", jan),
            *admin("assignments", "group", group),
            *admin("assignments", "orgunit", OrgUnit.objects.order_by("pk")[0]),
            "/admin/assignments/auditentry/",
            "/admin/assignments/absence/",
            "/admin/assignments/absence/add/",
            *admin(
                "reminders",
                "reminderpolicy",
                ReminderPolicy.objects.get_or_create(subject="compilation")[0],
            ),
            *admin("reminders", "reminder", Reminder.objects.order_by("pk")[0]),
        ]

    def superuser_admin() -> list[str]:
        # the forms that differ from the registrar's (privileges, policies), and other
        # libraries' tables, the superuser's alone
        return [
            "/admin/",
            *admin("assignments", "assignment", assignment),
            f"/admin/assignments/user/{jan.pk}/change/",
            admin(
                "reminders",
                "reminderpolicy",
                ReminderPolicy.objects.get_or_create(subject="compilation")[0],
            )[1],
            "/admin/auth/group/",
            "/admin/viewflow/process/",
            "/admin/viewflow/task/",
            "/admin/django_celery_beat/periodictask/",
            "/admin/notifications/notification/",
            "/admin/axes/accessattempt/",
        ]

    reset = f"/accounts/reset/{urlsafe_base64_encode(force_bytes(jan.pk))}/"
    anonymous = [
        "/accounts/login/",
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
        reset + default_token_generator.make_token(jan) + "/",  # on to the set-password form
        "/accounts/reset/done/",
        "/admin/login/",
        "/tillganglighet/",  # the accessibility statement, linked from every page
    ]
    # while the assignment is worked on: the milestone buttons, the delivery form, the task
    before_the_delivery = {
        "reader": ("ann-charlotte.jarnstrom", own + shared),
        "member": ("erica.sandberg", own + _task_pages(process, "work", "detail")),
        "assignee": (
            "jan.strang",
            own
            + [f"/uppdrag/{pk}/process/", f"/uppdrag/{pk}/paminn-mig/"]
            + _task_pages(process, "work", "detail", "execute")
            + [f"{FLOW}/queue/assign/", f"{FLOW}/inbox/unassign/"],
        ),
    }

    # the flow chart on its own: the flow's, and this process's for those who take part in it
    charts = [f"{FLOW}/chart/", f"{FLOW}/{process.pk}/chart/"]

    walk = Walk()
    contexts = []

    def walk_as(role: str, username: str | None, paths, prepare=None, alone=()) -> None:
        """`prepare(page)`, once logged in, gives more paths: pages that exist only in the
        person's session (an upload waiting for review). `alone`: documents opened in a tab
        of their own, as the flow chart (an SVG image) is: their console is checked."""
        context = browser.new_context(
            locale="sv-SE", timezone_id="Europe/Stockholm", reduced_motion="reduce"
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        console = Console(context.new_page())
        if username:
            login(console.page, site, username)
        if prepare:
            paths = [*paths, *prepare(console.page)]
        for viewport, (width, height) in VIEWPORTS.items():
            console.page.set_viewport_size({"width": width, "height": height})
            for path in paths:
                check_page(walk, console, site, role, viewport, path)
        for path in alone:
            console.open_alone(site, path)
            for line in walk.console_news(console):
                walk.fail("console", f"{role} {path}", line)
        context.close()

    try:
        walk_as("anonymous", None, anonymous)
        for role, (username, paths) in before_the_delivery.items():
            if role == "assignee":  # the chart pages as pages: layout, menu, axe (issue 29, 8)
                walk_as(role, username, [*paths, *charts])
            else:
                walk_as(role, username, paths)
        # once delivered: the decision page and the approval task, the record for the registry
        services.submit_delivery(assignment=assignment, actor=jan, summary="Förslag, version 1")
        per = _person("per.albertsson")
        walk_as(
            "decision-maker",
            per.username,
            own
            + ["/portfolj/", "/aterrapportering/", f"/uppdrag/{pk}/beslut/"]
            + _task_pages(process, "approve", "detail", "execute", owner=per),
            alone=charts,
        )
        walk_as("regional director", "regiondirektor", ["/", "/notiser/", "/portfolj/"])
        walk_as(
            "registrar",
            "registrator",
            own + registry + registrar_admin(),
            prepare=lambda page: [_uploaded_for_review(page, site, tmp_path)],
            alone=charts,
        )
        walk_as("superuser", "admin", [f"{FLOW}/", *superuser_admin()])
    finally:
        for context in contexts:
            context.close()

    SCREENSHOTS.joinpath("findings.txt").write_text(walk.report(limit=None), encoding="utf-8")
    # What `manage.py record_accessibility_assessment` records (docs/records.md): the walk's
    # pages and axe's violations, for the accessibility statement's date of assessment.
    SCREENSHOTS.joinpath("axe-walk.json").write_text(
        json.dumps(
            {
                "tool": f"axe-core {_axe_version()}, WCAG 2.1 A/AA (tests/e2e/test_responsive.py)",
                "pages": walk.axed,
                "violations": len(walk.findings["axe"]),
                "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            }
        ),
        encoding="utf-8",
    )
    assert walk.pages >= 180
    assert not any(walk.findings.values()), walk.report()
