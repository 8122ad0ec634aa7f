"""Hand edits keep their provenance; regeneration never overwrites them silently."""

from __future__ import annotations

import pytest

from noviwerk.domain import ContributionRecord, WerkplaatsRecord
from noviwerk.synthesis import editing
from noviwerk.synthesis.bouwsteen import assemble
from noviwerk.synthesis.document import HAND, MACHINE, from_dict, to_dict

W = WerkplaatsRecord(id=1, title="Water verbindt", programme="NOVI")


def rec(i: int, text: str, kv: int = 1, who: str | None = None) -> ContributionRecord:
    return ContributionRecord(
        id=i,
        number=i,
        round_position=kv,
        round_prompt=f"Vraag {kv}",
        kernvraag_position=kv,
        kernvraag_title=f"Kernvraag {kv}",
        text=text,
        participant_key=who or f"p{i}",
    )


BASE = [
    rec(1, "Meer ruimte voor water in de stad"),
    rec(2, "Ruimte voor water in steden is nodig"),
    rec(3, "Bodemdaling in het veenweidegebied gaat door"),
    rec(4, "Waterschappen kunnen energie opwekken", kv=2),
]


def test_section_text_round_trip_keeps_references_per_paragraph():
    doc = assemble(W, BASE)
    section = doc.section("kernvraag-1")
    text = editing.section_to_text(section)
    assert "[1, 2]" in text or "[1]" in text
    edited = editing.text_to_section(
        section,
        "Water in de stad vraagt ruimte. [1, 2]\n\nEn verder dit, zonder bron.",
        editing.number_to_id(doc),
    )
    assert edited.origin == HAND
    first, second = (b.sentences[0] for b in edited.blocks)
    assert first.text == "Water in de stad vraagt ruimte." and first.provenance.ids == (1, 2)
    assert first.origin == HAND
    # the trekker's own words cite nothing: readers must not take them for participants'
    assert second.text == "En verder dit, zonder bron." and not second.provenance
    assert second.origin == HAND


def test_each_sentence_cites_the_references_that_follow_it():
    doc = assemble(W, BASE)
    edited = editing.text_to_section(
        doc.section("kernvraag-1"),
        "[3] Bodemdaling telt. Water in de stad [1, 2]. Dan mijn eigen slotsom [0]",
        editing.number_to_id(doc),
    )
    (paragraph,) = edited.blocks
    assert [(s.text, s.provenance.numbers) for s in paragraph.sentences] == [
        ("Bodemdaling telt. Water in de stad.", (1, 2, 3)),
        ("Dan mijn eigen slotsom [0]", ()),
    ]


def test_a_passage_left_as_it_was_stays_machine_text_with_its_own_sources():
    doc = assemble(W, BASE)
    section = doc.section("kernvraag-1")
    chunks = editing.section_to_text(section).split("\n\n")
    edited = editing.text_to_section(
        section, "\n\n".join(chunks[:2] + ["Eigen tekst."]), editing.number_to_id(doc)
    )
    note, kept, own = edited.blocks
    assert note == section.blocks[0] and note.origin == MACHINE
    cluster = section.blocks[1]
    assert kept.origin == MACHINE and kept.sentences[0].provenance == cluster.provenance
    assert own.origin == HAND and not own.sentences[0].provenance
    assert edited.origin == HAND and edited.based_on == editing.section_provenance(section).ids


def test_unknown_reference_is_refused_in_dutch():
    doc = assemble(W, BASE)
    with pytest.raises(editing.EditError, match="onbekende bijdrage"):
        editing.text_to_section(doc.section("kernvraag-1"), "Iets [99]", editing.number_to_id(doc))


def test_bijlage_cannot_be_edited():
    doc = assemble(W, BASE)
    with pytest.raises(editing.EditError):
        editing.text_to_section(doc.section("bijlage"), "weg ermee", editing.number_to_id(doc))


def test_parse_references_ranges():
    assert editing.parse_references("zie [3, 7–9] en [12]") == (3, 7, 8, 9, 12)
    assert editing.parse_references("geen verwijzing [a]") == ()


def test_regenerate_keeps_hand_sections_and_reports_new_input():
    doc = assemble(W, BASE)
    section = doc.section("kernvraag-1")
    hand = editing.text_to_section(
        section, "Mijn eigen samenvatting. [1]", editing.number_to_id(doc)
    )
    edited = editing.replace_section(doc, hand)

    more = [*BASE, rec(5, "Nog meer water in de stad graag"), rec(6, "Extra kans", kv=2)]
    machine = assemble(W, more)
    merged, conflicts = editing.merge_regenerated(edited, machine)
    kept = merged.section("kernvraag-1")
    assert kept.origin == HAND and kept.blocks[0].sentences[0].text == "Mijn eigen samenvatting."
    assert [c.section_id for c in conflicts if c.section_id == "kernvraag-1"]
    assert 5 in next(c for c in conflicts if c.section_id == "kernvraag-1").new_ids
    # machine sections follow the new input; the bijlage holds every contribution once
    assert merged.section("kernvraag-2").origin == MACHINE
    assert sorted(i.contribution_id for i in merged.appendix_items()) == [1, 2, 3, 4, 5, 6]


def test_regenerate_without_new_input_reports_nothing_and_changes_nothing():
    doc = assemble(W, BASE)
    hand = editing.text_to_section(
        doc.section("samenvatting"), "Kort. [3]", editing.number_to_id(doc)
    )
    edited = editing.replace_section(doc, hand)
    merged, conflicts = editing.merge_regenerated(edited, assemble(W, BASE))
    assert to_dict(merged) == to_dict(edited)
    assert conflicts == []


def test_hand_references_follow_renumbering_when_input_is_hidden():
    doc = assemble(W, BASE)
    hand = editing.text_to_section(
        doc.section("kernvraag-1"), "Over de bodem. [3]", editing.number_to_id(doc)
    )
    edited = editing.replace_section(doc, hand)
    without_first = [r for r in BASE if r.id != 1]
    renumbered = [
        ContributionRecord(**{**r.__dict__, "number": n}) for n, r in enumerate(without_first, 1)
    ]
    merged, _ = editing.merge_regenerated(edited, assemble(W, renumbered))
    sentence = merged.section("kernvraag-1").blocks[0].sentences[0]
    assert sentence.provenance.ids == (3,) and sentence.provenance.numbers == (2,)


def test_edited_document_survives_storage():
    doc = assemble(W, BASE)
    hand = editing.text_to_section(
        doc.section("citaten") or doc.section("samenvatting"),
        "Tekst. [2]",
        editing.number_to_id(doc),
    )
    edited = editing.replace_section(doc, hand)
    assert to_dict(from_dict(to_dict(edited))) == to_dict(edited)


def test_diff_lines_marks_added_and_removed():
    diff = editing.diff_lines(["a", "b", "c"], ["a", "B", "c", "d"])
    kinds = [(d.kind, d.text) for d in diff]
    assert ("removed", "b") in kinds and ("added", "B") in kinds and ("added", "d") in kinds
