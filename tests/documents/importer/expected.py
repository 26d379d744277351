"""What the importer must read from seed 004 and from the synthetic uppdragshandling: the
command's JSON contract (names as the documents write them), and the other fields."""

from assignments import demo_data

SEED = demo_data.SEED_004
NAMES = {username: f"{first} {last}" for username, (first, last, *_r) in demo_data.PEOPLE.items()}
# Seed 004 writes two names otherwise in places: the importer reports them as written.
AS_WRITTEN = {("execution", "boubou.hallberg"): "BouBou Hallberg"}

SEED_004 = {
    "registration_number": SEED["registration_number"],
    "date": SEED["document_date"].isoformat(),
    "title": SEED["title"],
    "issuing_unit": SEED["issuing_unit"],
    "commissioners": [NAMES[u] for u in SEED["commissioners"]],
    "decision_makers": ["Ander Kullbratt", "Per Albertsson"],
    "assignee": NAMES[SEED["assignee"]],
    "project_lead": NAMES[SEED["project_lead"]],
    "supersedes": {
        "title": SEED["supersedes"]["title"],
        "date": SEED["supersedes"]["document_date"].isoformat(),
    },
    "working_group": [{"name": NAMES[u], "role": role} for u, role in SEED["working_group"]],
    "milestones": [
        {
            "title": title,
            "period_label": label,
            "start": start.isoformat(),
            "due": due.isoformat(),
            "needs_review": False,
        }
        for _kind, title, label, start, due in SEED["milestones"]
    ],
    "delivery_due": SEED["delivery_due"].isoformat(),
    "distribution": {
        purpose: [
            {"name": AS_WRITTEN.get((purpose, u), NAMES[u]), "note": note}
            for p, u, note in SEED["distribution"]
            if p == purpose
        ]
        for purpose in ("execution", "information")
    },
    "warnings": [
        "”Ander Kullbratt” liknar ”Anders Kullbratt” på andra ställen i handlingen: kontrollera "
        "stavningen.",
        "”BouBou Hallberg” liknar ”Boubou Hallberg” på andra ställen i handlingen: kontrollera "
        "stavningen.",
    ],
}
SEED_004_TEXTS = {
    "description": SEED["description"],
    "purpose": SEED["purpose"],
    "working_group_note": SEED["working_group_note"],
    "communication": SEED["communication"],
    "schedule_note": SEED["schedule_note"],
    "costs_and_financing": SEED["costs_and_financing"],
    "decision_form": SEED["decision_form"],
    "decision_makers_label": SEED["decision_makers_label"],
}
SEED_004_LISTS = {
    "scope": SEED["scope"],
    "requirements": SEED["requirements"],
    "relations": [text for _kind, text, _group, _ref in SEED["relations"]],
    "relation_kinds": [kind for kind, _text, _group, _ref in SEED["relations"]],
    "milestone_kinds": [kind for kind, *_rest in SEED["milestones"]],
}

SYNTHETIC = {
    "registration_number": "RJL 2026/0412",
    "date": "2026-02-03",
    "title": "Gemensam plattform för digitala vårdmöten i primärvården",
    "issuing_unit": "Koncernstab digitalisering",
    "commissioners": ["Karin Lindqvist", "Omar Haddad"],
    "decision_makers": ["Karin Lindqvist", "Omar Haddad"],
    "assignee": "Sofia Bergström",
    "project_lead": "Sofia Bergström",
    "supersedes": None,
    "working_group": [
        {"name": "Sofia Bergström", "role": "projektledare primärvården"},
        {"name": "Mats Öberg", "role": "IT-arkitekt"},
        {"name": "Lena Holm", "role": "verksamhetsutvecklare Vårdcentralen Norr"},
    ],
    "milestones": [
        {
            "title": "Kartläggning av befintliga verktyg",
            "period_label": "Mars – april 2026",
            "start": "2026-03-01",
            "due": "2026-04-30",
            "needs_review": False,
        },
        {
            "title": "Kravspecifikation och dialog med leverantörer",
            "period_label": "Hösten 2026",
            "start": "2026-08-01",
            "due": "2026-12-31",
            "needs_review": True,
        },
        {
            "title": "Upphandling",
            "period_label": "Nov 2026 – feb 2027",
            "start": "2026-11-01",
            "due": "2027-02-28",
            "needs_review": False,
        },
        {
            "title": "Slutrapport till uppdragsgivarna",
            "period_label": "Senast 15 mars 2027",
            "start": None,
            "due": "2027-03-15",
            "needs_review": False,
        },
    ],
    "delivery_due": "2027-03-15",
    "distribution": {
        "execution": [
            {"name": "Sofia Bergström", "note": ""},
            {"name": "Mats Öberg", "note": ""},
            {"name": "Lena Holm", "note": ""},
        ],
        "information": [
            {"name": "Läkemedelskommitténs ordförande", "note": ""},
            {"name": "Petra Nyberg", "note": "för distribution till vårdcentralscheferna"},
        ],
    },
    "warnings": [
        "Tidplan, ”Kravspecifikation och dialog med leverantörer”: ”Hösten 2026” är ingen exakt "
        "period: 2026-08-01–2026-12-31 är ett förslag."
    ],
}
SYNTHETIC_TEXTS = {
    "description": "Primärvårdens verksamheter använder i dag fyra olika verktyg för digitala "
    "vårdmöten. Patienter möter olika inloggningar beroende på vårdcentral.",
    "purpose": "Syftet med uppdraget är att ge alla vårdcentraler en gemensam plattform för "
    "digitala vårdmöten.",
    "working_group_note": None,
    "communication": "Arbetet kommuniceras via primärvårdens chefsnätverk.",
    "schedule_note": "Slutrapport lämnas senast 2027-03-15.",
    "costs_and_financing": "Arbetet finansieras inom ramen för e-hälsoprogrammets budget.",
    "decision_form": "Rapportering sker till uppdragsgivarna.",
    "decision_makers_label": None,
}
SYNTHETIC_LISTS = {
    "scope": [
        "Kartlägga de verktyg som används i dag och deras avtal.",
        "Ta fram en kravspecifikation för en gemensam plattform.",
    ],
    "requirements": ["Samordnas med upphandlingsenheten.", "Redovisa kostnader per vårdcentral."],
    "relations": [
        "Arbetet sker inom ramen för e-hälsoprogrammet.",
        "Samarbete med uppdraget om patientportalen (Dnr RJL 2025/0988).",
    ],
    "relation_kinds": ["within", "cooperation"],
    "milestone_kinds": ["other", "seminars", "other", "other"],
}


def texts_of(document) -> dict:
    return {
        name: (getattr(document, name).value if getattr(document, name) else None)
        for name in SEED_004_TEXTS
    }


def lists_of(document) -> dict:
    return {
        "scope": [f.value for f in document.scope],
        "requirements": [f.value for f in document.requirements],
        "relations": [r.text for r in document.relations],
        "relation_kinds": [r.kind for r in document.relations],
        "milestone_kinds": [row.kind for row in document.milestones],
    }


# The synthetic uppdragshandling written as Västra Götalandsregionen writes them (region.txt):
# a signature of the commissioner under "Form för beslut", the project lead's line right
# under the working group's list.
REGION = {
    "registration_number": "RS 2026-00871",
    "date": "2026-03-10",
    "title": "Gemensam uppföljning av väntetider inom specialiserad vård",
    "issuing_unit": "Koncernstab hälso- och sjukvård",
    "commissioners": ["Ann Söderström"],
    "decision_makers": ["Ann Söderström"],
    "assignee": "Mikael Ek",
    "project_lead": "Sara Lund",
    "supersedes": None,
    "working_group": [
        {"name": "Mikael Ek", "role": "enhetschef analys"},
        {"name": "Sara Lund", "role": "verksamhetsutvecklare Skaraborgs Sjukhus"},
        {"name": "Johan Pettersson", "role": "controller Södra Älvsborgs Sjukhus"},
    ],
    "milestones": [
        {
            "title": title,
            "period_label": label,
            "start": start,
            "due": due,
            "needs_review": False,
        }
        for title, label, start, due in [
            (
                "Kartläggning av nuvarande rapportering",
                "April – maj 2026",
                "2026-04-01",
                "2026-05-31",
            ),
            (
                "Förslag till gemensamma definitioner",
                "Juni – aug 2026",
                "2026-06-01",
                "2026-08-31",
            ),
            ("Pilot med två förvaltningar", "Sep – okt 2026", "2026-09-01", "2026-10-31"),
            ("Slutrapport och förslag till beslut", "Nov 2026", "2026-11-01", "2026-11-30"),
        ]
    ],
    "delivery_due": "2026-11-30",
    "distribution": {
        "execution": [
            {"name": "Mikael Ek", "note": ""},
            {"name": "Sara Lund", "note": ""},
            {"name": "Johan Pettersson", "note": ""},
        ],
        "information": [
            {"name": "Helena Ström", "note": "för distribution till förvaltningscheferna"},
            {"name": "Koncernledning hälso- och sjukvård", "note": ""},
        ],
    },
    "warnings": [],
}
