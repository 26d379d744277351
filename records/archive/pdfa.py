"""PDF/A-2b for the archive: the uppdragshandling that documents/export_pdf.py writes, made
archival by Ghostscript.

reportlab's open-source edition writes no PDF/A (PDF/A is a feature of the commercial
ReportLab PLUS), and our PDF uses the PDF standard's Helvetica without embedding it, which PDF/A
forbids. Ghostscript (Debian's `ghostscript`) rewrites it as PDF/A-2b: fonts embedded, XMP
metadata with pdfaid:part 2, and an sRGB output intent from Ghostscript's own ICC profile
(its PDFA_def.ps, pointed at that profile). No PDF/A validator (veraPDF) is packaged for us;
tests/records check what can be read: the PDF/A identification, the output intent and the
embedded fonts.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

GHOSTSCRIPT = "gs"


class PdfaError(RuntimeError):
    """The PDF could not be made PDF/A (Ghostscript missing or failing)."""


def _ghostscript_lib() -> tuple[Path, Path]:
    """Ghostscript's PDFA_def.ps and its sRGB ICC profile, wherever this version keeps them."""
    executable = shutil.which(GHOSTSCRIPT)
    if executable is None:
        raise PdfaError("Ghostscript (gs) saknas: installera Debian-paketet ghostscript.")
    version = subprocess.run(  # noqa: S603 - a fixed command, no user input
        [executable, "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    root = Path("/usr/share/ghostscript") / version
    definition, profile = root / "lib" / "PDFA_def.ps", root / "iccprofiles" / "default_rgb.icc"
    if not (definition.exists() and profile.exists()):
        raise PdfaError(f"Ghostscripts PDFA_def.ps eller sRGB-profil saknas under {root}.")
    return definition, profile


def to_pdfa(pdf: bytes) -> bytes:
    """The PDF as PDF/A-2b (its title, author and subject kept)."""
    definition, profile = _ghostscript_lib()
    text = definition.read_text(encoding="latin-1")
    # Keep the document's own title (PDFA_def.ps would set "Title"); point at the profile.
    text = re.sub(r"\[\s*/Title \(Title\)[^\n]*\n\s*/DOCINFO pdfmark\n", "", text)
    text = text.replace("(srgb.icc)", f"({profile})")
    with tempfile.TemporaryDirectory(prefix="uppdrag-pdfa-") as work:
        work = Path(work)
        (work / "PDFA_def.ps").write_text(text, encoding="latin-1")
        (work / "in.pdf").write_bytes(pdf)
        done = subprocess.run(  # noqa: S603 - fixed arguments, files of our own
            [
                GHOSTSCRIPT,
                "-q",
                "-dPDFA=2",
                "-dPDFACompatibilityPolicy=1",
                "-dBATCH",
                "-dNOPAUSE",
                "-sColorConversionStrategy=RGB",
                "-sDEVICE=pdfwrite",
                f"--permit-file-read={profile}",
                f"-sOutputFile={work / 'out.pdf'}",
                str(work / "PDFA_def.ps"),
                str(work / "in.pdf"),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode != 0 or not (work / "out.pdf").exists():
            raise PdfaError(f"Ghostscript kunde inte skriva PDF/A: {done.stderr.strip()[:500]}")
        return (work / "out.pdf").read_bytes()
