"""Reading back what the document export writes: the PDF's text and tables (pdfplumber), the
Word document's headings, lists and tables (python-docx); and the assignments to export."""

from __future__ import annotations

import datetime as dt
import io
import re

import docx
import pdfplumber
import time_machine

from assignments import demo_data
from assignments.models import Assignment, Distribution, User
from tests.factories import (
    AssignmentFactory,
    DistributionFactory,
    MilestoneFactory,
    WorkingGroupMemberFactory,
)
from workflow import services

FOOTER = re.compile(r"^Dnr .* Sida \d+ av \d+$")


def pdf_pages(content: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def pdf_text(content: bytes) -> str:
    """The PDF's text without its footers, its lines joined by single spaces."""
    lines = [
        line
        for page in pdf_pages(content)
        for line in page.splitlines()
        if not FOOTER.match(line.strip())
    ]
    return " ".join(" ".join(lines).split())


def pdf_tables(content: bytes) -> list[list[str]]:
    """The rows of every table in the PDF, a row split over two pages counted once."""
    rows = []
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                rows += [[" ".join((cell or "").split()) for cell in row] for row in table]
    return rows


def pdf_links(content: bytes) -> list:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return [link for page in pdf.pages for link in page.hyperlinks]


def in_order(text: str, expected: list[str]) -> list[str]:
    """The expected snippets not found in `text` after the previous one (empty: all in order)."""
    missing, position = [], 0
    for snippet in expected:
        snippet = " ".join(snippet.split())
        found = text.find(snippet, position)
        if found < 0:
            missing.append(snippet)
        else:
            position = found + len(snippet)
    return missing


def word(content: bytes):
    return docx.Document(io.BytesIO(content))


def word_paragraphs(document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def seed_004_in_document_order() -> list[str]:
    """What seed 004 says, in the order the real document says it (seed 004)."""
    seed = demo_data.SEED_004
    people = {u: f"{f} {last}" for u, (f, last, _t, _u) in demo_data.PEOPLE.items()}
    both = "Anders Kullbratt och Per Albertsson"
    old = seed["supersedes"]
    return [
        "Uppdragshandling",
        f"Datum {seed['document_date']:%Y-%m-%d}",
        f"Diarienummer {seed['registration_number']}",
        "Västra Götalandsregionen",
        seed["issuing_unit"],
        f"Uppdrag: {seed['title']}",
        f"Uppdragsgivare: {both}",
        f"Beslutsfattare: {both}",
        f"Uppdragstagare: {people[seed['assignee']]}",
        f"Projektledare: {people[seed['project_lead']]}",
        "Observera: denna uppdragshandling ersätter tidigare uppdragshandling benämnd "
        f'"{old["title"]}", daterad {old["document_date"]:%Y-%m-%d}.',
        "Uppdragsbeskrivning",
        *seed["description"].split("\n\n"),
        seed["purpose"],
        "Uppdraget innefattar följande:",
        *seed["scope"],
        "Uppdraget ska:",
        *seed["requirements"],
        "Arbetsorganisation",
        "Arbetsgruppen utgörs av följande personer:",
        *[f"{people[u]}, {role}" for u, role in seed["working_group"]],
        f"Sammanställande och projektledare: {people[seed['project_lead']]}.",
        seed["working_group_note"],
        "Samband och gränsdragning till andra uppdrag och pågående arbete",
        *[text for _kind, text, _group, _ref in seed["relations"]],
        "Kommunikation",
        seed["communication"],
        "Tidplan",
        seed["schedule_note"],
        "Kostnader och finansiering",
        seed["costs_and_financing"],
        "Form för beslut när uppdraget är klart",
        seed["decision_form"],
        "Datum för beslut: ÅÅÅÅ-MM-DD (ifylls av beslutfattaren vid godkännande)",
        both,
        seed["decision_makers_label"],
        "Uppdraget skickas till",
        "För genomförande:",
        *[people[u] for p, u, _n in seed["distribution"] if p == "execution"],
        "För kännedom:",
        *[f"{people[u]} {n}".strip() for p, u, n in seed["distribution"] if p == "information"],
    ]


def seed_004_timeline() -> list[list[str]]:
    return [[title, label] for _k, title, label, _s, _d in demo_data.SEED_004["milestones"]]


def decided_assignment(*, title="Regional plan för kompetensförsörjning", paragraph="§ 12"):
    """A generated assignment taken through its whole process: Per Albertsson commissions and
    decides (approving with `paragraph`), Jan Sträng carries it out."""
    jan = User.objects.get(username="jan.strang")
    per = User.objects.get(username="per.albertsson")
    erica = User.objects.get(username="erica.sandberg")
    assignment = AssignmentFactory(
        registration_number="RS 2025-07318",
        document_date=dt.date(2025, 3, 3),
        title=title,
        assignee=jan,
        project_lead=jan,
        state=Assignment.State.DRAFT,
        commissioners=[per],
        decision_makers=[per],
        delivery_due=dt.date(2025, 9, 30),
    )
    WorkingGroupMemberFactory(assignment=assignment, person=erica, role="utvecklingschef")
    DistributionFactory(assignment=assignment, person=erica, purpose=Distribution.Purpose.EXECUTION)
    MilestoneFactory(
        assignment=assignment,
        title="Kartläggning",
        period_label="Mars – maj 2025",
        start=dt.date(2025, 3, 1),
        due=dt.date(2025, 5, 31),
    )
    services.start_process(assignment=assignment)
    services.adopt_assignment(assignment=assignment, actor=per)
    # submitted before it is decided: a decision is never dated before its delivery
    with time_machine.travel(dt.datetime(2025, 10, 1, 10, tzinfo=dt.UTC), tick=False):
        delivery = services.submit_delivery(assignment=assignment, actor=jan, summary="Planen.")
    services.approve_delivery(
        delivery=delivery,
        decided_by=per,
        decided_on=dt.date(2025, 10, 14),
        paragraph_reference=paragraph,
    )
    return Assignment.objects.get(pk=assignment.pk)
