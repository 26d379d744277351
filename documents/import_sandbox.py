"""The child process an import job reads its file in (documents/import_jobs.read_isolated):
`python -m documents.import_sandbox '<spec as JSON>'` with the file on stdin, the answer as
JSON on stdout. It bounds itself before it reads: its address space (RLIMIT_AS: what it has
after starting Django plus IMPORT_MEMORY_LIMIT_MB) and its CPU time (RLIMIT_CPU); its parent
kills it at the wall-clock limit. A file that goes over a limit ends this process only."""

from __future__ import annotations

import datetime as dt
import faulthandler
import json
import os
import resource
import sys


def _address_space() -> int:
    """The bytes of address space this process has now (Linux: /proc/self/statm)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _bound_self(memory_mb: int, cpu_seconds: int) -> None:
    # Everything a read needs is imported first, so that the limit is the read's own.
    import docx  # noqa: F401
    import pdfplumber  # noqa: F401

    memory = _address_space() + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))


def main() -> int:
    faulthandler.enable()  # a death by a signal leaves its traceback in the worker's log
    spec = json.loads(sys.argv[1])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.utils import translation

    from documents.import_codec import encode
    from documents.importer import NotAnAssignmentDocument, ReaderUnavailable, read_document
    from documents.importer.limits import LimitExceeded, Limits, bounded

    data = sys.stdin.buffer.read()
    translation.activate(spec["language"])
    _bound_self(spec["memory_mb"], spec["cpu_seconds"])
    try:
        with bounded(Limits(**spec["limits"])):
            document = read_document(
                data, spec["filename"], today=dt.date.fromisoformat(spec["today"])
            )
        answer = {"document": encode(document)}
    except LimitExceeded as error:
        answer = {"error": {"code": error.code, "limit": error.limit}}
    except MemoryError:
        answer = {"error": {"code": "memory", "limit": spec["memory_mb"]}}
    except (NotAnAssignmentDocument, ReaderUnavailable) as error:
        answer = {"error": {"code": "refused", "message": str(error)}}
    try:
        sys.stdout.write(json.dumps(answer))
    except MemoryError:  # the document was read, but its answer does not fit either
        sys.stdout.write(json.dumps({"error": {"code": "memory", "limit": spec["memory_mb"]}}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
