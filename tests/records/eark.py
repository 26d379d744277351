"""eark-validator, offline. Version 1.1.3 reads the four CSIP vocabularies it checks @TYPE,
@CONTENTINFORMATIONTYPE, @OAISPACKAGETYPE and @STATUS against from earkcsip.dilcis.eu when it is
imported; the same published files ship inside the package (its ipxml/resources/vocabs). This
opener serves those addresses from the shipped copies and refuses every other address, so the
validator runs unchanged with no network."""

from __future__ import annotations

import io
import urllib.request
from collections import Counter
from email.message import Message
from importlib.resources import files
from pathlib import Path
from urllib.error import URLError
from urllib.response import addinfourl

VOCABULARY_HOST = "https://earkcsip.dilcis.eu/schema/"

# The errors eark-validator 1.1.3 (the latest release; its main branch has the same rules)
# reports on every package that follows E-ARK CSIP/SIP 2.1 as this one does, by rule: no
# package can pass these rules without breaking the specification.
# test_eark_validator.py proves each on a small package of the same writer.
# - CSIP63, on every file group of the root METS: its test, "(@csip:CONTENTINFORMATIONTYPE =
#   'OTHER' and @csip:OTHERCONTENTINFORMATIONTYPE) or (@csip:CONTENTINFORMATIONTYPE != 'OTHER'
#   and not(@csip:CONTENTINFORMATIONTYPE))", asks in its second half for a value and its absence
#   at once, so only a group typed "OTHER" passes. The specification's CSIP63 only concerns
#   groups typed "OTHER" (0..1, MAY), and CSIP62 wants the representation's group typed with its
#   vocabulary value (citserms_v2_1), where "OTHER" means "a term not in the vocabulary". Its
#   2.0.4 rules read "... or not(@csip:CONTENTINFORMATIONTYPE)", as the specification says.
# - SIP14, on the software agent's note: it asks every CREATOR agent's note for an unqualified
#   @NOTETYPE = 'IDENTIFICATIONCODE', which the METS schema forbids on <note> (anyAttribute
#   ##other). The specification's SIP14 types the archival creator's (ARCHIVIST) note with
#   csip:NOTETYPE; the software agent's single note is typed "SOFTWARE VERSION" (CSIP15-16).
# - CSIP12, CSIP13, CSIP15, CSIP16, on the submitting agent: the CSIP rules for the software
#   agent (TYPE "OTHER", OTHERTYPE "SOFTWARE", one note "SOFTWARE VERSION") are applied to every
#   agent with ROLE "CREATOR", and SIP15-SIP17 require a submitting agent with ROLE "CREATOR"
#   and TYPE "ORGANIZATION" or "INDIVIDUAL" (the SIP specification's own example has it).
EXPECTED_ERRORS = Counter(
    {"CSIP63": 3, "SIP14": 1, "CSIP12": 1, "CSIP13": 1, "CSIP15": 1, "CSIP16": 1}
)


class _ShippedVocabularies(urllib.request.BaseHandler):
    handler_order = 100  # before urllib's own https handler

    def https_open(self, request):
        url = request.full_url
        if not url.startswith(VOCABULARY_HOST):
            raise URLError(f"no network in the tests: {url}")
        name = url.removeprefix(VOCABULARY_HOST)
        shipped = files("eark_validator.ipxml.resources.vocabs").joinpath(name)
        response = addinfourl(io.BytesIO(shipped.read_bytes()), Message(), url, 200)
        response.msg = "OK"
        return response


def validate(package: Path, version: str = "V2_1_0"):
    """eark-validator's report on the package folder, and its ERROR results."""
    urllib.request.install_opener(urllib.request.build_opener(_ShippedVocabularies()))
    try:
        from eark_validator.model.validation_report import Severity
        from eark_validator.packages import PackageValidator
        from eark_validator.specifications.specification import SpecificationVersion

        report = PackageValidator(package, SpecificationVersion[version]).validation_report
    finally:
        urllib.request.install_opener(urllib.request.build_opener())
    errors = [r for r in report.structure.messages if r.severity == Severity.ERROR]
    if report.metadata is not None:
        for results in (report.metadata.schema_results, report.metadata.schematron_results):
            errors += [r for r in results.messages if r.severity == Severity.ERROR]
    return report, errors
