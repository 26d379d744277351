"""The history on the assignment page and the audit page say what happened in words, in the
reader's language; the CSV stays machine-readable, in local time with the offset (issue 17,
item 9)."""

import csv
import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from workflow import services
from workflow import services as registry

pytestmark = pytest.mark.django_db

COMPILATION = "Sammanställning av material, framtagande av förslag till organisering"


@pytest.fixture
def adopted(seed004, people):
    services.adopt_assignment(assignment=seed004, actor=people.anders_kullbratt)
    return seed004


@pytest.fixture
def compilation_done(adopted, people):
    registry.change_milestone_status(
        milestone=adopted.milestones.get(kind="compilation"),
        actor=people.jan_strang,
        to_status="done",
        comment="Förslaget är sammanställt",
    )
    return adopted


def _history(content: str) -> str:
    start = content.index('id="history"')
    return content[start : content.index("</table>", start)]


def test_the_assignment_page_history_says_what_happened(client, compilation_done, people):
    client.force_login(people.jan_strang)
    content = client.get(reverse("workflow:assignment", args=[compilation_done.pk])).content
    history = _history(content.decode())
    assert f"Jan Sträng satte {COMPILATION} till Klar: ”Förslaget är sammanställt”" in history
    assert "Anders Kullbratt fastställde uppdraget" in history
    assert "milestone.status_changed" not in history
    assert "{" not in history  # no stored dicts


def test_the_history_follows_the_readers_language(client, compilation_done, people):
    reader = people.jan_strang
    reader.language = "en"
    reader.save(update_fields=["language"])
    client.force_login(reader)
    content = client.get(reverse("workflow:assignment", args=[compilation_done.pk])).content
    history = _history(content.decode())
    assert f"Jan Sträng set {COMPILATION} to Done: “Förslaget är sammanställt”" in history
    assert "satte" not in history


def test_the_audit_page_lists_an_admin_change_field_by_field(client, adopted, people):
    from assignments import audit

    audit.record(
        actor=people.registrator,
        action="admin.changed",
        obj=adopted,
        before={"assignee_id": people.jan_strang.pk, "delivery_due": "2025-12-01"},
        after={"assignee_id": people.erica_sandberg.pk, "delivery_due": "2026-01-15"},
        reason="Ny uppdragstagare",
    )
    client.force_login(people.jan_strang)
    content = client.get(reverse("workflow:audit", args=[adopted.pk])).content.decode()
    history = _history(content)
    assert "ändrade uppdragshandling" in history
    assert "Uppdragstagare:</span> Jan Sträng" in history
    assert "Erica Sandberg" in history
    assert "Slutleverans senast:</span> 1 dec 2025" in history
    assert "15 jan 2026" in history
    assert "admin.changed" not in history
    assert "assignee_id" not in history


def test_the_audit_csv_is_in_local_time_with_the_offset_and_json(client, seed004, people):
    with time_machine.travel(dt.datetime(2026, 3, 15, 9, 45, tzinfo=ZoneInfo("UTC")), tick=False):
        services.adopt_assignment(assignment=seed004, actor=people.anders_kullbratt)
    client.force_login(people.anders_kullbratt)
    response = client.get(reverse("workflow:audit_csv", args=[seed004.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    state = next(row for row in rows if row[2] == "assignment.state_changed")
    assert state[0] == "2026-03-15T10:45:00+01:00"  # Stockholm, winter time, as on the page
    assert json.loads(state[4]) == {"state": "draft"}
    assert json.loads(state[5]) == {"state": "adopted"}
