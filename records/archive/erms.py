"""The case as FGS Ärendehantering / E-ARK CITS ERMS describes one: the assignment is the case
(an aggregation of type "caseFile", its diarienummer the identification), and its records are
the uppdragshandling, each final delivery and the decision, each pointing at its file in the
representation.

The element names follow CITS ERMS v2.1 as far as this module states them; the ERMS XSD is not
published on PyPI (the only registry this project installs from), so the package is not
validated against it here: a region's e-arkiv validates it on receipt (docs/records.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from lxml import etree

from .metadata import ERMS, XSI, serialise


@dataclass
class ErmsRecord:
    identification: str
    record_type: str
    title: str
    created: dt.datetime | dt.date
    files: list[str] = field(default_factory=list)
    agents: list[tuple[str, str]] = field(default_factory=list)  # (role, name)
    notes: list[str] = field(default_factory=list)


@dataclass
class ErmsCase:
    registration_number: str
    title: str
    organisation: str
    unit: str
    status: str
    opened: dt.date
    closed: dt.date | None
    agents: list[tuple[str, str]]
    description: str
    records: list[ErmsRecord]
    created: dt.datetime


def _e(parent, name: str, text: str | None = None, **attributes):
    element = etree.SubElement(parent, f"{{{ERMS}}}{name}", attrib=attributes or None)
    if text is not None:
        element.text = text
    return element


def _date(value) -> str:
    return (
        value.isoformat()
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime)
        else value.astimezone(dt.UTC).isoformat(timespec="seconds")
    )


def _agents(parent, agents: list[tuple[str, str]]) -> None:
    if not agents:
        return
    element = _e(parent, "agents")
    for role, name in agents:
        agent = _e(element, "agent", agentType=role)
        _e(agent, "name", name)


def erms(case: ErmsCase) -> bytes:
    """ERMS.xml for the case."""
    root = etree.Element(f"{{{ERMS}}}erms", nsmap={None: ERMS, "xsi": XSI})
    control = _e(root, "control")
    _e(control, "identification", case.registration_number, identificationType="caseNumber")
    maintenance = _e(control, "maintenanceInformation")
    _e(maintenance, "maintenanceStatus", value="new")
    agency = _e(maintenance, "maintenanceAgency")
    _e(agency, "agentName", case.organisation)
    event = _e(maintenance, "maintenanceEvent")
    _e(event, "eventType", value="created")
    _e(event, "eventDateTime", _date(case.created))
    _e(event, "agentName", "Uppdrag")

    aggregations = _e(root, "aggregations")
    aggregation = _e(aggregations, "aggregation", aggregationType="caseFile")
    _e(aggregation, "identification", case.registration_number, identificationType="caseNumber")
    titles = _e(aggregation, "titles")
    _e(titles, "title", case.title)
    _e(aggregation, "status", value=case.status)
    dates = _e(aggregation, "dates")
    _e(dates, "date", case.opened.isoformat(), dateType="opened")
    if case.closed:
        _e(dates, "date", case.closed.isoformat(), dateType="closed")
    _agents(aggregation, [("organisation", case.organisation), ("unit", case.unit), *case.agents])
    if case.description:
        _e(aggregation, "description", case.description)
    records = _e(aggregation, "records")
    for item in case.records:
        record = _e(records, "record", recordType=item.record_type)
        _e(record, "identification", item.identification, identificationType="local")
        record_titles = _e(record, "titles")
        _e(record_titles, "title", item.title)
        record_dates = _e(record, "dates")
        _e(record_dates, "date", _date(item.created), dateType="created")
        _agents(record, item.agents)
        for note in item.notes:
            _e(record, "note", note)
        if item.files:
            parts = _e(record, "recordParts")
            for path in item.files:
                part = _e(parts, "recordPart")
                _e(part, "reference", path, referenceType="file")
    return serialise(root)
