""" "Nytt uppdrag" in a real browser (#18): an import reviewed and confirmed, and an assignment
typed in by keyboard only with bad input refused field by field. Screenshots of the upload,
the review and the result are saved under tests/e2e/artifacts/ (as every e2e screenshot)."""

from __future__ import annotations

from assignments.models import Assignment, Milestone
from tests import uppdragshandlingar as documents
from tests.e2e.conftest import ARTIFACTS, assert_accessible, login
from tests.registration_helpers import read_waiting_imports
from workflow.selectors import open_tasks


def imported_docx(tmp_path):
    """Seed 004 under a new number, its last period written "Hösten 2026"; the document's own
    "Ander Kullbratt" (line 103) is the fuzzy name."""
    text = documents.seed_004_text().replace("RS 2024-05699", "RS 2026-07777")
    text = "\n".join(line for line in text.splitlines() if not line.startswith("Observera:"))
    text = text.replace("Jan – juni 2026", "Hösten 2026")
    assert "Ander Kullbratt" in text
    path = tmp_path / "uppdragshandling.docx"
    path.write_bytes(documents.docx_bytes(text))
    return path


def test_a_registrar_uploads_reviews_corrects_and_confirms(site, new_page, tmp_path):
    page = new_page()
    login(page, site, "registrator")
    page.click("text=Nytt uppdrag")
    page.set_input_files("#id_document", str(imported_docx(tmp_path)))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "register-1-upload.png"), full_page=True)
    page.click("#import-submit")
    # the upload answers at once; the page says the file is being read until it is (issue 27)
    page.wait_for_selector("#import-status")
    assert_accessible(page, "progress page")
    assert read_waiting_imports(isolated=True) == 1  # the worker's reading, in its child process
    page.wait_for_selector("#source-heading")  # the page's script moved on by itself
    fuzzy = page.locator("input[value='Ander Kullbratt']").first
    name = fuzzy.get_attribute("name")
    assert page.locator(f"#id_{name}-mark").is_visible()
    hosten = page.locator("input[value='Hösten 2026']")
    prefix = hosten.get_attribute("name").removesuffix("period_label")
    assert page.locator(f"#id_{prefix}period_label-mark").is_visible()
    assert_accessible(page, "review page")
    page.screenshot(path=str(ARTIFACTS / "register-2-review.png"), full_page=True)

    fuzzy.fill("Anders Kullbratt (anders.kullbratt)")
    page.fill(f"#id_{prefix}start", "2026-09-01")
    page.fill(f"#id_{prefix}due", "2026-12-18")
    for select in page.locator("select[name$='-status']").all():
        if page.locator(f"#{select.get_attribute('id')}-mark").count():
            select.select_option("done")
    page.click("#save-draft")
    page.wait_for_selector("#registration-number")
    page.screenshot(path=str(ARTIFACTS / "register-3-result.png"), full_page=True)

    assignment = Assignment.objects.get(registration_number="RS 2026-07777")
    assert assignment.source_document_name == "uppdragshandling.docx"
    assert [t.flow_task.name for t in open_tasks(assignment)] == ["adopt"]
    assert "anders.kullbratt" in assignment.decision_makers.values_list("username", flat=True)
    last = assignment.milestones.get(period_label="Hösten 2026")
    assert (str(last.start), str(last.due), last.status) == ("2026-09-01", "2026-12-18", "planned")
    assert assignment.milestones.filter(status=Milestone.Status.DONE).count() == 3
    assert page.locator("#source-document").is_visible()


def tab_to(page, selector: str, limit: int = 400) -> None:
    """Press Tab until the element is focused: the keyboard's way there."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached by Tab")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    if page.evaluate("(s) => document.querySelector(s).type", selector) == "date":
        # a date field is typed segment by segment in the browser's own order: headless
        # chromium draws it month/day/year whatever the page's language (the value is ISO)
        year, month, day = text.split("-")
        page.keyboard.type(month + day + year)
        value = page.evaluate("(s) => document.querySelector(s).value", selector)
        assert value == text, f"{selector}: typed {text}, the field holds {value!r}"
        return
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def test_an_assignment_is_created_by_keyboard_only_and_bad_input_is_refused(site, new_page):
    page = new_page()
    login(page, site, "registrator")
    page.goto(site.url("/uppdrag/nytt/"))
    assert_accessible(page, "Nytt uppdrag")
    type_into(page, "#id_document_date", "2026-03-02")
    type_into(page, "#id_issuing_unit", "Koncernkontoret")
    type_into(page, "#id_title", "Tangentbordsuppdraget")
    type_into(page, "#id_commissioners-0-name", "Per Albertsson (per.albertsson)")
    type_into(page, "#id_assignee", "Jan Strang (jan.strang)")
    type_into(page, "#id_milestones-0-title", "Seminarier")
    type_into(page, "#id_milestones-0-start", "2027-10-01")
    type_into(page, "#id_milestones-0-due", "2027-09-01")
    tab_to(page, "#save-draft")
    page.keyboard.press("Enter")
    page.wait_for_selector("#errors")
    assert "Ange diarienummer." in page.inner_text("#id_registration_number-error")
    assert "Slutdatum kan inte ligga före startdatum." in page.inner_text(
        "#id_milestones-0-due-error"
    )
    assert page.input_value("#id_title") == "Tangentbordsuppdraget"
    assert page.input_value("#id_assignee") == "Jan Strang (jan.strang)"
    assert_accessible(page, "Nytt uppdrag with errors")

    # a live document's number is refused too
    type_into(page, "#id_registration_number", "RS 2024-05699")
    type_into(page, "#id_milestones-0-due", "2027-10-31")
    tab_to(page, "#save-draft")
    page.keyboard.press("Enter")
    page.wait_for_selector("#id_registration_number-error")
    assert "Det finns redan ett gällande uppdrag" in page.inner_text(
        "#id_registration_number-error"
    )
    assert not Assignment.objects.filter(title="Tangentbordsuppdraget").exists()

    type_into(page, "#id_registration_number", "RS 2026-00099")
    tab_to(page, "#save-draft")
    page.keyboard.press("Enter")
    page.wait_for_selector("#registration-number")
    assignment = Assignment.objects.get(registration_number="RS 2026-00099")
    assert [t.flow_task.name for t in open_tasks(assignment)] == ["adopt"]
