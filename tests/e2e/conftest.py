"""Browser tests: Playwright for Python driving Debian's /usr/bin/chromium against Django's live
server with the demo data (seed 004). Each test saves a full-page screenshot under artifacts/.

A missing chromium or axe-core is an error, not a skip: `.ci/run` installs chromium with apt-get
and `make test` installs axe-core from npm.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import failed

# Playwright's sync API runs an asyncio loop in the test thread; Django's ORM refuses to run
# inside one unless told the caller knows there is no concurrency (there is none here).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DEMO_PASSWORD = "demo-e2e-lösen"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: apt-get install chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, django_db_reset_sequences, monkeypatch):
    """The demo data served by the live server; `site.url(path)` builds addresses."""
    from assignments.models import Assignment
    from tests.seeding import load_demo

    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
    load_demo()  # the command's rows, copied back after the worker's first run (tests.seeding)

    class Site:
        base = live_server.url
        password = DEMO_PASSWORD
        assignment = Assignment.objects.get(
            registration_number="RS 2024-05699", state__in=Assignment.OPEN_STATES
        )

        def url(self, path: str) -> str:
            return self.base + path

    return Site()


@pytest.fixture
def new_page(browser, request):
    """new_page() opens a fresh browser session (one person); each is screenshotted at the end
    of a test that failed (a picture of every page of every passing test cost the suite
    seconds a test and nobody looked at them)."""
    contexts = []

    def make():
        context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    ARTIFACTS.mkdir(exist_ok=True)
    for i, context in enumerate(contexts):
        if failed(request.node):
            for page in context.pages:
                name = request.node.name + (f"-{i + 1}" if len(contexts) > 1 else "")
                page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        context.close()


def login(page, site, username: str):
    page.goto(site.url("/accounts/login/"))
    page.fill("#id_username", username)
    page.fill("#id_password", site.password)
    page.click("main button[type=submit]")
    page.wait_for_url(site.url("/"))


def assert_accessible(page, label: str) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation on the page as it is now."""
    assert AXE.exists(), "axe-core is missing: run `make test` (npm install)"
    # evaluated through the browser's own protocol, which the page's Content Security Policy
    # does not govern (a <script> tag added to the page would be an inline script it refuses)
    page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
            });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary),
            }));
        }""",
        WCAG_TAGS,
    )
    assert violations == [], f"{label}: " + json.dumps(violations, indent=1, ensure_ascii=False)


# Runs in every document before its own scripts; the browser reports here each inline script,
# style or resource the policy blocked, whether or not it also logs it.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
    window.reportCspViolation(
        `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} `
        + `(${event.sourceFile || document.location.pathname}:${event.lineNumber})`
    );
});
"""


class Console:
    """One person's browser context and what its pages said: CSP violations and errors."""

    def __init__(self, page):
        self.page = page
        self.violations: list[str] = []
        self.errors: list[str] = []
        self.walked: list[str] = []
        page.context.expose_binding("reportCspViolation", self._violation)
        page.context.add_init_script(CSP_LISTENER)
        page.context.on("page", self._watch)
        self._watch(page)

    def _violation(self, source, text: str) -> None:
        self.violations.append(f"{source['page'].url}: {text}")

    def _watch(self, page) -> None:
        def console(message) -> None:
            where = f"{page.url}: [{message.type}] {message.text}"
            if "Content Security Policy" in message.text:
                self.violations.append(where)
            elif message.type == "error":
                self.errors.append(where)

        page.on("console", console)
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))

    def _visit(self, page, site, path: str) -> None:
        response = page.goto(site.url(path))
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        assert "content-security-policy" in response.headers, f"{path}: no policy"
        # one animation frame: the page's own scripts (viewflow's components) have run
        page.evaluate("() => new Promise((done) => requestAnimationFrame(() => done()))")
        self.walked.append(path)

    def walk(self, site, paths: list[str]) -> None:
        for path in paths:
            self._visit(self.page, site, path)

    def open_alone(self, site, path: str) -> None:
        """A document opened in a tab of its own, as the flow chart (an SVG image) is."""
        tab = self.page.context.new_page()
        self._visit(tab, site, path)
        tab.close()
