"""eark-validator, offline. Version 1.1.3 reads the four CSIP vocabularies it checks @TYPE,
@CONTENTINFORMATIONTYPE, @OAISPACKAGETYPE and @STATUS against from earkcsip.dilcis.eu when it is
imported; the same published files ship inside the package (its ipxml/resources/vocabs). This
opener serves those addresses from the shipped copies and refuses every other address, so the
validator runs unchanged with no network."""

from __future__ import annotations

import io
import urllib.request
from email.message import Message
from importlib.resources import files
from pathlib import Path
from urllib.error import URLError
from urllib.response import addinfourl

VOCABULARY_HOST = "https://earkcsip.dilcis.eu/schema/"

# Two rules of eark-validator 1.1.3 that no package can pass, whatever it holds:
# - CSIP63 (its 2.1.0 rules): "(@csip:CONTENTINFORMATIONTYPE = 'OTHER' and
#   @csip:OTHERCONTENTINFORMATIONTYPE) or (@csip:CONTENTINFORMATIONTYPE != 'OTHER' and
#   not(@csip:CONTENTINFORMATIONTYPE))": the second half asks for a value and its absence at
#   once, so every file group but one typed "OTHER" fails (its 2.0.4 rules read "... or
#   not(@csip:CONTENTINFORMATIONTYPE)", as the specification says).
# - SIP14: asks the creator agent's note for an unqualified @NOTETYPE, which the METS schema
#   forbids on <note> (the specification's attribute is csip:NOTETYPE, which CSIP16 asks to be
#   "SOFTWARE VERSION" on the same, single note).
# The tests name these two and require every other rule of the validator to pass.
DEFECTIVE_RULES = frozenset({"CSIP63", "SIP14"})


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
