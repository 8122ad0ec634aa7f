"""The ansichtkaart from the rode draden: paragraph 2 names them in the cards' voice,
paragraph 1 opens about the werkplaats, and the terms are their labels and content nouns."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from noviwerk.synthesis import document as d
from noviwerk.synthesis.ansichtkaart import generate, layout_geometry, problems
from noviwerk.synthesis.ansichtkaart import layout as L
from noviwerk.synthesis.ansichtkaart.draden import draden
from noviwerk.synthesis.ansichtkaart.nouns import word_usage
from noviwerk.synthesis.ansichtkaart.terms import proper_words
from noviwerk.synthesis.bouwsteen import assemble
from noviwerk.synthesis.text import fold, word_key, words
from tests.synthesis.builders import Contributions, sample_werkplaatsen, werkplaats


@pytest.fixture(scope="module")
def drafts() -> list[d.Document]:
    return [assemble(w, c) for w, c in sample_werkplaatsen()]


def _leading(document: d.Document, n: int = 2) -> list[str]:
    texts = [i.text for i in document.appendix_items()]
    usage, proper = word_usage(texts), proper_words(texts)
    return [t.label for t in draden(document) if t.nameable(usage, proper)][:n]


def _posts(document: d.Document) -> list[str]:
    return [fold(i.text.rstrip(".!? ")) for i in document.appendix_items()]


def test_paragraph_2_names_the_leading_rode_draden_and_pastes_no_post(drafts):
    for document in drafts:
        heard = generate(document).paragraphs[1].text
        leading = _leading(document)
        assert len(leading) == 2, document.head.title
        assert heard.startswith("Uit de gespreksronden tijdens de werkplaats klinkt")
        for label in leading:
            assert fold(label) in fold(heard), (label, heard)
        assert not any(post in fold(heard) for post in _posts(document)), heard
        # Who raised the leading one, as the draft counts it.
        assert re.search(r", (in \w+ bijdragen|ingebracht door \w+ deelnemers)", heard), heard


def test_paragraph_1_opens_about_the_werkplaats_not_with_a_post(drafts):
    for document in drafts:
        first = generate(document).paragraphs[0].text
        assert first.startswith("Het thema ")
        assert "Onder de noemer \u2018Werkplaats " in first
        assert not any(fold(first).startswith(post[:40]) for post in _posts(document))


def test_terms_are_the_labels_nouns_and_never_two_forms_of_one_word(drafts):
    for document in drafts:
        terms = [t.text for t in generate(document).terms]
        said = {word_key(fold(w)) for t in terms for w in words(t)}
        for label in _leading(document, 3):
            assert any(word_key(fold(w)) in said for w in words(label)), (label, terms)
        keys = [word_key(fold(w)) for t in terms for w in words(t)]
        assert len(keys) == len(set(keys)), terms


def test_a_renamed_rode_draad_is_what_the_ansichtkaart_says(drafts):
    # The trekker renames the first rode draad: the card reads the draft, so it follows.
    document = drafts[0]
    section = document.section(d.RODE_DRADEN)
    blocks = []
    for block in section.blocks:
        if isinstance(block, d.PointList):
            first, *rest = block.items
            label = "Stad en ommeland"
            renamed = replace(
                first, text=label + first.text[first.strong :], strong=len(label), origin=d.HAND
            )
            block = replace(block, items=(renamed, *rest))
        blocks.append(block)
    sections = tuple(
        replace(s, blocks=tuple(blocks)) if s.id == d.RODE_DRADEN else s for s in document.sections
    )
    content = generate(replace(document, sections=sections))
    assert "een geluid over stad en ommeland" in content.paragraphs[1].text
    assert "stad en ommeland" in [t.text for t in content.terms]


def test_one_word_in_two_forms_is_one_term():
    c = Contributions()
    for kernvraag, text in [
        (1, "De haven van Rotterdam groeit door."),
        (2, "Havens moeten ruimte houden voor de energietransitie."),
        (2, "Meer ruimte voor de havens en de industrie."),
        (3, "De haven als knooppunt voor waterstof."),
        (4, "Havens en steden samen aan tafel."),
    ]:
        c.add(kernvraag, text)
    terms = [t.text.casefold() for t in generate(assemble(werkplaats(), c.records)).terms]
    assert ("haven" in terms) != ("havens" in terms), terms


def test_the_sample_ansichtkaarten_fit(drafts):
    for document in drafts:
        content = generate(document)
        assert problems(content) == []
        geo = layout_geometry(content.layout)
        lines = [len(L.body_lines(p.text, geo)) for p in content.paragraphs]
        assert max(lines) <= geo.paragraph_max_lines and sum(lines) <= geo.total_lines


def _at_tafels(said: dict[str, list[str]]) -> d.Document:
    c = Contributions()
    for tafel, texts in said.items():
        for text in texts:
            c.add(1, text, tafel=tafel)
    return assemble(werkplaats(title="Water verbindt"), c.records)


TAFELS = {
    "Tafel A": ["Bodemdaling in het veenweidegebied", "Bodemdaling kost boeren veel",
                "Meer groen op daken"],
    "Tafel B": ["Bodemdaling vraagt nieuw waterbeheer", "Bodemdaling en funderingen",
                "Woningbouw bij stations"],
    "Tafel C": ["Hittestress in de stad", "Hittestress raakt ouderen", "Bodemdaling in de polder"],
    "Tafel D": ["Fietspaden tussen de dorpen", "Fietspaden langs het water"],
}  # fmt: skip


def test_where_a_werkplaats_split_into_tafels_the_card_says_at_how_many_a_draad_was_raised():
    heard = generate(_at_tafels(TAFELS)).paragraphs[1].text
    assert re.search(r"bodemdaling, ingebracht door vijf deelnemers aan drie van de vier tafels\b",
                     heard, re.I), heard  # fmt: skip


def test_without_tafels_the_card_names_none():
    untabled = {"": [t for texts in TAFELS.values() for t in texts]}
    heard = generate(_at_tafels(untabled)).paragraphs[1].text
    assert "tafel" not in heard, heard
