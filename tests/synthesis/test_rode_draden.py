"""Rode draden: themes that recur across kernvragen, named as a person would."""

from __future__ import annotations

from dataclasses import replace

import pytest

from noviwerk.synthesis.rode_draden import rode_draden
from noviwerk.synthesis.text import fold, stop_words
from tests.factories import generate
from tests.synthesis.builders import Contributions, energie_werkplaats, sample_werkplaatsen


def _labels(draden) -> list[str]:
    return [d.label for d in draden]


def _ids(draden) -> dict[str, tuple[int, ...]]:
    return {d.label: d.members for d in draden}


def _check_labels(draden) -> None:
    labels = _labels(draden)
    assert len({fold(lb) for lb in labels}) == len(labels), labels  # never two alike
    for label in labels:
        assert label[:1].isupper(), label
        assert "," not in label, label  # a phrase, not a list of stems
        assert fold(label) not in stop_words(), label


def test_a_theme_raised_in_several_kernvragen_is_one_rode_draad():
    c = Contributions()
    a = c.add(1, "Bodemdaling in de veenweidegebieden gaat door.", participant_key="p1")
    b = c.add(2, "Een aanpak voor de bodemdaling van het veen.", participant_key="p2")
    e = c.add(5, "Bodemdaling als nationale opgave.", participant_key="p3")
    c.add(2, "Meer zonnepanelen op daken van scholen.", participant_key="p4")
    c.add(3, "Fietspaden langs het kanaal verbreden.", participant_key="p5")
    (draad,) = rode_draden(c.records)
    assert draad.label.split()[0] == "Bodemdaling"  # "Bodemdaling en veen": two of three say veen
    assert set(draad.members) == {a, b, e}
    assert draad.kernvragen == (1, 2, 5) and draad.spans_kernvragen
    assert draad.bijdragen == 3 and draad.deelnemers == 3 and draad.unattributed == 0
    assert draad.wording.startswith("Bodemdaling")


def test_the_label_keeps_the_adjective_people_put_before_the_noun():
    c = Contributions()
    c.add(1, "De regionale bereikbaarheid blijft achter.", participant_key="p1")
    c.add(2, "Investeer in regionale bereikbaarheid met de trein.", participant_key="p2")
    c.add(4, "Wie betaalt de regionale bereikbaarheid van dorpen?", participant_key="p3")
    assert _labels(rode_draden(c.records)) == ["Regionale bereikbaarheid"]


def test_a_view_against_the_theme_is_not_counted_in_it():
    """Agreement and disagreement never merge: the counts are of those who said it."""
    w, records, ids = energie_werkplaats()
    draden = rode_draden(records, topic=w.title)
    wind = next(d for d in draden if d.label == "Windmolens")
    assert ids["dissent"] not in wind.members  # "Juist geen windmolens op zee …"
    assert set(ids["wind"]) <= set(wind.members)
    assert wind.deelnemers == 6  # p1 twice, p7 through a merge; not the dissenter
    _check_labels(draden)


def test_verbs_and_lone_adjectives_do_not_name_a_theme():
    c = Contributions()
    c.add(1, "We moeten samen produceren.", participant_key="p1")
    c.add(2, "Boeren kunnen water produceren.", participant_key="p2")
    c.add(3, "Duurzaam bouwen aan de kust.", participant_key="p3")
    c.add(4, "Duurzaam reizen met de trein.", participant_key="p4")
    labels = {fold(lb) for lb in _labels(rode_draden(c.records))}
    assert not labels & {"produceren", "duurzaam"}


def test_the_topic_of_the_werkplaats_is_no_rode_draad():
    c = Contributions()
    for k, text in enumerate(["Water in de stad.", "Water op het land.", "Water en natuur."], 1):
        c.add(k, text, participant_key=f"p{k}")
    assert rode_draden(c.records, topic="Water verbindt") == ()
    assert _labels(rode_draden(c.records)) == ["Water"]


def test_a_second_subject_most_members_name_joins_the_label():
    """"Landbouw en waterkwaliteit", as the cards pair two subjects; never from two posts."""
    c = Contributions()
    c.add(2, "Rendabele landbouw zonder waterkwaliteitsproblemen.", participant_key="p1")
    c.add(3, "Waterkwaliteit en mestgebruik in de landbouw hangen samen.", participant_key="p2")
    c.add(4, "De landbouw moet de waterkwaliteit in de sloten verbeteren.", participant_key="p3")
    c.add(1, "Fietspaden langs het kanaal verbreden.", participant_key="p4")
    assert _labels(rode_draden(c.records)) == ["Landbouw en waterkwaliteit"]
    two = Contributions()
    two.add(2, "Rendabele landbouw zonder waterkwaliteitsproblemen.", participant_key="p1")
    two.add(3, "Waterkwaliteit en mestgebruik in de landbouw hangen samen.", participant_key="p2")
    assert _labels(rode_draden(two.records)) == ["Landbouw"]  # two posts make no pair


def test_the_programme_is_no_rode_draad_and_a_noun_after_als_names_one():
    c = Contributions()
    c.add(2, "Arbeidsmarkt over de grens heen benutten.", participant_key="p1")
    c.add(2, "Een grensoverschrijdende arbeidsmarkt hoort in de NOVI.", participant_key="p2")
    c.add(5, "Een handvat in de NOVI voor grensprojecten.", participant_key="p3")
    c.add(5, "Vertel de buurlanden hoe we de NOVI maken.", participant_key="p4")
    c.add(2, "Nederland als proeftuin voor slimme steden.", participant_key="p5")
    c.add(3, "Proeftuinen met soepelere regels.", participant_key="p6")
    labels = _labels(rode_draden(c.records, topic="Over grenzen Werkplaatsen NOVI 2015"))
    assert "NOVI" not in labels and "Arbeidsmarkt" in labels
    assert "Proeftuin" in labels  # "als proeftuin": a noun, as after an article


def test_deterministic_whatever_the_input_order():
    _, records = generate(300, seed=5)
    first = rode_draden(records)
    shuffled = list(reversed(records))
    assert rode_draden(shuffled) == first
    assert rode_draden(records) == first
    assert 3 <= len(first) <= 8
    _check_labels(first)


def test_one_more_contribution_does_not_reshuffle_unrelated_themes():
    _, records = generate(300, seed=5)
    before = _ids(rode_draden(records))
    extra = replace(
        records[0],
        id=max(r.id for r in records) + 1,
        number=max(r.number for r in records) + 1,
        text="Fietsenstallingen bij elk treinstation, met oplaadpunten.",
        participant_key="nieuw",
        support=0,
        votes=0,
        is_starred=False,
        merged_into=None,
    )
    after = _ids(rode_draden([*records, extra]))
    kept = [label for label in before if after.get(label) == before[label]]
    assert len(kept) >= len(before) - 1, (before.keys(), after.keys())


def test_one_engine_for_a_round_a_werkplaats_and_many_werkplaatsen():
    werkplaatsen = sample_werkplaatsen()
    merged = [r for _, records in werkplaatsen for r in records]
    together = rode_draden(merged)
    assert together and all(d.bijdragen >= 2 for d in together)
    _check_labels(together)
    # Landbouw returns in both werkplaatsen: across them it is one rode draad.
    landbouw = next(d for d in together if d.label == "Landbouw")
    assert {i // 1000 for i in landbouw.members} == {w.id for w, _ in werkplaatsen}
    one_round = [r for r in werkplaatsen[0][1] if r.kernvraag_position == 2]
    _check_labels(rode_draden(one_round))


@pytest.mark.parametrize(
    "texts",
    [
        [],
        ["Alleen dit."],
        ["Meer groen in de stad.", "Meer groen in de wijk."],
        ["Zelfde tekst hier."] * 6,
        ["🌱🌍", "👍👍", "🚲"],
        ["We need more wind farms at sea.", "Wind farms at sea are the future.",
         "The sea needs wind farms and nature."],
        ["Bodemdaling " + "en wateroverlast in het veenweidegebied " * 12] * 3,
    ],
    ids=["none", "one", "two", "identical", "emoji", "english", "long"],
)
def test_bad_input_gives_sensible_output(texts):
    c = Contributions()
    for i, text in enumerate(texts):
        c.add(1 + i % 3, text, participant_key=f"p{i}")
    draden = rode_draden(c.records)
    _check_labels(draden)
    ids = {r.id for r in c.records}
    for d in draden:
        assert set(d.members) <= ids and d.bijdragen >= 2 and len(d.wording) <= 230
