"""A withdrawn contribution's text taken out of a stored Document and ansichtkaart: gone
wherever it stood, whole or shortened, and nothing else changed."""

from __future__ import annotations

import json

import pytest

from noviwerk.synthesis import ansichtkaart
from noviwerk.synthesis.bouwsteen import assemble
from noviwerk.synthesis.document import from_dict, to_dict
from noviwerk.synthesis.withdrawn import WITHDRAWN, scrub
from tests.synthesis.builders import sample_werkplaatsen


def _start(text: str) -> str:
    return " ".join(text.split()[:3]).lower()


@pytest.fixture(scope="module")
def stored():
    out = []
    for record, contributions in sample_werkplaatsen():
        document = assemble(record, contributions)
        out.append(
            (
                contributions,
                to_dict(document),
                ansichtkaart.to_dict(ansichtkaart.generate(document)),
            )
        )
    return out


def test_every_text_leaves_the_document_and_the_card_and_the_rest_stays(stored):
    for contributions, document, card in stored:
        for c in contributions:
            for kept, read in ((document, from_dict), (card, ansichtkaart.from_dict)):
                scrubbed = scrub(kept, {c.id: c.text})
                read(scrubbed)  # still a valid record
                text = json.dumps(scrubbed, ensure_ascii=False).lower()
                assert _start(c.text) not in text, c.text
                others = [
                    o for o in contributions if o.id != c.id and _start(o.text) != _start(c.text)
                ]
                if read is from_dict:
                    assert WITHDRAWN.lower() in text
                    for o in others:  # every other contribution is still in the bijlage
                        assert " ".join(o.text.split()).lower() in text


def test_bold_openings_stay_inside_their_sentences(stored):
    contributions, document, _card = stored[0]
    for c in contributions:
        for section in scrub(document, {c.id: c.text})["sections"]:
            for block in section["blocks"]:
                for item in block.get("items", []) + block.get("sentences", []):
                    if "strong" in item:
                        assert 0 <= item["strong"] <= len(item["text"])


def test_a_short_text_is_only_taken_from_its_own_passages():
    data = {
        "title": "Water verbindt",
        "blocks": [
            {"kind": "item", "contribution_id": 1, "text": "Water"},
            {
                "kind": "sentence",
                "text": "Water en bodem sturend.",
                "provenance": {"ids": [2], "numbers": [2]},
            },
        ],
    }
    out = scrub(data, {1: "Water"})
    assert out["title"] == "Water verbindt"
    assert out["blocks"][0]["text"] == WITHDRAWN
    assert out["blocks"][1]["text"] == "Water en bodem sturend."


def test_nothing_withdrawn_changes_nothing(stored):
    _contributions, document, card = stored[0]
    assert scrub(document, {}) == document
    assert scrub(card, {10**9: "Een tekst die nergens in staat en ook niet zal staan"}) == card
