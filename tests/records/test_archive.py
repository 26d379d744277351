"""The e-arkiv package (records/archive/): seed 004's assignment, decided after one return, as an
E-ARK SIP that eark-validator checks, its ERMS XML valid against the ERMS schema, with every
file's checksum as METS and PREMIS state it, the uppdragshandling as PDF/A, and only closed
assignments packed."""

import datetime as dt
import hashlib
import zipfile
from collections import Counter
from io import BytesIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import etree
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1

from assignments.models import Assignment, User
from records.archive import package
from records.archive.metadata import METS, PREMIS, XLINK
from tests import sample_files
from tests.records.eark import EXPECTED_ERRORS, validate
from tests.records.erms_schema import errors as erms_errors
from workflow import services

# Building a package runs Ghostscript (the PDF/A): another process, the slow lane.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

TODAY = dt.date(2025, 12, 1)


@pytest.fixture
def decided_seed_004(demo):
    """Seed 004 (load_demo's, adopted) delivered, returned by one decision-maker, delivered
    again with a document and approved by both: decided."""
    people = {
        u.username: u
        for u in User.objects.filter(
            username__in=["jan.strang", "anders.kullbratt", "per.albertsson"]
        )
    }
    jan, kullbratt, albertsson = (
        people["jan.strang"],
        people["anders.kullbratt"],
        people["per.albertsson"],
    )
    with time_machine.travel(dt.datetime(2025, 12, 1, 9, tzinfo=dt.UTC)):
        first = services.submit_delivery(
            assignment=demo,
            actor=jan,
            summary="Förslag till organisering",
            document=SimpleUploadedFile("forslag.pdf", sample_files.pdf("Förslag")),
        )
        services.return_delivery(
            delivery=first, decided_by=albertsson, comment="Förtydliga beslutsvägarna"
        )
        second = services.submit_delivery(
            assignment=demo,
            actor=jan,
            summary="Reviderat förslag",
            document=SimpleUploadedFile("reviderat.pdf", sample_files.pdf("Reviderat")),
        )
        services.approve_delivery(
            delivery=second, decided_by=albertsson, decided_on=TODAY, paragraph_reference="§ 14"
        )
        services.approve_delivery(delivery=second, decided_by=kullbratt, decided_on=TODAY)
    demo.refresh_from_db()
    assert demo.state == Assignment.State.DECIDED
    return demo


@pytest.fixture
def built(decided_seed_004, tmp_path):
    return package.write_package(decided_seed_004, tmp_path)


def _sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest().upper()


def test_eark_validator_finds_only_its_defective_rules_errors_in_seed_004s_package(built):
    report, errors = validate(built)

    assert report.structure.status.name == "WELLFORMED"
    assert report.package.details.oaispackagetype == "SIP"
    # Exactly the errors no conformant package escapes (tests/records/eark.py, proven in
    # test_eark_validator.py); every other rule passes.
    assert Counter(e.rule_id for e in errors) == EXPECTED_ERRORS
    assert report.metadata.schema_results.messages == []


def test_the_erms_xml_is_valid_against_the_erms_schema_and_its_rules(built):
    erms = (built / "metadata/descriptive/ERMS.xml").read_bytes()

    assert erms_errors(erms) == []
    assert (built / "schemas/ERMS.xsd").read_bytes() == (package.SCHEMAS / "ERMS.xsd").read_bytes()


def test_every_file_is_in_the_mets_with_its_checksum_and_matches_it(built):
    listed = {}
    for mets in (built / "METS.xml", built / "representations/rep1/METS.xml"):
        tree = etree.parse(str(mets))
        base = mets.parent
        for element in tree.iter(f"{{{METS}}}file", f"{{{METS}}}mdRef"):
            href = (
                element.get(f"{{{XLINK}}}href")
                if element.tag.endswith("mdRef")
                else element.find(f"{{{METS}}}FLocat").get(f"{{{XLINK}}}href")
            )
            target = base / href
            assert element.get("CHECKSUMTYPE") == "SHA-256"
            assert element.get("CHECKSUM") == _sha256(target), href
            assert int(element.get("SIZE")) == target.stat().st_size
            listed[target.relative_to(built).as_posix()] = element.get("CHECKSUM")
    on_disk = {p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file()} - {
        "METS.xml"
    }
    assert set(listed) == on_disk


def test_premis_states_each_data_files_fixity(built):
    tree = etree.parse(str(built / "metadata/preservation/PREMIS.xml"))
    objects = {
        o.findtext(f".//{{{PREMIS}}}objectIdentifierValue"): o.findtext(
            f".//{{{PREMIS}}}messageDigest"
        )
        for o in tree.iter(f"{{{PREMIS}}}object")
    }
    data = {
        p.relative_to(built).as_posix(): _sha256(p)
        for p in (built / "representations/rep1/data").rglob("*")
        if p.is_file()
    }
    assert objects == data
    events = [e.findtext(f"{{{PREMIS}}}eventType") for e in tree.iter(f"{{{PREMIS}}}event")]
    assert {"delivery.submitted", "delivery.returned", "delivery.approved"} <= set(events)


def test_the_package_holds_the_document_each_delivery_the_decision_and_the_history(built):
    data = built / "representations/rep1/data"
    names = sorted(p.relative_to(data).as_posix() for p in data.rglob("*") if p.is_file())

    assert names == [
        "beslut.json",
        "historik.json",
        "leveranser/leverans-1-forslag.pdf",
        "leveranser/leverans-1.json",
        "leveranser/leverans-2-reviderat.pdf",
        "leveranser/leverans-2.json",
        "uppdragshandling.pdf",
    ]
    erms = (built / "metadata/descriptive/ERMS.xml").read_text()
    assert "RS 2024-05699" in erms and "§ 14" in erms
    assert '"kontrollsumman_stammer": false' not in (data / "historik.json").read_text()


def test_the_uppdragshandling_is_pdf_a_2b_with_its_fonts_embedded(built):
    pdf = (built / "representations/rep1/data/uppdragshandling.pdf").read_bytes()
    document = PDFDocument(PDFParser(BytesIO(pdf)))
    [intent] = resolve1(document.catalog["OutputIntents"])

    assert b"pdfaid:part='2'" in pdf or b"<pdfaid:part>2</pdfaid:part>" in pdf
    assert resolve1(intent)["S"].name == "GTS_PDFA1"
    assert b"/FontFile" in pdf


def test_an_open_assignment_is_not_packed(demo, tmp_path):
    with pytest.raises(package.NotClosedError):
        package.write_package(demo, tmp_path)


def test_the_zip_holds_one_folder_per_package(decided_seed_004):
    content = package.build_zip([decided_seed_004])

    names = zipfile.ZipFile(BytesIO(content)).namelist()
    assert {n.split("/")[0] for n in names} == {package.package_name(decided_seed_004)}
    assert f"{package.package_name(decided_seed_004)}/METS.xml" in names
