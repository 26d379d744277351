"""python manage.py import_uppdragshandling FILE [--dry-run] [--json]: the contract automated
checks use (workflow/management/commands/import_uppdragshandling.py)."""

import datetime as dt
import io
import json
import os
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection

from assignments.models import Assignment, User
from tests import uppdragshandlingar as documents
from tests.documents.importer import expected
from tests.documents.importer.conftest import accounts  # noqa: F401 - a fixture
from tests.settings_probe import ROOT

# Seed 004 read before its first deadline (2025-08-31): nothing has passed yet.
BEFORE_DEADLINES = dt.datetime(2025, 6, 15, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm"))


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_uppdragshandling", *map(str, args), stdout=out)
    return out.getvalue()


def refusal(*args) -> CommandError:
    with pytest.raises(CommandError) as raised:
        run(*args)
    return raised.value


def test_json_of_seed_004_is_the_contract(accounts):  # noqa: F811
    with time_machine.travel(BEFORE_DEADLINES, tick=False):
        printed = run(documents.SEED_004, "--dry-run", "--json")
    assert json.loads(printed) == expected.SEED_004
    assert list(json.loads(printed)) == list(expected.SEED_004)  # the keys, in this order


def test_json_of_the_synthetic_document_is_the_contract(db):
    with time_machine.travel(BEFORE_DEADLINES, tick=False):
        printed = json.loads(run(documents.SYNTHETIC, "--dry-run", "--json"))
    unmatched = printed["warnings"].pop()
    assert unmatched.startswith("Inget konto heter ”Karin Lindqvist”, ”Omar Haddad”")
    assert printed == expected.SYNTHETIC


def test_a_dry_run_saves_nothing(accounts):  # noqa: F811
    people = User.objects.count()
    run(documents.SEED_004, "--dry-run")
    assert (Assignment.objects.count(), User.objects.count()) == (0, people)


def test_without_dry_run_a_draft_is_registered_and_its_deadlines_already_passed_are_named(
    accounts,  # noqa: F811
):
    with time_machine.travel(dt.datetime(2025, 11, 1, tzinfo=ZoneInfo("Europe/Stockholm"))):
        printed = json.loads(run(documents.SEED_004, "--json", "--user", "registrator"))
    assignment = Assignment.objects.get()
    assert (assignment.registration_number, assignment.state) == ("RS 2024-05699", "draft")
    assert printed["registration_number"] == "RS 2024-05699"
    assert [w for w in printed["warnings"] if "före registreringen" in w] == [
        "”Resurssättning av arbetsgrupper/ansvariga samt etablering a…” (Juni – aug 2025) "
        "skulle vara klar 2025-08-31, före registreringen: ange om den är klar.",
        "”Genomförande av seminarier och övriga aktiviteter (inkl. fö…” (Sep – okt 2025) "
        "skulle vara klar 2025-10-31, före registreringen: ange om den är klar.",
    ]
    assert (
        assignment.audit_entries.get(action="assignment.imported").actor == accounts["registrator"]
    )


def test_the_summary_names_the_draft(accounts):  # noqa: F811
    printed = run(documents.SEED_004)
    assert "Utkast registrerat: RS 2024-05699" in printed


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("seed_002.txt", None, "inte ut som en uppdragshandling"),
        ("protokoll.odt", b"Uppdragsgivare: A B", "Filtypen .odt"),
        ("tom.txt", b"", "tom"),
        ("bild.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "ingen textfil"),
        ("trasig.docx", b"PK\x03\x04 inte en zip", "Word-dokument"),
        ("trasig.pdf", b"%PDF-1.4 trasig", "PDF"),
    ],
)
def test_a_file_that_is_no_uppdragshandling_exits_with_2(db, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content if content is not None else documents.NOT_ASSIGNMENTS[0].read_bytes())
    error = refusal(path, "--json")
    assert error.returncode == 2
    assert message in str(error)


def test_a_missing_file_exits_with_2(db, tmp_path):
    error = refusal(tmp_path / "finns-inte.docx")
    assert (error.returncode, "kunde inte läsas" in str(error)) == (2, True)


def test_a_document_that_cannot_be_saved_exits_with_1(accounts):  # noqa: F811
    run(documents.SEED_004)
    error = refusal(documents.SEED_004)
    assert (error.returncode, str(error)) == (
        1,
        "Det finns redan ett gällande uppdrag med det diarienumret.",
    )


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}{password}@{host}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_from_the_shell_exit_codes_and_json(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": _database_url(),
    }

    def manage(*args):
        return subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "import_uppdragshandling", *map(str, args)],
            env=env,
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )

    read = manage(documents.SYNTHETIC, "--dry-run", "--json")
    assert read.returncode == 0, read.stderr
    assert json.loads(read.stdout)["registration_number"] == "RJL 2026/0412"
    refused = manage(documents.NOT_ASSIGNMENTS[1], "--dry-run", "--json")
    assert (refused.returncode, refused.stdout) == (2, "")
    assert "Filen ser inte ut som en uppdragshandling" in refused.stderr
    assert "Traceback" not in refused.stderr
