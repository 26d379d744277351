"""The login, lockout and password-reset pages in a real browser: our layout, Swedish, axe-clean
and without a console error (issue 15, reproduction 6)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from .conftest import assert_accessible


@pytest.fixture
def console(new_page):
    """A fresh page and the list of console errors and uncaught exceptions it has seen.

    Static files are left out: pytest-django's live server serves them only when the app is
    listed as "django.contrib.staticfiles", and ours is config.apps.UppdragStaticFilesConfig,
    so every page of the browser tests loads without its CSS and JavaScript today.
    """
    page = new_page()
    errors: list[str] = []

    def on_console(message):
        where = message.location.get("url", "") + " " + message.text
        if message.type == "error" and "/static/" not in where:
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


@pytest.fixture(autouse=True)
def _empty_cache():
    """The reset throttle counts in the cache, which tests share."""
    cache.clear()
    yield
    cache.clear()


def _assert_ours(page, heading: str) -> None:
    assert page.locator("main h1").inner_text() == heading
    assert page.locator(".uppdrag-skip").count() == 1  # our shell, not the admin's
    assert "Django" not in page.content()
    assert_accessible(page, heading)


def test_a_forgotten_password_is_reset_through_our_pages(site, console, celery_eager):
    page, errors = console
    page.goto(site.url("/accounts/login/"))
    page.get_by_role("link", name="Glömt lösenordet?").click()
    _assert_ours(page, "Glömt lösenordet?")

    page.fill("#id_email", "jan.strang@example.org")
    page.click("main button[type=submit]")
    page.wait_for_url(site.url("/accounts/password_reset/done/"))
    _assert_ours(page, "Kolla din e-post")

    (message,) = mail.outbox
    link = re.search(r"/accounts/reset/\S+/", message.body).group(0)
    page.goto(site.url(link))
    _assert_ours(page, "Välj ett nytt lösenord")

    # two different passwords: a Swedish error, on an accessible page
    page.fill("#id_new_password1", "ett-nytt-lösenord-för-jan")
    page.fill("#id_new_password2", "ett-annat-lösenord")
    page.click("main button[type=submit]")
    expect(page.locator("main")).to_contain_text("De två lösenordsfälten")
    assert_accessible(page, "reset form with errors")

    page.fill("#id_new_password1", "ett-nytt-lösenord-för-jan")
    page.fill("#id_new_password2", "ett-nytt-lösenord-för-jan")
    page.click("main button[type=submit]")
    page.wait_for_url(site.url("/accounts/reset/done/"))
    _assert_ours(page, "Lösenordet är bytt")
    assert errors == []

    # The console is not watched from here on: viewflow's script in the logged-in shell throws
    # on every page once static files are served, which is the console test's business.
    page.locator("main").get_by_role("link", name="Logga in").click()
    page.fill("#id_username", "jan.strang")
    page.fill("#id_password", "ett-nytt-lösenord-för-jan")
    page.click("main button[type=submit]")
    page.wait_for_url(site.url("/"))
    page.goto(site.url("/accounts/password_change/"))
    _assert_ours(page, "Byt lösenord")


def test_the_lockout_and_throttle_pages_are_ours(site, console):
    page, errors = console
    page.goto(site.url("/accounts/login/"))
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.fill("#id_username", "per.albertsson")
        page.fill("#id_password", "fel-lösenord")
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        if page.locator("main h1").inner_text() != "Logga in":
            break
    _assert_ours(page, "Inloggningen är spärrad")
    assert "för många misslyckade inloggningsförsök" in page.locator("main").inner_text()

    page.get_by_role("link", name="Glömt lösenordet?").click()
    for _ in range(settings.PASSWORD_RESET_LIMIT_PER_EMAIL + 1):
        page.fill("#id_email", "per.albertsson@example.org")
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        if page.url.endswith("/done/"):
            page.go_back()
    assert "för många begäranden om nytt lösenord" in page.locator("main").inner_text()
    assert page.locator("#id_email").input_value() == "per.albertsson@example.org"
    _assert_ours(page, "Glömt lösenordet?")
    # only the page's own answer: a 429 is a console "error" in Chromium, nothing else is
    assert [e for e in errors if "429" not in e] == []
