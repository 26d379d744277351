"""Crafted uploads that cost a reader far more than their size (issue 27, reproduction 1),
made here rather than kept as files: a PDF of a few KiB whose page draws a form XObject
thousands of times, each drawing a thousand characters (pdfminer makes an object of every
character, so it burns CPU and memory), and a Word file of about 100 KiB whose document.xml
unpacks to tens of MiB of one repeated paragraph. The benchmark (bench/import_limits.py) uses
them too."""

from __future__ import annotations

import io
import zipfile
import zlib


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of these objects (1 0 obj is the catalog), with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def _stream(dictionary: bytes, content: bytes) -> bytes:
    packed = zlib.compress(content, 9)
    return (
        b"<< "
        + dictionary
        + b" /Filter /FlateDecode /Length %d >>\nstream\n" % len(packed)
        + packed
        + b"\nendstream"
    )


def expensive_pdf(draws: int = 20_000, chars_per_draw: int = 1_000) -> bytes:
    """A one-page PDF of a few KiB that asks for draws × chars_per_draw characters (20 million
    by default) to be laid out."""
    run = b"(" + b"W" * 50 + b") Tj "
    form = b"BT /F1 1 Tf 0 0 Td " + run * (chars_per_draw // 50) + b"ET"
    page = b"/X1 Do " * draws
    font = b"<< /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>"
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font " + font + b" /XObject << /X1 5 0 R >> >> >>",
            _stream(b"", page),
            _stream(
                b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font "
                + font
                + b" >>",
                form,
            ),
        ]
    )


def expanding_docx(paragraphs: int = 240_000) -> bytes:
    """A Word file of about 100 KiB whose body is `paragraphs` copies of one paragraph: some
    23 MiB of XML (and of text for a reader) by default."""
    import docx

    document = docx.Document()
    document.add_paragraph("Uppdragshandling")
    template = io.BytesIO()
    document.save(template)
    paragraph = (
        b"<w:p><w:r><w:t>Uppdraget omfattar en kartl\xc3\xa4ggning av samtliga "
        b"samordningsgrupper.</w:t></w:r></w:p>"
    )
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(template.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "word/document.xml":
                head, _sep, tail = content.partition(b"<w:body>")
                content = head + b"<w:body>" + paragraph * paragraphs + tail
            target.writestr(entry, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def pages_pdf(pages: int, line: bytes = b"Uppdragshandling") -> bytes:
    """A plain PDF of `pages` pages, each with one line of text (for the page limit)."""
    font = b"<< /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>"
    kids = b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
    ]
    for i in range(pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font " % (4 + 2 * i) + font + b" >> >>"
        )
        objects.append(_stream(b"", b"BT /F1 12 Tf 72 770 Td (" + line + b") Tj ET"))
    return _pdf(objects)
