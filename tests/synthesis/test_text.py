"""Dutch word analysis: the words a reader takes for one are one term for clustering."""

from __future__ import annotations

import pytest

from noviwerk.synthesis.text import analyse, dutch_words, word_key
from noviwerk.synthesis.vocabulary import split_compound


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("steden", "stad"),  # a plural the stemmer cannot undo
        ("stedelijke", "stad"),  # an adjective to its noun, vowel turned
        ("regionale", "regio"),
        ("economische", "economie"),
        ("agrariërs", "boer"),  # a synonym, found through the plural
        ("Boeren", "boer"),
    ],
)
def test_words_meet_their_base_word(written, meant):
    assert word_key(written.lower()) == word_key(meant)


@pytest.mark.parametrize(("word", "noun"), [("normaal", "norm"), ("nationale", "natie")])
def test_an_adjective_commoner_than_the_noun_keeps_its_meaning(word, noun):
    # "normaal" is no "norm", and a "nationale opgave" is not about a "natie".
    assert word_key(word) != word_key(noun)


@pytest.mark.parametrize(
    ("compound", "parts"),
    [
        ("energietransitie", ("energie", "transitie")),
        ("subsidieregels", ("subsidie", "regels")),
        ("landbouwgrond", ("landbouw", "grond")),
        ("zoetwaterproductie", ("zoet", "water", "productie")),
        ("ommeland", ("land",)),
    ],
)
def test_compounds_split_into_dutch_words(compound, parts):
    assert split_compound(compound) == parts


@pytest.mark.parametrize("word", ["verstand", "natuurlijk", "samenwerking", "nederland"])
def test_words_that_only_look_like_compounds_stay_whole(word):
    assert split_compound(word) == ()


def test_the_word_list_loads_once_per_process():
    assert dutch_words() is dutch_words()
    assert "energie" in dutch_words()


@pytest.mark.parametrize(
    ("yes", "no"),
    [
        ("Zonneweides op landbouwgrond zijn prima", "Zonneweides op landbouwgrond zijn geen goed idee"),
        ("Windmolens op zee", "Windmolens op zee zijn zonde van het geld"),
    ],
)
def test_stance_turns_with_negation_and_judgement(yes, no):
    assert analyse(yes).stance == 1
    assert analyse(no).stance == -1


def test_not_only_but_also_is_no_negation():
    assert analyse("Niet alleen water, maar ook bodem").stance == 1
    assert analyse("Dat is niet slecht").stance == 1


def test_a_listing_keeps_an_item_with_en_in_it_whole():
    from noviwerk.synthesis.phrasing import join

    assert join(["bodemdaling", "energie", "wateroverlast"]) == "bodemdaling, energie en wateroverlast"
    assert join(["bodemdaling", "landbouw en waterkwaliteit", "energie"]) == (
        "bodemdaling, landbouw en waterkwaliteit, en energie"
    )
    assert join(["stad en ommeland", "energie"]) == "stad en ommeland en energie"
