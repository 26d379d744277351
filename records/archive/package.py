"""An e-arkiv package per closed assignment: an E-ARK SIP (CSIP 2.1, which FGS Paketstruktur
follows) whose content is the case as CITS ERMS (FGS Ärendehantering) describes it.

    <objid>/
      METS.xml                           the package: metadata, documentation, schemas, the
                                         representation, every file with SHA-256 and size
      metadata/descriptive/ERMS.xml      the case and its records
      metadata/preservation/PREMIS.xml   every data file's fixity; the history as events
      documentation/om-paketet.txt       what the package holds, in Swedish
      schemas/mets.xsd, xlink.xsd, ERMS.xsd
      representations/rep1/
        METS.xml                         the representation's files
        data/uppdragshandling.pdf        the uppdragshandling as PDF/A-2b
        data/leveranser/…                each final delivery: its document and its record
        data/beslut.json                 the decision (a decided assignment)
        data/historik.json               every audit entry, with its hashes

Only a closed assignment (decided, cancelled or superseded) is packed: an open one is still
being written.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import tempfile
import zipfile
from pathlib import Path

from django.db.models import Prefetch
from django.utils import timezone, translation

from assignments import audit, history
from assignments.models import Approval, Assignment, AuditEntry, Decision, Delivery
from documents import export_document, export_pdf

from . import erms, metadata, pdfa

CLOSED_STATES = (
    Assignment.State.DECIDED,
    Assignment.State.CANCELLED,
    Assignment.State.SUPERSEDED,
)
REPRESENTATION = "rep1"
SCHEMAS = Path(__file__).resolve().parent / "schemas"
MIMETYPES = {
    ".pdf": "application/pdf",
    ".json": "application/json",
    ".txt": "text/plain",
    ".xml": "text/xml",
    ".xsd": "text/xml",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


class NotClosedError(ValueError):
    """Only a closed assignment is handed to the e-arkiv."""


def is_packable(assignment: Assignment) -> bool:
    return assignment.state in CLOSED_STATES


def package_name(assignment: Assignment) -> str:
    """The package's id and folder: "uppdrag-RS-2024-05699-12" (the pk tells versions apart)."""
    number = re.sub(r"[^A-Za-z0-9]+", "-", assignment.registration_number).strip("-")
    return f"uppdrag-{number}-{assignment.pk}"


def _safe(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name, flags=re.ASCII).strip("._") or "dokument"


class _Writer:
    """Writes files under a root folder and remembers each one's size and SHA-256."""

    def __init__(self, root: Path):
        self.root = root
        self.written: dict[str, metadata.PackedFile] = {}

    def write(self, path: str, content: bytes, format_name: str = "", original_name: str = ""):
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        packed = metadata.PackedFile(
            path=path,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest().upper(),
            mimetype=MIMETYPES.get(Path(path).suffix.lower(), "application/octet-stream"),
            format_name=format_name,
            original_name=original_name,
        )
        self.written[path] = packed
        return packed


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True).encode()


def _load(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_related("issuing_unit", "assignee", "supersedes")
        .prefetch_related(
            Prefetch(
                "deliveries",
                Delivery.objects.select_related("submitted_by").prefetch_related(
                    Prefetch(
                        "approvals",
                        Approval.objects.select_related("decision_maker", "acted_by"),
                    )
                ),
            ),
            "commissioners",
            "decision_makers",
        )
        .get(pk=assignment.pk)
    )


def _decision_of(assignment: Assignment) -> Decision | None:
    try:
        return assignment.decision
    except Decision.DoesNotExist:
        return None


def write_package(assignment: Assignment, root: Path) -> Path:
    """Write the package of a closed assignment into root/<package name>/; returns its folder."""
    if not is_packable(assignment):
        raise NotClosedError(
            "Bara avslutade uppdrag (beslutade, avbrutna eller ersatta) arkiveras."
        )
    assignment = _load(assignment)
    objid = package_name(assignment)
    folder = root / objid
    files = _Writer(folder)
    data = f"representations/{REPRESENTATION}/data/"
    created = timezone.now()
    organisation = _organisation(assignment)
    erms_records: list[erms.ErmsRecord] = []

    with translation.override("sv"):
        pdf = pdfa.to_pdfa(export_pdf.render(export_document.build(assignment)))
        files.write(f"{data}uppdragshandling.pdf", pdf, "PDF/A-2b")
        erms_records.append(
            erms.ErmsRecord(
                system_identifier=f"uppdrag-{assignment.pk}-uppdragshandling",
                identification=f"{assignment.registration_number} uppdragshandling",
                record_type="uppdragshandling",
                title=assignment.title,
                dates=[("created", assignment.document_date)],
                files=[
                    erms.ErmsFile(f"{data}uppdragshandling.pdf", "uppdragshandling.pdf", "PDF/A-2b")
                ],
                agents=[erms.ErmsAgent("responsible_person", str(assignment.assignee))]
                + [
                    erms.ErmsAgent("other", str(p), other_type="uppdragsgivare")
                    for p in assignment.commissioners.all()
                ],
            )
        )
        for delivery in assignment.deliveries.all():
            erms_records.append(_pack_delivery(files, data, delivery))
        decision = _decision_of(assignment)
        if decision is not None:
            files.write(f"{data}beslut.json", _json(_decision_record(decision)), "JSON")
            erms_records.append(
                erms.ErmsRecord(
                    system_identifier=f"beslut-{decision.pk}",
                    identification=f"{assignment.registration_number} beslut",
                    record_type="beslut",
                    title=f"Beslut {decision.decided_on:%Y-%m-%d} {decision.paragraph_reference}",
                    dates=[("decision", decision.decided_on), ("created", decision.recorded_at)],
                    files=[erms.ErmsFile(f"{data}beslut.json", "beslut.json", "JSON")],
                    agents=[
                        erms.ErmsAgent("authorising_person", str(p))
                        for p in assignment.decision_makers.all()
                    ],
                )
            )
        entries = list(
            AuditEntry.objects.filter(assignment=assignment).select_related("actor").order_by("id")
        )
        lines = history.describe(entries)
        files.write(f"{data}historik.json", _json(_history(lines)), "JSON")

    data_files = [files.written[p] for p in files.written if p.startswith(data)]
    rep_prefix = f"representations/{REPRESENTATION}/"
    rep_mets = files.write(
        f"{rep_prefix}METS.xml",
        metadata.representation_mets(
            objid=REPRESENTATION,
            label=f"{assignment.registration_number} {assignment.title}",
            organisation=organisation,
            created=created,
            data=data_files,
            prefix=rep_prefix,
        ),
    )
    case = erms.ErmsCase(
        system_identifier=objid,
        registration_number=assignment.registration_number,
        title=assignment.title,
        organisation=organisation,
        software=metadata.SOFTWARE,
        state=assignment.state,
        opened=assignment.document_date,
        closed=_closed_on(entries),
        agents=[
            erms.ErmsAgent(
                "creator",
                organisation,
                organisation=organisation,
                unit=assignment.issuing_unit.name,
            ),
            erms.ErmsAgent("responsible_person", str(assignment.assignee)),
        ],
        description=assignment.description,
        records=erms_records,
        created=created,
    )
    descriptive = files.write("metadata/descriptive/ERMS.xml", erms.erms(case), "ERMS")
    events = [
        metadata.Event(
            identifier=f"audit-{line.entry.pk}",
            type=line.entry.action,
            moment=line.entry.occurred_at,
            detail=line.text,
            agent=str(line.entry.actor) if line.entry.actor_id else organisation,
        )
        for line in lines
    ]
    preservation = files.write(
        "metadata/preservation/PREMIS.xml",
        metadata.premis(data_files, events, organisation),
        "PREMIS",
    )
    documentation = files.write(
        "documentation/om-paketet.txt", _readme(assignment, data_files).encode(), "Text"
    )
    schemas = [
        files.write(f"schemas/{name}", (SCHEMAS / name).read_bytes(), "XML Schema")
        for name in ("mets.xsd", "xlink.xsd", "ERMS.xsd")
    ]
    (folder / "METS.xml").write_bytes(
        metadata.package_mets(
            objid=objid,
            label=f"{assignment.registration_number} {assignment.title}",
            organisation=organisation,
            created=created,
            descriptive=descriptive,
            preservation=preservation,
            documentation=[documentation],
            schemas=schemas,
            representation_mets=rep_mets,
            representation=REPRESENTATION,
        )
    )
    return folder


def _organisation(assignment: Assignment) -> str:
    unit = assignment.issuing_unit
    while unit.parent_id is not None:
        unit = unit.parent
    return unit.name


def _pack_delivery(files: _Writer, data: str, delivery: Delivery) -> erms.ErmsRecord:
    base = f"{data}leveranser/leverans-{delivery.number}"
    paths = []
    if delivery.document:
        name = delivery.document_name or Path(delivery.document.name).name
        with delivery.document.open("rb") as handle:
            content = handle.read()
        packed = files.write(f"{base}-{_safe(name)}", content, original_name=name)
        paths.append(erms.ErmsFile(packed.path, name))
    record = {
        "version": delivery.number,
        "sammanfattning": delivery.summary,
        "status": delivery.status,
        "inlamnad": delivery.submitted_at.isoformat(),
        "inlamnad_av": str(delivery.submitted_by),
        "dokument": delivery.document_name,
        "svar": [
            {
                "beslutsfattare": approval.answered_by,
                "beslut": approval.verdict,
                "datum": approval.decided_on.isoformat() if approval.decided_on else None,
                "paragraf": approval.paragraph_reference,
                "kommentar": approval.comment,
                "registrerad": approval.created_at.isoformat(),
            }
            for approval in delivery.approvals.all()
        ],
    }
    packed = files.write(f"{base}.json", _json(record), "JSON")
    paths.append(erms.ErmsFile(packed.path, Path(packed.path).name, "JSON"))
    return erms.ErmsRecord(
        system_identifier=f"leverans-{delivery.pk}",
        identification=f"{delivery.assignment.registration_number} slutleverans {delivery.number}",
        record_type="slutleverans",
        title=f"Slutleverans {delivery.number} ({delivery.get_status_display().lower()})",
        dates=[("sent", delivery.submitted_at)],
        files=paths,
        agents=[erms.ErmsAgent("sender", str(delivery.submitted_by))],
    )


def _decision_record(decision) -> dict:
    return {
        "datum_for_beslut": decision.decided_on.isoformat(),
        "paragraf": decision.paragraph_reference,
        "beslutande_organ": decision.decision_body,
        "justeras": decision.minutes_verified_by,
        "ratt_utdraget_intygar": decision.extract_certified_by,
        "registrerat": decision.recorded_at.isoformat(),
        "slutleverans": decision.delivery.number,
    }


def _history(lines) -> list[dict]:
    return [
        {
            "id": line.entry.pk,
            "tidpunkt": line.entry.occurred_at.isoformat(),
            "utford_av": str(line.entry.actor) if line.entry.actor_id else None,
            "handelse": line.entry.action,
            "beskrivning": line.text,
            "fore": line.entry.before,
            "efter": line.entry.after,
            "motivering": line.entry.reason,
            "foregaende_kontrollsumma": line.entry.previous_hash,
            "kontrollsumma": line.entry.entry_hash,
            "kontrollsumman_stammer": audit.chain_hash(line.entry, line.entry.previous_hash)
            == line.entry.entry_hash,
        }
        for line in lines
    ]


def _closed_on(entries):
    """The day of the last change of state (the closing one: the assignment is closed)."""
    closing = [e for e in entries if e.action in ("assignment.state_changed", "decision.recorded")]
    return closing[-1].occurred_at.date() if closing else None


def _readme(assignment: Assignment, data_files) -> str:
    lines = [
        f"E-arkivpaket för uppdragshandling {assignment.registration_number}",
        assignment.title,
        "",
        "Paketet följer E-ARK CSIP/SIP (FGS Paketstruktur). Ärendet beskrivs i",
        "metadata/descriptive/ERMS.xml (E-ARK CITS ERMS, FGS Ärendehantering), filernas",
        "kontrollsummor (SHA-256) och historiken i metadata/preservation/PREMIS.xml.",
        "",
        "Filer:",
        *(f"  {f.path}  SHA-256 {f.sha256}" for f in data_files),
    ]
    return "\n".join(lines) + "\n"


def build_zip(assignments) -> bytes:
    """One zip of the packages of the given closed assignments (one folder each)."""
    buffer = io.BytesIO()
    with (
        tempfile.TemporaryDirectory(prefix="uppdrag-earkiv-") as work,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for assignment in assignments:
            folder = write_package(assignment, Path(work))
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(Path(work)).as_posix())
    return buffer.getvalue()
