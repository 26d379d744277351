"""The ERMS XML checked against the DILCIS Board's ERMS schema 2.1.2 and its Schematron rules,
both shipped in records/archive/schemas/.

erms.sch declares queryBinding="xslt2", which lxml's ISO Schematron refuses to compile; its
rules are nine co-occurrence checks written in XPath 1.0 ("if agentType is 'other', name
otherAgentType"), so they are evaluated here with lxml's XPath, a rule's context as the
elements it matches and, as Schematron does, each element checked by the first rule of a
pattern that matches it."""

from __future__ import annotations

from functools import cache

from lxml import etree

from records.archive.package import SCHEMAS

SCHEMATRON = "http://purl.oclc.org/dsdl/schematron"


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "ERMS.xsd")))


@cache
def _patterns() -> list[list[tuple[str, list[tuple[str, str]]]]]:
    tree = etree.parse(str(SCHEMAS / "erms.sch"))
    ns = {"sch": SCHEMATRON}
    return [
        [
            (
                rule.get("context"),
                [
                    (a.get("test"), " ".join("".join(a.itertext()).split()))
                    for a in rule.findall("sch:assert", ns)
                ],
            )
            for rule in pattern.findall("sch:rule", ns)
        ]
        for pattern in tree.findall("sch:pattern", ns)
    ]


def errors(xml: bytes) -> list[str]:
    """Every error of the schema and of the Schematron rules, as "line: message"."""
    document = etree.fromstring(xml)
    schema = _schema()
    found = []
    if not schema.validate(document):
        found += [f"{e.line}: {e.message}" for e in schema.error_log]
    for pattern in _patterns():
        checked = set()
        for context, asserts in pattern:
            for element in document.xpath(f"//{context}"):
                if element in checked:
                    continue
                checked.add(element)
                found += [
                    f"{element.sourceline}: {message}"
                    for test, message in asserts
                    if not element.xpath(f"boolean({test})")
                ]
    return found
