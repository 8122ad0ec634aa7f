"""Bad input gives a draft that reads sensibly, never an error (issue 14, "Must hold").

A werkplaats with no, one or two contributions, with twelve identical posts, with emoji
alone, in English, with 500-character texts, and with 5,000 contributions in one round:
``assemble`` and the ansichtkaart (with its SVG) must come out whole, and nothing in them
may read as a machine's slip ("nul bijdragen", "één van de één", "None", a heading over
nothing, "no rode draden" over a point twelve people made). The exports of the same inputs
are in tests/export/test_bad_input_exports.py.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from noviwerk.export.ansichtkaart import svg as ansichtkaart_svg
from noviwerk.synthesis.ansichtkaart import generate
from noviwerk.synthesis.bouwsteen import assemble
from noviwerk.synthesis.document import Cluster, Document, Note, PointList, TableRow
from tests.factories import generate as generate_werkplaats
from tests.synthesis.builders import Contributions, werkplaats

LONG = (
    "Bodemdaling in het veenweidegebied vraagt om een integrale aanpak waarin waterbeheer, "
    "landbouw, natuur en woningbouw samenkomen en waarin de kosten eerlijk worden verdeeld "
    "tussen boeren, bewoners, waterschappen, provincies en het Rijk, "
)
ENGLISH = (
    "We need more wind turbines at sea.",
    "Housing is too expensive for young people.",
    "The government should invest in public transport.",
    "More wind turbines at sea, please!",
    "Climate adaptation needs local solutions.",
    "I disagree, wind turbines spoil the view.",
)
EMOJI = ("🙂", "👍👍👍", "🌍🔥💧", "🚲", "❤️", "🙂")


def _records(name: str):
    c = Contributions()
    if name == "one":
        c.add(1, "Meer ruimte voor experimenten in de regio.")
    elif name == "two":
        c.add(1, "Meer ruimte voor experimenten in de regio.")
        c.add(2, "Bodemdaling kost de boeren veel geld.")
    elif name == "identical":
        for i in range(12):
            c.add(1 + i % 3, "Meer windmolens op zee.")
    elif name == "emoji":
        for text in EMOJI:
            c.add(1, text)
    elif name == "english":
        for text in ENGLISH:
            c.add(1, text)
    elif name == "long":
        for i in range(6):
            # 500 characters, each text its own (a number at the end), over two kernvragen
            c.add(1 + i % 2, (LONG * 4)[:497] + f" {i:02d}")
    return c.records


SMALL = ("none", "one", "two", "identical", "emoji", "english", "long")


def bad_input(name: str):
    """(werkplaats, contributions) for one of the bad inputs; ``many`` is 5,000 in one round."""
    if name == "many":
        w, records = generate_werkplaats(5000)
        first = records[0]
        return w, [
            replace(r, round_position=1, kernvraag_position=1, kernvraag_title=first.kernvraag_title,
                    round_prompt=first.round_prompt)
            for r in records
        ]
    return werkplaats(), _records(name)


# Slips that must never reach a reader, whatever the input.
SLIPS = re.compile(
    r"\bNone\b|\bnul (?:bijdragen|deelnemers|gespreksronden|punten|rode draden)\b|"
    r"\b0 (?:bijdragen|deelnemers|gespreksronden|punten|rode draden)\b|"
    r"\bvan de één\b|\bAlle één\b|kwamen één\b|\bkwam (?:twee|drie|vier|vijf|zes|\d+) bijdragen"
)


def document_texts(document: Document) -> list[str]:
    """Every sentence the reader sees in the draft's body, headings included."""
    out = [document.title, document.status_note]
    for section in document.sections:
        out.append(section.title)
        out.extend(b.text for b in section.blocks if isinstance(b, Note))
    for passage in document.passages():
        if isinstance(passage, Cluster):
            out.extend([passage.label or "", passage.wording])
        elif isinstance(passage, TableRow):
            out.extend(passage.cells)
        else:
            out.append(passage.text)
    return out


def assert_reads_sensibly(document: Document, records) -> None:
    for text in document_texts(document):
        assert not SLIPS.search(text), text
    for section in document.sections:
        assert section.title.strip(), section
        assert section.blocks, f"heading over nothing: {section.title}"
    # every contribution is in the bijlage, once
    assert sorted(i.number for i in document.appendix_items()) == sorted(r.number for r in records)


@pytest.fixture(scope="module")
def many():
    w, records = bad_input("many")
    return w, records, assemble(w, records)


@pytest.mark.parametrize("name", SMALL)
def test_bad_input_gives_a_draft_that_reads_sensibly(name):
    w, records = bad_input(name)
    assert_reads_sensibly(assemble(w, records), records)


def test_no_contributions_says_so_once_per_section():
    document = assemble(*bad_input("none"))
    texts = " ".join(document_texts(document))
    assert "Er zijn nog geen bijdragen." in texts
    assert document.head.contributions == 0


def test_one_contribution_is_one_in_singular():
    texts = " ".join(document_texts(assemble(*bad_input("one"))))
    assert "kwam één bijdrage binnen" in texts
    assert "De ene bijdrage, zoals ze binnenkwam." in texts


def test_twelve_identical_posts_make_one_rode_draad_not_none():
    # A room that said one thing: that thing is its rode draad, with all twelve behind it.
    w, records = bad_input("identical")
    document = assemble(w, records)
    texts = " ".join(document_texts(document))
    assert "geen onderwerp kwam in meer dan één bijdrage terug" not in texts
    assert "Windmolens — twaalf bijdragen van twaalf deelnemers, uit drie kernvragen" in texts


def test_emoji_posts_are_shown_as_sent():
    document = assemble(*bad_input("emoji"))
    wordings = [b.wording for s in document.sections for b in s.blocks if isinstance(b, Cluster)]
    assert "🌍🔥💧" in wordings and "🌍🔥💧." not in wordings


def test_long_texts_stay_whole_in_the_bijlage():
    w, records = bad_input("long")
    document = assemble(w, records)
    assert {len(i.text) for i in document.appendix_items()} == {500}


def test_five_thousand_contributions_in_one_round(many):
    w, records, document = many
    assert_reads_sensibly(document, records)
    assert document.head.contributions == 5000 and document.head.rounds == 1
    draden = next(s for s in document.sections if s.title == "Rode draden")
    assert any(isinstance(b, PointList) and len(b.items) >= 3 for b in draden.blocks)


def _card_checks(document: Document) -> None:
    content = generate(document, share_url="https://noviwerk.example.nl/bouwsteen/7")
    assert content.title.strip() and content.paragraphs
    for paragraph in content.paragraphs:
        assert paragraph.text.strip()
        assert not SLIPS.search(paragraph.text), paragraph.text
    assert all(t.text.strip() and t.text != "None" for t in content.terms)
    root = ET.fromstring(ansichtkaart_svg.render(content))  # noqa: S314 - our own output
    assert root.get("viewBox") == "0 0 148 105"


@pytest.mark.parametrize("name", SMALL)
def test_bad_input_gives_an_ansichtkaart(name):
    _card_checks(assemble(*bad_input(name)))


def test_five_thousand_contributions_give_an_ansichtkaart(many):
    _card_checks(many[2])
