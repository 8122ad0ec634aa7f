"""The Woo-versie of a bouwsteen: the names of people the werkplaats knows become [naam] in
every place and format, the rest (structure, provenance, organisations, counts) stays.
Pure: records in, files out, no app."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date

from docx import Document as WordDocument

from noviwerk.export.bouwsteen import docx as bouwsteen_docx
from noviwerk.export.bouwsteen import json as bouwsteen_json
from noviwerk.export.bouwsteen import markdown as bouwsteen_markdown
from noviwerk.export.bouwsteen import woo
from noviwerk.synthesis import editing
from noviwerk.synthesis.bouwsteen import assemble, at_stage
from noviwerk.synthesis.document import SAMENVATTING
from tests.synthesis.builders import Contributions, werkplaats

PEOPLE = ["Jan de Vries", "Marie van der Berg", "Tineke Terpstra", "Provincie Utrecht", "Anoniem"]


def _document():
    """Contributions that name people, as participants write: whole, by first or family
    name, lower case; one quoted; beside words that only look like names."""
    c = Contributions()
    m = "maatschappelijk"
    c.add(
        1,
        "Jan de Vries zei het al: meer ruimte voor water in de stad.",
        veld=m,
        organisation="Gemeente Utrecht",
    )
    c.add(1, "Meer ruimte voor water in de stad, vindt ook jan de vries.", veld=m)
    c.add(2, "Volgens Marie moet de boer betalen voor de bodemdaling.", veld=m)
    c.add(2, "Van der Berg en De Vries willen een fonds voor de veenweiden in Utrecht.", veld=m)
    c.add(
        5,
        "Bel me: 06-12345678 of mail marie@example.nl over de Provincie Utrecht.",
        veld=m,
        is_citaat=True,
    )
    c.add(3, "De Boer van het waterschap heeft een plan voor de delta.", veld=m)
    document = assemble(werkplaats(trekker="Tineke Terpstra"), c.records)
    return at_stage(document, "gereed", "Tineke Terpstra", date(2026, 11, 30))


def _hand_written(document):
    """The trekker rewrote the samenvatting and named a colleague in it."""
    section = document.section(SAMENVATTING)
    edited = editing.text_to_section(
        section,
        "Marie van der Berg en Tineke Terpstra vatten samen: water eerst [1].",
        editing.number_to_id(document),
    )
    return editing.replace_section(document, edited)


def _texts(document) -> dict[str, str]:
    docx = WordDocument(io.BytesIO(bouwsteen_docx.render(document)))
    return {
        "md": bouwsteen_markdown.render(document).replace("\\", ""),  # as it reads
        "json": bouwsteen_json.render(document),
        "docx": "\n".join(p.text for p in docx.paragraphs)
        + "\n".join(cell.text for t in docx.tables for row in t.rows for cell in row.cells),
    }


def test_no_name_of_a_known_person_is_left_in_any_format():
    original = _hand_written(_document())
    before = _texts(original)
    assert "Jan de Vries" in before["md"] and "Tineke Terpstra" in before["docx"]

    for fmt, text in _texts(woo.redact(original, PEOPLE)).items():
        for name in ("Jan de Vries", "jan de vries", "Marie", "Van der Berg", "De Vries",
                     "Tineke", "Terpstra", "marie@example.nl", "06-12345678"):  # fmt: skip
            assert name not in text, (fmt, name)
        assert "[naam]" in text and "[e-mailadres]" in text and "[telefoonnummer]" in text


def test_it_says_what_it_is_and_who_signed_is_gone():
    redacted = woo.redact(_document(), PEOPLE)
    assert redacted.status_note.startswith("Vastgesteld door [naam] op 30 november 2026.")
    assert redacted.status_note.endswith(woo.NOTE)
    assert redacted.head.trekker == "[naam]"
    assert "Woo-versie" in bouwsteen_markdown.render(redacted)


def test_words_that_only_look_like_names_stay():
    """Lower-case "de boer" is a farmer; "Utrecht" alone is a place, though someone typed
    "Provincie Utrecht" as their name; organisations are no personal data."""
    md = bouwsteen_markdown.render(woo.redact(_document(), PEOPLE)).replace("\\", "")
    assert "moet de boer betalen" in md
    assert "veenweiden in Utrecht" in md
    assert "[naam] van het waterschap" not in md  # "De Boer" is nobody the werkplaats knows
    assert "over de [naam]" in md  # the "name" Provincie Utrecht, whole
    assert "water in de stad" in md


def test_the_structure_and_provenance_stay_as_they_were():
    original = _hand_written(_document())
    redacted = woo.redact(original, PEOPLE)
    assert [s.id for s in redacted.sections] == [s.id for s in original.sections]
    assert [s.origin for s in redacted.sections] == [s.origin for s in original.sections]
    assert [p.provenance for p in redacted.passages()] == [
        p.provenance for p in original.passages()
    ]
    assert [(i.number, i.contribution_id, i.veld, i.cluster_id) for i in redacted.appendix_items()] == [
        (i.number, i.contribution_id, i.veld, i.cluster_id) for i in original.appendix_items()
    ]  # fmt: skip
    assert replace(redacted.head, trekker=original.head.trekker) == original.head
    json.loads(bouwsteen_json.render(redacted))  # still valid


def test_names_from_a_typed_trekker_field_and_titles_count_too():
    assert woo.known_names(["Jan Jansen, Piet Puk (IenM)", "dhr. De Wit", "jan jansen", ""]) == [
        "Jan Jansen", "Piet Puk", "De Wit",
    ]  # fmt: skip
    pattern = woo.name_pattern(["Jan Jansen, Piet Puk (IenM)", "dhr. De Wit"])
    assert woo.redact_text("Piet en De Wit, maar niet de wit of piet", pattern) == (
        "[naam] en [naam], maar niet de wit of piet"
    )


def test_a_name_made_of_words_of_the_werkplaats_is_not_taken_apart():
    """A participant called "Anne Energie" at a werkplaats on energie: her whole name goes,
    the word energie stays."""
    pattern = woo.name_pattern(["Anne Energie"], common=["Energie in de regio"])
    assert woo.redact_text("Anne Energie zegt: Energie besparen, Anne!", pattern) == (
        "[naam] zegt: Energie besparen, Anne!"
    )


def test_without_names_only_contact_details_go():
    document = _document()
    redacted = woo.redact(document, [])
    md = bouwsteen_markdown.render(redacted).replace("\\", "")
    assert "Jan de Vries zei het al" in md and "[telefoonnummer]" in md
    assert redacted.head.trekker == "[naam]"
