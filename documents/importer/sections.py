"""An uppdragshandling's headings, in any case, numbering ("1. Bakgrund"), with or without a
colon and in any order, and the lines under each; letterhead addresses left out.

Headings are matched on their words, not their place: a document may leave a section out or
put it elsewhere, and the parser then warns instead of failing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Section key → headings that are the whole line, and beginnings of longer headings.
HEADINGS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "description": (
        (
            "uppdragsbeskrivning",
            "beskrivning av uppdraget",
            "uppdragets beskrivning",
            "beskrivning",
            "bakgrund",
            "bakgrund och uppdragsbeskrivning",
            "uppdragets bakgrund",
            "bakgrund och syfte",
        ),
        (),
    ),
    "purpose": (("syfte", "syfte och mål", "mål och syfte", "mål", "uppdragets syfte"), ()),
    "scope": (
        ("omfattning", "uppdragets omfattning", "uppdraget innefattar", "uppdraget omfattar"),
        (
            "uppdraget innefattar",
            "uppdraget omfattar",
            "i uppdraget ingår",
            "uppdraget består av",
            "uppdraget innebär",
        ),
    ),
    "requirements": (
        ("uppdraget ska", "uppdraget skall", "krav", "krav på uppdraget", "uppdraget ska även"),
        (),
    ),
    "working_group": (
        (
            "arbetsorganisation",
            "arbetsgrupp",
            "arbetsgruppen",
            "organisation",
            "projektorganisation",
            "organisation och arbetsgrupp",
            "arbetsgrupp och organisation",
            "deltagare",
            "bemanning",
        ),
        ("arbetsgruppen utgörs av", "arbetsgruppen består av", "i arbetsgruppen ingår"),
    ),
    "relations": (
        ("samband", "gränsdragning", "intressenter", "beroenden", "samverkan"),
        ("samband och gränsdragning", "gränsdragning och samband", "samband med", "koppling till"),
    ),
    "communication": (
        (
            "kommunikation",
            "kommunikationsplan",
            "kommunikation och förankring",
            "information och kommunikation",
        ),
        (),
    ),
    "timeline": (
        (
            "tidplan",
            "tidsplan",
            "milstolpar",
            "aktivitetsplan",
            "tidplan och milstolpar",
            "tidplan och aktiviteter",
            "aktiviteter och tidplan",
            "tidplan och leverans",
            "tidplan och leveranser",
            "tidplan och avrapportering",
        ),
        ("tidplan för", "tidplan och"),
    ),
    "costs": (
        (
            "kostnader och finansiering",
            "finansiering och kostnader",
            "kostnader",
            "finansiering",
            "budget",
            "ekonomi",
            "resurser",
            "resurser och finansiering",
        ),
        ("kostnader och", "finansiering av"),
    ),
    "decision_form": (
        ("beslutsform", "form för beslut", "beslut", "återrapportering", "rapportering"),
        ("form för beslut", "återrapportering och beslut", "återrapportering till"),
    ),
    "distribution": (
        (
            "uppdraget skickas till",
            "uppdraget sänds till",
            "uppdraget delges",
            "sändlista",
            "distribution",
            "distributionslista",
        ),
        ("uppdraget skickas till", "uppdraget sänds till", "uppdraget delges"),
    ),
    "execution": (("för genomförande", "för åtgärd", "för verkställighet"), ()),
    "information": (("för kännedom", "för information", "för info", "kopia till", "kopia"), ()),
}
NUMBERING = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[ivx]{1,4}\.|[a-h][.)])\s+", re.I)
CONTACT_LABEL = re.compile(
    r"^(?:post-?adress|besöksadress|leveransadress|fakturaadress|adress|telefon|tel|tfn|"
    r"telefax|fax|e-?post|e-?mail|mejl|webbplats|webb|hemsida|internet|org\.?\s?nr|"
    r"organisationsnummer|bankgiro|plusgiro|växel)\b\.?\s*:?",
    re.I,
)
# A line that is only an address part: a postcode and town, a phone number, an e-mail or web
# address.
ADDRESS_PART = re.compile(
    r"^(?:\d{3}\s?\d{2}\s+\S.*|(?:\+46|0)[\d\s-]{6,}|\S+@\S+\.\w+|(?:https?://|www\.)\S+)$", re.I
)


@dataclass
class Section:
    key: str
    heading: int  # the heading's line
    lines: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Layout:
    """The lines before the first heading (the header), and each section by key."""

    header: list[tuple[int, str]]
    sections: dict[str, Section]
    dropped: set[int]  # letterhead lines left out


def heading_words(line: str) -> str:
    text = re.sub(r"[*#_]", "", line).strip()
    text = NUMBERING.sub("", text)
    text = text.rstrip(":.").strip()
    return " ".join(text.casefold().split())


def heading_of(line: str) -> tuple[str, str] | None:
    """(section key, text after the heading's colon) when the line is a heading."""
    stripped = line.strip()
    if not stripped or stripped.startswith("- ") or "\t" in stripped or len(stripped) > 100:
        return None
    words = heading_words(stripped)
    for key, (exact, prefixes) in HEADINGS.items():
        if words in exact:
            return key, ""
        if stripped.endswith(".") and len(stripped) > 40:
            continue
        if any(words.startswith(prefix) for prefix in prefixes) and (
            stripped.endswith(":") or len(stripped) <= 90
        ):
            return key, ""
    # "Kommunikation: sker via …" – a heading with its text on the same line.
    label, colon, rest = stripped.partition(":")
    if colon and rest.strip():
        words = heading_words(label)
        for key, (exact, _prefixes) in HEADINGS.items():
            if words in exact and key not in ("description", "requirements", "scope"):
                return key, rest.strip()
    return None


def is_contact_line(line: str) -> bool:
    return bool(CONTACT_LABEL.match(line.strip()))


def split_sections(lines: list[str]) -> Layout:
    """The header and the sections; letterhead contact blocks ("Postadress:", "Telefon:" and
    the short lines under them, up to a heading, a list item or a sentence) are dropped
    wherever a page break put them."""
    header: list[tuple[int, str]] = []
    sections: dict[str, Section] = {}
    dropped: set[int] = set()
    current: Section | None = None
    in_address = False
    for index, line in enumerate(lines):
        stripped = line.strip()
        if is_contact_line(stripped):
            in_address = True
            dropped.add(index)
            continue
        found = heading_of(stripped)
        if in_address and stripped:
            # The block's short lines ("Regionens Hus", "Vänersborg"), blank lines between
            # them or not, until a heading, a list item or a sentence.
            if (
                found is None
                and not stripped.startswith("- ")
                and len(stripped) <= 60
                and not stripped.endswith(".")
            ):
                dropped.add(index)
                continue
            in_address = False
        if stripped and ADDRESS_PART.match(stripped):
            dropped.add(index)
            continue
        if found is not None:
            key, rest = found
            current = sections.setdefault(key, Section(key, index))
            if rest:
                current.lines.append((index, rest))
            continue
        if current is None:
            header.append((index, line))
        else:
            current.lines.append((index, line))
    return Layout(header, sections, dropped)
