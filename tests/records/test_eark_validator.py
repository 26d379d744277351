"""Why seed 004's package is not held to "0 errors" by eark-validator 1.1.3: a small package of
the same writer (records/archive/metadata.py), one data file and no database, gets exactly the
errors tests/records/eark.py names, and each one goes only when the package breaks the E-ARK
specification or the METS schema. If a release of the validator fixes a rule, these fail."""

import hashlib
from collections import Counter
from importlib.resources import files

import pytest
from django.utils import timezone
from lxml import etree

from records.archive import metadata
from records.archive.metadata import CSIP, METS
from tests.records.eark import EXPECTED_ERRORS, validate

NS = {"mets": METS, "csip": CSIP}


def _packed(folder, path: str, content: bytes) -> metadata.PackedFile:
    (folder / path).parent.mkdir(parents=True, exist_ok=True)
    (folder / path).write_bytes(content)
    return metadata.PackedFile(
        path=path,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest().upper(),
        mimetype="text/plain" if path.endswith(".txt") else "text/xml",
    )


@pytest.fixture
def small_package(tmp_path):
    """A package folder and its root METS, as lxml's tree to change before validating."""
    folder, now = tmp_path / "small", timezone.now()
    data = _packed(folder, "representations/rep1/data/beslut.txt", b"Beslut \xc2\xa7 14\n")
    rep_mets = metadata.representation_mets(
        objid="rep1",
        label="RS 2024-05699",
        organisation="Region",
        created=now,
        data=[data],
        prefix="representations/rep1/",
    )
    root = metadata.package_mets(
        objid="small",
        label="RS 2024-05699",
        organisation="Region",
        created=now,
        descriptive=_packed(folder, "metadata/descriptive/ERMS.xml", b"<erms/>"),
        preservation=_packed(folder, "metadata/preservation/PREMIS.xml", b"<premis/>"),
        documentation=[_packed(folder, "documentation/om-paketet.txt", b"Om paketet\n")],
        schemas=[_packed(folder, "schemas/mets.xsd", b"<schema/>")],
        representation_mets=_packed(folder, "representations/rep1/METS.xml", rep_mets),
        representation="rep1",
    )
    return folder, etree.fromstring(root)


def _errors(package) -> tuple[Counter, list]:
    folder, root = package
    (folder / "METS.xml").write_bytes(etree.tostring(root, xml_declaration=True))
    report, errors = validate(folder)
    return Counter(e.rule_id for e in errors), report.metadata.schema_results.messages


def test_a_package_to_the_specification_gets_exactly_the_expected_errors(small_package):
    assert _errors(small_package) == (EXPECTED_ERRORS, [])


def test_csip63_passes_only_file_groups_typed_other(small_package):
    """The representation's group states its specification's vocabulary value (CSIP62);
    "OTHER" is for a specification the vocabulary lacks, and it lists citserms_v2_1."""
    vocabulary = files("eark_validator.ipxml.resources.vocabs").joinpath(
        "CSIPVocabularyContentInformationType.xml"
    )
    assert '<Term lang="en">citserms_v2_1</Term>' in vocabulary.read_text()
    for group in small_package[1].iterfind("mets:fileSec/mets:fileGrp", NS):
        group.set(f"{{{CSIP}}}CONTENTINFORMATIONTYPE", "OTHER")
        group.set(f"{{{CSIP}}}OTHERCONTENTINFORMATIONTYPE", "citserms_v2_1")

    assert _errors(small_package) == (EXPECTED_ERRORS - Counter({"CSIP63": 3}), [])


def test_sip14_passes_only_a_note_that_breaks_the_mets_schema(small_package):
    note = small_package[1].find("mets:metsHdr/mets:agent[@OTHERTYPE='SOFTWARE']/mets:note", NS)
    note.set("NOTETYPE", "IDENTIFICATIONCODE")

    errors, schema = _errors(small_package)

    # XML-1: the validator's own METS schema check
    assert errors == EXPECTED_ERRORS - Counter({"SIP14": 1}) + Counter({"XML-1": 1})
    assert [m.message for m in schema if "NOTETYPE" in m.message and "not allowed" in m.message]


def test_the_software_agent_rules_reject_the_submitting_agent_sip15_requires(small_package):
    header = small_package[1].find("mets:metsHdr", NS)
    header.remove(header.find("mets:agent[@ROLE='CREATOR'][@TYPE='ORGANIZATION']", NS))

    software_rules = Counter({"CSIP12": 1, "CSIP13": 1, "CSIP15": 1, "CSIP16": 1})
    assert _errors(small_package) == (EXPECTED_ERRORS - software_rules, [])
