"""Issue 15's browser test for documents: the assignee's .html and .svg uploads are refused in
Swedish with the summary kept; a PDF is accepted, downloads as an attachment for a
working-group member, and is 404 for a user with no role and for anonymous."""

from __future__ import annotations

import pytest

from assignments.models import User
from tests import sample_files as documents

from .conftest import assert_accessible, login

SUMMARY = "Förslag till organisering, med bilagor"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _submit_delivery(page, name: str, mime_type: str, content: bytes) -> None:
    page.fill("#id_summary", SUMMARY)
    page.set_input_files(
        "#id_document", files=[{"name": name, "mimeType": mime_type, "buffer": content}]
    )
    page.click("#submit-delivery")


def test_html_and_svg_are_refused_and_a_pdf_downloads_only_for_the_assignment(site, new_page):
    assignment = site.assignment
    page = new_page()
    login(page, site, "jan.strang")
    page.goto(site.url(f"/uppdrag/{assignment.pk}/"))

    for name, mime_type, content in [
        ("sida.html", "text/html", documents.HTML),
        ("bild.svg", "image/svg+xml", documents.SVG),
    ]:
        _submit_delivery(page, name, mime_type, content)
        errors = page.locator("#errors").inner_text()
        assert f"Filtypen för ”{name}” är inte tillåten" in errors
        assert "Välj filen igen" in errors
        assert page.input_value("#id_summary") == SUMMARY
        assert not assignment.deliveries.exists()
    assert_accessible(page, "refused delivery")

    _submit_delivery(page, "Slutrapport.pdf", "application/pdf", documents.pdf())
    page.wait_for_selector(".uppdrag-messages")
    delivery = assignment.deliveries.get()
    assert delivery.document_name == "Slutrapport.pdf"
    url = site.url(f"/uppdrag/{assignment.pk}/leveranser/{delivery.number}/dokument/")

    member = new_page()
    login(member, site, "erica.sandberg")
    member.goto(site.url(f"/uppdrag/{assignment.pk}/"))
    link = member.get_by_role("link", name="Dokument: Slutrapport.pdf")
    assert link.get_attribute("href") == url.removeprefix(site.base)
    with member.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "Slutrapport.pdf"
    with open(download.path(), "rb") as file:
        assert file.read() == documents.pdf()
    response = member.request.get(url)
    assert response.headers["content-disposition"] == 'attachment; filename="Slutrapport.pdf"'
    assert response.headers["x-content-type-options"] == "nosniff"

    User.objects.create_user(username="utan.roll", password=site.password)
    outsider = new_page()
    login(outsider, site, "utan.roll")
    assert outsider.request.get(url, max_redirects=0).status == 404

    anonymous = new_page()
    assert anonymous.request.get(url, max_redirects=0).status == 404
