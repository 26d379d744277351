"""The demo data: seed 004 as written, units from seeds 000/001/004, and the generated
assignments (the seed 002 group catalogue is assignments/demo_groups.py).

Texts are the documents' own, typos included: this is a record.
"""

import datetime as dt

D = dt.date

# (name, kind, parent name or None)
ORG_UNITS = [
    ("Västra Götalandsregionen", "region", None),
    ("Regionfullmäktige", "board", "Västra Götalandsregionen"),
    ("Regionstyrelsen", "board", "Västra Götalandsregionen"),
    ("Hälso- och sjukvårdsstyrelsen", "board", "Västra Götalandsregionen"),
    ("Koncernkontoret", "central_office", "Västra Götalandsregionen"),
    ("Koncernstab Hälso- och sjukvård", "staff_unit", "Koncernkontoret"),
    ("Koncernstab Regional utveckling", "staff_unit", "Koncernkontoret"),
    ("Koncernstab digitalisering", "staff_unit", "Koncernkontoret"),
    ("Avdelning avtal, produktionsstyrning och ekonomi", "department", "Koncernkontoret"),
    ("Avdelningen stöd och utveckling av vårdens processer", "department", "Koncernkontoret"),
    ("Program Millennium", "department", "Koncernkontoret"),
    ("VGR-IT", "department", "Koncernkontoret"),
    ("Inköp", "department", "Koncernkontoret"),
    ("Prehospitalt och Katastrofmedicinskt centrum (PKMC)", "department", "Koncernkontoret"),
    ("Smittskydd/Asyl", "department", "Koncernkontoret"),
    ("Regionalt Cancercentrum (RCC)", "department", "Koncernkontoret"),
    ("Registercentrum (RC)", "department", "Koncernkontoret"),
    ("NU-sjukvården", "administration", "Västra Götalandsregionen"),
    ("Sahlgrenska Universitetssjukhuset", "administration", "Västra Götalandsregionen"),
    ("Regionhälsan", "administration", "Västra Götalandsregionen"),
]

# username: (first name, last name, title, unit)
PEOPLE = {
    "jan.strang": ("Jan", "Sträng", "Sammanställande och projektledare", "Koncernkontoret"),
    "anders.kullbratt": (
        "Anders",
        "Kullbratt",
        "Beslutsfattare Samordningsgrupp",
        "Koncernstab Hälso- och sjukvård",
    ),
    "per.albertsson": (
        "Per",
        "Albertsson",
        "Beslutsfattare Samordningsgrupp",
        "Koncernstab Hälso- och sjukvård",
    ),
    "bjarne.christiansson": (
        "Bjarne",
        "Christiansson",
        "Tillförordnad programchef",
        "Program Millennium",
    ),
    "bjorn.jarbur": ("Björn", "Järbur", "Sjukhusdirektör", "NU-sjukvården"),
    "boubou.hallberg": (
        "Boubou",
        "Hallberg",
        "Sjukhusdirektör",
        "Sahlgrenska Universitetssjukhuset",
    ),
    "erica.sandberg": ("Erica", "Sandberg", "Utvecklingschef", "Koncernstab digitalisering"),
    "henrietta.arwin": ("Henrietta", "Arwin", "Direktör", "Regionhälsan"),
    "levi.siljemyr": (
        "Levi",
        "Siljemyr",
        "Avdelningschef",
        "Avdelning avtal, produktionsstyrning och ekonomi",
    ),
    "susanne.gustavsson": (
        "Susanne",
        "Gustavsson",
        "Strateg",
        "Avdelningen stöd och utveckling av vårdens processer",
    ),
    "ann-charlotte.jarnstrom": ("Ann-Charlotte", "Järnström", "", "Koncernkontoret"),
    "anna.karevi.verdoes": ("Anna", "Karevi Verdoes", "", "Koncernkontoret"),
    "angelica.horngren": ("Angelica", "Hörngren", "", "Koncernkontoret"),
    "regiondirektor": ("Regina", "Direktör", "Regiondirektör", "Koncernkontoret"),
    "registrator": ("Rut", "Registrator", "Registrator", "Koncernkontoret"),
}

SEED_004 = {
    "registration_number": "RS 2024-05699",
    "document_date": D(2025, 8, 12),
    "issuing_unit": "Koncernkontoret",
    "title": (
        "Hälso- och sjukvårdens organisering av verksamhetsutveckling med stöd av digitalisering"
    ),
    "commissioners": ["anders.kullbratt", "per.albertsson"],
    "decision_makers": ["anders.kullbratt", "per.albertsson"],
    "assignee": "jan.strang",
    "project_lead": "jan.strang",
    "description": (
        "Enligt den externa granskning som genomfördes av KPMG gällande driftstarten av "
        "Millennium, underskattades behovet av förändringsledning. Det konstaterades även att "
        "koncernens organisering och struktur var svår att förstå.\n\n"
        "Ansvarsfördelningen bland annat mellan utförarförvaltningarna, program Millennium och "
        "styrgruppen för hälso- och sjukvårdens digitalisering var oklar. I de erfarenheter som "
        "samlats in från medarbetare framkommer att det saknades förutsättningar att såväl förstå "
        "organisatoriska strukturer som samband och kunskap om beslutsvägar."
    ),
    "purpose": (
        "Syftet med detta uppdrag är att bättre förbereda hälso- och sjukvårdens verksamheter "
        "samt klarlägga beslutsvägar såväl vid införande av nytt vårdinformationssystem som för "
        "verksamhetsutveckling med stöd av digitalisering i stort."
    ),
    "scope": [
        "Ta fram förslag på en arbets- och beslutsprocess samt en organisation som stödjer detta, "
        "för hur prioritering, utveckling och införande av verksamhetsutveckling med stöd av "
        "digitalisering ska hanteras inom hälso- och sjukvården i Västra Götalandsregionen – för "
        "att möta framtidens behov.",
        "Arbets- och beslutsprocessen ska omfatta hela den organisatoriska strukturen och "
        "processerna för hälso- och sjukvårdens digitaliserings och utvecklingsfrågor inom VGR, "
        "inklusive koncernkontoret och koppling till berörda utförarförvaltningar.",
        "Den centrala organiseringen bör spegla och möta motsvarande organisering inom "
        "utförarförvaltningarna. Syftet är att gemensamt säkerställa en effektiv och samordnad "
        "prioritering, utveckling och utrullning av verksamhetsutveckling med stöd av "
        "digitalisering – inklusive införandet av nya arbetssätt, kopplat till pågående och "
        "framtida digitaliseringsprojekt samt implementeringen av ett nytt "
        "vårdinformationssystem oberoende av vilket handlingsalternativ som väljs.",
    ],
    "requirements": [
        "Utgå från sammanställningen av medarbetarnas erfarenheter samt innehållet i den av KPMG "
        "utförda externa granskningen.",
        "Inkludera berörda intressenter, där särskilt koncernledning hälso- och sjukvård utgör en "
        "viktig part.",
        "Beakta pågående eller tidigare genomförda utredningar gällande organisering av hälso- "
        "och sjukvårdens digitalisering.",
    ],
    "working_group": [
        ("anders.kullbratt", "beslutsfattare Samordningsgrupp"),
        ("bjarne.christiansson", "tillförordnad programchef"),
        ("bjorn.jarbur", "sjukhusdirektör NU-sjukvården"),
        ("boubou.hallberg", "sjukhusdirektör Sahlgrenska Universitetssjukhuset"),
        ("erica.sandberg", "utvecklingschef koncernstab digitalisering"),
        ("henrietta.arwin", "direktör Regionhälsan"),
        ("levi.siljemyr", "avdelningschef avtal, produktionsstyrning och ekonomi"),
        ("susanne.gustavsson", "strateg avdelningen stöd och utveckling av vårdens processer"),
    ],
    "working_group_note": (
        "Till ovanstående grupp adderas ytterligare resurser vid behov – se samband och "
        "intressenter under rubrik ”Samband och gränsdragning till andra "
        "uppdrag/koncernövergripande grupper” nedan."
    ),
    # (kind, text, group name or None, target reference)
    "relations": [
        (
            "within",
            "Uppdraget sker inom ramen för Samordningsgrupp vårdinformationsmiljö.",
            "Samordningsgrupp för vårdinformationsmiljö",
            "",
        ),
        (
            "cooperation",
            "Samarbete sker med relevanta funktionsgrupper, samordningsråd och avdelningar inom "
            "koncernkontoret.",
            None,
            "",
        ),
        (
            "stakeholder",
            "Koncernledning hälso- och sjukvård och särskilt utsedd referensgrupp för framtida "
            "organisering.",
            "Koncernledning hälso- och sjukvård",
            "",
        ),
        (
            "cooperation",
            "Samarbete ska etableras med uppdrag ”Planering förändringledning vid införande av "
            "nytt vårdinformationssystem” som Samordningsgrupp för vårdinformationsmiljö "
            "parallellt med detta uppdrag initierat (diarienummer RS 2024-05699).",
            "Samordningsgrupp för vårdinformationsmiljö",
            "RS 2024-05699",
        ),
    ],
    "communication": "Kommunikation sker via gruppen Samordningsgrupp för vårdinformationsmiljö.",
    "schedule_note": (
        "Arbetet är högt prioriterat. Syftet med gruppens arbete är att förbereda organisationen "
        "att ta emot det vägvalsbeslut som regionstyrelsen fattar gällande nytt "
        "vårdinformationssystem. Uppdrags avslut sker i samband med slutleverans senast "
        "2025-12-01."
    ),
    # (kind, title, period label, start, due)
    "milestones": [
        (
            "resource_allocation",
            "Resurssättning av arbetsgrupper/ansvariga samt etablering av metod.",
            "Juni – aug 2025",
            D(2025, 6, 1),
            D(2025, 8, 31),
        ),
        (
            "seminars",
            "Genomförande av seminarier och övriga aktiviteter (inkl. förankring och facklig "
            "dialog och samverkan).",
            "Sep – okt 2025",
            D(2025, 9, 1),
            D(2025, 10, 31),
        ),
        (
            "compilation",
            "Sammanställning av material, framtagande av förslag till organisering",
            "Nov 2025",
            D(2025, 11, 1),
            D(2025, 11, 30),
        ),
        (
            "decision",
            "Beslut och genomförande (genomförs i interim organisation).",
            "Jan – juni 2026",
            D(2026, 1, 1),
            D(2026, 6, 30),
        ),
    ],
    "delivery_due": D(2025, 12, 1),
    "costs_and_financing": "Uppdraget hanteras inom ordinarie verksamhet.",
    "decision_form": (
        "Rapportering sker till beslutfattare för Samordningsgrupp för vårdinformativmiljö."
    ),
    "decision_makers_label": "Beslutfattare Samordningsgrupp för vårdinformativmiljö",
    # (purpose, username, note)
    "distribution": [
        ("execution", "jan.strang", ""),
        ("execution", "anders.kullbratt", ""),
        ("execution", "bjarne.christiansson", ""),
        ("execution", "bjorn.jarbur", ""),
        ("execution", "boubou.hallberg", ""),
        ("execution", "erica.sandberg", ""),
        ("execution", "henrietta.arwin", ""),
        ("execution", "levi.siljemyr", ""),
        ("execution", "susanne.gustavsson", ""),
        ("information", "per.albertsson", ""),
        ("information", "ann-charlotte.jarnstrom", ""),
        (
            "information",
            "anna.karevi.verdoes",
            "för distribution till koncernledning hälso- och sjukvård",
        ),
        ("information", "angelica.horngren", "för distribution till RS MBL"),
    ],
    "supersedes": {
        "registration_number": "RS 2024-05699",
        "document_date": D(2025, 6, 18),
        "title": (
            "Koncernkontorets organisering av verksamhetsutveckling med stöd av digitalisering"
        ),
    },
}

# Generated assignments, placed relative to the day the demo is loaded, so that whoever logs in
# has current work (#18 item 6): jan.strang upcoming deadlines and a reminder this week,
# anders.kullbratt and per.albertsson a decision waiting, ann-charlotte.jarnstrom assignments
# to follow. Seed 004 stays exactly as registered. Each row: (number in this year's series,
# title, state, registered days ago, assignee, commissioners (also the decision-makers),
# milestones as (kind, title, start, due) in working days from today, with those due before
# today done, final delivery in working days from today, readers "för kännedom").
GENERATED = [
    (
        "00112",
        "Översyn av regiongemensamma riktlinjer för inköp",
        "draft",
        3,
        "erica.sandberg",
        ["regiondirektor"],
        [
            ("resource_allocation", "Resurssättning", 10, 20),
            ("compilation", "Sammanställning", 20, 60),
        ],
        80,
        [],
    ),
    (
        "00231",
        "Samordnad uppföljning av vårdens tillgänglighet",
        "in_progress",
        60,
        "jan.strang",
        ["anders.kullbratt"],
        [
            ("resource_allocation", "Nulägesanalys", -40, -8),
            ("compilation", "Förslag till uppföljningsmodell", -8, 4),
            ("other", "Förankring i koncernledningen", 4, 25),
        ],
        40,
        ["ann-charlotte.jarnstrom"],
    ),
    (
        "00318",
        "Regional plan för kompetensförsörjning inom IT",
        "delivered",
        120,
        "jan.strang",
        ["anders.kullbratt", "per.albertsson"],
        [
            ("resource_allocation", "Kartläggning", -80, -50),
            ("compilation", "Planförslag", -50, -5),
        ],
        10,
        ["ann-charlotte.jarnstrom"],
    ),
    (
        "00410",
        "Gemensam struktur för koncernövergripande grupper",
        "decided",
        200,
        "erica.sandberg",
        ["regiondirektor"],
        [("resource_allocation", "Inventering", -150, -110), ("compilation", "Förslag", -110, -40)],
        -30,
        ["ann-charlotte.jarnstrom"],
    ),
    (
        "00407",
        "Förstudie om gemensam kundtjänst",
        "cancelled",
        90,
        "erica.sandberg",
        ["regiondirektor"],
        [
            ("resource_allocation", "Resurssättning", -60, -20),
            ("compilation", "Förstudie", -20, 30),
        ],
        50,
        [],
    ),
]
