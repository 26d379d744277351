"""The registrar's records page (records/views.py): the audit trail's export by diarienummer,
unit and period, CSV neutralised against formulas and JSON with the hashes; the e-arkiv
packages from the page and the API; refusals for everyone else and for bad input."""

import csv
import datetime as dt
import io
import json
import zipfile

import pytest
import time_machine

from assignments import audit
from assignments.models import Assignment, AuditEntry, OrgUnit, User
from records.archive import package
from tests.factories import AssignmentFactory, OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registrar_client(client, demo):
    client.force_login(User.objects.get(username="registrator"))
    return client


def _entry(assignment, reason, when):
    with time_machine.travel(when, tick=False):
        return audit.record(
            actor=None,
            action="assignment.edited",
            obj=assignment,
            before={"title": "före"},
            after={"title": "efter"},
            reason=reason,
        )


def test_the_audit_export_by_diarienummer_is_json_with_the_hashes(registrar_client, demo):
    response = registrar_client.get(
        "/arkiv/granskningslogg.json", {"registration_number": "RS 2024-05699"}
    )

    rows = json.loads(response.content)
    versions = set(
        Assignment.objects.filter(registration_number="RS 2024-05699").values_list("pk", flat=True)
    )
    assert response.status_code == 200
    assert rows and {r["assignment_id"] for r in rows} <= versions
    assert len(rows) == AuditEntry.objects.filter(assignment__in=versions).count()
    stored = AuditEntry.objects.get(pk=rows[0]["id"])
    assert (rows[0]["entry_hash"], rows[0]["previous_hash"]) == (
        stored.entry_hash,
        stored.previous_hash,
    )


def test_the_audit_export_by_unit_and_period_is_csv_without_formulas(registrar_client):
    unit = OrgUnitFactory(name="Enhet med underenhet")
    below = OrgUnitFactory(name="Underenhet", parent=unit)
    inside = AssignmentFactory(issuing_unit=below)
    outside = AssignmentFactory(issuing_unit=OrgUnitFactory(name="Annan enhet"))
    kept = _entry(inside, '=HYPERLINK("http://evil")', dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
    _entry(inside, "för tidigt", dt.datetime(2026, 1, 2, 9, tzinfo=dt.UTC))
    _entry(outside, "annan enhet", dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))

    response = registrar_client.get(
        "/arkiv/granskningslogg.csv",
        {"unit": unit.pk, "start": "2026-03-01", "end": "2026-03-31"},
    )

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert response["Content-Type"].startswith("text/csv")
    assert [r[0] for r in rows[1:]] == [str(kept.pk)]
    assert rows[1][10] == '\'=HYPERLINK("http://evil")'


def test_a_bad_filter_is_refused_in_swedish(registrar_client):
    response = registrar_client.get(
        "/arkiv/granskningslogg.csv", {"start": "2026-03-31", "end": "2026-03-01"}
    )
    page = registrar_client.get("/arkiv/", {"registration_number": "XX 1"})

    assert response.status_code == 400
    assert "Ogiltigt urval" in response.content.decode()
    assert page.status_code == 400
    assert "Det finns inget uppdrag med det diarienumret." in page.content.decode()


def test_only_registrars_see_the_records_page_and_its_exports(client, demo):
    client.force_login(User.objects.get(username="per.albertsson"))

    assert client.get("/arkiv/").status_code == 403
    assert client.get("/arkiv/granskningslogg.json").status_code == 403
    assert client.get(f"/arkiv/uppdrag/{demo.pk}/e-arkiv.zip").status_code == 403


@pytest.mark.slow  # builds packages: Ghostscript
def test_the_page_lists_closed_assignments_and_packs_the_ticked_ones(registrar_client, demo):
    closed = list(Assignment.objects.filter(state__in=package.CLOSED_STATES))
    page = registrar_client.get("/arkiv/")

    assert closed  # the superseded earlier version of seed 004
    html = page.content.decode()
    assert all(f'name="assignment" value="{a.pk}"' in html for a in closed)
    assert f'name="assignment" value="{demo.pk}"' not in html  # open: not packed
    response = registrar_client.post("/arkiv/", {"assignment": [closed[0].pk, "x", demo.pk]})

    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert response["Content-Type"] == "application/zip"
    assert {n.split("/")[0] for n in names} == {package.package_name(closed[0])}


def test_an_open_assignment_has_no_package(registrar_client, demo):
    response = registrar_client.get(f"/arkiv/uppdrag/{demo.pk}/e-arkiv.zip")

    assert response.status_code == 409


@pytest.mark.slow  # builds packages: Ghostscript
def test_the_api_gives_a_registrar_the_package_and_refuses_others(client, demo):
    closed = Assignment.objects.filter(state__in=package.CLOSED_STATES).first()
    client.force_login(User.objects.get(username="registrator"))
    response = client.get(f"/api/assignments/{closed.pk}/e-arkiv/")
    open_one = client.get(f"/api/assignments/{demo.pk}/e-arkiv/")
    client.force_login(User.objects.get(username="jan.strang"))
    refused = client.get(f"/api/assignments/{demo.pk}/e-arkiv/")
    client.force_login(UserFactory())
    hidden = client.get(f"/api/assignments/{demo.pk}/e-arkiv/")

    assert response.status_code == 200
    assert (
        f"{package.package_name(closed)}/METS.xml"
        in zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    )
    assert (open_one.status_code, refused.status_code, hidden.status_code) == (409, 403, 404)


@pytest.mark.slow  # builds packages: Ghostscript
def test_earkiv_writes_every_package_closed_in_a_year(demo, tmp_path):
    from django.core.management import call_command

    closed = Assignment.objects.filter(state__in=package.CLOSED_STATES)
    out = io.StringIO()
    years = {
        e.occurred_at.year
        for e in AuditEntry.objects.filter(
            assignment__in=closed,
            action__in=("assignment.state_changed", "decision.recorded", "assignment.superseded"),
        )
    }
    year = max(years)

    call_command("earkiv", "--year", str(year), "--output", str(tmp_path), stdout=out)

    written = sorted(p.name for p in tmp_path.iterdir())
    assert written and all((tmp_path / name / "METS.xml").exists() for name in written)
    assert f"{len(written)} e-arkivpaket för {year}" in out.getvalue()
    assert OrgUnit.objects.exists()


def test_a_server_without_ghostscript_says_so_instead_of_failing(
    registrar_client, demo, monkeypatch
):
    from records.archive import pdfa

    monkeypatch.setattr(pdfa, "GHOSTSCRIPT", "gs-not-installed")
    closed = Assignment.objects.filter(state__in=package.CLOSED_STATES).first()

    page = registrar_client.get(f"/arkiv/uppdrag/{closed.pk}/e-arkiv.zip")
    api = registrar_client.get(f"/api/assignments/{closed.pk}/e-arkiv/")

    assert (page.status_code, api.status_code) == (503, 503)
    assert "Ghostscript (gs) saknas" in page.content.decode()
    assert "Ghostscript (gs) saknas" in api.json()["detail"]
