"""An import read by a job (documents/import_jobs.py) in the fast lane: the upload answers
with the progress page, the job stops at the page, paragraph and text limits with a message
naming the limit, the review page shows the stored reading without reading the file again,
and only the uploader (a registrar) sees a job. The real worker and its child process, with
the time and memory limits: tests/documents/test_import_worker.py."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assignments import storage
from assignments.models import Assignment, User
from documents import import_jobs
from documents.import_codec import decode, encode
from documents.importer import read_document
from documents.models import ImportJob
from tests import crafted_imports
from tests import uppdragshandlingar as documents
from tests.registration_helpers import read_waiting_imports, upload_and_read

UPLOAD = "/uppdrag/nytt/importera/"


@pytest.fixture
def registrar(seed004, client):
    user = User.objects.get(username="registrator")
    client.force_login(user)
    return user


def seed_upload(name="handling.txt") -> SimpleUploadedFile:
    text = documents.seed_004_text().replace("RS 2024-05699", "RS 2026-05555")
    text = "\n".join(line for line in text.splitlines() if not line.startswith("Observera:"))
    if name.endswith(".docx"):
        return SimpleUploadedFile(name, documents.docx_bytes(text))
    return SimpleUploadedFile(name, text.encode())


def test_the_upload_answers_with_a_progress_page_until_the_file_is_read(registrar, client):
    response = client.post(UPLOAD, {"document": seed_upload()})
    assert response.status_code == 302
    progress = response["Location"]
    waiting = client.get(progress)
    page = waiting.content.decode()
    assert waiting.status_code == 200
    assert 'role="status"' in page and 'id="import-refresh"' in page  # a link without script
    assert client.get(progress, HTTP_ACCEPT="application/json").json() == {"status": "queued"}
    assert read_waiting_imports() == 1
    assert client.get(progress, HTTP_ACCEPT="application/json").json() == {"status": "done"}
    done = client.get(progress)
    assert done.status_code == 302 and done["Location"].startswith("/uppdrag/nytt/granska/")


def test_the_review_shows_the_stored_reading_and_never_reads_the_file_again(registrar, client):
    review_url = upload_and_read(client, seed_upload("handling.docx"))["Location"]
    job = ImportJob.objects.get()
    # what the file holds now is not what the review shows: the reading was stored once
    with storage.document_storage().open(job.stored_name, "wb") as file:
        file.write(b"not a Word file")
    review = client.get(review_url)
    assert review.status_code == 200
    assert "RS 2026-05555" in review.content.decode()
    assert "Ander Kullbratt" in review.content.decode()


@pytest.mark.parametrize(
    ("setting", "value", "upload", "message"),
    [
        (
            "IMPORT_MAX_PARAGRAPHS",
            50,
            lambda: seed_upload(),
            "Inläsningen stoppades vid gränsen för antal stycken: handlingen har fler än 50 "
            "stycken.",
        ),
        (
            "IMPORT_MAX_TEXT_CHARS",
            1000,
            lambda: seed_upload("handling.docx"),
            "Inläsningen stoppades vid textgränsen: handlingen har mer än 1000 tecken text.",
        ),
        (
            "IMPORT_MAX_PAGES",
            2,
            lambda: SimpleUploadedFile("tre.pdf", crafted_imports.pages_pdf(3)),
            "Inläsningen stoppades vid sidgränsen: handlingen har fler än 2 sidor.",
        ),
        (
            "IMPORT_MAX_UNPACKED_MB",
            1,
            lambda: SimpleUploadedFile("stor.docx", crafted_imports.expanding_docx(20_000)),
            "Inläsningen stoppades vid gränsen för uppackad storlek: Word-filen packas upp till "
            "mer än 1 MB.",
        ),
    ],
)
def test_over_a_limit_the_job_stops_with_the_limit_named_and_nothing_saved(
    registrar, client, settings, setting, value, upload, message
):
    setattr(settings, setting, value)
    count = Assignment.objects.count()
    response = upload_and_read(client, upload())
    assert response.status_code == 400
    assert message in response.content.decode()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert not storage.document_storage().exists(job.stored_name)
    assert Assignment.objects.count() == count


def test_within_the_default_limits_every_seed_is_read(registrar, client):
    for upload in (seed_upload(), seed_upload("handling.docx")):
        assert upload_and_read(client, upload).status_code == 302


def test_a_job_is_the_uploaders_alone(registrar, client, django_user_model):
    progress = client.post(UPLOAD, {"document": seed_upload()})["Location"]
    read_waiting_imports()
    token = progress.rstrip("/").rsplit("/", 1)[1]
    other = django_user_model.objects.create_superuser("admin2", "a2@example.org", "x")
    client.force_login(other)
    assert client.get(progress).status_code == 404
    assert client.get(f"/uppdrag/nytt/granska/{token}/").status_code == 404
    client.force_login(User.objects.get(username="per.albertsson"))  # a commissioner
    assert client.get(progress).status_code == 403
    assert client.post(UPLOAD, {"document": seed_upload()}).status_code == 403


def test_an_import_nobody_confirmed_is_swept_with_its_file(registrar, client):
    upload_and_read(client, seed_upload())
    job = ImportJob.objects.get()
    later = job.created_at + dt.timedelta(hours=25)
    assert import_jobs.sweep(now=later) == 1
    assert not ImportJob.objects.exists()
    assert not storage.document_storage().exists(job.stored_name)


@pytest.mark.parametrize("seed", ["seed_004.txt", "synthetic.txt", "seed_004.docx"])
def test_a_stored_reading_is_the_reading(seed):
    if seed.endswith(".docx"):
        data = documents.docx_bytes(documents.seed_004_text())
    else:
        data = (Path(__file__).parents[1] / "documents" / "importer" / seed).read_bytes()
    document = read_document(data, seed, today=dt.date(2026, 1, 1))
    assert decode(json.loads(json.dumps(encode(document)))) == document
