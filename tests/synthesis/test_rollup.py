"""The roll-up of one kernvraag over several werkplaatsen: what they share, what only one
raised, the verbindingen, and a document whose every sentence cites exactly its sources.
Pure: no app, no database."""

from __future__ import annotations

from dataclasses import replace

import pytest

from noviwerk.domain import DEFAULT_KERNVRAGEN
from noviwerk.export.bouwsteen import markdown
from noviwerk.synthesis.document import BIJLAGE, RODE_DRADEN, AppendixRound, to_dict
from noviwerk.synthesis.rollup import RollupWerkplaats, rollup
from tests.synthesis.builders import Contributions

KERNVRAAG = 2
SPEC = DEFAULT_KERNVRAGEN[KERNVRAAG - 1]


def _werkplaatsen():
    """Five werkplaatsen; bodemdaling in three of them, Gouda only in Water verbindt.

    Returns the werkplaatsen and the ids of the contributions the tests check.
    """
    c = Contributions()
    ids: dict[str, list[int]] = {"bodemdaling": [], "gouda": []}
    made = []

    def werkplaats(wid, title, theme, posts):
        start = len(c.records)
        for key, text in posts:
            cid = c.add(KERNVRAAG, text)
            if key:
                ids[key].append(cid)
        c.add(1, f"Iets over trends in {title}.")  # another kernvraag: not in this roll-up
        made.append(RollupWerkplaats(wid, title, tuple(c.records[start:]), theme))

    werkplaats(1, "Water verbindt", "Klimaat", [
        ("bodemdaling", "Bodemdaling in de veenweidegebieden is een grote opgave."),
        ("gouda", "Gouda zakt weg, de historische binnenstad van Gouda moet blijven."),
        ("gouda", "Gouda verdient bescherming van zijn binnenstad."),
        (None, "Meer groen op de schoolpleinen."),
    ])
    werkplaats(2, "Geel in omgevingsvisies", "Natuur", [
        ("bodemdaling", "Bodemdaling vraagt een nationale aanpak."),
        (None, "Fietspaden langs het kanaal verbreden."),
    ])
    werkplaats(3, "Energie in de regio", "Energie", [
        (None, "Windmolens op zee bouwen."),
        (None, "Een warmtenet voor oude wijken."),
    ])
    werkplaats(4, "Werkplaats 1 en 2 juli", "Klimaat", [
        ("bodemdaling", "Bodemdaling: laat de functie het watersysteem volgen."),
    ])
    werkplaats(5, "Stille werkplaats", "Natuur", [])
    return made, ids


def _rollup(werkplaatsen=None, **kw):
    werkplaatsen = werkplaatsen if werkplaatsen is not None else _werkplaatsen()[0]
    return rollup("Werkplaatsen NOVI", KERNVRAAG, SPEC, werkplaatsen,
                  themes=("Natuur", "Klimaat", "Energie"), **kw)  # fmt: skip


def test_a_theme_three_werkplaatsen_raised_says_so_and_cites_exactly_their_contributions():
    werkplaatsen, ids = _werkplaatsen()
    result = _rollup(werkplaatsen)
    (draad,) = [d for d in result.gedeeld if d.draad.label.startswith("Bodemdaling")]
    assert draad.werkplaatsen == 3
    assert "drie werkplaatsen" in draad.sentence.text.lower()
    assert "Water verbindt, Geel in omgevingsvisies, en Werkplaats 1 en 2 juli" in draad.sentence.text
    assert draad.sentence.provenance.ids == tuple(sorted(ids["bodemdaling"]))
    # Each werkplaats' share cites its own contributions, and only those.
    shares = {i.title: i.sentence.provenance.ids for i in draad.inbreng}
    assert shares == {
        "Water verbindt": (ids["bodemdaling"][0],),
        "Geel in omgevingsvisies": (ids["bodemdaling"][1],),
        "Werkplaats 1 en 2 juli": (ids["bodemdaling"][2],),
    }
    # The numbers cited are those of the roll-up's own bijlage, where those contributions stand.
    by_number = {i.number: i.contribution_id for i in result.document.appendix_items()}
    assert tuple(sorted(by_number[n] for n in draad.sentence.provenance.numbers)) == tuple(
        sorted(ids["bodemdaling"])
    )


def test_what_one_werkplaats_raised_is_listed_apart_not_averaged_away():
    werkplaatsen, ids = _werkplaatsen()
    result = _rollup(werkplaatsen)
    assert all(d.werkplaatsen >= 2 for d in result.gedeeld)
    (gouda,) = [d for d in result.eigen if set(d.draad.members) & set(ids["gouda"])]
    assert gouda.inbreng[0].title == "Water verbindt"
    assert "alleen in Water verbindt" in gouda.sentence.text
    assert gouda.sentence.provenance.ids == gouda.draad.members == tuple(sorted(ids["gouda"]))
    assert not any(set(d.draad.members) & set(ids["gouda"]) for d in result.gedeeld)
    section = result.document.section("eigen-geluiden")
    assert section is not None and section.title == "Wat één werkplaats inbracht"


def test_every_sentence_of_the_document_cites_what_it_rests_on_and_nothing_else():
    werkplaatsen, ids = _werkplaatsen()
    result = _rollup(werkplaatsen)
    numbers = {i.number for i in result.document.appendix_items()}
    cited = [p for p in result.document.passages()]
    assert cited and all(p.provenance for p in cited)
    for passage in cited:
        assert set(passage.provenance.numbers) <= numbers
        assert len(passage.provenance.ids) == len(passage.provenance.numbers)
    # A section per shared rode draad; only contributions to this kernvraag are in it.
    draden = [s for s in result.document.sections if s.id.startswith(RODE_DRADEN)]
    assert [s.title for s in draden] == [d.draad.label for d in result.gedeeld]
    texts = [i.text for i in result.document.appendix_items()]
    assert not any("Iets over trends" in t for t in texts)
    assert len(texts) == len(result.records) == 9


def test_the_bijlage_is_numbered_afresh_werkplaats_by_werkplaats_with_the_way_back():
    werkplaatsen, _ids = _werkplaatsen()
    result = _rollup(werkplaatsen)
    rounds = [b for b in result.document.section(BIJLAGE).blocks if isinstance(b, AppendixRound)]
    assert [r.werkplaats_title for r in rounds] == [
        "Water verbindt", "Geel in omgevingsvisies", "Energie in de regio", "Werkplaats 1 en 2 juli",
    ]  # fmt: skip
    items = [i for r in rounds for i in r.items]
    assert [i.number for i in items] == list(range(1, len(items) + 1))
    geel = next(w for w in werkplaatsen if w.title == "Geel in omgevingsvisies")
    first = result.bronnen[items[4].number]
    assert first.werkplaats_id == geel.id and first.contribution_id == geel.records[0].id
    assert first.number == geel.records[0].number  # its number in its own bijlage
    md = markdown.render(result.document)
    assert "### Geel in omgevingsvisies \u00b7 ronde 2" in md
    assert "| **Werkplaatsen** | vijf: Water verbindt; Geel in omgevingsvisies;" in md


def test_the_verbindingen_link_each_theme_to_the_rode_draden_of_its_werkplaatsen():
    werkplaatsen, ids = _werkplaatsen()
    result = _rollup(werkplaatsen)
    label = next(d.draad.label for d in result.gedeeld if d.draad.label.startswith("Bodemdaling"))
    assert result.themes == ("Natuur", "Klimaat", "Energie")  # the programme's order
    klimaat = result.verbinding("Klimaat", label)
    assert klimaat.titles == ("Water verbindt", "Werkplaats 1 en 2 juli")
    assert klimaat.bijdragen == 2
    assert klimaat.provenance.ids == tuple(sorted((ids["bodemdaling"][0], ids["bodemdaling"][2])))
    assert result.verbinding("Natuur", label).titles == ("Geel in omgevingsvisies",)
    assert result.verbinding("Energie", label) is None
    rows = result.document.section("verbindingen").blocks[-1].rows
    assert ("Klimaat", label, "Water verbindt; Werkplaats 1 en 2 juli", "2") in [r.cells for r in rows]


def test_the_same_input_gives_the_same_document():
    first = to_dict(_rollup().document)
    again = to_dict(_rollup().document)
    assert first == again


def test_ids_must_be_unique_over_the_werkplaatsen():
    werkplaatsen, _ids = _werkplaatsen()
    copy = replace(werkplaatsen[1], id=99, title="Kopie")
    with pytest.raises(ValueError, match="twice"):
        _rollup([*werkplaatsen, copy])


def test_nothing_said_yet_is_said_plainly():
    result = _rollup([RollupWerkplaats(1, "Leeg", ())])
    assert result.gedeeld == () and result.eigen == () and result.records == ()
    notes = [b.text for b in result.document.section("samenvatting").blocks]
    assert any("nog geen bijdragen" in n for n in notes)
    assert markdown.render(result.document).startswith("# Rode draden over één werkplaats")
