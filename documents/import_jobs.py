"""An uploaded uppdragshandling is read by a Celery worker, never in the web request
(documents/tasks.py): the upload stores the file and a job (`start`) and answers at once; the
worker reads the file in a child process bounded in time, memory, pages, paragraphs and text
(`run`, `read_isolated`, documents/import_sandbox.py) and stores what it read or why it
stopped; the progress page and the review page read the stored job (`parsed`, `message`).

Over a limit the job stops with a message naming the limit, its file is removed and nothing
else is saved; the child process ends, the worker goes on with the next job. Whoever may
import is asked by the caller (assignments.permissions.may_import_documents)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assignments import storage
from documents.import_codec import encode, parsed_document
from documents.importer import NotAnAssignmentDocument, ReaderUnavailable, read_document
from documents.importer.limits import LimitExceeded, Limits, bounded
from documents.importer.result import ParsedDocument
from documents.models import ImportJob

log = logging.getLogger(__name__)

READ_TASK = "documents.read_import"
DIRECTORY = "imports"
ROOT = Path(__file__).resolve().parent.parent
# What a child process whose memory ran out writes before it ends, where no Python code could
# catch the MemoryError (a C library's allocation, the interpreter's own).
OUT_OF_MEMORY = ("MemoryError", "Cannot allocate memory", "bad_alloc", "out of memory")
# how a process dies when an allocation failed where nothing could raise (negated, as
# subprocess reports a signal)
MEMORY_SIGNALS = (-signal.SIGSEGV, -signal.SIGABRT, -signal.SIGBUS)


def limits() -> Limits:
    return Limits(
        pages=settings.IMPORT_MAX_PAGES,
        paragraphs=settings.IMPORT_MAX_PARAGRAPHS,
        text_chars=settings.IMPORT_MAX_TEXT_CHARS,
        unpacked_bytes=settings.IMPORT_MAX_UNPACKED_MB * 1024 * 1024,
    )


# -- the web side ----------------------------------------------------------------------------------


def start(*, user, data: bytes, filename: str, language: str) -> ImportJob:
    """Store the file and its job, and hand the job to a worker when the transaction commits."""
    from celery import current_app

    sweep()
    name = storage.document_storage().save(
        storage.stored_name(DIRECTORY, filename), ContentFile(data)
    )
    job = ImportJob.objects.create(
        token=secrets.token_urlsafe(24),
        user=user,
        filename=filename[:255],
        stored_name=name,
        language=language or settings.LANGUAGE_CODE,
    )
    transaction.on_commit(
        lambda: current_app.send_task(READ_TASK, (job.pk,), queue=settings.IMPORT_QUEUE)
    )
    return job


def jobs_of(user):
    """The person's own jobs, newest first: a job is its uploader's alone (the review page,
    the registrar's desk) until it is saved as a draft."""
    return ImportJob.objects.filter(user=user).order_by("-created_at", "-pk")


def job_of(user, token: str) -> ImportJob | None:
    """The job behind `token`, to the person who uploaded it only."""
    return jobs_of(user).filter(token=token).first()


def parsed(job: ImportJob) -> ParsedDocument:
    return parsed_document(job.result)


def file_data(job: ImportJob) -> bytes | None:
    try:
        with storage.document_storage().open(job.stored_name, "rb") as file:
            return file.read()
    except FileNotFoundError:
        return None


def finish(job: ImportJob) -> None:
    """The draft is saved with its own copy of the file: drop the job and its waiting file."""
    _remove_file(job)
    job.delete()


def sweep(now: dt.datetime | None = None) -> int:
    """Remove jobs (and their files) older than IMPORT_PENDING_HOURS: uploads nobody confirmed.
    Also files of the waiting directory that no job names any more. Returns how many jobs."""
    limit = (now or timezone.now()) - dt.timedelta(hours=settings.IMPORT_PENDING_HOURS)
    old = list(ImportJob.objects.filter(created_at__lt=limit))
    for job in old:
        _remove_file(job)
    ImportJob.objects.filter(pk__in=[job.pk for job in old]).delete()
    store = storage.document_storage()
    try:
        _dirs, files = store.listdir(DIRECTORY)
    except FileNotFoundError:
        return len(old)
    named = set(ImportJob.objects.values_list("stored_name", flat=True))
    for file in files:
        name = f"{DIRECTORY}/{file}"
        if name not in named and store.get_modified_time(name) < limit:
            store.delete(name)
    return len(old)


def message(job: ImportJob) -> str:
    """Why a job stopped, in the language of the request asking (the limit named)."""
    error = job.error or {}
    code, limit = error.get("code"), error.get("limit")
    if code == "refused":
        return error.get("message") or _("Filen är ingen uppdragshandling.")
    messages = {
        "time": lambda: ngettext(
            "Inläsningen stoppades vid tidsgränsen: filen tog mer än %(limit)d sekund att läsa.",
            "Inläsningen stoppades vid tidsgränsen: filen tog mer än %(limit)d sekunder att läsa.",
            limit,
        ),
        "memory": lambda: _(
            "Inläsningen stoppades vid minnesgränsen: filen behövde mer än %(limit)d MB minne."
        ),
        "pages": lambda: _(
            "Inläsningen stoppades vid sidgränsen: handlingen har fler än %(limit)d sidor."
        ),
        "paragraphs": lambda: _(
            "Inläsningen stoppades vid gränsen för antal stycken: handlingen har fler än "
            "%(limit)d stycken."
        ),
        "text": lambda: _(
            "Inläsningen stoppades vid textgränsen: handlingen har mer än %(limit)d tecken text."
        ),
        "unpacked": lambda: _(
            "Inläsningen stoppades vid gränsen för uppackad storlek: Word-filen packas upp till "
            "mer än %(limit)d MB."
        ),
    }
    if code in messages and isinstance(limit, int):
        if code == "unpacked":
            limit //= 1024 * 1024
        return messages[code]() % {"limit": limit}
    return _("Filen kunde inte läsas. Försök igen eller skriv in uppdraget för hand.")


# -- the worker side -------------------------------------------------------------------------------


def run(job_id: int, *, isolated: bool = True) -> ImportJob | None:
    """Read a waiting job's file and store the outcome. `isolated` (the worker) reads in a
    bounded child process; without it the read runs here with the page, paragraph and text
    limits only (no time or memory limit): for the suite's fast lane."""
    job = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).first()
    if job is None:  # swept, confirmed or read already
        return None
    data = file_data(job)
    if data is None:
        return stop(job, {"code": "gone"})
    today = timezone.localdate()
    if isolated:
        answer = read_isolated(data, job.filename, language=job.language, today=today)
    else:
        answer = read_here(data, job.filename, language=job.language, today=today)
    if "document" in answer:
        job.status, job.result = ImportJob.Status.DONE, answer["document"]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "result", "finished_at"])
        return job
    return stop(job, answer["error"])


def stop(job: ImportJob, error: dict) -> ImportJob:
    """The job ends without a result: the reason kept, the file removed."""
    _remove_file(job)
    job.status, job.error, job.finished_at = ImportJob.Status.FAILED, error, timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    return job


def read_isolated(data: bytes, filename: str, *, language: str, today: dt.date) -> dict:
    """Read in a child process (documents/import_sandbox.py) bounded by IMPORT_TIME_LIMIT
    (wall clock and CPU) and IMPORT_MEMORY_LIMIT_MB: {"document": …} or {"error": …}."""
    seconds = settings.IMPORT_TIME_LIMIT
    spec = {
        "filename": filename,
        "language": language,
        "today": today.isoformat(),
        "limits": limits().as_dict(),
        "memory_mb": settings.IMPORT_MEMORY_LIMIT_MB,
        "cpu_seconds": seconds,
    }
    try:
        done = subprocess.run(  # noqa: S603 (this interpreter, our module, a JSON argument)
            [sys.executable, "-m", "documents.import_sandbox", json.dumps(spec)],
            input=data,
            capture_output=True,
            timeout=seconds,
            cwd=ROOT,
            check=False,
        )
    except subprocess.TimeoutExpired:  # subprocess.run has killed the child
        return {"error": {"code": "time", "limit": seconds}}
    if done.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return {"error": {"code": "time", "limit": seconds}}
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        answer = None
    if not isinstance(answer, dict) or not ({"document", "error"} & answer.keys()):
        said = done.stderr.decode(errors="replace")
        log.warning(
            "import of %s: the reader ended with %s: %s", filename, done.returncode, said[-2000:]
        )
        # Python ends a process whose memory ran out outside a MemoryError it could catch
        # (in a C library, or while it raised one) with a message naming it, or, where an
        # allocation failed that nothing checked, by a signal with no word at all: the reader
        # is Python beneath an address-space limit, and only a failed allocation ends it so.
        if any(sign in said for sign in OUT_OF_MEMORY) or done.returncode in MEMORY_SIGNALS:
            return {"error": {"code": "memory", "limit": settings.IMPORT_MEMORY_LIMIT_MB}}
        return {"error": {"code": "crashed"}}
    return answer


def read_here(data: bytes, filename: str, *, language: str, today: dt.date) -> dict:
    from django.utils import translation

    with translation.override(language), bounded(limits()):
        try:
            return {"document": encode(read_document(data, filename, today=today))}
        except LimitExceeded as error:
            return {"error": {"code": error.code, "limit": error.limit}}
        except (NotAnAssignmentDocument, ReaderUnavailable) as error:
            return {"error": {"code": "refused", "message": str(error)}}


def _remove_file(job: ImportJob) -> None:
    if job.stored_name:
        storage.document_storage().delete(job.stored_name)
