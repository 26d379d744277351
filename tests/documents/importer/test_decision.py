"""Who decides and how (documents/importer/decision.py): a label, a signature of names and
title at the foot of "Form för beslut" (not glued into its text), or names in its text."""

from documents.importer.parse import parse_text
from documents.importer.text import clean_lines

HEAD = """Uppdragshandling
Dnr RS 2026-00871
Uppdragsgivare: Ann Söderström
Uppdragstagare: Mikael Ek

Arbetsorganisation

- Mikael Ek, enhetschef analys
- Sara Lund, controller

Tidplan

Pilot\tSep – okt 2026

Form för beslut när uppdraget är klart

"""


def _parsed(decision: str):
    return parse_text(clean_lines((HEAD + decision).splitlines()))


def test_a_signature_of_name_and_title_names_the_decision_maker_and_leaves_the_text():
    # issue 28: the commissioner's signature was glued into "Form för beslut" and nobody
    # decided (main: decision_makers [], the form "… beslut.\n\nAnn Söderström\n\nRegiondirektör").
    parsed = _parsed(
        "Slutrapporten redovisas för regiondirektören, som fattar beslut.\n\n"
        "Datum för beslut: ÅÅÅÅ-MM-DD (ifylls av beslutsfattaren vid godkännande)\n\n"
        "Ann Söderström\n\nRegiondirektör\n"
    )
    assert [p.name for p in parsed.decision_makers] == ["Ann Söderström"]
    assert parsed.decision_makers_label.value == "Regiondirektör"
    assert parsed.decision_form.value == (
        "Slutrapporten redovisas för regiondirektören, som fattar beslut."
    )


def test_two_signatures_on_one_line_without_a_title():
    parsed = _parsed("Rapport till uppdragsgivaren.\n\nAnn Söderström och Sara Lund\n")
    assert [p.name for p in parsed.decision_makers] == ["Ann Söderström", "Sara Lund"]
    assert parsed.decision_form.value == "Rapport till uppdragsgivaren."


def test_the_text_naming_people_of_the_document_names_the_decision_makers():
    parsed = _parsed("Rapportering sker till Ann Söderström, som beslutar.\n")
    assert [p.name for p in parsed.decision_makers] == ["Ann Söderström"]


def test_a_sentence_naming_a_region_or_a_group_names_nobody():
    parsed = _parsed(
        "Rapportering sker till Samordningsgrupp Uppföljning i Västra Götalandsregionen.\n"
    )
    assert parsed.decision_makers == []
    assert "Beslutsfattare anges inte i handlingen." in [w.message for w in parsed.warnings]


def test_a_label_wins_over_a_signature():
    parsed = _parsed("Beslutsfattare: Sara Lund\n\nAnn Söderström\n\nRegiondirektör\n")
    assert [p.name for p in parsed.decision_makers] == ["Sara Lund"]


def test_a_wrapped_distribution_item_is_one_person_with_its_note():
    parsed = parse_text(
        clean_lines(
            (
                HEAD + "Rapport till uppdragsgivaren.\n\nUppdraget skickas till\n\nFör kännedom:\n"
                "- Anna Karevi Verdoes för distribution till koncernledning hälso- och\n"
                "sjukvård\n- Per Albertsson\n"
            ).splitlines()
        )
    )
    assert [(p.name, p.note) for p in parsed.information] == [
        ("Anna Karevi Verdoes", "för distribution till koncernledning hälso- och sjukvård"),
        ("Per Albertsson", ""),
    ]
