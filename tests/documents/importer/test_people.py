"""Names as a document writes them, and their accounts (documents/importer/people.py)."""

import pytest

from documents.importer.people import (
    Candidate,
    looks_like_name,
    match_name,
    split_name_and_note,
    split_name_and_role,
    split_names,
)

ACCOUNTS = [
    Candidate(1, "Anders Kullbratt"),
    Candidate(2, "Boubou Hallberg"),
    Candidate(3, "Per Albertsson"),
    Candidate(4, "Jan Sträng"),
    Candidate(5, "Per Andersson"),
]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Anders Kullbratt och Per Albertsson", ["Anders Kullbratt", "Per Albertsson"]),
        ("Karin Lindqvist, Omar Haddad", ["Karin Lindqvist", "Omar Haddad"]),
        ("A Berg, B Ek samt C Ås.", ["A Berg", "B Ek", "C Ås"]),
        ("Jan Sträng.", ["Jan Sträng"]),
    ],
)
def test_a_list_of_names_is_split(text, names):
    assert split_names(text) == names


@pytest.mark.parametrize(
    ("text", "name", "note"),
    [
        (
            "Anna Karevi Verdoes för distribution till koncernledning hälso- och sjukvård",
            "Anna Karevi Verdoes",
            "för distribution till koncernledning hälso- och sjukvård",
        ),
        (
            "Petra Nyberg, för distribution till cheferna",
            "Petra Nyberg",
            "för distribution till cheferna",
        ),
        ("Erik Ek (ordförande)", "Erik Ek", "ordförande"),
        ("Läkemedelskommitténs ordförande", "Läkemedelskommitténs ordförande", ""),
        ("Ann-Charlotte Järnström", "Ann-Charlotte Järnström", ""),
    ],
)
def test_a_distribution_entry_is_a_name_and_a_note(text, name, note):
    assert split_name_and_note(text) == (name, note)


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        (
            "Levi Siljemyr, avdelningschef avtal, produktionsstyrning och ekonomi",
            "Levi Siljemyr",
            "avdelningschef avtal, produktionsstyrning och ekonomi",
        ),
        ("Anna Berg – ordförande", "Anna Berg", "ordförande"),
        ("Anna Berg (ordförande)", "Anna Berg", "ordförande"),
        ("Anna Berg\tordförande", "Anna Berg", "ordförande"),
        ("Ordförande: Anna Berg", "Anna Berg", "Ordförande"),
        ("Anna Berg", "Anna Berg", ""),
    ],
)
def test_a_working_group_line_is_a_name_and_a_role(text, name, role):
    assert split_name_and_role(text) == (name, role)


@pytest.mark.parametrize(
    ("text", "is_name"),
    [
        ("BouBou Hallberg", True),
        ("Ebba af Ugglas", True),
        ("Anna Karevi Verdoes", True),
        ("Koncernledning hälso- och sjukvård", False),
        ("Jan", False),
        ("Rum 12 B", False),
    ],
)
def test_what_looks_like_a_name(text, is_name):
    assert looks_like_name(text) is is_name


def test_a_name_written_as_the_account_matches_exactly():
    match = match_name("Anders Kullbratt", ACCOUNTS)
    assert (match.kind, match.candidate.pk, match.uncertain) == ("exact", 1, False)


@pytest.mark.parametrize(
    ("written", "pk"),
    [
        ("BouBou Hallberg", 2),
        ("Ander Kullbratt", 1),
        ("Jan Strang", 4),
        ("Kullbratt Anders", 1),
        ("anders  kullbratt", 1),
    ],
)
def test_a_name_spelled_otherwise_matches_fuzzily_and_asks_for_review(written, pk):
    match = match_name(written, ACCOUNTS)
    assert (match.kind, match.candidate.pk, match.uncertain) == ("fuzzy", pk, True)


@pytest.mark.parametrize("written", ["Per Albertsen Svensson", "Läkemedelskommitténs ordförande"])
def test_a_name_like_no_account_stays_a_name(written):
    match = match_name(written, ACCOUNTS)
    assert (match.kind, match.candidate) == ("none", None)


def test_a_different_person_with_a_similar_name_is_not_matched():
    assert match_name("Per Andersén", [Candidate(3, "Per Albertsson")]).kind == "none"


def test_two_accounts_as_close_as_each_other_match_neither():
    twins = [Candidate(1, "Anna Berg"), Candidate(2, "Anna Berg")]
    assert match_name("Ana Berg", twins).kind == "none"
