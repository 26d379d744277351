"""The tillgänglighetsredogörelse (records/accessibility.py): every element DIGG requires, in
Swedish and in English, linked from every page's footer, dated by the last passing walk."""

import datetime as dt
import json

import pytest
from django.core.management import call_command

from records.accessibility import DIGG_FORM_URL
from records.models import AccessibilityAssessment, AccessibilityStatement

pytestmark = pytest.mark.django_db

# (element, Swedish text, English text): what DIGG's rules require the statement to say
ELEMENTS = [
    ("compliance level", "delvis förenlig med lagen", "partially compliant with the"),
    ("known shortcomings", "Innehåll som inte är tillgängligt", "Content that is not accessible"),
    ("the shortcomings themselves", "Bifogade dokument", "Attached documents"),
    ("how to report a problem", "Vad kan du göra om du inte kan använda", "What can you do if"),
    ("the contact", "tillganglighet@vgregion.example", "tillganglighet@vgregion.example"),
    ("enforcement", "Myndigheten för digital förvaltning (DIGG)", "Agency for Digital Government"),
    ("DIGG's form", DIGG_FORM_URL, DIGG_FORM_URL),
    ("how it was assessed", "Självskattning", "Self-assessment"),
    (
        "date of the last assessment",
        "Senaste bedömningen gjordes 2026-11-30",
        "last assessed on 2026-11-30",
    ),
    (
        "date of the statement",
        "Redogörelsen upprättades 2026-12-07",
        "statement was prepared on 2026-12-07",
    ),
    ("date of its update", "uppdaterades senast 2026-12-08", "last updated on 2026-12-08"),
]


@pytest.fixture
def statement():
    statement = AccessibilityStatement.objects.get()  # as the migration writes it
    statement.contact_email = "tillganglighet@vgregion.example"
    statement.updated_on = dt.date(2026, 12, 8)
    statement.save()
    AccessibilityAssessment.objects.create(
        assessed_at=dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC),
        tool="axe-core",
        pages=190,
        violations=0,
    )
    AccessibilityAssessment.objects.create(  # a later failing walk dates nothing
        assessed_at=dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC),
        tool="axe-core",
        pages=190,
        violations=2,
    )
    return statement


@pytest.mark.parametrize("language,column", [("sv", 1), ("en", 2)])
def test_the_statement_has_every_required_element(client, statement, language, column):
    client.cookies["django_language"] = language
    page = client.get("/tillganglighet/", headers={"accept-language": language})

    html = page.content.decode()
    missing = [e[0] for e in ELEMENTS if e[column] not in html]
    assert page.status_code == 200
    assert missing == []


def test_every_page_links_the_statement_from_its_footer(client, django_user_model):
    for path in ("/accounts/login/", "/tillganglighet/"):
        html = client.get(path).content.decode()
        assert 'href="/tillganglighet/"' in html.split("</main>", 1)[1], path


def test_the_admin_links_the_statement_too(admin_client):
    assert 'href="/tillganglighet/"' in admin_client.get("/admin/").content.decode()


def test_a_walk_report_records_an_assessment(tmp_path):
    report = tmp_path / "axe-walk.json"
    report.write_text(
        json.dumps(
            {
                "tool": "axe-core 4.10",
                "pages": 192,
                "violations": 0,
                "finished_at": "2026-12-07T10:00:00+00:00",
            }
        )
    )

    call_command("record_accessibility_assessment", str(report))

    assessment = AccessibilityAssessment.last_passing()
    assert (assessment.pages, assessment.assessed_at.date()) == (192, dt.date(2026, 12, 7))


def test_a_failing_walk_dates_nothing(tmp_path):
    report = tmp_path / "axe-walk.json"
    report.write_text(json.dumps({"tool": "axe-core", "pages": 192, "violations": 3}))

    call_command("record_accessibility_assessment", str(report))

    assert AccessibilityAssessment.last_passing() is None
