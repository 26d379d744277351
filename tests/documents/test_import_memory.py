"""A file that exhausts the reader's memory is stopped at the memory limit, however the
reader dies of it. CI saw the crafted PDF of test_import_worker end as "crashed": beneath its
address-space limit the child died three ways, each seen on this machine: a MemoryError that
pdfminer wrapped in an exception of its own (read as "not a PDF"), Python's fatal error
naming MemoryErrors, and a segmentation fault with no word at all."""

import datetime as dt
import subprocess
import sys

import pytest

from documents import import_jobs
from documents.importer import pdf as pdf_reader
from documents.importer.text import UnreadableDocument


def run_instead(code: str):
    """subprocess.run for read_isolated that starts a real Python child running `code`."""
    real = subprocess.run

    def run(command, **options):
        return real([sys.executable, "-c", code], **options)

    return run


@pytest.mark.parametrize(
    "code, expected",
    [
        ("import ctypes; ctypes.string_at(0)", "memory"),  # a segmentation fault, silent
        ("import os; os.abort()", "memory"),
        ("import sys; sys.stderr.write('MemoryError'); sys.exit(1)", "memory"),
        ("import sys; sys.stderr.write('KeyError'); sys.exit(1)", "crashed"),
        ("print('not JSON')", "crashed"),
    ],
)
def test_a_reader_that_dies_of_a_failed_allocation_is_stopped_at_the_memory_limit(
    monkeypatch, settings, code, expected
):
    monkeypatch.setattr(import_jobs.subprocess, "run", run_instead(code))
    answer = import_jobs.read_isolated(b"%PDF", "a.pdf", language="sv", today=dt.date.today())
    assert answer["error"]["code"] == expected
    if expected == "memory":
        assert answer["error"]["limit"] == settings.IMPORT_MEMORY_LIMIT_MB


def test_a_memory_error_pdfminer_wraps_is_not_read_as_a_damaged_pdf(monkeypatch):
    import pdfplumber

    class PdfminerException(Exception):
        pass

    def opening(*args, **kwargs):
        try:
            raise MemoryError
        except MemoryError as error:
            raise PdfminerException from error

    monkeypatch.setattr(pdfplumber, "open", opening)
    with pytest.raises(MemoryError):
        pdf_reader.pdf_pages(b"%PDF-1.4")

    def damaged(*args, **kwargs):
        raise PdfminerException("No /Root object!")

    monkeypatch.setattr(pdfplumber, "open", damaged)
    with pytest.raises(UnreadableDocument):
        pdf_reader.pdf_pages(b"%PDF-1.4")
