"""records/archive/erms.py: the case as CITS ERMS, valid against the DILCIS Board's ERMS schema
2.1.2 and its Schematron rules, and the check able to fail."""

import datetime as dt

from records.archive import erms
from tests.records.erms_schema import errors

MOMENT = dt.datetime(2025, 12, 1, 9, tzinfo=dt.UTC)


def _case(*agents: erms.ErmsAgent) -> erms.ErmsCase:
    return erms.ErmsCase(
        system_identifier="uppdrag-RS-2024-05699-1",
        registration_number="RS 2024-05699",
        title="Organisering av verksamhetsutveckling",
        organisation="Västra Götalandsregionen",
        software="Uppdrag",
        state="decided",
        opened=dt.date(2025, 8, 12),
        closed=dt.date(2025, 12, 1),
        agents=[erms.ErmsAgent("creator", "Västra Götalandsregionen", unit="Koncernkontoret")],
        description="Uppdragets beskrivning",
        records=[
            erms.ErmsRecord(
                system_identifier="beslut-1",
                identification="RS 2024-05699 beslut",
                record_type="beslut",
                title="Beslut 2025-12-01 § 14",
                dates=[("decision", dt.date(2025, 12, 1)), ("created", MOMENT)],
                files=[erms.ErmsFile("representations/rep1/data/beslut.json", "beslut.json")],
                agents=list(agents),
                notes=[("kommentar", "Godkänd")],
            )
        ],
        created=MOMENT,
    )


def test_a_case_with_its_records_is_valid_erms():
    agents = (
        erms.ErmsAgent("authorising_person", "Per Albertsson"),
        erms.ErmsAgent("other", "Anders Kullbratt", other_type="uppdragsgivare"),
    )

    assert errors(erms.erms(_case(*agents))) == []


def test_an_own_agent_type_without_its_name_breaks_the_schematron_rules():
    found = errors(erms.erms(_case(erms.ErmsAgent("other", "Anders Kullbratt"))))

    assert len(found) == 1 and "otherAgentType" in found[0]


def test_an_agent_type_the_schema_does_not_know_breaks_the_schema():
    found = errors(erms.erms(_case(erms.ErmsAgent("decisionMaker", "Per Albertsson"))))

    assert len(found) == 1 and "agentType" in found[0] and "decisionMaker" in found[0]
