"""The ansichtkaart from a draft: the voice of the real cards, provenance, a budget that always
fits, validated hand edits, storage, and colours that meet WCAG AA."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from noviwerk.synthesis.ansichtkaart import (
    LAYOUTS,
    SCHEMA,
    AnsichtkaartContent,
    AnsichtkaartError,
    ContentParagraph,
    alt_text,
    contrast_ratio,
    edit,
    from_dict,
    generate,
    layout_geometry,
    problems,
    to_dict,
)
from noviwerk.synthesis.ansichtkaart import layout as L
from noviwerk.synthesis.ansichtkaart.fitting import shorten_once
from noviwerk.synthesis.ansichtkaart.terms import MAX_TERMS, MIN_TERMS, term_key
from noviwerk.synthesis.bouwsteen import assemble
from noviwerk.synthesis.document import HAND, MACHINE, kernvraag_section_id
from noviwerk.synthesis.editing import number_to_id, replace_section, text_to_section
from noviwerk.synthesis.text import fold, words
from tests.factories import generate as generate_werkplaats
from tests.synthesis.builders import (
    Contributions,
    energie_werkplaats,
    sample_werkplaatsen,
    werkplaats,
)

URL = "https://noviwerk.example.nl/bouwsteen/8/kaart"


@pytest.fixture(scope="module")
def drafts():
    return [assemble(w, c) for w, c in sample_werkplaatsen()]


@pytest.fixture(scope="module")
def water(drafts):
    return drafts[0]


def _fits(content: AnsichtkaartContent) -> None:
    assert problems(content) == [], problems(content)
    geo = layout_geometry(content.layout)
    lines = [len(L.body_lines(p.text, geo)) for p in content.paragraphs]
    assert all(n <= geo.paragraph_max_lines for n in lines)
    assert sum(lines) <= geo.total_lines
    assert len(L.title_lines(content.title, geo)) <= geo.title_max_lines


# --- generate -----------------------------------------------------------------------------


def test_the_ansichtkaart_speaks_like_the_real_ones(water):
    content = generate(water, share_url=URL)
    assert content.title == "NOVI-werkplaats Water verbindt"
    assert content.date_text == "8 oktober 2015"
    assert len(content.paragraphs) == 3
    first, heard, closing = (p.text for p in content.paragraphs)
    assert "Onder de noemer \u2018Werkplaats Water verbindt\u2019 discussieerden we samen over" in first
    assert heard.startswith("Uit de gespreksronden tijdens de werkplaats klinkt")
    assert "het Rijk" in closing
    assert content.layout == "rijksblauw" and content.qr_url == URL
    assert all(p.origin == MACHINE for p in content.paragraphs)
    _fits(content)


def test_paragraphs_keep_the_provenance_of_the_points_they_name(water):
    content = generate(water)
    known = {i.contribution_id: i.number for i in water.appendix_items()}
    clusters = list(water.clusters())
    for paragraph in content.paragraphs:
        assert paragraph.ids, paragraph.text
        assert set(paragraph.ids) <= set(known)
        assert paragraph.provenance.numbers == tuple(sorted(known[i] for i in paragraph.ids))
        for cluster in clusters:
            wording = cluster.wording.rstrip(".?!")
            if wording[1:] in paragraph.text:  # named here (first letter may be lowered)
                assert set(cluster.provenance.ids) <= set(paragraph.ids), wording


def test_the_heaviest_point_is_heard_first():
    w, records, ids = energie_werkplaats()
    content = generate(assemble(w, records))
    heard = content.paragraphs[1].text
    # The windmolens point was raised by six participants: it leads, named by its label and
    # weighed, with all its sources.
    assert "klinkt het vaakst een geluid over windmolens, ingebracht door zes deelnemers" in heard
    assert set(ids["wind"]) <= set(content.paragraphs[1].ids)
    assert "Rijk" in content.paragraphs[2].text
    _fits(content)


def test_terms_are_weighted_deduplicated_and_traceable(drafts):
    for document in drafts:
        content = generate(document)
        texts = [t.text for t in content.terms]
        assert MIN_TERMS <= len(texts) <= MAX_TERMS
        assert len({t.casefold() for t in texts}) == len(texts)
        keys = [set(term_key(t)) for t in texts]
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                assert not (a <= b or b <= a), (texts, a, b)
        weights = [t.weight for t in content.terms]
        assert weights == sorted(weights, reverse=True) and weights[0] == 1.0
        items = {i.contribution_id: i for i in document.appendix_items()}
        for term in content.terms:
            assert term.provenance.ids and set(term.provenance.ids) <= set(items)
            said = " ".join(fold(items[i].text) for i in term.provenance.ids)
            assert any(fold(w)[:4] in said for w in words(term.text)), term


def test_water_terms_name_what_was_said(water):
    texts = [t.text for t in generate(water).terms]
    assert "wateroverlast" in texts[:3]
    assert {"bodemdaling", "energie", "landbouw"} <= set(texts)
    # No verbs or lone adjectives from the labels.
    assert not {"gebruiken", "produceren", "dalende", "langere", "groter"} & set(texts)


def test_same_draft_same_ansichtkaart(drafts):
    for (w, records), document in zip(sample_werkplaatsen(), drafts, strict=True):
        again = assemble(w, list(reversed(records)))
        assert generate(again, share_url=URL) == generate(document, share_url=URL)


@pytest.mark.parametrize("n", [0, 1, 3, 12, 60, 400])
def test_any_werkplaats_gives_an_ansichtkaart_that_fits(n):
    w, records = generate_werkplaats(n, seed=n + 2)
    for name in LAYOUTS:
        content = generate(assemble(w, records), layout=name, share_url=URL if n % 2 else None)
        _fits(content)
        assert all(p.text for p in content.paragraphs)
        assert len(content.terms) <= MAX_TERMS


def test_an_empty_werkplaats_still_has_an_ansichtkaart():
    content = generate(assemble(werkplaats(title="Werkplaats Lege zaal"), []))
    assert content.title == "NOVI-werkplaats Lege zaal"
    assert "klinkt nog geen gedeeld geluid" in content.paragraphs[1].text
    assert [t.text for t in content.terms] == ["lege zaal", "energie"]
    assert all(not t.provenance for t in content.terms)
    _fits(content)


def test_long_input_is_trimmed_by_sentences_and_words_never_mid_word():
    c = Contributions()
    long_words = ("ontwikkelingsperspectief", "gebiedsgerichte", "samenwerkingsverbanden",
                  "klimaatbestendigheid", "waterveiligheidsopgave", "omgevingskwaliteit")
    for k in range(1, 6):
        for j in range(6):
            text = " ".join(long_words[(j + i) % len(long_words)] for i in range(60))
            text = f"{text[:230]}; en verder {text[230:480]}"
            c.add(k, text[:500], support=j, label="dilemma" if k == 4 else None)
    c.add(5, "Een korte zin als citaat.", is_citaat=True)
    document = assemble(werkplaats(title="Een werkplaats met een titel die zo lang is dat "
                                         "hij nooit op twee regels van de kaart past, hoe "
                                         "breed de band ook is, en nog wat langer"), c.records)
    content = generate(document)
    _fits(content)
    assert content.title.endswith("\u2026")
    source = {w for i in document.appendix_items() for w in words(i.text)}
    source |= set(words(document.head.title)) | set(words(" ".join(
        ["Onder de noemer Werkplaats discussieerden we samen over de trends opgaven kansen "
         "rond en over dilemma s die daarbij spelen Uit gespreksronden tijdens werkplaats "
         "klinkt het vaakst onder meer De geeft Rijk mee Een open vraag blijft dilemma In "
         "woorden van een deelnemer NOVI geluid ingebracht door deelnemers Daarnaast gaat "
         "Ook komt komen aan bod Verder ter sprake twee drie vier vijf zes zeven acht negen "
         "tien kernvragen heen"] + [t.text for t in content.terms])))
    for paragraph in content.paragraphs:
        for w in words(paragraph.text):
            # a count in figures ("door 30 deelnemers") is the card's own word too
            assert w.isdigit() or w in source or w.lower() in source or w.capitalize() in source, w
    assert any("\u2026" in p.text for p in content.paragraphs)
    assert not any("\u2026." in p.text for p in content.paragraphs)


def test_shorten_once_prefers_a_clause_then_a_word():
    assert shorten_once("Een lange zin met een eerste deel; en dan nog een tweede deel.") == (
        "Een lange zin met een eerste deel\u2026")
    assert shorten_once("Eén twee drie vier vijf zes.") == "Eén twee drie vier vijf\u2026"
    assert shorten_once("Eén twee drie vier vijf\u2026") == "Eén twee drie vier\u2026"
    assert shorten_once("Eén twee drie") is None


def test_a_hand_written_section_feeds_the_ansichtkaart():
    w, records, _ = energie_werkplaats()
    document = assemble(w, records)
    section = document.section(kernvraag_section_id(5))
    hand = text_to_section(section, "Zet de netcapaciteit bovenaan de omgevingsagenda. [23]",
                           number_to_id(document))
    content = generate(replace_section(document, hand))
    assert "netcapaciteit bovenaan de omgevingsagenda" in content.paragraphs[2].text
    _fits(content)


# --- edit ---------------------------------------------------------------------------------


@pytest.fixture()
def content(water):
    return generate(water, share_url=URL)


def test_editing_a_paragraph_makes_it_hand_written_with_its_sources(content):
    texts = [p.text for p in content.paragraphs]
    texts[1] = "Uit de gespreksronden klinkt vooral: water verbindt."
    edited = edit(content, paragraphs=texts)
    assert edited.paragraphs[0] == content.paragraphs[0]
    assert edited.paragraphs[1].origin == HAND
    assert edited.paragraphs[1].provenance == content.paragraphs[1].provenance
    assert edited.paragraphs[1].text == texts[1]
    assert content.paragraphs[1].origin == MACHINE  # the card itself is untouched


def test_edit_normalises_whitespace_and_keeps_unchanged_paragraphs(content):
    texts = [p.text for p in content.paragraphs]
    texts[2] = "  " + texts[2].replace(" ", "\n", 3) + "  "
    edited = edit(content, paragraphs=texts)
    assert edited.paragraphs[2] == content.paragraphs[2]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"title": "   "}, "De titel is leeg"),
    ({"title": "Kaart \u202e gespiegeld"}, "stuurteken"),
    ({"title": "Kaart \x07 bel"}, "stuurteken"),
    ({"title": "Werkplaats " * 19}, "De titel is te lang voor de kaart"),
    ({"paragraphs": ["een", "twee"]}, "precies drie alinea"),
    ({"paragraphs": "een twee drie"}, "precies drie alinea"),
    ({"paragraphs": ["een", "", "drie"]}, "Alinea 2 is leeg"),
    ({"paragraphs": ["een", "twee\u200b", "drie"]}, "Alinea 2 bevat een onzichtbaar"),
    ({"paragraphs": ["een", "twee " * 120, "drie"]}, "Alinea 2 is te lang voor de kaart"),
    ({"paragraphs": ["woord " * 60, "woord " * 60, "woord " * 60]},
     "De drie alinea\u2019s samen zijn te lang"),
    ({"paragraphs": ["x" * 5000, "b", "c"]}, "hooguit 2000 tekens"),
    ({"terms": []}, "ten minste één kernwoord"),
    ({"terms": [f"woord{i}" for i in range(21)]}, "hooguit 20 kernwoorden"),
    ({"terms": ["a" * 41]}, "te lang"),
    ({"terms": ["W" * 40]}, "te lang voor het beeld"),
    ({"terms": ["waterhuishouding" * 2] * 1 + [f"klimaatadaptatie{i:02d}" for i in range(19)]},
     "passen niet samen in het beeld"),
    ({"layout": "regenboog"}, "Onbekende opmaak"),
    ({"share_url": "javascript:alert(1)"}, "http:// of https://"),
    ({"share_url": "https://example.nl/a b"}, "spaties of stuurtekens"),
    ({"share_url": "https://example.nl/" + "a" * 300}, "te lang voor een goed leesbare"),
])
def test_edit_refuses_in_dutch(content, kwargs, message):
    with pytest.raises(AnsichtkaartError, match=re.escape(message)):
        edit(content, **kwargs)


def test_texts_that_just_fit_are_accepted_and_one_word_more_is_refused(content):
    geo = layout_geometry(content.layout)
    budget = [geo.paragraph_max_lines, geo.paragraph_max_lines,
              geo.total_lines - 2 * geo.paragraph_max_lines]
    texts = [_filled(n, geo) for n in budget]
    edited = edit(content, paragraphs=texts)
    assert [len(L.body_lines(p.text, geo)) for p in edited.paragraphs] == budget
    with pytest.raises(AnsichtkaartError, match="te lang"):
        edit(content, paragraphs=[texts[0] + " omgevingsvisie", texts[1], texts[2]])
    with pytest.raises(AnsichtkaartError, match="samen zijn te lang"):
        edit(content, paragraphs=[texts[0], texts[1], texts[2] + " omgevingsvisie"])


def _filled(lines: int, geo: L.Geometry) -> str:
    vocabulary = ("Nationale", "Omgevingsagenda", "werkplaats", "water", "verbindt", "en",
                  "bodemdaling", "WMW", "ruimte", "voor", "voedsel", "in", "2040", "ijl")
    text, i = "", 0
    while True:
        candidate = f"{text} {vocabulary[i % len(vocabulary)]}".strip()
        if len(L.body_lines(candidate, geo)) > lines:
            return text
        text, i = candidate, i + 1


def test_terms_are_chosen_from_the_ansichtkaart_and_new_ones_are_hand_written(content):
    terms = content.terms
    chosen = [terms[3].text, terms[0].text.upper(), "Proeftuin", terms[0].text]
    edited = edit(content, terms=chosen)
    texts = [t.text for t in edited.terms]
    assert texts[:2] == [content.terms[0].text, content.terms[3].text]
    assert texts[2] == "Proeftuin" and len(texts) == 3
    new = edited.terms[2]
    assert new.origin == HAND and not new.provenance
    assert new.weight == min(t.weight for t in content.terms)
    assert edited.terms[0] == content.terms[0]


def test_layout_and_qr_can_change(content):
    assert edit(content, layout="donker").layout == "donker"
    assert edit(content, share_url=None).qr_url is None
    intranet = "http://intranet.example/b/1"
    assert edit(content, share_url=intranet).qr_url == intranet
    assert edit(content).qr_url == URL


def test_generate_refuses_a_bad_layout_or_link(water):
    with pytest.raises(AnsichtkaartError):
        generate(water, layout="neon")
    with pytest.raises(AnsichtkaartError):
        generate(water, share_url="ftp://example.nl/x")


# --- storage, text alternative, colours ---------------------------------------------------


def test_storage_round_trip(content):
    edited = edit(content, terms=[t.text for t in content.terms[:5]] + ["Eigen woord"],
                  paragraphs=[content.paragraphs[0].text, "Hand.", content.paragraphs[2].text])
    data = json.loads(json.dumps(to_dict(edited)))
    assert data["schema"] == SCHEMA
    assert from_dict(data) == edited
    with pytest.raises(ValueError):
        from_dict({**data, "schema": "noviwerk.ansichtkaart/0"})
    with pytest.raises(ValueError):
        from_dict({**data, "paragraphs": data["paragraphs"][:2]})
    with pytest.raises(ValueError):
        from_dict({k: v for k, v in data.items() if k != "terms"})


def test_problems_reports_a_stored_ansichtkaart_that_no_longer_fits(content):
    too_long = ContentParagraph("woord " * 400)
    broken = replace(content, paragraphs=(too_long, *content.paragraphs[1:]))
    assert problems(broken) and "te lang" in problems(broken)[0]
    assert problems(content) == []


def test_alt_text_says_everything_the_ansichtkaart_shows(content):
    text = alt_text(content)
    assert text.startswith("Ansichtkaart \u2018NOVI-werkplaats Water verbindt\u2019, 8 oktober 2015.")
    for part in [p.text for p in content.paragraphs] + [t.text for t in content.terms] + [URL]:
        assert part in text


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_every_layout_meets_wcag_aa_contrast(name):
    layout = LAYOUTS[name]
    for what, foreground, background in layout.contrast_pairs():
        assert contrast_ratio(foreground, background) >= 4.5, (name, what)
    assert layout.side in ("left", "right")


def test_contrast_ratio_matches_wcag_examples():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)


def test_a_werkplaats_without_a_date_gets_an_ansichtkaart_without_one():
    content = generate(assemble(werkplaats(starts_on=None), []))
    assert content.date_text == ""
    title = "NOVI-werkplaats Energie in de regio"
    assert alt_text(content).startswith(f"Ansichtkaart \u2018{title}\u2019.")


def test_without_a_message_the_dilemma_or_citaat_is_what_the_rijk_is_given():
    c = Contributions()
    c.add(1, "Droogte in de zomer neemt toe.")
    c.add(2, "Wie betaalt de aanpassing van de dijken?", label="dilemma")
    content = generate(assemble(werkplaats(), c.records))
    assert content.paragraphs[2].text == (
        "De werkplaats geeft het Rijk een open vraag mee: wie betaalt de aanpassing van de dijken?")
    c = Contributions()
    c.add(1, "Droogte in de zomer neemt toe.")
    c.add(3, "Water is de basis van alles.", is_citaat=True)
    closing = generate(assemble(werkplaats(), c.records)).paragraphs[2].text
    assert closing.startswith("De werkplaats geeft het Rijk de woorden van een deelnemer mee: \u2018")
