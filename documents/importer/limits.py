"""The bounds of one read (pages, paragraphs, extracted text, a Word file's unpacked size): the
hook the readers in text.py call as they go. Outside `bounded()` every check passes, so the
command line and the tests read as before; the import job (documents/import_jobs.py) reads
inside it, in a child process of its own that also has a time and a memory limit."""

from __future__ import annotations

import contextlib
import contextvars
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    pages: int
    paragraphs: int
    text_chars: int
    unpacked_bytes: int

    def as_dict(self) -> dict:
        return asdict(self)


class LimitExceeded(Exception):
    """A read went over one of its limits: `code` names which, `params` its value."""

    def __init__(self, code: str, limit: int):
        super().__init__(code, limit)
        self.code = code
        self.limit = limit


_active: contextvars.ContextVar[_Count | None] = contextvars.ContextVar("import_limits")


@dataclass
class _Count:
    limits: Limits
    paragraphs: int = 0
    chars: int = 0


@contextlib.contextmanager
def bounded(limits: Limits) -> Iterator[None]:
    token = _active.set(_Count(limits))
    try:
        yield
    finally:
        _active.reset(token)


def check_pages(count: int) -> None:
    if (current := _active.get(None)) and count > current.limits.pages:
        raise LimitExceeded("pages", current.limits.pages)


def check_archive(data: bytes) -> None:
    """A Word file is a zip: the sizes its entries declare (zipfile reads no further) bound
    what python-docx would unpack into memory."""
    if not (current := _active.get(None)):
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(entry.file_size for entry in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return  # the reader says the file is no Word document
    if unpacked > current.limits.unpacked_bytes:
        raise LimitExceeded("unpacked", current.limits.unpacked_bytes)


def count_text(text: str) -> None:
    """One more paragraph (or line, or table row) of `text`."""
    if not (current := _active.get(None)):
        return
    current.paragraphs += 1
    current.chars += len(text)
    if current.paragraphs > current.limits.paragraphs:
        raise LimitExceeded("paragraphs", current.limits.paragraphs)
    if current.chars > current.limits.text_chars:
        raise LimitExceeded("text", current.limits.text_chars)


def counted(items: Iterable[T], text=str) -> Iterator[T]:
    """`items` as they come, each counted as a paragraph of text(item)."""
    for item in items:
        count_text(text(item))
        yield item
