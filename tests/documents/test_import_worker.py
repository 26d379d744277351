"""Issue 27, reproduction 1: imports had no bound. A crafted PDF of about a kilobyte cost the
web request tens of seconds of CPU and GBs of memory, a Word file of about 100 KiB unpacked to
tens of MiB of text, and any commissioner could upload. Now only registrars import, the upload
answers without reading the file, and a real Celery worker (with real Redis) reads it in a
bounded child process: over a limit the job stops with a Swedish message naming the limit,
nothing is saved, and the same worker reads the next file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from assignments.models import Assignment, User
from tests import crafted_imports
from tests import uppdragshandlingar as documents
from tests.reminders.test_worker import Worker, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

UPLOAD = "/uppdrag/nytt/importera/"


def jobs():
    # imported here, so that these tests also run (and fail as they should) on the code before
    # import jobs existed
    from documents.models import ImportJob

    return ImportJob


@pytest.fixture
def people(db):
    call_command("load_demo", "--seed-only", verbosity=0)
    return {
        "registrar": User.objects.get(username="registrator"),
        # commissions seed 004: "Nytt uppdrag" is open to him for assignments of his own
        "commissioner": User.objects.get(username="per.albertsson"),
    }


@pytest.fixture
def worker(tmp_path, settings, monkeypatch, queue):
    """A real worker on a queue of its own, reading with limits a test can reach quickly."""
    settings.IMPORT_QUEUE = queue
    monkeypatch.setenv("IMPORT_TIME_LIMIT", "20")
    monkeypatch.setenv("IMPORT_MEMORY_LIMIT_MB", "300")
    started = []

    def start():
        started.append(Worker(tmp_path, 1, settings.CELERY_BROKER_URL, queue))
        return started[-1]

    yield start
    for each in started:
        each.stop()


@pytest.fixture
def queue():
    import uuid

    return f"test-imports-{uuid.uuid4().hex[:8]}"


def finished(job, worker: Worker):
    ImportJob = jobs()
    wait_until(
        lambda: ImportJob.objects.get(pk=job.pk).status != ImportJob.Status.QUEUED,
        progress=worker.cpu,
        what=f"the worker to read {job.filename}",
    )
    return ImportJob.objects.get(pk=job.pk)


def normal_upload() -> SimpleUploadedFile:
    text = documents.seed_004_text().replace("RS 2024-05699", "RS 2026-05555")
    text = "\n".join(line for line in text.splitlines() if not line.startswith("Observera:"))
    return SimpleUploadedFile("handling.txt", text.encode())


def test_a_commissioner_may_not_import_a_document(people, client):
    """Before: any commissioner's upload was read (302 to the review)."""
    client.force_login(people["commissioner"])
    assert client.get("/uppdrag/nytt/").status_code == 200  # he may still register by hand
    response = client.post(UPLOAD, {"document": normal_upload()})
    assert response.status_code == 403
    assert not jobs().objects.exists()
    assert 'id="import-form"' not in client.get("/uppdrag/nytt/").content.decode()


def test_crafted_files_stop_at_their_limits_and_the_worker_reads_the_next(people, client, worker):
    """The uploads answer before any worker runs (so the request read nothing); the worker
    stops each crafted file at a limit, with the message naming it, saves nothing, and then
    reads a normal uppdragshandling."""
    client.force_login(people["registrar"])
    assignments = Assignment.objects.count()
    uploads = {  # the Word file first: before the fix it was read in the request, for seconds
        "docx": SimpleUploadedFile("uppblast.docx", crafted_imports.expanding_docx()),
        "pdf": SimpleUploadedFile("kostsam.pdf", crafted_imports.expensive_pdf()),
    }
    progress = {}
    for kind, upload in uploads.items():
        response = client.post(UPLOAD, {"document": upload})
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response["Location"].startswith("/uppdrag/nytt/inlasning/")
        progress[kind] = response["Location"]
        waiting = client.get(response["Location"])
        assert waiting.status_code == 200
        assert 'role="status"' in waiting.content.decode()
    ImportJob = jobs()
    waiting = {job.filename: job for job in ImportJob.objects.all()}
    assert {job.status for job in waiting.values()} == {ImportJob.Status.QUEUED}

    reader = worker()
    docx = finished(waiting["uppblast.docx"], reader)
    pdf = finished(waiting["kostsam.pdf"], reader)
    assert pdf.status == docx.status == ImportJob.Status.FAILED
    assert pdf.error["code"] in {"time", "memory"}, pdf.error
    assert docx.error == {"code": "unpacked", "limit": 20 * 1024 * 1024}
    assert reader.process.poll() is None  # the worker itself is unharmed

    pdf_page = client.get(progress["pdf"]).content.decode()
    limit = {"time": "tidsgränsen", "memory": "minnesgränsen"}[pdf.error["code"]]
    assert f"Inläsningen stoppades vid {limit}" in pdf_page
    assert {"time": "20 sekunder", "memory": "300 MB"}[pdf.error["code"]] in pdf_page
    docx_response = client.get(progress["docx"])
    assert docx_response.status_code == 400
    assert (
        "Inläsningen stoppades vid gränsen för uppackad storlek: Word-filen packas upp till "
        "mer än 20 MB." in docx_response.content.decode()
    )
    User.objects.filter(pk=people["registrar"].pk).update(language="en")
    english = client.get(progress["docx"]).content.decode()
    assert "The import was stopped at the unpacked size limit" in english
    User.objects.filter(pk=people["registrar"].pk).update(language="sv")
    assert Assignment.objects.count() == assignments  # nothing saved
    from assignments import storage

    for job in (pdf, docx):
        assert not storage.document_storage().exists(job.stored_name)

    # the same worker reads a normal uppdragshandling afterwards
    response = client.post(UPLOAD, {"document": normal_upload()})
    normal = ImportJob.objects.get(token=response["Location"].rstrip("/").rsplit("/", 1)[1])
    assert finished(normal, reader).status == ImportJob.Status.DONE
    review = client.get(client.get(response["Location"])["Location"])
    assert review.status_code == 200
    assert "Ander Kullbratt" in review.content.decode()
    assert Assignment.objects.count() == assignments
