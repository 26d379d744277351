"""A registrar's way from the start page to a started process with a Word document in the
region's header-table layout, counted as the browser sees it: every click and key press on
the pages (listeners in the page, kept across navigations in sessionStorage), plus the one
click in the system's file dialog (issue 28: at most ten clicks, no typing)."""

from __future__ import annotations

from assignments.models import Assignment, Milestone
from tests import uppdragshandlingar as documents
from tests.documents.importer import layouts
from tests.e2e.conftest import assert_accessible, login
from tests.registration_helpers import read_waiting_imports
from workflow.selectors import open_tasks

COUNTER = """
(() => {
  for (const kind of ["click", "keydown"]) {
    document.addEventListener(kind, () => {
      const key = "uppdrag-count-" + kind;
      sessionStorage.setItem(key, String(Number(sessionStorage.getItem(key) || 0) + 1));
    }, true);
  }
})();
"""


def _counts(page) -> tuple[int, int]:
    return page.evaluate(
        """() => [Number(sessionStorage.getItem("uppdrag-count-click") || 0),
                  Number(sessionStorage.getItem("uppdrag-count-keydown") || 0)]"""
    )


def header_table_docx(tmp_path):
    """Seed 004 under a number of its own, its date and Dnr in a table at the top."""
    text = documents.seed_004_text().replace("RS 2024-05699", "RS 2026-08888")
    text = "\n".join(line for line in text.splitlines() if not line.startswith("Observera:"))
    path = tmp_path / "uppdragshandling.docx"
    path.write_bytes(layouts.docx_of(text, layouts.Layout(header="table")))
    return path


def test_a_header_table_docx_is_registered_and_started_in_ten_clicks_without_typing(
    site, new_page, tmp_path
):
    document = header_table_docx(tmp_path)
    page = new_page()
    login(page, site, "registrator")
    page.context.add_init_script(COUNTER)
    page.goto(site.url("/"))
    page.evaluate("() => sessionStorage.clear()")

    page.click("text=Nytt uppdrag")
    with page.expect_file_chooser() as chooser:
        page.click("#id_document")
    chooser.value.set_files(str(document))
    dialog_clicks = 1  # choosing the file in the system's dialog
    page.click("#import-submit")
    page.wait_for_selector("#import-status")  # read by a worker (issue 27): the page waits
    assert read_waiting_imports() == 1
    page.wait_for_selector("#review-checks")  # the progress page moved on by itself
    checks = page.locator("#review-checks li").all_inner_texts()
    assert not any(text.startswith("Måste fyllas i") for text in checks), checks
    assert_accessible(page, "the review's checks")
    page.click("#past-done")
    page.wait_for_selector("#review-checks")
    page.click("#save-draft")
    page.wait_for_selector("#registration-number")

    clicks, keys = _counts(page)
    assert (clicks + dialog_clicks, keys) == (6, 0)
    assignment = Assignment.objects.get(registration_number="RS 2026-08888")
    assert assignment.document_date.isoformat() == "2025-08-12"
    assert [t.flow_task.name for t in open_tasks(assignment)] == ["adopt"]
    assert assignment.milestones.filter(status=Milestone.Status.DONE).count() == 4
    assert sorted(assignment.decision_makers.values_list("username", flat=True)) == [
        "anders.kullbratt",
        "per.albertsson",
    ]


def test_the_checks_come_by_consequence_and_lead_to_the_field_and_its_passage(
    site, new_page, tmp_path
):
    text = documents.seed_004_text().replace("Diarienummer RS 2024-05699", "")
    text = text.replace("Jan – juni 2026", "Hösten 2026")
    path = tmp_path / "utan-dnr.txt"
    path.write_text(text, encoding="utf-8")
    page = new_page()
    login(page, site, "registrator")
    page.goto(site.url("/uppdrag/nytt/"))
    page.set_input_files("#id_document", str(path))
    page.click("#import-submit")
    page.wait_for_selector("#import-status")  # read by a worker (issue 27): the page waits
    assert read_waiting_imports() == 1
    page.wait_for_selector("#review-checks")  # the progress page moved on by itself
    levels = [text.split(":", 1)[0] for text in page.locator("#review-checks li").all_inner_texts()]
    order = ["Måste fyllas i", "Personer", "Tidplan", "Övrigt"]
    assert levels[0] == "Måste fyllas i"
    assert [order.index(level) for level in levels] == sorted(order.index(lv) for lv in levels)
    assert levels.count("Måste fyllas i") == 1  # the Dnr, nothing else
    no_account = [t for t in page.locator("#review-checks li").all_inner_texts() if "konto" in t]
    assert len(no_account) <= 1

    page.click("#review-checks a[href='#id_registration_number']")
    assert page.evaluate("() => document.activeElement.id") == "id_registration_number"
    period = page.locator("#review-checks a", has_text="Hösten 2026")
    line = period.get_attribute("data-line")
    period.click()
    current = page.locator(".uppdrag-source-current")
    assert current.get_attribute("id") == f"source-line-{line}"
    assert "Hösten 2026" in current.inner_text()
    assert current.is_visible()
