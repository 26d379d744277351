"""Every text of the interface has its English (issue 17: English available): the catalogue
made again from the source, as `makemessages` makes it, has no untranslated or fuzzy entry.
Run on a copy of the source, so the working tree's catalogue is left as it is."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = (
    "assignments",
    "people",
    "documents",
    "reports",
    "reminders",
    "records",
    "workflow",
    "replies",
    "api",
    "config",
    "templates",
    "locale",
)


def _entries(po: Path, *flags: str) -> list[str]:
    out = subprocess.run(
        ["msgattrib", *flags, "--no-obsolete", str(po)], capture_output=True, text=True, check=True
    ).stdout
    return [line for line in out.splitlines() if line.startswith("msgid ") and line != 'msgid ""']


def test_every_text_of_the_source_has_its_english(tmp_path):
    for name in SOURCE:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(ROOT / "manage.py", tmp_path)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "-v", "0"],
        cwd=tmp_path,
        check=True,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "true", "UPPDRAG_VAR_DIR": str(tmp_path / "var")},
    )
    po = tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po"
    assert _entries(po, "--untranslated") == []
    assert _entries(po, "--only-fuzzy") == []
