"""People as an uppdragshandling names them: lists ("Anders Kullbratt och Per Albertsson"), a
name with its role or note, and the match of a written name to an account.

A name matches an account exactly when it is written as the account's first and last name;
otherwise difflib's similarity may still find it ("BouBou Hallberg" → Boubou Hallberg, "Ander
Kullbratt" → Anders Kullbratt), and such a match is marked for review. A name that matches no
account stays a name.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

# Below this similarity two names are different people. "Per Albertsson" and "Per Andersson"
# score 0.81; a one-letter slip in a name of ten letters or more stays above 0.9.
SIMILAR = 0.86
PARTICLES = {"af", "av", "von", "van", "de", "der", "den", "la", "le", "di", "da", "du", "el"}
LIST_SEPARATOR = re.compile(r"\s*(?:,|;|\bsamt\b|\boch\b|&|\s\+\s)\s*")
# Words that begin what is said about a person in a list: "… för distribution till …".
NOTE_START = re.compile(
    r"\s+(?=(?:för|via|som|genom|inkl\.?|inklusive|i egenskap|med ansvar|avseende|angående|"
    r"gällande|tillika|tf\.?|t\.f\.)\s)",
    re.I,
)
NAME_TOKEN = re.compile(r"^[A-ZÅÄÖÉÜÆØ][\w'’\-.]*$")


def looks_like_name(text: str) -> bool:
    """Two to five capitalised words (particles such as "af" and "von" allowed), no digits."""
    tokens = text.split()
    if not 2 <= len(tokens) <= 5 or re.search(r"\d", text):
        return False
    capitalised = [t for t in tokens if NAME_TOKEN.match(t)]
    return len(capitalised) >= 2 and all(
        NAME_TOKEN.match(t) or t.casefold() in PARTICLES for t in tokens
    )


def split_names(text: str) -> list[str]:
    """ "Anders Kullbratt och Per Albertsson" → both names; a trailing full stop dropped."""
    text = text.strip().rstrip(".").strip()
    return [part.strip(" .") for part in LIST_SEPARATOR.split(text) if part.strip(" .")]


def split_name_and_note(text: str) -> tuple[str, str]:
    """ "Anna Karevi Verdoes för distribution till …" → the name and the note. A text that
    is no name with something said about it ("Läkemedelskommitténs ordförande") is a name."""
    text = " ".join(text.split()).rstrip(";,")
    found = re.match(r"^(?P<name>[^,(–]+?)\s*(?:,|\s[–-]\s|\()\s*(?P<note>.+?)\)?\.?$", text)
    if found and looks_like_name(found.group("name")):
        return found.group("name").strip(), found.group("note").strip()
    parts = NOTE_START.split(text, maxsplit=1)
    if len(parts) == 2 and parts[0].strip():
        return parts[0].strip().rstrip(","), parts[1].strip().rstrip(".")
    return text.rstrip("."), ""


def split_name_and_role(text: str) -> tuple[str, str]:
    """A working-group line: "Anders Kullbratt, beslutsfattare Samordningsgrupp", "Anna Berg
    (ordförande)", "Anna Berg – ordförande", or "Ordförande: Anna Berg"."""
    cells = [" ".join(cell.split()) for cell in text.split("\t") if cell.strip()]
    if len(cells) > 1:  # a table row: name, role
        return cells[0].rstrip(","), " ".join(cells[1:])
    text = " ".join(text.split()).rstrip(";")
    label, colon, rest = text.partition(":")
    if colon and looks_like_name(rest.strip().rstrip(".")) and not looks_like_name(label):
        return rest.strip().rstrip("."), label.strip()
    found = re.match(r"^(?P<name>[^,(–]+?)\s*(?:,|\s[–-]\s|\(|\t)\s*(?P<role>.+?)\)?\.?$", text)
    if found:
        return found.group("name").strip(), found.group("role").strip()
    return text.rstrip("."), ""


@functools.lru_cache(maxsize=8192)
def comparable(name: str) -> str:
    """A name without case, accents or extra spaces, for comparing spellings."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("-", " ").split())


def similarity(a: str, b: str, *, at_least: float = 0.0) -> float:
    """How alike two written names are (1.0: the same but for case and accents); a name
    written last name first ("Kullbratt Anders") compares as well. Below `at_least` the
    answer is only "below" (0.0): difflib's quick upper bounds rule most names out cheaply,
    as get_close_matches does."""
    a, b = comparable(a), comparable(b)
    if a == b:
        return 1.0
    best = 0.0
    for other in (b, " ".join(reversed(b.split()))):
        matcher = difflib.SequenceMatcher(None, a, other)
        if matcher.real_quick_ratio() < at_least or matcher.quick_ratio() < at_least:
            continue
        best = max(best, matcher.ratio())
    return best if best >= at_least else 0.0


@dataclass(frozen=True)
class Candidate:
    """An account a written name may mean."""

    pk: int
    full_name: str


@dataclass(frozen=True)
class Match:
    """What a written name was matched to: `exact`, `fuzzy` (check it) or `none`."""

    name: str
    kind: str
    candidate: Candidate | None = None
    score: float = 0.0

    @property
    def uncertain(self) -> bool:
        return self.kind != "exact"


class Directory:
    """Accounts looked up by written name: exactly, and fuzzily among those sharing a word
    of the name (a first or a last name), so a register of thousands is not compared whole."""

    def __init__(self, candidates: Iterable[Candidate]):
        self.by_name: dict[str, list[Candidate]] = defaultdict(list)
        self.by_word: dict[str, list[Candidate]] = defaultdict(list)
        for candidate in candidates:
            self.by_name[" ".join(candidate.full_name.split())].append(candidate)
            for word in set(comparable(candidate.full_name).split()):
                self.by_word[word].append(candidate)

    def near(self, name: str) -> list[Candidate]:
        found: dict[int, Candidate] = {}
        for word in comparable(name).split():
            for candidate in self.by_word.get(word, ()):
                found[candidate.pk] = candidate
        return list(found.values())


def match_name(name: str, candidates: Iterable[Candidate] | Directory) -> Match:
    """The account a written name means: written exactly as its full name, else the single
    most similar one above SIMILAR among accounts sharing a word of it (a tie between two
    accounts matches neither)."""
    directory = candidates if isinstance(candidates, Directory) else Directory(candidates)
    written = " ".join(name.split())
    exact = directory.by_name.get(written, [])
    if len(exact) == 1:
        return Match(name, "exact", exact[0], 1.0)
    scored = sorted(
        ((similarity(written, c.full_name, at_least=SIMILAR), c) for c in directory.near(name)),
        key=lambda pair: pair[0],
        reverse=True,
    )
    if not scored or scored[0][0] < SIMILAR:
        return Match(name, "none")
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return Match(name, "none", None, scored[0][0])
    return Match(name, "fuzzy", scored[0][1], scored[0][0])


def account_candidates() -> list[Candidate]:
    """Every account with a name, as candidates for match_name."""
    from assignments.models import User

    return [
        Candidate(pk, " ".join(f"{first} {last}".split()))
        for pk, first, last in User.objects.exclude(first_name="", last_name="")
        .order_by("pk")
        .values_list("pk", "first_name", "last_name")
    ]
