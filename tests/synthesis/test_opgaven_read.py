"""Reading a bouwsteen's opgaven, kansen and dilemma's back: from the machine's table, and
from the section as the trekker edited it (kept rows, and passages of their own)."""

from __future__ import annotations

import pytest

from noviwerk.synthesis import editing
from noviwerk.synthesis.bouwsteen import assemble
from noviwerk.synthesis.document import HAND, MACHINE, OPGAVEN_KANSEN_DILEMMAS
from noviwerk.synthesis.sections.opgaven import read_punten
from tests.synthesis.builders import energie_werkplaats


@pytest.fixture(scope="module")
def energie():
    w, records, ids = energie_werkplaats()
    return assemble(w, records), ids


def test_the_machine_table_reads_back_row_by_row(energie):
    doc, ids = energie
    section = doc.section(OPGAVEN_KANSEN_DILEMMAS)
    punten = read_punten(section)
    table = next(b for b in section.blocks if b.kind == "table")
    assert len(punten) == len(table.rows)
    net = next(p for p in punten if set(p.provenance.ids) == set(ids["net"]))
    assert (net.soort, net.participants, net.support, net.origin) == ("opgave", 3, 7, MACHINE)
    assert any(p.soort == "dilemma" and p.provenance.ids == (ids["dilemma"],) for p in punten)
    assert [p.text for p in punten] == [r.cells[1] for r in table.rows]


def test_the_trekkers_edit_is_what_is_read(energie):
    doc, ids = energie
    section = doc.section(OPGAVEN_KANSEN_DILEMMAS)
    machine = read_punten(section)
    text = editing.section_to_text(section)
    kept_row = next(c for c in text.split("\n\n") if c.startswith("Opgave"))
    edited = "\n\n".join(
        [
            kept_row,  # a row left as it was
            "Kans: warmte uit de bodem benutten [1].",  # the trekker's own, with a source
            "Dilemma's - ruimte voor zon of voor voedsel?",
            "Meer samenwerking tussen provincies.",  # no soort named
        ]
    )
    hand = editing.text_to_section(section, edited, editing.number_to_id(doc))
    punten = read_punten(hand)
    assert [p.soort for p in punten] == ["opgave", "kans", "dilemma", ""]
    first = next(p for p in machine if kept_row.startswith(f"Opgave \u2014 {p.text}"))
    assert punten[0].text == first.text and punten[0].origin == MACHINE
    assert punten[0].participants == first.participants
    assert punten[0].provenance == first.provenance  # its own sources, still
    assert punten[1].text == "warmte uit de bodem benutten." and punten[1].origin == HAND
    assert punten[1].provenance.numbers == (1,)
    assert punten[2].text == "ruimte voor zon of voor voedsel?"
    assert punten[2].provenance.ids == ()  # the trekker's words cite nothing
    assert punten[3].text == "Meer samenwerking tussen provincies."


def test_framing_notes_are_no_points(energie):
    doc, _ids = energie
    section = doc.section(OPGAVEN_KANSEN_DILEMMAS)
    hand = editing.text_to_section(section, "Opgave:", editing.number_to_id(doc))
    # "Opgave:" and nothing after it is a passage without soort, not an empty opgave.
    assert [(p.soort, p.text) for p in read_punten(hand)] == [("", "Opgave:")]
