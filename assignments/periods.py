"""Swedish timeline periods as uppdragshandlingar write them, turned into dates.

"Juni – aug 2025" runs from the first day of its first month to the last day of its last;
"Nov 2025 – feb 2026" crosses a year; "v. 12 2026", "Q2 2026", "tertial 1 2026" and "H1 2026"
are exact too. "Senast 2026-12-10" is a deadline and gives only `due`. "Hösten 2026", "Våren
2026" and "Under 2026" say roughly when: a range is suggested and the period is marked for
review, as is any period whose year had to be guessed. The label is always kept as written.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "maj": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "okt": 10,
    "nov": 11,
    "dec": 12,
}
MONTH_NAMES = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
# Every way a month is written: full name, three letters, "sept", "febr"; a dot is dropped.
MONTH_WORDS = {
    **{prefix: number for prefix, number in MONTHS.items()},
    **{name: number for number, name in enumerate(MONTH_NAMES, start=1)},
    "sept": 9,
    "febr": 2,
}
ORDINALS = {"första": 1, "andra": 2, "tredje": 3, "fjärde": 4}
# Seasons as Swedish plans use them: the spring and autumn terms, the summer. (first, last month)
SEASONS = {
    "våren": (1, 6),
    "vår": (1, 6),
    "vårterminen": (1, 6),
    "vt": (1, 6),
    "sommaren": (6, 8),
    "sommar": (6, 8),
    "hösten": (8, 12),
    "höst": (8, 12),
    "höstterminen": (8, 12),
    "ht": (8, 12),
}
# "Början av 2026", "i slutet av mars 2026": which part of a year (months) or a month (days).
PARTS = {"början": ((1, 4), (1, 10)), "mitten": ((5, 8), (11, 20)), "slutet": ((9, 12), (21, 31))}

DASHES = "-‐‑‒–—―−"
DEADLINE = re.compile(
    r"^(?:(?:klar[t]?|färdig[t]?|levereras|lämnas|redovisas)\s+)?"
    r"(?:senast|t\.?\s?o\.?\s?m\.?|till\s+och\s+med|före|innan)\s+"
)
FROM = re.compile(r"^(?:fr\.?\s?o\.?\s?m\.?|från\s+och\s+med|från|start(?:ar)?|efter)\s+")
VAGUE = re.compile(r"^(?:ca\.?|cirka|ungefär|omkring|prel\.?|preliminärt|planerat)\s+")
UNDER = re.compile(r"^(?:under|i|år|året|kalenderåret|helåret|helår)\s+")
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
ISO_PLACEHOLDER = "@{}@"


@dataclass(frozen=True)
class Period:
    """A period as written (`label`) and the dates it stands for; `reason` says why a person
    should look at it when `needs_review` is set."""

    label: str
    start: dt.date | None
    due: dt.date | None
    needs_review: bool = False
    reason: str = ""


@dataclass
class _Spec:
    """One end of a period: what kind of time it names, and its year if written."""

    kind: str  # day, month, week, quarter, tertial, half, season, year, number
    value: tuple = ()
    year: int | None = None
    vague: bool = False

    def span(self, year: int) -> tuple[dt.date, dt.date]:
        k, v = self.kind, self.value
        if k == "day":
            day = dt.date(year, v[1], v[0])
            return day, day
        if k == "month":
            return _month_span(year, v[0], v[0])
        if k == "months":  # a part of a year or a season: first and last month
            return _month_span(year, v[0], v[1])
        if k == "days":  # a part of a month: (month, first day, last day)
            last = calendar.monthrange(year, v[0])[1]
            return dt.date(year, v[0], v[1]), dt.date(year, v[0], min(v[2], last))
        if k == "week":
            return dt.date.fromisocalendar(year, v[0], 1), dt.date.fromisocalendar(year, v[0], 7)
        if k == "quarter":
            return _month_span(year, 3 * v[0] - 2, 3 * v[0])
        if k == "tertial":
            return _month_span(year, 4 * v[0] - 3, 4 * v[0])
        if k == "half":
            return _month_span(year, 6 * v[0] - 5, 6 * v[0])
        if k == "year":
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        raise ValueError(k)


def _month_span(year: int, first: int, last: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, first, 1), dt.date(year, last, calendar.monthrange(year, last)[1])


def _normalise(label: str) -> str:
    text = label.replace("\u00a0", " ").replace("\u202f", " ").strip().lower()
    text = text.strip(" .,;:()")
    return re.sub(r"\s+", " ", text)


def _month(word: str) -> int | None:
    return MONTH_WORDS.get(word.rstrip("."))


def _number(word: str) -> int | None:
    """ "2", "2:a", "4:e", "andra" → the number."""
    if word in ORDINALS:
        return ORDINALS[word]
    found = re.fullmatch(r"(\d{1,2})(?::[ae])?\.?", word)
    return int(found.group(1)) if found else None


def _year(word: str) -> int | None:
    return int(word) if re.fullmatch(r"(19|20)\d\d", word) else None


def _spec(text: str, dates: list[dt.date]) -> _Spec | None:
    """One endpoint: "15 december 2026", "aug 2025", "nov", "v. 12", "14 2026", "q2 2026" …"""
    words = text.replace(",", " ").split()
    if not words:
        return None
    year = None
    if len(words) > 1 and _year(words[-1]):
        year = _year(words.pop())
    elif len(words) == 1 and _year(words[0]):
        return _Spec("year", (), _year(words[0]), vague=True)
    if len(words) == 1 and (found := re.fullmatch(r"@(\d+)@", words[0])):
        day = dates[int(found.group(1))]
        return _Spec("day", (day.day, day.month), day.year)
    joined = " ".join(words)
    # "v. 12", "v12", "vecka 12", "veckorna 12"
    if found := re.fullmatch(r"(?:v|v\.|vecka|veckorna|vecko|w)\s?(\d{1,2})", joined):
        return _Spec("week", (int(found.group(1)),), year)
    # "q2", "kvartal 2", "kv. 2", "2:a kvartalet", "andra kvartalet"
    if found := re.fullmatch(r"(?:q|kv\.?|kvartal)\s?(\d)", joined):
        return _Spec("quarter", (int(found.group(1)),), year)
    if found := re.fullmatch(r"(\S+) kvartalet", joined):
        number = _number(found.group(1))
        return _Spec("quarter", (number,), year) if number else None
    if found := re.fullmatch(r"(?:t|tertial)\s?(\d)", joined):
        return _Spec("tertial", (int(found.group(1)),), year)
    if found := re.fullmatch(r"(\S+) tertialet", joined):
        number = _number(found.group(1))
        return _Spec("tertial", (number,), year) if number else None
    if found := re.fullmatch(r"(?:h|halvår)\s?(\d)", joined):
        return _Spec("half", (int(found.group(1)),), year)
    if found := re.fullmatch(r"(första|andra) halvåret", joined):
        return _Spec("half", (ORDINALS[found.group(1)],), year)
    if joined in SEASONS:
        return _Spec("months", SEASONS[joined], year, vague=True)
    # "början av 2026", "i slutet av mars 2026"
    if found := re.fullmatch(r"(?:i )?(början|mitten|slutet) av(?: (\S+))?", joined):
        year_part, month_part = PARTS[found.group(1)]
        month = _month(found.group(2) or "")
        if found.group(2) is None:
            return _Spec("months", year_part, year, vague=True)
        if month:
            return _Spec("days", (month, *month_part), year, vague=True)
        return None
    if len(words) == 1 and (month := _month(words[0])):
        return _Spec("month", (month,), year)
    if len(words) == 2 and (month := _month(words[1])) and (day := _number(words[0])):
        return _Spec("day", (day, month), year) if 1 <= day <= 31 else None
    if len(words) == 1 and (number := _number(words[0])) is not None:
        return _Spec("number", (number,), year)
    return None


def _resolve_number(spec: _Spec, other: _Spec) -> _Spec | None:
    """A bare number takes its meaning from the other end: "v. 12–14", "12–14 mars"."""
    if spec.kind != "number":
        return spec
    (n,) = spec.value
    if other.kind == "day":
        return _Spec("day", (n, other.value[1]), spec.year)
    if other.kind in ("week", "quarter", "tertial", "half"):
        return _Spec(other.kind, (n,), spec.year)
    return None


def _split_range(text: str) -> list[str]:
    pattern = rf"\s*(?:[{DASHES}]|\btill\b|\bt\.?\s?o\.?\s?m\.?(?=\s))\s*"
    return [part for part in re.split(pattern, text) if part.strip()]


def parse_period(label: str, *, year_hint: int | None = None) -> Period | None:
    """The dates a Swedish period stands for, or None when the text is no period at all.

    `year_hint` is the year to assume when the label writes none (the previous row's, or the
    document's); a period that needed it is marked for review.
    """
    original = re.sub(r"\s+", " ", label.replace("\u00a0", " ")).strip()
    text = _normalise(label)
    if not text:
        return None
    deadline = bool(DEADLINE.match(text))
    text = DEADLINE.sub("", text)
    from_only = not deadline and bool(FROM.match(text))
    text = FROM.sub("", text)
    vague = bool(VAGUE.match(text))
    text = VAGUE.sub("", text)
    text = UNDER.sub("", text)
    if found := re.fullmatch(r"(?:vid )?årsskiftet (\d{4}) ?[/\-–—] ?(\d{2,4})", text):
        first = int(found.group(1))
        return Period(
            original,
            dt.date(first, 12, 1),
            dt.date(first + 1, 1, 31),
            needs_review=True,
            reason=_("”%(label)s” är ungefärligt: förslaget är december–januari.")
            % {"label": original},
        )

    dates: list[dt.date] = []

    def keep_date(found: re.Match) -> str:
        try:
            dates.append(dt.date(*(int(g) for g in found.groups())))
        except ValueError:
            return "?"
        return ISO_PLACEHOLDER.format(len(dates) - 1)

    text = ISO_DATE.sub(keep_date, text)
    parts = _split_range(text)
    if not 1 <= len(parts) <= 2:
        return None
    specs = [_spec(part, dates) for part in parts]
    if any(spec is None for spec in specs):
        return None
    if len(specs) == 2:
        first, last = specs
        first, last = _resolve_number(first, last), _resolve_number(last, first)
        if first is None or last is None:
            return None
        specs = [first, last]
    elif specs[0].kind == "number":
        return None
    try:
        return _dated(original, specs, year_hint, deadline, from_only, vague)
    except ValueError:  # 31 februari, vecka 54
        return None


def _dated(original, specs, year_hint, deadline, from_only, vague) -> Period | None:
    reasons = []
    first, last = specs[0], specs[-1]
    last_year = last.year or first.year
    guessed = last_year is None
    if guessed:
        if year_hint is None:
            return None
        last_year = year_hint
    start, _end = first.span(first.year or last_year)
    _begin, due = last.span(last_year)
    if start > due and first.year is None:
        # "Nov – feb 2026": the first month belongs to the year before.
        start, _end = first.span(last_year - 1)
    elif start > due and last.year is None:
        # "Nov 2025 – feb": the last month belongs to the year after.
        _begin, due = last.span(last_year + 1)
    if start > due:
        return None
    if guessed:
        reasons.append(
            _("Året saknas i ”%(label)s”; %(year)s är antaget.")
            % {"label": original, "year": last_year}
        )
    if vague or first.vague or last.vague:
        reasons.append(
            _("”%(label)s” är ingen exakt period: %(start)s–%(due)s är ett förslag.")
            % {"label": original, "start": start.isoformat(), "due": due.isoformat()}
        )
    if from_only:
        reasons.append(_("”%(label)s” anger bara när arbetet börjar.") % {"label": original})
        return Period(original, start, None, True, " ".join(reasons))
    if deadline:
        return Period(original, None, due, bool(reasons), " ".join(reasons))
    return Period(original, start, due, bool(reasons), " ".join(reasons))
