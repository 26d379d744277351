"""Swedish timeline periods → dates (assignments/periods.py)."""

import datetime as dt

import pytest

from assignments.periods import parse_period

D = dt.date

# label → (start, due, needs_review). Month ranges run from the first day of the first month to
# the last day of the last; a deadline alone gives only `due`.
EXACT = [
    ("Juni – aug 2025", D(2025, 6, 1), D(2025, 8, 31)),
    ("Sep – okt 2025", D(2025, 9, 1), D(2025, 10, 31)),
    ("Nov 2025", D(2025, 11, 1), D(2025, 11, 30)),
    ("Jan – juni 2026", D(2026, 1, 1), D(2026, 6, 30)),
    ("Mars – april 2026", D(2026, 3, 1), D(2026, 4, 30)),
    ("Feb 2026", D(2026, 2, 1), D(2026, 2, 28)),
    ("Feb 2028", D(2028, 2, 1), D(2028, 2, 29)),
    ("v. 12 2026", D(2026, 3, 16), D(2026, 3, 22)),
    ("v 12 2026", D(2026, 3, 16), D(2026, 3, 22)),
    ("v12 2026", D(2026, 3, 16), D(2026, 3, 22)),
    ("vecka 12 2026", D(2026, 3, 16), D(2026, 3, 22)),
    ("vecka 12–14 2026", D(2026, 3, 16), D(2026, 4, 5)),
    ("v. 12-14 2026", D(2026, 3, 16), D(2026, 4, 5)),
    ("Q2 2026", D(2026, 4, 1), D(2026, 6, 30)),
    ("q2 2026", D(2026, 4, 1), D(2026, 6, 30)),
    ("kvartal 2 2026", D(2026, 4, 1), D(2026, 6, 30)),
    ("Kv. 2 2026", D(2026, 4, 1), D(2026, 6, 30)),
    ("andra kvartalet 2026", D(2026, 4, 1), D(2026, 6, 30)),
    ("Q1–Q2 2026", D(2026, 1, 1), D(2026, 6, 30)),
    ("Q4 2025 – Q1 2026", D(2025, 10, 1), D(2026, 3, 31)),
    ("Tertial 2 2026", D(2026, 5, 1), D(2026, 8, 31)),
    ("H2 2026", D(2026, 7, 1), D(2026, 12, 31)),
    ("första halvåret 2027", D(2027, 1, 1), D(2027, 6, 30)),
    ("Nov 2025 – feb 2026", D(2025, 11, 1), D(2026, 2, 28)),
    ("nov – feb 2026", D(2025, 11, 1), D(2026, 2, 28)),
    ("Nov 2025 – feb", D(2025, 11, 1), D(2026, 2, 28)),
    ("Dec 2025 — jan 2026", D(2025, 12, 1), D(2026, 1, 31)),
    ("juni-aug 2025", D(2025, 6, 1), D(2025, 8, 31)),
    ("Juni–augusti 2025", D(2025, 6, 1), D(2025, 8, 31)),
    ("JUNI - AUG 2025", D(2025, 6, 1), D(2025, 8, 31)),
    ("sep. – okt. 2025", D(2025, 9, 1), D(2025, 10, 31)),
    ("Sept 2025", D(2025, 9, 1), D(2025, 9, 30)),
    ("september 2025", D(2025, 9, 1), D(2025, 9, 30)),
    ("Sep 2025.", D(2025, 9, 1), D(2025, 9, 30)),
    ("jan till mars 2026", D(2026, 1, 1), D(2026, 3, 31)),
    ("jan t.o.m. mars 2026", D(2026, 1, 1), D(2026, 3, 31)),
    ("2026-01-15 – 2026-03-31", D(2026, 1, 15), D(2026, 3, 31)),
    ("2026-01-15", D(2026, 1, 15), D(2026, 1, 15)),
    ("12–14 mars 2026", D(2026, 3, 12), D(2026, 3, 14)),
    ("15 jan – 28 feb 2026", D(2026, 1, 15), D(2026, 2, 28)),
    ("Under Q3 2026", D(2026, 7, 1), D(2026, 9, 30)),
]
DEADLINES = [
    ("Senast 2026-12-10", D(2026, 12, 10)),
    ("Senast 15 december 2026", D(2026, 12, 15)),
    ("senast 15 dec. 2026", D(2026, 12, 15)),
    ("Klart senast juni 2026", D(2026, 6, 30)),
    ("Senast v. 12 2026", D(2026, 3, 22)),
    ("Senast Q2 2026", D(2026, 6, 30)),
    ("t.o.m. juni 2026", D(2026, 6, 30)),
    ("Till och med 2026-05-31", D(2026, 5, 31)),
]
# Roughly when: the label is kept, a range suggested, and the period marked for review.
VAGUE = [
    ("Hösten 2026", D(2026, 8, 1), D(2026, 12, 31)),
    ("hösten 2026", D(2026, 8, 1), D(2026, 12, 31)),
    ("Våren 2026", D(2026, 1, 1), D(2026, 6, 30)),
    ("VT 2027", D(2027, 1, 1), D(2027, 6, 30)),
    ("Sommaren 2026", D(2026, 6, 1), D(2026, 8, 31)),
    ("Under 2026", D(2026, 1, 1), D(2026, 12, 31)),
    ("2026", D(2026, 1, 1), D(2026, 12, 31)),
    ("Början av 2026", D(2026, 1, 1), D(2026, 4, 30)),
    ("i slutet av mars 2026", D(2026, 3, 21), D(2026, 3, 31)),
    ("Hösten 2025 – våren 2026", D(2025, 8, 1), D(2026, 6, 30)),
    ("Årsskiftet 2025/2026", D(2025, 12, 1), D(2026, 1, 31)),
    ("ca sep 2026", D(2026, 9, 1), D(2026, 9, 30)),
]
NOT_PERIODS = ["Löpande", "Vid behov", "Fas 2", "", "efter beslut", "31 feb 2026", "vecka 54 2026"]


@pytest.mark.parametrize(("label", "start", "due"), EXACT)
def test_an_exact_period_gives_its_first_and_last_day(label, start, due):
    period = parse_period(label)
    assert (period.start, period.due, period.needs_review) == (start, due, False)
    assert period.label == " ".join(label.split())


@pytest.mark.parametrize(("label", "due"), DEADLINES)
def test_a_deadline_alone_gives_only_the_due_date(label, due):
    period = parse_period(label)
    assert (period.start, period.due, period.needs_review) == (None, due, False)
    assert period.label == label


@pytest.mark.parametrize(("label", "start", "due"), VAGUE)
def test_a_rough_period_keeps_its_label_suggests_a_range_and_asks_for_review(label, start, due):
    period = parse_period(label)
    assert (period.start, period.due, period.needs_review) == (start, due, True)
    assert period.label == label
    assert label in period.reason


@pytest.mark.parametrize("label", NOT_PERIODS)
def test_text_that_names_no_time_is_no_period(label):
    assert parse_period(label, year_hint=2026) is None


def test_a_period_without_a_year_takes_the_hint_and_asks_for_review():
    period = parse_period("Sep – okt", year_hint=2025)
    assert (period.start, period.due, period.needs_review) == (D(2025, 9, 1), D(2025, 10, 31), True)
    assert "2025" in period.reason


def test_without_a_year_or_a_hint_there_is_no_period():
    assert parse_period("Sep – okt") is None


def test_a_start_alone_is_marked_for_review():
    period = parse_period("Fr.o.m. sep 2025")
    assert (period.start, period.due, period.needs_review) == (D(2025, 9, 1), None, True)


def test_non_breaking_spaces_and_odd_dashes_read_as_plain_ones():
    period = parse_period("Juni\u00a0\u2012\u00a0aug\u00a02025")
    assert (period.start, period.due) == (D(2025, 6, 1), D(2025, 8, 31))
