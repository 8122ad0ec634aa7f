"""The ansichtkaart's key terms are content nouns and noun phrases, as a person would pick."""

from __future__ import annotations

import pytest

from noviwerk.synthesis import document as d
from noviwerk.synthesis.ansichtkaart import generate
from noviwerk.synthesis.ansichtkaart.draden import draden
from noviwerk.synthesis.ansichtkaart.nouns import is_content_phrase, word_usage
from noviwerk.synthesis.ansichtkaart.terms import proper_words
from noviwerk.synthesis.bouwsteen import assemble
from tests.synthesis.builders import Contributions, werkplaats

# Typed the way participants type, from the seed's "Stedelijke netwerken" card.
TYPED = [
    (1, "Waar willen we wonen en werken? Er zijn te weinig plekken."),
    (1, "Waar willen jongeren wonen, en waar is plek?"),
    (1, "Te weinig plekken om te wonen voor jongeren."),
    (2, "Opgave: verstuurd vanuit tweede tabblad."),
    (2, "Opgave: verstuurd vanuit tweede tabblad!"),
    (2, "Regionale bereikbaarheid blijft achter, lager opgeleiden slecht bereikbaar."),
    (2, "Lager opgeleiden kunnen hun werk slecht bereiken."),
    (3, "Segregatie in stedelijke regio's neemt toe."),
    (3, "Meer segregatie in de steden."),
    (3, "Koppel de woningbouw aan het openbaar vervoer."),
    (4, "Stad en land samen."),
    (5, "Economisch en sociaal sterke regio."),
]
NOT_TERMS = {
    "waar", "willen", "plekken", "plek", "vanuit", "tweede", "verstuurd", "lager", "slecht",
    "bereiken", "economisch", "sociaal", "samen", "koppel", "wonen", "opgave",
}  # fmt: skip


@pytest.fixture(scope="module")
def typed() -> d.Document:
    c = Contributions()
    for kernvraag, text in TYPED:
        c.add(kernvraag, text)
    return assemble(werkplaats(title="Stedelijke netwerken"), c.records)


def test_no_function_words_verbs_adjectives_or_vague_words(typed):
    texts = [t.text.casefold() for t in generate(typed).terms]
    for text in texts:
        assert not set(text.split()) & NOT_TERMS, texts
    assert {"segregatie", "bereikbaarheid"} <= set(texts)


def test_what_was_heard_names_the_rode_draden_that_are_noun_phrases_and_pastes_no_post(typed):
    heard = generate(typed).paragraphs[1].text
    assert heard.startswith("Uit de gespreksronden tijdens de werkplaats klinkt")
    texts = [i.text for i in typed.appendix_items()]
    usage, proper = word_usage(texts), proper_words(texts)
    themes = draden(typed)
    assert themes
    for theme in themes:
        # A label that is no noun phrase ("Tweede tabblad en verstuurd") is not named.
        assert (theme.label.casefold() in heard.casefold()) == theme.nameable(usage, proper)
    assert "Opgave:" not in heard and "tabblad" not in heard
    for item in typed.appendix_items():
        said = item.text.rstrip(".!?")
        assert said not in heard and said[:1].lower() + said[1:] not in heard


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("wateroverlast", True), ("bodemdaling", True), ("zoute kwel", True),
        ("regionale markt", True), ("waar", False), ("willen", False), ("plekken", False),
        ("tweede tabblad", False), ("lager", False), ("ingericht", False),
        ("economisch", False), ("groter", False),
    ],
)  # fmt: skip
def test_content_phrases(phrase, expected):
    usage = word_usage([
        "Wateroverlast door piekbuien in de stad.", "Zoute kwel bedreigt de landbouw.",
        "Lokaal produceren voor de regionale markt.", "Waar willen we meer plekken?",
        "Het voedselsysteem is daar niet op ingericht.", "Lager opgeleiden hebben het zwaar.",
        "De bodemdaling gaat door.",
    ])  # fmt: skip
    assert is_content_phrase(phrase, usage) is expected
