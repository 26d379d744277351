"""The importer's corpus: three uppdragshandlingar (seed 004, the synthetic one of Region
Exempelland, and a synthetic one written as Västra Götalandsregionen writes them), each in
more than 30 layouts and formats, as offices vary them:

- plain text with labels without their colon (value on the next line), sections moved;
- Word in every layout of layouts.word_layouts(): header lines, header table, Word header
  part, text box × bullets, numbered, Word numbering on plain paragraphs, second level;
- each of those Word files exported to PDF by LibreOffice (one `soffice` call for them all);
- PDFs written by another writer (tests/uppdragshandlingar.pdf_bytes) with three bullet glyphs;
- scans: the LibreOffice PDF of the header-table layout as page images at 200 and 300 dpi.

Generated files are kept under var/corpus/<key>/, the key a hash of what makes them (this
module, layouts.py and the texts), so a session builds them once and the next run reuses them;
a lock file keeps parallel workers from building the same files twice.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests import uppdragshandlingar as documents
from tests.documents.importer import layouts

ROOT = Path(__file__).resolve().parents[3]
REGION = Path(__file__).resolve().parent / "region.txt"
TEXTS = {
    "seed_004": documents.seed_004_text,
    "synthetic": documents.synthetic_text,
    "region": lambda: REGION.read_text(encoding="utf-8"),
}
GLYPHS = ("•", "–", "·")  # in the writer's WinAnsi encoding
SCAN_RESOLUTIONS = (200, 300)
SCANNED_LAYOUT = layouts.Layout(header="table")


@dataclass(frozen=True)
class Variant:
    document: str  # a key of TEXTS
    kind: str  # txt, docx, pdf-libreoffice, pdf-writer, scan
    layout: str  # what varies: a Layout's name, a glyph, a resolution

    @property
    def id(self) -> str:
        return f"{self.document}-{self.kind}-{self.layout}"

    @property
    def filename(self) -> str:
        extension = "pdf" if self.kind.startswith(("pdf", "scan")) else self.kind
        return f"{self.id}.{extension}"

    @property
    def is_slow(self) -> bool:
        """Made by another program (LibreOffice) or read by one (Tesseract)."""
        return self.kind in ("pdf-libreoffice", "scan")


def variants() -> list[Variant]:
    found = []
    for document in TEXTS:
        found += [Variant(document, "txt", layout.name) for layout in layouts.text_layouts()]
        for layout in layouts.word_layouts():
            found += [
                Variant(document, "docx", layout.name),
                Variant(document, "pdf-libreoffice", layout.name),
            ]
        found += [Variant(document, "pdf-writer", glyph) for glyph in GLYPHS]
        found += [Variant(document, "scan", f"{dpi}dpi") for dpi in SCAN_RESOLUTIONS]
    return found


def _layout(name: str) -> layouts.Layout:
    return next(
        layout
        for layout in [*layouts.word_layouts(), *layouts.text_layouts()]
        if layout.name == name
    )


def build(variant: Variant) -> bytes:
    """A variant's file: made in memory, or for LibreOffice and scans taken from the cache."""
    if variant.is_slow:
        return (cached() / variant.filename).read_bytes()
    return made_here(variant)


def made_here(variant: Variant) -> bytes:
    """A variant that is made in memory (plain text, Word, the other writer's PDF)."""
    text = TEXTS[variant.document]()
    if variant.kind == "txt":
        return layouts.layout_text(text, _layout(variant.layout)).encode()
    if variant.kind == "docx":
        return layouts.docx_of(text, _layout(variant.layout))
    if variant.kind == "pdf-writer":
        return documents.pdf_bytes(text, bullet=variant.layout)
    raise ValueError(f"{variant.id} is made by another program: build() it")


def cache_key() -> str:
    digest = hashlib.sha256()
    for path in (Path(__file__), Path(layouts.__file__), documents.SEED_004, documents.SYNTHETIC):
        digest.update(path.read_bytes())
    digest.update(REGION.read_bytes())
    return digest.hexdigest()[:16]


def cached() -> Path:
    """The folder of the LibreOffice PDFs and the scans, built when it is not there."""
    base = ROOT / "var" / "corpus"
    base.mkdir(parents=True, exist_ok=True)
    folder = base / cache_key()
    with open(base / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "done").exists():
            for stale in base.iterdir():
                if stale.is_dir():
                    shutil.rmtree(stale)
            _build_into(folder)
    return folder


def _build_into(folder: Path) -> None:
    folder.mkdir()
    with tempfile.TemporaryDirectory() as work:
        sources = Path(work)
        for variant in variants():
            if variant.kind == "pdf-libreoffice":
                data = layouts.docx_of(TEXTS[variant.document](), _layout(variant.layout))
                (sources / f"{variant.id}.docx").write_bytes(data)
        # One LibreOffice for every file: it starts once (seconds), converts each in a blink.
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{sources}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                *sorted(str(path) for path in sources.glob("*.docx")),
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
    for variant in variants():
        if variant.kind == "scan":
            source = Variant(variant.document, "pdf-libreoffice", SCANNED_LAYOUT.name)
            dpi = int(variant.layout.removesuffix("dpi"))
            scanned = scan((folder / source.filename).read_bytes(), dpi)
            (folder / variant.filename).write_bytes(scanned)
    (folder / "done").write_text("")


def scan(data: bytes, dpi: int) -> bytes:
    """The PDF as a scanner makes it: each page an image (grey, at `dpi`), no text."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        images = [page.to_image(resolution=dpi).original.convert("L") for page in pdf.pages]
    out = io.BytesIO()
    images[0].save(out, format="PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out.getvalue()
