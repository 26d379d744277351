"""Delivery documents (issue 15, reproduction 4): stored under random names where nothing serves
them, handed out only by a view that checks the assignment page's permission, always as a
download, and only of an allowed type (by name and by content) within the size limit."""

import importlib
import re

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve, reverse

from assignments.models import Assignment, AuditEntry, Delivery
from tests import sample_files as documents
from tests.factories import AssignmentFactory, UserFactory
from tests.settings_probe import evaluated_under
from workflow import services

pytestmark = pytest.mark.django_db

SUMMARY = "Förslag till organisering av sakkunniggrupperna"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def adopted(seed004, people):
    services.adopt_assignment(assignment=seed004, actor=people.anders_kullbratt)
    return seed004


def _upload(client, assignment, name, content, summary=SUMMARY):
    return client.post(
        reverse("workflow:submit", args=[assignment.pk]),
        {"summary": summary, "document": SimpleUploadedFile(name, content)},
    )


def _delivered(assignment, people, name="Slutrapport.pdf", content=None) -> Delivery:
    return services.submit_delivery(
        assignment=assignment,
        actor=people.jan_strang,
        summary=SUMMARY,
        document=SimpleUploadedFile(name, content or documents.pdf()),
    )


def _download_url(delivery: Delivery) -> str:
    return reverse("workflow:delivery_document", args=[delivery.assignment_id, delivery.number])


def _stored_files(root):
    return [p for p in root.rglob("*") if p.is_file()]


# -- storage ------------------------------------------------------------------------------------


def test_an_accepted_document_is_stored_under_a_random_name_and_keeps_its_own(
    client, adopted, people, media_root
):
    client.force_login(people.jan_strang)
    response = _upload(client, adopted, "Slutrapport 2025.pdf", documents.pdf())
    assert response.status_code == 302
    delivery = adopted.deliveries.get()
    assert re.fullmatch(rf"deliveries/{adopted.pk}/[0-9a-f]{{32}}\.pdf", delivery.document.name)
    assert delivery.document_name == "Slutrapport 2025.pdf"
    assert _stored_files(media_root) == [media_root / delivery.document.name]
    assert (media_root / delivery.document.name).read_bytes() == documents.pdf()


def test_two_uploads_of_one_name_get_different_names(adopted, people):
    first = _delivered(adopted, people)
    services.return_delivery(
        delivery=first, decided_by=people.per_albertsson, comment="Komplettera"
    )
    second = _delivered(adopted, people)
    assert first.document.name != second.document.name
    assert first.document_name == second.document_name == "Slutrapport.pdf"


def test_media_is_not_routed_even_with_debug_on(settings):
    settings.DEBUG = True
    urls = importlib.reload(importlib.import_module(settings.ROOT_URLCONF))
    try:
        with pytest.raises(Resolver404):
            resolve("/media/deliveries/1/Slutrapport.pdf", urlconf=urls)
    finally:
        settings.DEBUG = False
        importlib.reload(urls)


def test_a_document_has_no_storage_url(adopted, people):
    delivery = _delivered(adopted, people)
    with pytest.raises(ValueError, match="no URL"):
        delivery.document.url  # noqa: B018


# -- download: who and how ----------------------------------------------------------------------


def test_working_group_member_downloads_the_document_as_an_attachment(client, adopted, people):
    delivery = _delivered(adopted, people)
    client.force_login(people.erica_sandberg)
    response = client.get(_download_url(delivery))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Slutrapport.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == documents.pdf()


def test_a_swedish_file_name_is_kept_in_the_download(client, adopted, people):
    delivery = _delivered(adopted, people, name="Förslag på organisering.pdf")
    client.force_login(people.jan_strang)
    response = client.get(_download_url(delivery))
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''F%C3%B6rslag%20p%C3%A5%20organisering.pdf"
    )


def test_information_reader_may_download(client, adopted, people):
    delivery = _delivered(adopted, people)
    client.force_login(people["ann-charlotte.jarnstrom"])
    response = client.get(_download_url(delivery))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_user_with_no_role_gets_404(client, adopted, people):
    delivery = _delivered(adopted, people)
    client.force_login(UserFactory())
    assert client.get(_download_url(delivery)).status_code == 404


def test_anonymous_gets_404_not_the_file_nor_a_login_page(client, adopted, people):
    delivery = _delivered(adopted, people)
    assert client.get(_download_url(delivery)).status_code == 404


def test_a_decision_maker_of_another_assignment_gets_404(client, adopted, people):
    delivery = _delivered(adopted, people)
    outsider = UserFactory()
    AssignmentFactory(decision_makers=[outsider], commissioners=[outsider])
    client.force_login(outsider)
    assert client.get(_download_url(delivery)).status_code == 404


def test_a_delivery_without_a_document_has_no_download(client, adopted, people):
    delivery = services.submit_delivery(
        assignment=adopted, actor=people.jan_strang, summary=SUMMARY
    )
    client.force_login(people.jan_strang)
    assert client.get(_download_url(delivery)).status_code == 404


def test_the_pages_link_the_download_view_and_never_media(client, adopted, people):
    delivery = _delivered(adopted, people, name="Förslag.pdf")
    client.force_login(people.per_albertsson)
    for name in ["workflow:process", "workflow:decision"]:
        page = client.get(reverse(name, args=[adopted.pk])).content.decode()
        assert f'href="{_download_url(delivery)}"' in page
        assert "Förslag.pdf" in page
        assert "/media/" not in page
        assert delivery.document.name not in page


# -- what may be uploaded -----------------------------------------------------------------------

ACCEPTED = [
    ("Slutrapport.pdf", documents.pdf(), "application/pdf"),
    (
        "Rapport.docx",
        documents.ooxml("docx"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "Budget.XLSX",
        documents.ooxml("xlsx"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "Bilder.pptx",
        documents.ooxml("pptx"),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("Rapport.odt", documents.odf("odt"), "application/vnd.oasis.opendocument.text"),
    ("Budget.ods", documents.odf("ods"), "application/vnd.oasis.opendocument.spreadsheet"),
    ("Bilder.odp", documents.odf("odp"), "application/vnd.oasis.opendocument.presentation"),
    ("Gammal.doc", documents.ole2(), "application/msword"),
    ("Gammal.xls", documents.ole2(), "application/vnd.ms-excel"),
    ("Gammal.ppt", documents.ole2(), "application/vnd.ms-powerpoint"),
    ("Karta.png", documents.png(), "image/png"),
    ("Foto.jpg", documents.jpeg(), "image/jpeg"),
    ("Foto.jpeg", documents.jpeg(), "image/jpeg"),
    ("Anim.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif"),
    ("Bild.webp", b"RIFF\x1a\x00\x00\x00WEBPVP8 \x0e\x00\x00\x00" + bytes(14), "image/webp"),
    ("Anteckningar.txt", "Åtgärder: 1 < 2\n".encode(), "text/plain; charset=utf-8"),
    ("Tabell.csv", "namn;roll\nJan Sträng;projektledare\n".encode(), "text/csv; charset=utf-8"),
]


@pytest.mark.parametrize(
    ("name", "content", "content_type"), ACCEPTED, ids=[a[0] for a in ACCEPTED]
)
def test_each_allowed_type_is_accepted_and_served_with_its_own_type(
    client, adopted, people, name, content, content_type
):
    client.force_login(people.jan_strang)
    assert _upload(client, adopted, name, content).status_code == 302
    delivery = adopted.deliveries.get()
    response = client.get(_download_url(delivery))
    assert response["Content-Type"] == content_type
    assert b"".join(response.streaming_content) == content


REFUSED = [
    ("sida.html", documents.HTML, "inte tillåten"),
    ("bild.svg", documents.SVG, "inte tillåten"),
    ("program.exe", b"MZ\x90\x00" + bytes(64), "inte tillåten"),
    ("makro.docm", documents.ooxml("docx"), "inte tillåten"),
    ("utan-filandelse", documents.pdf(), "inte tillåten"),
    ("sida.pdf", documents.HTML, "stämmer inte"),
    ("bild.pdf", documents.SVG, "stämmer inte"),
    ("tom.pdf", b"", "Den skickade filen är tom"),
    ("arkiv.docx", documents.plain_zip(), "stämmer inte"),
    ("kalkyl.docx", documents.ooxml("xlsx"), "stämmer inte"),
    ("kalkyl.odt", documents.odf("ods"), "stämmer inte"),
    ("rapport.odt", documents.ooxml("docx"), "stämmer inte"),
    ("sida.doc", documents.HTML, "stämmer inte"),
    ("foto.png", documents.jpeg(), "stämmer inte"),
    ("sida.txt", documents.HTML, "stämmer inte"),
    ("bild.csv", documents.SVG, "stämmer inte"),
    ("binar.txt", b"abc\x00def", "stämmer inte"),
    ("latin1.txt", "Åtgärder".encode("latin-1"), "stämmer inte"),
]


@pytest.mark.parametrize(("name", "content", "reason"), REFUSED, ids=[r[0] for r in REFUSED])
def test_a_refused_document_is_a_400_that_keeps_the_summary_and_saves_nothing(
    client, adopted, people, media_root, name, content, reason
):
    client.force_login(people.jan_strang)
    response = _upload(client, adopted, name, content, summary="Mitt <sammanfattade> förslag")
    assert response.status_code == 400
    page = response.content.decode()
    assert reason in page
    assert "Välj filen igen" in page
    assert "Mitt &lt;sammanfattade&gt; förslag</textarea>" in page
    assert not adopted.deliveries.exists()
    assert not AuditEntry.objects.filter(assignment=adopted, action="delivery.submitted").exists()
    adopted.refresh_from_db()
    assert adopted.state == Assignment.State.ADOPTED
    assert _stored_files(media_root) == []


def test_the_refusal_names_the_allowed_types_and_svg_is_not_one(client, adopted, people):
    client.force_login(people.jan_strang)
    page = _upload(client, adopted, "sida.html", documents.HTML).content.decode()
    errors = page.split('id="errors"')[1].split("</div>")[0]
    allowed = errors.split("Tillåtna filtyper: ")[1].split(".")[0].split(", ")
    assert allowed == [
        *["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp"],
        *["png", "jpg", "jpeg", "gif", "webp", "txt", "csv"],
    ]


def test_the_file_input_offers_the_allowed_types(client, adopted, people):
    client.force_login(people.jan_strang)
    page = client.get(reverse("workflow:process", args=[adopted.pk])).content.decode()
    accept = re.search(r'accept="([^"]*)"', page).group(1)
    assert accept.startswith(".pdf,.doc,.docx,")
    assert ".svg" not in accept and ".html" not in accept


def test_a_document_over_the_limit_is_refused_in_swedish(client, adopted, people, settings):
    settings.DOCUMENT_MAX_BYTES = 2000
    content = documents.pdf() + bytes(2001 - len(documents.pdf()))
    client.force_login(people.jan_strang)
    response = _upload(client, adopted, "Stor.pdf", content)
    assert response.status_code == 400
    assert "är för stor" in response.content.decode()
    assert "Största tillåtna storlek är 2,0\xa0kB" in response.content.decode()
    assert SUMMARY in response.content.decode()
    assert not adopted.deliveries.exists()


def test_the_default_limit_of_25_mib_refuses_one_byte_more(client, adopted, people):
    assert django_settings.DOCUMENT_MAX_BYTES == 25 * 1024 * 1024
    content = documents.pdf()
    content += bytes(25 * 1024 * 1024 + 1 - len(content))
    client.force_login(people.jan_strang)
    response = _upload(client, adopted, "Stor.pdf", content)
    assert response.status_code == 400
    assert "Största tillåtna storlek är 25,0\xa0MB" in response.content.decode()
    assert not adopted.deliveries.exists()


def test_the_limit_is_read_from_the_environment():
    expression = "settings.DOCUMENT_MAX_BYTES"
    imports = "from django.conf import settings"
    assert evaluated_under({"DOCUMENT_MAX_BYTES": "1048576"}, expression, imports) == "1048576"


def test_a_missing_summary_keeps_nothing_and_asks_for_the_file_again(client, adopted, people):
    client.force_login(people.jan_strang)
    response = _upload(client, adopted, "Slutrapport.pdf", documents.pdf(), summary="")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Välj filen igen" in page
    assert not adopted.deliveries.exists()


def test_the_viewflow_task_page_refuses_html_with_the_summary_kept(client, adopted, people):
    client.force_login(people.jan_strang)
    task = services.open_tasks(adopted).get()
    url = reverse("uppdrag:assignment:work:execute", args=[task.process_id, task.pk])
    response = client.post(
        url, {"summary": SUMMARY, "document": SimpleUploadedFile("sida.html", documents.HTML)}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "inte tillåten" in page
    assert SUMMARY in page
    assert not adopted.deliveries.exists()


def test_the_service_refuses_a_document_of_a_wrong_type(adopted, people, media_root):
    with pytest.raises(ValidationError) as error:
        _delivered(adopted, people, name="sida.pdf", content=documents.HTML)
    assert "stämmer inte" in " ".join(error.value.messages)
    assert not adopted.deliveries.exists()
    assert _stored_files(media_root) == []


def test_the_admin_links_the_download_view_and_offers_no_file_input(client, adopted, people):
    delivery = _delivered(adopted, people)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:assignments_delivery_change", args=[delivery.pk]))
    assert page.status_code == 200
    assert f'href="{_download_url(delivery)}"' in page.content.decode()
    assert 'type="file"' not in page.content.decode()
