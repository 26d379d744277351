"""A scanned page (a PDF page that is only an image, as a diarium keeps documents) read by
Tesseract with its Swedish model (Debian's tesseract-ocr-swe), word by word with where each
word stands, so that pdf.py lays out its lines as for a PDF with text. What OCR read may be
misread: parse.py marks every field read from a scanned page for review, and the review page
shows the page beside it (page_image).
"""

from __future__ import annotations

import io
import os
import re

from django.utils.translation import gettext as _

from documents.importer.text import ReaderUnavailable

# Tesseract reads best at 300 dpi; a scan made at less is read at the resolution it has.
RESOLUTION = 300
LANGUAGE = "swe"
# Below this confidence (0–100) Tesseract's "word" is noise (a speck, a stamp's edge).
MIN_CONFIDENCE = 30
# What Tesseract makes of a bullet glyph standing alone before a list item's text.
BULLET_READ_AS = re.compile(r"[eoc«»*°+•●◦▪■□·©®>.,'’\-–—]{1,2}")
DESCENDERS = re.compile(r"[gjpqy,;]")
# A diarium's scan of an uppdragshandling has a few pages; past this many, the rest is left.
MAX_PAGES = 30
# Tesseract's OpenMP threads spin while they wait: beside another busy process (the web
# server, a second worker) one page took 9.8 s and 8 s of CPU with them, 3.4 s and 2 s with
# one thread. A page is small; the worker reads jobs side by side instead. (pytesseract's
# child process reads it from our environment; an operator's own setting wins.)
OCR_THREADS = "1"


def words_of(page) -> list[dict]:
    """The words on a pdfplumber page that is an image, as pdfplumber gives a text page's
    (text, x0, x1, top, bottom, in PDF points)."""
    if page.page_number > MAX_PAGES:
        return []
    try:
        import pytesseract
    except ImportError as error:
        raise ReaderUnavailable(_unavailable()) from error
    os.environ.setdefault("OMP_THREAD_LIMIT", OCR_THREADS)
    image = page.to_image(resolution=_resolution(page)).original.convert("L")
    scale = float(page.width) / image.width
    try:
        data = pytesseract.image_to_data(
            image, lang=LANGUAGE, config="--psm 4", output_type=pytesseract.Output.DICT
        )
    except (pytesseract.TesseractNotFoundError, pytesseract.TesseractError) as error:
        raise ReaderUnavailable(_unavailable()) from error
    lines: dict[tuple[int, int, int], list[dict]] = {}
    for i, text in enumerate(data["text"]):
        if not text.strip() or float(data["conf"][i]) < MIN_CONFIDENCE:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        left, top = data["left"][i], data["top"][i]
        lines.setdefault(key, []).append(
            {
                "text": text.strip(),
                "x0": left * scale,
                "x1": (left + data["width"][i]) * scale,
                "top": top * scale,
                "bottom": (top + data["height"][i]) * scale,
            }
        )
    heights = sorted(
        max(w["bottom"] for w in line) - min(w["top"] for w in line) for line in lines.values()
    )
    height = heights[len(heights) // 2] if heights else 0.0
    words = []
    for line in lines.values():
        # A line's words share one box, as high as the page's usual line, standing on the
        # line's baseline (most words' foot): a line of x-height letters or one with a
        # descender must not look further from its neighbours than it is.
        feet = sorted(_baseline(word) for word in line)
        baseline = feet[len(feet) // 2]
        top, bottom = baseline - 0.8 * height, baseline + 0.2 * height
        line.sort(key=lambda word: word["x0"])
        # A mark alone before the text is the list's bullet, however it was read; a hyphen
        # alone between words is the dash of a range ("Juni – aug 2025").
        if len(line) > 1 and BULLET_READ_AS.fullmatch(line[0]["text"]):
            line[0]["text"] = "•"
        for word in line[1:]:
            if word["text"] in ("-", "—"):
                word["text"] = "–"
        words += [{**word, "top": top, "bottom": bottom} for word in line]
    return words


def _baseline(word: dict) -> float:
    """Where a word stands: its foot, above the descender of a g, j, p, q or y."""
    if DESCENDERS.search(word["text"]):
        return word["bottom"] - 0.22 * (word["bottom"] - word["top"])
    return word["bottom"]


def _resolution(page) -> int:
    """The scan's own resolution (a 200 dpi scan is not read larger than it is), at most
    RESOLUTION."""
    widths = [image["srcsize"][0] for image in page.images if image.get("srcsize")]
    if not widths:
        return RESOLUTION
    scanned = max(widths) / (float(page.width) / 72)
    return int(min(RESOLUTION, max(150, scanned)))


def page_image(data: bytes, number: int, *, resolution: int = 100) -> bytes:
    """Page `number` (from 1) of a PDF as a PNG, for the review page to show beside the
    fields read from it."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        if not 1 <= number <= len(pdf.pages):
            raise IndexError(number)
        out = io.BytesIO()
        pdf.pages[number - 1].to_image(resolution=resolution).original.save(out, format="PNG")
        return out.getvalue()


def _unavailable() -> str:
    return _("Skannade PDF-filer kan inte läsas på den här servern (Tesseract med svenska saknas).")
