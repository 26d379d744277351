"""The review's checks (documents/importer/review.py), in the order of their consequence: what
keeps the draft from being saved, then people, then the tidplan, then the rest; the names
without an account on one line; each check tied to its form field and source line."""

import datetime as dt

from documents.importer import read_document
from documents.importer.drafts import match_people
from documents.importer.review import BLOCKING, LEVELS, OTHER, PEOPLE, PERIODS, review_checks
from tests import uppdragshandlingar as documents

TODAY = dt.date(2026, 12, 7)


def _checks(text: str):
    document = read_document(text.encode(), "u.txt", today=TODAY)
    return review_checks(document, match_people(document), TODAY)


def test_checks_come_blocking_first_then_people_then_periods_then_the_rest(db):
    text = documents.synthetic_text().replace("Dnr: RJL 2026/0412\n", "")
    checks = _checks(text)
    levels = [check.level for check in checks]
    assert levels == sorted(levels, key=LEVELS.index)
    assert checks[0].level == BLOCKING
    assert (checks[0].message, checks[0].field) == ("Diarienummer saknas.", "registration_number")
    assert {PEOPLE, PERIODS} <= set(levels)


def test_the_names_without_an_account_are_one_check_naming_them_all(db):
    checks = [c for c in _checks(documents.synthetic_text()) if "Inget konto" in c.message]
    assert len(checks) == 1
    assert checks[0].message.startswith(
        "Inget konto för Karin Lindqvist, Omar Haddad, Sofia Bergström"
    )
    assert checks[0].field == "commissioners-0-name"


def test_a_period_to_check_leads_to_its_row_and_its_source_line(db):
    text = documents.synthetic_text()
    (check,) = [c for c in _checks(text) if "Hösten 2026" in c.message]
    assert check.level == PERIODS
    assert check.field == "milestones-1-period_label"
    assert "Hösten 2026" in read_document(text.encode(), "u.txt").lines[check.line]


def test_past_milestones_are_one_check_with_the_action_to_mark_them_all_done(db):
    checks = [c for c in _checks(documents.seed_004_text()) if c.action == "past_done"]
    assert len(checks) == 1
    assert checks[0].message == "4 aktiviteter har redan passerat: är de klara?"
    assert checks[0].field == "milestones-0-status"


def test_a_scan_is_named_among_the_rest(db):
    document = read_document(documents.seed_004_text().encode(), "u.txt", today=TODAY)
    document.warn("Sidan 1 är skannad och lästes med OCR: jämför varje fält med sidbilden.")
    checks = review_checks(document, match_people(document), TODAY)
    assert checks[-1].level == OTHER
    assert "OCR" in checks[-1].message
