"""The plenary over tafels, pure: each tafel's rode draden, what several tafels raised (with
how many) and what only one raised, kept apart."""

from __future__ import annotations

from noviwerk.domain import ContributionRecord
from noviwerk.synthesis.tafels import TafelInput, named_tafels, plenary

SAID = {
    "Tafel A": ["Bodemdaling in het veenweidegebied", "Bodemdaling kost boeren veel",
                "Meer groen op daken", "Fietspaden tussen de dorpen", "Energie uit zon op daken"],
    "Tafel B": ["Bodemdaling vraagt nieuw waterbeheer", "Bodemdaling en funderingen",
                "Woningbouw bij stations", "Natuur verbinden met de stad"],
    "Tafel C": ["Hittestress in de stad", "Hittestress raakt ouderen", "Bodemdaling in de polder"],
}  # fmt: skip


def _tafels(said=SAID) -> list[TafelInput]:
    n, out = 0, []
    for name, texts in said.items():
        records = []
        for text in texts:
            n += 1
            records.append(ContributionRecord(
                id=n, number=n, round_position=1, round_prompt="Wat zien jullie?",
                kernvraag_position=1, kernvraag_title="Trends", text=text,
                participant_key=f"d-{n}", tafel=name,
            ))  # fmt: skip
        out.append(TafelInput(name, tuple(records), ("Eerste punt",)))
    return out


def test_what_several_tafels_raised_is_counted_and_what_one_raised_is_kept():
    result = plenary(_tafels(), topic="Water verbindt")
    assert [(p.draad.label, p.tafels, p.per_tafel) for p in result.gedeeld] == [
        ("Bodemdaling", ("Tafel A", "Tafel B", "Tafel C"), (2, 2, 1))
    ]
    assert {(p.draad.label, p.tafels) for p in result.eigen} >= {("Hittestress", ("Tafel C",))}
    assert [t.tafel.name for t in result.tafels] == ["Tafel A", "Tafel B", "Tafel C"]
    assert [d.label for d in result.tafels[2].draden] == ["Hittestress"]
    assert result.contributions == 12


def test_the_plenary_is_deterministic_and_empty_input_gives_an_empty_plenary():
    first, again = plenary(_tafels()), plenary(_tafels())
    assert first == again
    empty = plenary([TafelInput("Tafel A", ())])
    assert (empty.gedeeld, empty.eigen, empty.contributions) == ((), (), 0)
    assert plenary([]).tafels == ()


def test_tafel_names_read_as_a_sentence():
    assert named_tafels(["Tafel 1", "Tafel 3"]) == "Tafel 1 en Tafel 3"
    assert named_tafels(["Water", "Bodem", "Energie"]) == "tafels Water, Bodem en Energie"
    assert named_tafels(["Water"]) == "tafel Water"


def test_what_one_tafel_raised_is_kept_when_the_roll_up_has_no_room_for_it(monkeypatch):
    """The roll-up over all tafels names at most ``ACROSS`` rode draden, the heaviest first;
    a theme of one tafel that falls outside them is still listed as that tafel's own (from
    its own rode draden), never dropped."""
    from noviwerk.synthesis import tafels as tafel_synthesis

    monkeypatch.setattr(tafel_synthesis, "ACROSS", 1)  # room for Bodemdaling alone
    result = plenary(_tafels(), topic="Water verbindt")
    assert [p.draad.label for p in result.gedeeld] == ["Bodemdaling"]
    assert ("Hittestress", ("Tafel C",)) in {(p.draad.label, p.tafels) for p in result.eigen}
    assert "Bodemdaling" not in [p.draad.label for p in result.eigen], "a shared one is not own"


def test_tafels_that_name_a_theme_alike_outside_the_roll_up_share_it(monkeypatch):
    from noviwerk.synthesis import tafels as tafel_synthesis

    monkeypatch.setattr(tafel_synthesis, "ACROSS", 0)  # no roll-up at all: the tafels' own
    result = plenary(_tafels(), topic="Water verbindt")
    assert [(p.draad.label, p.tafels, p.per_tafel) for p in result.gedeeld] == [
        ("Bodemdaling", ("Tafel A", "Tafel B"), (2, 2))
    ]
    assert ("Hittestress", ("Tafel C",)) in {(p.draad.label, p.tafels) for p in result.eigen}
