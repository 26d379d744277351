"""A new version in a real browser (issue 18, item 4): a commissioner makes "Ny version", the
registrar edits the draft on "Ändra utkastet" (which sends it for adoption, issue 25), the
commissioner adopts it, and the versions page shows what changed; axe-core finds nothing on
the pages, wide or 390 px narrow."""

from __future__ import annotations

import re

from assignments.models import Assignment

from .conftest import ARTIFACTS, assert_accessible, login
from .test_readable import serve_static

NEW_TITLE = "Hälso- och sjukvårdens organisering av verksamhetsutveckling, reviderad"


def test_new_version_edited_adopted_and_compared(site, new_page):
    old = site.assignment
    page = new_page()
    serve_static(page)
    login(page, site, "anders.kullbratt")
    page.goto(site.url(f"/uppdrag/{old.pk}/"))
    assert_accessible(page, "assignment page with its document section")

    page.locator("#new-version summary").click()
    # the old final delivery (2025-12-01) has passed: the new version gets its own
    page.fill("#new-version-delivery-due", "2027-03-31")
    page.click("#make-new-version")
    page.wait_for_selector(".uppdrag-messages")
    draft = Assignment.objects.get(supersedes=old)
    # (the form's own anchor rides along the redirect, as browsers do)
    assert page.url.split("#")[0] == site.url(f"/uppdrag/{draft.pk}/")
    # nobody is asked to adopt the copy before it is edited and saved
    assert page.locator("#not-sent-for-adoption").is_visible()
    assert page.locator("form#adopt").count() == 0
    page.screenshot(path=str(ARTIFACTS / "new-version-draft.png"), full_page=True)

    registrar = new_page()
    serve_static(registrar)
    login(registrar, site, "registrator")
    registrar.goto(site.url(f"/uppdrag/{draft.pk}/"))
    registrar.click("#edit-draft")
    registrar.fill("#id_title", NEW_TITLE)
    registrar.click("#save-draft")
    registrar.wait_for_url(re.compile(rf"/uppdrag/{draft.pk}/(#.*)?$"))

    page.reload()
    assert "2025-08-12" in page.locator("#adopt-supersedes").inner_text()
    page.locator("form#adopt [name=reason]").fill("Reviderad rubrik.")
    page.get_by_role("button", name="Fastställ", exact=True).click()
    page.wait_for_selector(".uppdrag-messages")
    assert page.locator("#assignment-state").inner_text() == "Fastställd"
    old.refresh_from_db()
    assert old.state == Assignment.State.SUPERSEDED

    page.click("#compare-versions")
    page.wait_for_selector("#diff-fields")
    fields = page.locator("#diff-fields")
    title_row = fields.get_by_role("row", name=re.compile("^Uppdrag"))
    assert "reviderad" in title_row.locator("ins").inner_text()
    assert "Slutleverans senast" in fields.inner_text()
    timeline = page.locator("#diff-milestones")
    assert "oförändrad" in timeline.locator("caption").text_content()
    assert not timeline.is_visible()  # an unchanged list is folded away
    page.locator("details.uppdrag-unchanged summary", has_text="Tidplan").click()
    assert timeline.is_visible()
    assert_accessible(page, "versions page")
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page, "versions page at 390 px")
    # the diff's wide tables scroll inside their own regions; the section itself never
    # grows wider than the column it stands in
    widths = page.locator("#diff").evaluate("d => [d.scrollWidth, d.clientWidth]")
    assert widths[0] <= widths[1], widths
    page.screenshot(path=str(ARTIFACTS / "version-diff-390.png"), full_page=True)
