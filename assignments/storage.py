"""Documents are as private as their assignment (DOMAIN.md): which files may be delivered, where
they are kept and how they are handed out, stated once.

A document is checked by its name *and* by its content, so an HTML page renamed `.pdf` is
refused as surely as one called `.html`. It is stored under a random name in a storage that
has no URL, and only a view that checks the assignment page's permission hands it out, always
as a download with a fixed, harmless content type: nothing a user uploads ever runs on our
origin.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

# Enough of a file for every check but the text one: the magic numbers of PDF and images sit at
# the start, and a zip is read through its own directory.
HEAD_BYTES = 8192
# A zip entry we read to learn its type is a few hundred bytes; read no more than this of it, so
# a zip bomb cannot make us inflate it.
ZIP_ENTRY_LIMIT = 64 * 1024
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # doc, xls and ppt (Office 97-2003)
# What a browser would take for markup if it ever sniffed a text file: refuse it outright.
MARKUP = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|svg|iframe|object|embed|\?xml|xml|meta|style)\b"
    rb"|<\s*[a-z][a-z0-9-]*[^>]*\bon[a-z]+\s*=",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DocumentType:
    extension: str
    content_type: str
    matches: Callable[[object], bool]


def _magic(extension: str) -> Callable[[object], bool]:
    """The file starts with the magic number `filetype` knows for this kind."""
    kind = filetype.get_type(ext=extension)

    def matches(file) -> bool:
        return kind.match(_head(file))

    return matches


def _ole2(file) -> bool:
    return _head(file).startswith(OLE2_SIGNATURE)


def _ooxml(main_part_type: str) -> Callable[[object], bool]:
    """An Office Open XML package: a zip whose [Content_Types].xml declares this main part
    (so a docx is not an xlsx, and a macro-enabled docm, whose main part differs, is not a
    docx)."""
    declaration = f'ContentType="application/vnd.openxmlformats-officedocument.{main_part_type}"'

    def matches(file) -> bool:
        content_types = _zip_entry(file, "[Content_Types].xml")
        return content_types is not None and declaration.encode() in content_types

    return matches


def _odf(mimetype: str) -> Callable[[object], bool]:
    """An OpenDocument package: a zip whose `mimetype` entry is exactly this type."""

    def matches(file) -> bool:
        return _zip_entry(file, "mimetype") == mimetype.encode()

    return matches


def _text(file) -> bool:
    """Plain text: UTF-8, no NUL bytes and no markup a browser could run."""
    file.seek(0)
    content = file.read()
    file.seek(0)
    if b"\x00" in content or MARKUP.search(content):
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# The allowed types, in the order the error message names them. SVG is an image but a script
# too, and HTML or XML are pages, so none of them is here.
DOCUMENT_TYPES = {
    t.extension: t
    for t in [
        DocumentType("pdf", "application/pdf", _magic("pdf")),
        DocumentType("doc", "application/msword", _ole2),
        DocumentType(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            _ooxml("wordprocessingml.document.main+xml"),
        ),
        DocumentType("xls", "application/vnd.ms-excel", _ole2),
        DocumentType(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            _ooxml("spreadsheetml.sheet.main+xml"),
        ),
        DocumentType("ppt", "application/vnd.ms-powerpoint", _ole2),
        DocumentType(
            "pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            _ooxml("presentationml.presentation.main+xml"),
        ),
        DocumentType(
            "odt",
            "application/vnd.oasis.opendocument.text",
            _odf("application/vnd.oasis.opendocument.text"),
        ),
        DocumentType(
            "ods",
            "application/vnd.oasis.opendocument.spreadsheet",
            _odf("application/vnd.oasis.opendocument.spreadsheet"),
        ),
        DocumentType(
            "odp",
            "application/vnd.oasis.opendocument.presentation",
            _odf("application/vnd.oasis.opendocument.presentation"),
        ),
        DocumentType("png", "image/png", _magic("png")),
        DocumentType("jpg", "image/jpeg", _magic("jpg")),
        DocumentType("jpeg", "image/jpeg", _magic("jpg")),
        DocumentType("gif", "image/gif", _magic("gif")),
        DocumentType("webp", "image/webp", _magic("webp")),
        DocumentType("txt", "text/plain; charset=utf-8", _text),
        DocumentType("csv", "text/csv; charset=utf-8", _text),
    ]
}
# For the file input's `accept`: the browser's file chooser offers these first.
ACCEPT = ",".join(f".{extension}" for extension in DOCUMENT_TYPES)


def extension_of(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def validate_document(file) -> None:
    """Refuse a file that is too large, of a type not allowed, or whose content is not what
    its name says; the messages are Swedish and name the file."""
    name = PurePath(file.name or "").name
    if file.size > settings.DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("”%(name)s” är för stor (%(size)s). Största tillåtna storlek är %(limit)s.")
            % {
                "name": name,
                "size": filesizeformat(file.size),
                "limit": filesizeformat(settings.DOCUMENT_MAX_BYTES),
            },
            code="too_large",
        )
    kind = DOCUMENT_TYPES.get(extension_of(name))
    if kind is None:
        raise ValidationError(
            _("Filtypen för ”%(name)s” är inte tillåten. Tillåtna filtyper: %(allowed)s.")
            % {"name": name, "allowed": ", ".join(DOCUMENT_TYPES)},
            code="type_not_allowed",
        )
    if not kind.matches(file):
        raise ValidationError(
            _(
                "Innehållet i ”%(name)s” stämmer inte med filändelsen .%(extension)s. "
                "Spara dokumentet i rätt format och försök igen."
            )
            % {"name": name, "extension": kind.extension},
            code="content_mismatch",
        )


def stored_name(directory: str, original_name: str) -> str:
    """A random file name with the checked extension: nobody can guess another's document."""
    extension = extension_of(original_name)
    suffix = f".{extension}" if extension in DOCUMENT_TYPES else ""
    return f"{directory}/{uuid.uuid4().hex}{suffix}"


class PrivateStorage(FileSystemStorage):
    """Files under MEDIA_ROOT that have no URL: nothing serves that directory, and a template
    that asks for `.url` fails loudly instead of printing a dead or public link."""

    def url(self, name):
        raise ValueError(
            "Documents have no URL; link to the view that hands them out after a permission check."
        )


def document_storage():
    """The storage of delivery documents (STORAGES["documents"])."""
    return storages["documents"]


def download_response(field_file, filename: str) -> FileResponse:
    """The document as a download, whatever it holds: attachment, a content type from the
    allowed list (else octet-stream), no sniffing, and a sandbox should it ever be opened."""
    kind = DOCUMENT_TYPES.get(extension_of(field_file.name))
    response = FileResponse(
        field_file.open("rb"),
        as_attachment=True,
        filename=filename or PurePath(field_file.name).name,
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    return _as_private_download(response)


def generated_download(content: bytes, filename: str, content_type: str) -> FileResponse:
    """A document made on request (the uppdragshandling as PDF or Word) as a download, with
    the same headers as a stored one: it is as private as its assignment."""
    response = FileResponse(
        io.BytesIO(content), as_attachment=True, filename=filename, content_type=content_type
    )
    return _as_private_download(response)


def _as_private_download(response: FileResponse) -> FileResponse:
    """No sniffing, a sandbox should it ever be opened in the browser, kept by no cache."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    patch_cache_control(response, private=True, no_store=True)
    return response


def _head(file) -> bytes:
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    return head


def _zip_entry(file, name: str) -> bytes | None:
    """The first bytes of one entry of a zip file, or None if it is no zip or lacks the entry."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive, archive.open(name) as entry:
            return entry.read(ZIP_ENTRY_LIMIT)
    except (
        zipfile.BadZipFile,
        KeyError,
        OSError,
        EOFError,
        RuntimeError,
        NotImplementedError,
        zlib.error,
    ):
        return None
    finally:
        file.seek(0)
