"""Downloading the regenerated uppdragshandling: everyone who may read the assignment page gets
it as a PDF or a Word attachment with a safe name; anyone else gets a 404, as for the page."""

import pytest
from django.urls import reverse

from assignments.models import User
from tests.export_helpers import pdf_text, word
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

KINDS = [
    ("workflow:document_pdf", "application/pdf", "pdf"),
    (
        "workflow:document_docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
]


@pytest.mark.parametrize(("name", "content_type", "extension"), KINDS)
def test_the_information_reader_downloads_it_as_an_attachment(
    client, demo, name, content_type, extension
):
    client.force_login(User.objects.get(username="ann-charlotte.jarnstrom"))
    response = client.get(reverse(name, args=[demo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="uppdragshandling-RS-2024-05699-2025-08-12.{extension}"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    if extension == "pdf":
        assert "Uppdragstagare: Jan Sträng" in pdf_text(body)
    else:
        assert "Uppdragstagare: Jan Sträng" in [p.text for p in word(body).paragraphs]


@pytest.mark.parametrize(("name", "content_type", "extension"), KINDS)
def test_a_stranger_gets_404_and_an_anonymous_visitor_the_login_page(
    client, demo, name, content_type, extension
):
    url = reverse(name, args=[demo.pk])
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client.force_login(UserFactory(username="okand.person"))
    assert client.get(url).status_code == 404
    assert client.get(reverse(name, args=[999999])).status_code == 404


def test_the_assignment_page_links_both_downloads(client, demo):
    client.force_login(User.objects.get(username="ann-charlotte.jarnstrom"))
    page = client.get(reverse("workflow:assignment", args=[demo.pk])).content.decode()
    assert reverse("workflow:document_pdf", args=[demo.pk]) in page
    assert reverse("workflow:document_docx", args=[demo.pk]) in page
