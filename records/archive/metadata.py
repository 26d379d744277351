"""The XML of an e-arkiv package: METS (E-ARK CSIP/SIP, FGS Paketstruktur), PREMIS 3 (the
files' fixity and the history as events) and the case description (FGS Ärendehantering /
E-ARK CITS ERMS)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lxml import etree

METS = "http://www.loc.gov/METS/"
XLINK = "http://www.w3.org/1999/xlink"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
CSIP = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
SIP = "https://DILCIS.eu/XML/METS/SIPExtensionMETS"
PREMIS = "http://www.loc.gov/premis/v3"
ERMS = "https://DILCIS.eu/XML/ERMS"
SIP_PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
CONTENT_INFORMATION_TYPE = "citserms_v2_1"
SOFTWARE = "Uppdrag"
SOFTWARE_VERSION = "1.0"


@dataclass(frozen=True)
class PackedFile:
    """A file of the package: its path inside the package, size, SHA-256 and type."""

    path: str
    size: int
    sha256: str
    mimetype: str
    format_name: str = ""
    original_name: str = ""

    @property
    def file_id(self) -> str:
        return "ID-" + "".join(c if c.isalnum() else "-" for c in self.path)


def _q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def _sub(parent, namespace: str, name: str, text: str | None = None, **attributes):
    element = etree.SubElement(parent, _q(namespace, name), attrib=attributes or None)
    if text is not None:
        element.text = text
    return element


def serialise(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


# -- METS ----------------------------------------------------------------------------------------


def _mets_root(objid: str, label: str, created: dt.datetime, organisation: str):
    root = etree.Element(
        _q(METS, "mets"),
        nsmap={None: METS, "xlink": XLINK, "xsi": XSI, "csip": CSIP, "sip": SIP},
    )
    root.set("OBJID", objid)
    root.set("LABEL", label)
    root.set("TYPE", "Mixed")
    root.set(_q(CSIP, "CONTENTINFORMATIONTYPE"), CONTENT_INFORMATION_TYPE)
    root.set("PROFILE", SIP_PROFILE)
    root.set(_q(XSI, "schemaLocation"), f"{METS} schemas/mets.xsd {XLINK} schemas/xlink.xsd")
    header = _sub(root, METS, "metsHdr", CREATEDATE=_stamp(created), RECORDSTATUS="NEW")
    header.set(_q(CSIP, "OAISPACKAGETYPE"), "SIP")
    software = _sub(header, METS, "agent", ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE")
    _sub(software, METS, "name", SOFTWARE)
    note = _sub(software, METS, "note", SOFTWARE_VERSION)
    note.set(_q(CSIP, "NOTETYPE"), "SOFTWARE VERSION")
    archivist = _sub(header, METS, "agent", ROLE="ARCHIVIST", TYPE="ORGANIZATION")
    _sub(archivist, METS, "name", organisation)
    # E-ARK SIP 2.1 (SIP15-SIP18): the submitting agent, a MUST. eark-validator 1.1.3 reads its
    # CSIP software-agent rules into every CREATOR agent and rejects it (tests/records/eark.py).
    submitter = _sub(header, METS, "agent", ROLE="CREATOR", TYPE="ORGANIZATION")
    _sub(submitter, METS, "name", organisation)
    return root


def _md_ref(parent, packed: PackedFile, href: str, mdtype: str, created: dt.datetime, **extra):
    return _sub(
        parent,
        METS,
        "mdRef",
        LOCTYPE="URL",
        MDTYPE=mdtype,
        MIMETYPE=packed.mimetype,
        SIZE=str(packed.size),
        CREATED=_stamp(created),
        CHECKSUM=packed.sha256,
        CHECKSUMTYPE="SHA-256",
        **{_q(XLINK, "type"): "simple", _q(XLINK, "href"): href},
        **extra,
    )


def _file(group, packed: PackedFile, href: str, created: dt.datetime):
    element = _sub(
        group,
        METS,
        "file",
        ID=packed.file_id,
        MIMETYPE=packed.mimetype,
        SIZE=str(packed.size),
        CREATED=_stamp(created),
        CHECKSUM=packed.sha256,
        CHECKSUMTYPE="SHA-256",
    )
    _sub(
        element,
        METS,
        "FLocat",
        LOCTYPE="URL",
        **{_q(XLINK, "type"): "simple", _q(XLINK, "href"): href},
    )
    return element


def package_mets(
    *,
    objid: str,
    label: str,
    organisation: str,
    created: dt.datetime,
    descriptive: PackedFile,
    preservation: PackedFile,
    documentation: list[PackedFile],
    schemas: list[PackedFile],
    representation_mets: PackedFile,
    representation: str,
) -> bytes:
    """The package's root METS.xml: its metadata, documentation, schemas and representation."""
    root = _mets_root(objid, label, created, organisation)
    dmd = _sub(root, METS, "dmdSec", ID="dmd-erms", CREATED=_stamp(created), STATUS="CURRENT")
    _md_ref(dmd, descriptive, descriptive.path, "OTHER", created, OTHERMDTYPE="ERMS")
    amd = _sub(root, METS, "amdSec", ID="amd")
    digiprov = _sub(amd, METS, "digiprovMD", ID="digiprov-premis", STATUS="CURRENT")
    _md_ref(digiprov, preservation, preservation.path, "PREMIS", created)

    files = _sub(root, METS, "fileSec", ID="filesec")
    groups = {}
    for use, packed_files in (
        ("Documentation", documentation),
        ("Schemas", schemas),
        (f"Representations/{representation}", [representation_mets]),
    ):
        group = _sub(files, METS, "fileGrp", ID=f"grp-{use.replace('/', '-')}", USE=use)
        if use.startswith("Representations"):
            group.set(_q(CSIP, "CONTENTINFORMATIONTYPE"), CONTENT_INFORMATION_TYPE)
        for packed in packed_files:
            _file(group, packed, packed.path, created)
        groups[use] = packed_files

    structure = _sub(root, METS, "structMap", ID="structmap-csip", TYPE="PHYSICAL", LABEL="CSIP")
    top = _sub(structure, METS, "div", ID="div-package", LABEL=objid)
    _sub(
        top,
        METS,
        "div",
        ID="div-metadata",
        LABEL="Metadata",
        DMDID="dmd-erms",
        ADMID="digiprov-premis",
    )
    for use in ("Documentation", "Schemas"):
        div = _sub(top, METS, "div", ID=f"div-{use.lower()}", LABEL=use)
        for packed in groups[use]:
            _sub(div, METS, "fptr", FILEID=packed.file_id)
    representations = _sub(top, METS, "div", ID="div-representations", LABEL="Representations")
    _sub(representations, METS, "fptr", FILEID=representation_mets.file_id)
    rep = _sub(representations, METS, "div", ID=f"div-{representation}", LABEL=representation)
    _sub(
        rep,
        METS,
        "mptr",
        LOCTYPE="URL",
        **{
            _q(XLINK, "type"): "simple",
            _q(XLINK, "href"): representation_mets.path,
            _q(XLINK, "title"): f"grp-Representations-{representation}",
        },
    )
    return serialise(root)


def representation_mets(
    *,
    objid: str,
    label: str,
    organisation: str,
    created: dt.datetime,
    data: list[PackedFile],
    prefix: str,
) -> bytes:
    """A representation's METS.xml: its data files, paths relative to the representation."""
    root = _mets_root(objid, label, created, organisation)
    files = _sub(root, METS, "fileSec", ID="filesec")
    group = _sub(files, METS, "fileGrp", ID="grp-data", USE="Data")
    for packed in data:
        _file(group, packed, packed.path.removeprefix(prefix), created)
    structure = _sub(root, METS, "structMap", ID="structmap-csip", TYPE="PHYSICAL", LABEL="CSIP")
    top = _sub(structure, METS, "div", ID="div-representation", LABEL=objid)
    div = _sub(top, METS, "div", ID="div-data", LABEL="Data")
    for packed in data:
        _sub(div, METS, "fptr", FILEID=packed.file_id)
    return serialise(root)


# -- PREMIS --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    """One event of the history, for PREMIS: an audit entry."""

    identifier: str
    type: str
    moment: dt.datetime
    detail: str
    agent: str


def premis(files: list[PackedFile], events: list[Event], organisation: str) -> bytes:
    """PREMIS 3: each data file with its fixity and format; each audit entry as an event."""
    root = etree.Element(_q(PREMIS, "premis"), nsmap={None: PREMIS, "xsi": XSI})
    root.set("version", "3.0")
    for packed in files:
        obj = _sub(root, PREMIS, "object")
        obj.set(_q(XSI, "type"), "file")
        identifier = _sub(obj, PREMIS, "objectIdentifier")
        _sub(identifier, PREMIS, "objectIdentifierType", "local")
        _sub(identifier, PREMIS, "objectIdentifierValue", packed.path)
        characteristics = _sub(obj, PREMIS, "objectCharacteristics")
        _sub(characteristics, PREMIS, "compositionLevel", "0")
        fixity = _sub(characteristics, PREMIS, "fixity")
        _sub(fixity, PREMIS, "messageDigestAlgorithm", "SHA-256")
        _sub(fixity, PREMIS, "messageDigest", packed.sha256)
        _sub(characteristics, PREMIS, "size", str(packed.size))
        file_format = _sub(characteristics, PREMIS, "format")
        designation = _sub(file_format, PREMIS, "formatDesignation")
        _sub(designation, PREMIS, "formatName", packed.format_name or packed.mimetype)
        if packed.original_name:
            _sub(obj, PREMIS, "originalName", packed.original_name)
    agents = {}
    for event in events:
        element = _sub(root, PREMIS, "event")
        identifier = _sub(element, PREMIS, "eventIdentifier")
        _sub(identifier, PREMIS, "eventIdentifierType", "local")
        _sub(identifier, PREMIS, "eventIdentifierValue", event.identifier)
        _sub(element, PREMIS, "eventType", event.type)
        _sub(element, PREMIS, "eventDateTime", _stamp(event.moment))
        detail = _sub(element, PREMIS, "eventDetailInformation")
        _sub(detail, PREMIS, "eventDetail", event.detail)
        link = _sub(element, PREMIS, "linkingAgentIdentifier")
        agent_id = agents.setdefault(event.agent, f"agent-{len(agents) + 1}")
        _sub(link, PREMIS, "linkingAgentIdentifierType", "local")
        _sub(link, PREMIS, "linkingAgentIdentifierValue", agent_id)
    for name, agent_id in agents.items():
        element = _sub(root, PREMIS, "agent")
        identifier = _sub(element, PREMIS, "agentIdentifier")
        _sub(identifier, PREMIS, "agentIdentifierType", "local")
        _sub(identifier, PREMIS, "agentIdentifierValue", agent_id)
        _sub(element, PREMIS, "agentName", name)
        _sub(element, PREMIS, "agentType", "person" if name != organisation else "organization")
    return serialise(root)
