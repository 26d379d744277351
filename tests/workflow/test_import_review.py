"""The import's review page (workflow/views/register.py): its checks above the form, the one
action that answers every past milestone "Klar", and the pages of an uploaded PDF shown beside
the source, to the uploader only."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from assignments.models import Assignment, User
from assignments.permissions import REGISTRAR_GROUP
from tests import uppdragshandlingar as documents
from tests.factories import UserFactory
from tests.registration_helpers import as_shown, upload_and_read


@pytest.fixture
def registrar(seed004, client):
    user = User.objects.get(username="registrator")
    client.force_login(user)
    return user


def _review(client, name: str, data: bytes):
    """The review page's address, once the worker's reading is done."""
    response = upload_and_read(client, SimpleUploadedFile(name, data))
    assert response.status_code == 302
    assert "/nytt/granska/" in response["Location"], response["Location"]
    return response["Location"]


def _seed(number: str) -> bytes:
    text = documents.seed_004_text().replace("RS 2024-05699", number)
    return "\n".join(
        line for line in text.splitlines() if not line.startswith("Observera:")
    ).encode()


def test_the_checks_lead_with_what_blocks_and_name_the_past_milestones_once(registrar, client):
    data = _seed("RS 2026-05556").replace(b"Datum 2025-08-12", b"")
    page = client.get(_review(client, "handling.txt", data))
    checks = page.context["checks"]
    assert checks[0].level == "blocking"
    assert checks[0].message == "Handlingens datum saknas."
    past = [c for c in checks if c.action == "past_done"]
    assert len(past) == 1
    assert 'id="past-done"' in page.content.decode()


def test_marking_every_past_milestone_done_answers_them_and_saves_nothing(registrar, client):
    location = _review(client, "handling.txt", _seed("RS 2026-05557"))
    page = client.get(location)
    count = Assignment.objects.count()
    again = client.post(location, as_shown(page.context["forms"], past_done="1"))
    assert again.status_code == 200
    milestones = again.context["forms"].formsets["milestones"]
    assert [form["status"].value() for form in milestones.forms] == ["done"] * 4
    assert "Markera alla passerade som klara" in again.content.decode()
    assert Assignment.objects.count() == count


def test_a_pdf_upload_shows_its_pages_to_its_uploader_only(registrar, client):
    location = _review(client, "handling.pdf", documents.pdf_bytes(documents.synthetic_text()))
    image = client.get(location + "sida-1.png")
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")
    assert client.get(location + "sida-9.png").status_code == 404
    other = Client()  # another registrar
    colleague = UserFactory()
    colleague.groups.add(Group.objects.get(name=REGISTRAR_GROUP))
    other.force_login(colleague)
    assert other.get(location + "sida-1.png").status_code == 404
