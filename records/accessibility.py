"""The tillgänglighetsredogörelse's content, in the reader's language, and the assessments it
cites.

DIGG's rules (MDFFS 2019:2) ask the statement for: how far the service complies (fully,
partially, not), what is not accessible and why, how to report a shortcoming or ask for the
content in another form, the enforcement procedure (DIGG's form for reporting a lack of
accessibility), how and when the service was assessed, and when the statement was made and
last updated. The registrar keeps the texts in the admin; the date of the last assessment is
the last passing automated walk recorded with `manage.py record_accessibility_assessment`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.utils import timezone

from .models import AccessibilityAssessment, AccessibilityStatement

# DIGG's form for reporting a lack of accessibility in a public body's digital service.
DIGG_FORM_URL = "https://www.digg.se/tdosanmalan"


def current_statement() -> AccessibilityStatement | None:
    return AccessibilityStatement.objects.order_by("-pk").first()


def statement_context(language: str | None) -> dict:
    """What the page shows, in English for "en", in Swedish otherwise."""
    statement = current_statement()
    english = (language or "").startswith("en")

    def text(name: str) -> str:
        if statement is None:
            return ""
        value = getattr(statement, f"{name}_en" if english else f"{name}_sv")
        return value or getattr(statement, f"{name}_sv")

    return {
        "statement": statement,
        "shortcomings": text("shortcomings"),
        "feedback": text("feedback"),
        "method": text("method"),
        "assessment": AccessibilityAssessment.last_passing(),
        "digg_form_url": DIGG_FORM_URL,
    }


def record_assessment(*, tool: str, pages: int, violations: int, note: str = "", when=None):
    """Record one run of the automated walk (passing when it saw pages and no violation)."""
    return AccessibilityAssessment.objects.create(
        assessed_at=when or timezone.now(),
        tool=tool,
        pages=pages,
        violations=violations,
        note=note,
    )


def record_from_report(path: Path) -> AccessibilityAssessment:
    """Record the walk's report: the JSON that tests/e2e/test_responsive.py writes
    ({"tool", "pages", "violations", "finished_at"})."""
    report = json.loads(Path(path).read_text(encoding="utf-8"))
    finished = report.get("finished_at")
    return record_assessment(
        tool=str(report["tool"])[:100],
        pages=int(report["pages"]),
        violations=int(report["violations"]),
        note=str(report.get("note", "")),
        when=dt.datetime.fromisoformat(finished) if finished else None,
    )
