"""The version diff on seed 004's two versions: the title and the timeline changed from the
version of 2025-06-18, everything else stayed; and the pieces a changed text is cut into."""

import pytest

from assignments import demo_data
from documents import version_diff
from documents.version_diff import ADDED, CHANGED, REMOVED, SAME, Piece, compare_text
from tests.version_helpers import EARLIER_TIMELINE, earlier_version_of_seed_004

pytestmark = pytest.mark.django_db


@pytest.fixture
def diff(demo):
    return version_diff.compare(earlier_version_of_seed_004(demo), demo)


def _texts(pieces, kind):
    return [p.text for p in pieces if p.kind == kind]


def test_the_title_and_the_date_are_the_fields_that_changed(diff):
    changed = {f.label: f.value for f in diff.fields}
    assert set(changed) == {"Datum", "Uppdrag"}
    title = changed["Uppdrag"]
    assert _texts(title.before, REMOVED) == ["Koncernkontorets"]
    assert _texts(title.after, ADDED) == ["Hälso- och sjukvårdens"]
    assert "".join(p.text for p in title.after) == demo_data.SEED_004["title"]
    assert "Uppdragsgivare" in diff.unchanged_fields
    assert "Slutleverans senast" in diff.unchanged_fields


def test_the_timeline_changed_row_by_row(diff):
    timeline = next(lst for lst in diff.lists if lst.key == "milestones")
    assert [row.status for row in timeline.rows] == [CHANGED, CHANGED, CHANGED, ADDED]
    resources, seminars, compilation, decision = timeline.rows
    # same activity, new period: the title is the same, the period and dates changed
    assert not resources.cells[0].changed
    assert _texts(resources.cells[1].before, REMOVED) == []  # "Juni 2025": nothing removed
    assert "".join(_texts(resources.cells[1].after, ADDED)).strip() == "– aug"
    assert "".join(p.text for p in resources.cells[1].after) == "Juni – aug 2025"
    assert resources.cells[3].changed  # klar senast 2025-06-30 → 2025-08-31
    # its wording changed too: still one row, with the words that were added
    assert _texts(seminars.cells[0].after, ADDED) == [
        " (inkl. förankring och facklig dialog och samverkan)"
    ]
    assert "".join(p.text for p in compilation.cells[1].before) == EARLIER_TIMELINE[2][2]
    assert "".join(p.text for p in decision.cells[0].after) == (
        "Beslut och genomförande (genomförs i interim organisation)."
    )


def test_the_other_lists_are_unchanged_and_say_so(diff):
    lists = {lst.key: lst for lst in diff.lists if lst.key != "milestones"}
    assert set(lists) == {
        "scope",
        "requirements",
        "working_group",
        "relations",
        "distribution",
    }
    for lst in lists.values():
        assert lst.rows and not lst.changed, lst.key
        assert {row.status for row in lst.rows} == {SAME}


def test_a_removed_row_is_shown_where_it_was(diff, demo):
    reversed_diff = version_diff.compare(demo, diff.old)
    timeline = next(lst for lst in reversed_diff.lists if lst.key == "milestones")
    assert [row.status for row in timeline.rows] == [CHANGED, CHANGED, CHANGED, REMOVED]
    assert reversed_diff.changed


def test_a_version_compared_with_itself_has_no_changes(demo):
    same = version_diff.compare(demo, demo)
    assert not same.changed and same.fields == []


@pytest.mark.parametrize(
    ("before", "after", "removed", "added"),
    [
        ("Nov 2025", "Okt – nov 2025", ["Nov 2025"], ["Okt – nov 2025"]),
        ("Juni 2025", "Juni – aug 2025", [], ["– aug"]),
        ("senast 2025-12-01.", "senast 2026-02-27.", ["2025-12-01"], ["2026-02-27"]),
        ("Helt annat", "Inget gemensamt alls här", ["Helt annat"], ["Inget gemensamt alls här"]),
        ("", "Ny text", [], ["Ny text"]),
    ],
)
def test_a_changed_text_marks_only_what_changed(before, after, removed, added):
    value = compare_text(before, after)
    assert [t.strip() for t in _texts(value.before, REMOVED)] == removed
    assert [t.strip() for t in _texts(value.after, ADDED)] == added
    assert "".join(p.text for p in value.before) == before
    assert "".join(p.text for p in value.after) == after


def test_an_equal_text_is_one_piece_that_is_the_same():
    assert compare_text("Tidplan", "Tidplan").after == [Piece("Tidplan", SAME)]
