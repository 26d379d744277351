"""The demo's region-wide groups: the seed 002 catalogue, as the document writes it."""

KONCERNLEDNINGAR = [
    "Koncernledning hälso- och sjukvård",
    "Koncernledning regional utveckling",
    "Koncernledning trafik och beredskap",
    "Koncernledning kultur",
]

# Seed 002: (name, kind, process, mandate, chair description, reports to, note, statutory)
GROUPS = [
    *[
        (
            name,
            "leadership",
            "leadership",
            "chair_region_wide",
            "Regiondirektören",
            [],
            "Regiondirektören",
            False,
            "Initiera, driva och följa upp det koncerngemensamma arbetet inom ansvarsområdet "
            "utifrån beslutade strategier och budget för VGR.",
        )
        for name in KONCERNLEDNINGAR
    ],
    (
        "Samordningsgrupp för vårdinformationsmiljö",
        "coordinating",
        "main",
        "chair_group",
        "",
        ["Koncernledning hälso- och sjukvård"],
        "",
        False,
        "Samordnar det regiongemensamma arbetet med vårdinformationsmiljön.",
    ),
    (
        "Grupp för sammanhållen ledning av hälso- och sjukvårdens digitalisering",
        "cohesive_leadership",
        "main",
        "members_own_administration",
        "",
        ["Koncernledning hälso- och sjukvård"],
        "",
        False,
        "Samordnar, styr och leder det regiongemensamma arbetet på en övergripande strategisk "
        "nivå.",
    ),
    (
        "Samordningsråd akutsjukvård",
        "coordination_council",
        "main",
        "members_own_administration",
        "Utsedd av koncernledning hälso- och sjukvård",
        ["Koncernledning hälso- och sjukvård"],
        "",
        False,
        "Samordnar det koncerngemensamma arbetet och är stöd till koncernledning hälso- och "
        "sjukvård.",
    ),
    (
        "Läkemedelskommittén",
        "drug_committee",
        "main",
        "chair_group",
        "",
        ["Koncernledning hälso- och sjukvård"],
        "Hälso- och sjukvårdsstyrelsen (reglemente)",
        True,
        "Verkar genom rekommendationer för en tillförlitlig och rationell läkemedelsanvändning.",
    ),
    (
        "Sakkunniggrupp för organisationsutveckling",
        "expert",
        "main",
        "preparatory",
        "",
        [],
        "Uppdragsgivaren",
        False,
        "Medverkar med expertis och erfarenhet om hur verksamheten fungerar.",
    ),
    (
        "Funktionsgrupp inköp",
        "function",
        "support",
        "chair_region_wide",
        "Ordförande på Koncernkontoret",
        KONCERNLEDNINGAR,
        "Regiondirektören",
        False,
        "Regiongemensamma riktlinjer och tillhörande rutiner och anvisningar inom inköp.",
    ),
    (
        "Kundråd VGR-IT",
        "customer_council",
        "support",
        "members_own_administration",
        "",
        KONCERNLEDNINGAR,
        "Regiondirektören",
        False,
        "Följer upp överenskommelser och har strategisk dialog inom ansvarsområdet.",
    ),
]
