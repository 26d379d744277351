"""The case as FGS Ärendehantering / E-ARK CITS ERMS describes one: the assignment is the case
(an aggregation of type "caseFile", its diarienummer the identification), and its records are
the uppdragshandling, each final delivery and the decision, each linking its files in the
representation as appendices.

Written to the DILCIS Board's ERMS schema version 2.1.2 (schemas/ERMS.xsd, with its Schematron
rules schemas/erms.sch), the schema of CITS ERMS v2.1 that the package's content information
type "citserms_v2_1" names; tests/records/test_erms.py validates the output against both."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from lxml import etree

from .metadata import ERMS, XSI, serialise

SCHEMA_LOCATION = f"{ERMS} ../../schemas/ERMS.xsd"


@dataclass(frozen=True)
class ErmsAgent:
    """A person or body as ERMS types it: agent_type is one of the schema's agentType values;
    "other" takes its own name in other_type (the Schematron rule)."""

    agent_type: str
    name: str
    other_type: str = ""
    organisation: str = ""
    unit: str = ""


@dataclass(frozen=True)
class ErmsFile:
    """A file of a record: its path inside the package (CSIP's relative reference)."""

    path: str
    name: str
    file_format: str = ""


@dataclass
class ErmsRecord:
    system_identifier: str
    identification: str
    record_type: str
    title: str
    dates: list[tuple[str, dt.datetime | dt.date]]  # (dateType, when)
    files: list[ErmsFile] = field(default_factory=list)
    agents: list[ErmsAgent] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (noteType, text)


@dataclass
class ErmsCase:
    system_identifier: str
    registration_number: str
    title: str
    organisation: str
    software: str
    state: str
    opened: dt.date
    closed: dt.date | None
    agents: list[ErmsAgent]
    description: str
    records: list[ErmsRecord]
    created: dt.datetime


def _e(parent, tag: str, text: str | None = None, /, **attributes):
    element = etree.SubElement(parent, f"{{{ERMS}}}{tag}", attrib=attributes or None)
    if text is not None:
        element.text = text
    return element


def _date_time(value: dt.datetime | dt.date) -> str:
    """ERMS dates are xs:dateTime: a moment in UTC; a day (a decision's, a document's) as its
    midnight with no zone, since the record holds no time of day for it."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="seconds")
    return f"{value.isoformat()}T00:00:00"


def _agent(parent, agent: ErmsAgent, tag: str = "agent"):
    attributes = {"agentType": agent.agent_type}
    if agent.other_type:
        attributes["otherAgentType"] = agent.other_type
    element = _e(parent, tag, **attributes)
    _e(element, "name", agent.name)
    if agent.organisation:
        _e(element, "organisation", agent.organisation)
    if agent.unit:
        _e(element, "unitName", agent.unit)
    return element


def _agents(parent, agents: list[ErmsAgent]) -> None:
    if agents:
        element = _e(parent, "agents")
        for agent in agents:
            _agent(element, agent)


def _dates(parent, dates: list[tuple[str, dt.datetime | dt.date]]) -> None:
    if dates:
        element = _e(parent, "dates")
        for date_type, when in dates:
            _e(element, "date", _date_time(when), dateType=date_type)


def _notes(parent, notes: list[tuple[str, str]]) -> None:
    if notes:
        element = _e(parent, "notes")
        for note_type, text in notes:
            _e(element, "note", text, noteType=note_type)


def _record(parent, item: ErmsRecord) -> None:
    # The schema's order: objectId, identification, title, agents, dates, notes,
    # additionalInformation.
    record = _e(
        parent, "record", systemIdentifier=item.system_identifier, recordType=item.record_type
    )
    _e(record, "objectId", item.identification)
    _e(record, "identification", item.identification, identificationType="local")
    _e(record, "title", item.title)
    _agents(record, item.agents)
    _dates(record, item.dates)
    _notes(record, item.notes)
    if item.files:
        information = _e(record, "additionalInformation")
        for packed in item.files:
            attributes = {"name": packed.name, "path": packed.path}
            if packed.file_format:
                attributes["fileFormat"] = packed.file_format
            _e(information, "appendix", **attributes)


def erms(case: ErmsCase) -> bytes:
    """ERMS.xml for the case."""
    root = etree.Element(f"{{{ERMS}}}erms", nsmap={None: ERMS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    control = _e(root, "control")
    _e(control, "identification", case.registration_number, identificationType="caseNumber")
    maintenance = _e(control, "maintenanceInformation")
    _e(maintenance, "maintenanceStatus", value="new")
    agency = _e(maintenance, "maintenanceAgency")
    _e(agency, "agencyName", case.organisation)
    history = _e(maintenance, "maintenanceHistory")
    event = _e(history, "maintenanceEvent")
    _e(event, "eventType", value="created")
    _e(event, "eventDateTime", _date_time(case.created))
    _agent(event, ErmsAgent("other", case.software, other_type="software"))

    aggregations = _e(root, "aggregations")
    aggregation = _e(
        aggregations,
        "aggregation",
        systemIdentifier=case.system_identifier,
        aggregationType="caseFile",
    )
    _e(aggregation, "objectId", case.registration_number)
    _e(aggregation, "identification", case.registration_number, identificationType="caseNumber")
    _e(aggregation, "title", case.title)
    # Only a closed assignment is packed; how it closed (decided, cancelled, superseded) is
    # Uppdrag's own word, kept as a note.
    _e(aggregation, "status", value="closed")
    _agents(aggregation, case.agents)
    if case.description:
        _e(aggregation, "description", case.description)
    dates = [("opened", case.opened)] + ([("closed", case.closed)] if case.closed else [])
    _dates(aggregation, dates)
    _notes(aggregation, [("uppdrag:state", case.state)])
    for item in case.records:
        _record(aggregation, item)
    return serialise(root)
