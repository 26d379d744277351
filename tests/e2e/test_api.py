"""The API's pages in a real browser: Swagger UI under the site's Content Security Policy, with
its files from our own origin, and a personal API token created and revoked on "Inställningar"
(issue 19)."""

from __future__ import annotations

from urllib.parse import urlsplit

from .conftest import Console, assert_accessible, login


def test_swagger_ui_renders_the_api_from_our_origin_within_the_csp(site, new_page):
    console = Console(new_page())
    page = console.page
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    console.walk(site, ["/api/docs/"])
    page.wait_for_selector(".opblock-summary-path")  # Swagger UI has read the schema
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/assignments/" in [p.strip().replace("\u200b", "") for p in paths]
    assert page.get_by_text("Uppdrag API").first.is_visible()
    assert hosts == {urlsplit(site.base).netloc}  # no CDN: everything from our origin
    assert console.violations == [] and console.errors == []


def test_a_token_is_created_shown_once_used_and_revoked_on_the_settings_page(site, new_page):
    page = new_page()
    login(page, site, "jan.strang")
    page.goto(site.url("/installningar/"))
    assert_accessible(page, "settings with the API tokens")
    page.get_by_role("link", name="Skapa API-nyckel").click()  # just logged in: no password
    page.fill("#id_name", "Diariet")
    page.get_by_label("Läsa", exact=True).check()
    assert_accessible(page, "the form of a new token")
    page.get_by_role("button", name="Skapa API-nyckel").click()
    page.wait_for_selector("#api-token-secret")
    assert_accessible(page, "the new token")
    secret = page.input_value("#api-token-secret")
    assert secret.startswith("upd_")

    answer = page.request.get(
        site.url("/api/me/tasks/"), headers={"Authorization": f"Bearer {secret}"}
    )
    # the token acts as its person: jan.strang's own work tasks, seed 004's among them
    assert answer.status == 200
    tasks = answer.json()["results"]
    assert tasks and {t["step"] for t in tasks} == {"work"}
    assert "RS 2024-05699" in {t["assignment"]["registration_number"] for t in tasks}

    page.get_by_role("link", name="Tillbaka till inställningarna").click()
    row = page.locator("#api-tokens tbody tr")
    assert row.count() == 1 and "Diariet" in row.inner_text()
    assert secret not in page.content()  # shown once, never again
    page.get_by_role("button", name="Återkalla Diariet").click()
    page.wait_for_selector("text=API-nyckeln ”Diariet” är återkallad.")
    assert page.locator("#api-tokens tbody tr").count() == 0
    answer = page.request.get(
        site.url("/api/me/tasks/"), headers={"Authorization": f"Bearer {secret}"}
    )
    assert answer.status == 401


def test_the_settings_page_fits_a_phone(site, browser):
    context = browser.new_context(locale="sv-SE", viewport={"width": 390, "height": 844})
    page = context.new_page()
    login(page, site, "jan.strang")
    page.goto(site.url("/installningar/api-nycklar/"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.fill("#id_name", "Power BI")
    page.get_by_role("button", name="Skapa API-nyckel").click()
    page.wait_for_selector("#api-token-secret")
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 390
