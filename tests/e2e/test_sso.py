"""Single sign-on in a real browser (issue 19): "Logga in med regionens konto" leads to the
region's provider (a real OpenID provider on 127.0.0.1, tests/oidc_provider.mjs), whose login
and consent end on "Mina uppdrag"; logging out ends both sessions."""

from __future__ import annotations

import pytest

from tests.oidc import PASSWORD, running_provider, switch_on

from .conftest import assert_accessible


@pytest.fixture
def region(live_server, settings, tmp_path):
    """The provider, knowing the live server as its client; single sign-on on."""
    with running_provider(tmp_path, base_urls=[live_server.url]) as provider:
        switch_on(settings, provider)
        yield provider


def test_a_person_signs_in_with_the_regions_account_and_lands_on_my_assignments(
    site, region, new_page
):
    page = new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: m.type == "error" and errors.append(f"{page.url}: {m.text}"))

    page.goto(site.url("/accounts/login/"))
    assert_accessible(page, "login page with single sign-on")
    page.get_by_role("link", name="Logga in med regionens konto").click()
    page.wait_for_url(f"{region.issuer}/interaction/**")
    page.fill("#login", "jan")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("button", name="Godkänn").click()
    page.wait_for_url(site.url("/"))
    assert page.locator("main h1").inner_text() == "Mina uppdrag"
    assert "Jan Sträng" in page.locator(".vf-page__menu-title").inner_text()

    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url(f"{region.issuer}/session/end**")
    page.get_by_role("button", name="Logga ut från regionen").click()
    page.wait_for_url(site.url("/accounts/login/"))
    # the region's session is over too: signing in asks for the password again
    page.get_by_role("link", name="Logga in med regionens konto").click()
    page.wait_for_url(f"{region.issuer}/interaction/**")
    assert page.locator("#password").is_visible()
    assert errors == []
