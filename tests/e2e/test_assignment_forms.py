"""Issue 17 in a real browser, the assignment page's forms: only what the person may do now is
offered (2), and a refused form comes back as typed, its errors beside its fields (5)."""

from __future__ import annotations

import re

from assignments.models import Milestone

from .conftest import ARTIFACTS, assert_accessible, login


def snapshot(page, name: str) -> None:
    """The window as the person sees it now, under artifacts/ (the fixture keeps only the
    last state, the whole page)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))  # what the person sees


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


REFUSED = "Failed to load resource: the server responded with a status of 400 (Bad Request)"


def test_a_refused_due_date_move_comes_back_as_typed_with_the_error_beside_the_field(
    site, new_page
):
    assignment = site.assignment
    compilation = Milestone.objects.get(assignment=assignment, kind="compilation")
    page = new_page()
    errors = console_errors(page)
    login(page, site, "jan.strang")
    page.goto(site.url(f"/uppdrag/{assignment.pk}/"))
    row = page.locator(f"#milestone-{compilation.pk}")
    row.get_by_text("Flytta slutdatum").click()
    date = row.get_by_label("Nytt slutdatum")
    date.fill("2025-10-15")  # before the milestone starts (1 Nov)
    row.get_by_label("Varför flyttas datumet?").fill("Seminarierna flyttas")
    row.get_by_role("button", name="Flytta").click()

    # the page again, at the page's own address and at the form, all typed kept
    page.wait_for_url(site.url(f"/uppdrag/{assignment.pk}/#milestone-{compilation.pk}"))
    row = page.locator(f"#milestone-{compilation.pk}")
    date = row.get_by_label("Nytt slutdatum")
    assert date.is_visible()  # its <details> open
    assert date.input_value() == "2025-10-15"
    assert row.get_by_label("Varför flyttas datumet?").input_value() == "Seminarierna flyttas"
    assert date.get_attribute("aria-invalid") == "true"
    beside = page.locator(f"#{date.get_attribute('aria-describedby')}")
    assert beside.inner_text() == "Slutdatum kan inte ligga före startdatum."
    assert "Slutdatum kan inte ligga före startdatum." in row.locator("#errors").inner_text()
    assert date.evaluate("el => el === document.activeElement")
    assert_accessible(page, "a refused due-date move")
    snapshot(page, "refused-due-date-move")
    compilation.refresh_from_db()
    assert str(compilation.due) == "2025-11-30"

    date.fill("2025-12-12")
    row.get_by_role("button", name="Flytta").click()
    page.wait_for_selector(".uppdrag-messages")
    compilation.refresh_from_db()
    assert str(compilation.due) == "2025-12-12"
    assert errors == [REFUSED]  # the refusal's status, as Chromium logs it; nothing else


def test_a_comment_is_kept_when_the_status_changed_meanwhile(site, new_page):
    from workflow import services

    assignment = site.assignment
    compilation = Milestone.objects.get(assignment=assignment, kind="compilation")
    page = new_page()
    errors = console_errors(page)
    login(page, site, "jan.strang")
    page.goto(site.url(f"/uppdrag/{assignment.pk}/"))
    # meanwhile, in another tab, the milestone was cancelled (a done one may now be taken up
    # again with a reason; a cancelled one cannot become done)
    services.change_milestone_status(
        milestone=compilation, actor=assignment.assignee, to_status="cancelled", comment="Utgår"
    )
    row = page.locator(f"#milestone-{compilation.pk}")
    row.get_by_label("Kommentar").fill("Förseningen beror på remissen")
    row.get_by_role("button", name=re.compile("^Klar")).click()

    page.wait_for_url(site.url(f"/uppdrag/{assignment.pk}/#milestone-{compilation.pk}"))
    row = page.locator(f"#milestone-{compilation.pk}")
    assert row.get_by_label("Kommentar").input_value() == "Förseningen beror på remissen"
    message = row.locator("#errors")
    assert "En milstolpe som är ”Avbruten” kan inte bli ”Klar”." in message.inner_text()
    assert message.evaluate("el => el === document.activeElement")
    assert_accessible(page, "a refused status change")
    snapshot(page, "refused-status-change")
    assert errors == [REFUSED]


def test_a_refused_file_is_asked_for_again_and_a_return_is_answered_from_the_last_version(
    site, new_page, settings, tmp_path
):
    from tests import sample_files as documents
    from workflow import services

    settings.MEDIA_ROOT = tmp_path
    assignment = site.assignment
    page = new_page()
    errors = console_errors(page)
    login(page, site, "jan.strang")
    page.goto(site.url(f"/uppdrag/{assignment.pk}/"))
    page.get_by_label("Sammanfattning av slutleveransen").fill("Förslag till organisering")
    page.set_input_files(
        "#id_document",
        files=[{"name": "sida.html", "mimeType": "text/html", "buffer": documents.HTML}],
    )
    page.click("#submit-delivery")

    page.wait_for_url(site.url(f"/uppdrag/{assignment.pk}/#deliver"))
    document = page.locator("#id_document")
    beside = page.locator(f"#{document.get_attribute('aria-describedby').split()[-1]}")
    assert "Filtypen för ”sida.html” är inte tillåten" in beside.inner_text()
    assert "Välj filen igen" in beside.inner_text()
    assert document.evaluate("el => el === document.activeElement")
    assert page.locator("#id_summary").input_value() == "Förslag till organisering"
    assert not assignment.deliveries.exists()
    assert_accessible(page, "a refused file")
    snapshot(page, "refused-file")

    page.click("#submit-delivery")  # without the file this time
    page.wait_for_selector(".uppdrag-messages")
    delivery = assignment.deliveries.get()
    per = assignment.decision_makers.get(username="per.albertsson")
    services.return_delivery(
        delivery=delivery, decided_by=per, comment="Komplettera med en konsekvensanalys."
    )

    page.goto(site.url(f"/uppdrag/{assignment.pk}/"))
    note = page.locator("#return-to-answer")
    assert "Version 1 återremitterades av Per Albertsson" in note.inner_text()
    assert "Komplettera med en konsekvensanalys." in note.inner_text()
    form = page.locator("#deliver form")
    assert note.bounding_box()["y"] < form.bounding_box()["y"]  # read before writing
    assert page.locator("#id_summary").input_value() == "Förslag till organisering"
    assert form.get_by_role("group").locator("legend").inner_text() == (
        "Lämna en ny version av slutleveransen"
    )
    assert_accessible(page, "the return above the form")
    snapshot(page, "return-above-the-form")
    assert errors == [REFUSED]
