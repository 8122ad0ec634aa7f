"""Clustering as a reader checks it: one point said several ways is one cluster."""

from __future__ import annotations

import pytest

from noviwerk.synthesis.cluster import cluster_contributions
from tests.synthesis.builders import Contributions, energie_werkplaats

POINTS = {
    "bodemdaling nationaal": [
        "Bodemdaling moet een nationale opgave worden.",
        "Maak van bodemdaling een nationale opgave, met één partij die de pen vasthoudt.",
        "Het Rijk moet bodemdaling als nationale opgave oppakken.",
    ],
    "waterberging stad": [
        "Meer ruimte voor waterberging in de stad tegen wateroverlast.",
        "Steden hebben meer ruimte nodig om regenwater te bergen.",
        "Wateroverlast in steden: zorg voor meer waterberging.",
    ],
    "zoet water boeren": [
        "Agrariërs kunnen zoet water produceren als nieuw verdienmodel.",
        "Boeren die zoetwater leveren: een nieuw verdienmodel voor de landbouw.",
        "Zoetwaterproductie door agrariers als verdienmodel",
    ],
    "waterschappen energie": [
        "Waterschappen kunnen meer energie opwekken dan ze zelf gebruiken.",
        "Waterschappen als energieproducent: ze kunnen meer energie opwekken op eigen terrein.",
    ],
    "bodemdaling veenweide (typo)": [
        "Bodemdailng in veenweidegebieden gaat door.",
        "Bodemdaling in het veenweidegebied zet door.",
        "De bodemdaling in de veenweidegebieden gaat gewoon door",
    ],
    "water en energie (compound)": [
        "Waterbesparing is energiebesparing.",
        "Wie water bespaart, bespaart ook energie.",
    ],
    "platforms": ["Digitale platforms verbinden boer en klant."],
    "erfgoed": ["Meer aandacht voor erfgoed in historische binnensteden."],
    "hitte": ["Hittestress in de zomer vraagt om meer groen in wijken."],
    "grondexploitatie": [
        "Grondexploitatie kijkt vooral naar investeringen, niet naar beheerkosten op lange termijn."
    ],
    "teelt": ["Teelt van nieuwe gewassen die tegen zout en nat kunnen."],
    "verkopen": ["Mag een waterbeheerder die energie produceert die energie ook verkopen?"],
}


@pytest.fixture(scope="module")
def clustered():
    c = Contributions()
    truth = {c.add(1, text): point for point, texts in POINTS.items() for text in texts}
    return cluster_contributions(c.records), truth


@pytest.mark.parametrize("point", [p for p, texts in POINTS.items() if len(texts) > 1])
def test_paraphrases_of_one_point_land_in_one_cluster(clustered, point):
    clustering, truth = clustered
    ids = [cid for cid, p in truth.items() if p == point]
    groups = {clustering.group_of(cid).representative_id for cid in ids}
    assert len(groups) == 1, f"{point!r} was split over {len(groups)} clusters"


def test_unrelated_points_do_not_share_a_cluster(clustered):
    clustering, truth = clustered
    for group in clustering.groups:
        points = {truth[cid] for cid in group.ids}
        assert len(points) == 1, f"one cluster mixes {sorted(points)}"


def test_the_shown_wording_is_not_the_one_with_the_typo(clustered):
    clustering, truth = clustered
    ids = [cid for cid, p in truth.items() if p == "bodemdaling veenweide (typo)"]
    group = clustering.group_of(ids[0])
    assert group.representative_id != ids[0]
    assert "bodemdaling" in group.terms


def test_labels_come_from_key_terms(clustered):
    clustering, truth = clustered
    ids = [cid for cid, p in truth.items() if p == "bodemdaling nationaal"]
    terms = " ".join(clustering.group_of(ids[0]).terms)
    assert "bodemdaling" in terms and "opgave" in terms


def test_the_opposite_point_stays_apart_and_merged_ones_join_their_target():
    _, records, ids = energie_werkplaats()
    clustering = cluster_contributions(records)
    wind = clustering.group_of(ids["wind"][0])
    assert set(ids["wind"]) | {ids["merged"]} == set(wind.ids)
    assert ids["dissent"] not in wind.ids
    assert ids["merged"] not in wind.root_ids  # counted, but not clustered by its own text


def test_typo_in_a_key_word_is_tolerated():
    _, records, ids = energie_werkplaats()
    clustering = cluster_contributions(records)
    assert len({clustering.group_of(i).representative_id for i in ids["net"]}) == 1


def test_clusters_never_cross_kernvragen():
    c = Contributions()
    a = c.add(1, "Meer windmolens op zee bouwen.")
    b = c.add(2, "Meer windmolens op zee bouwen.")
    clustering = cluster_contributions(c.records)
    assert clustering.group_of(a) != clustering.group_of(b)


def test_identical_texts_and_empty_texts():
    c = Contributions()
    same = [c.add(1, "Zonnepanelen op elk dak.") for _ in range(4)]
    empty = [c.add(1, "??"), c.add(1, "!!")]
    clustering = cluster_contributions(c.records)
    assert len({clustering.group_of(i).representative_id for i in same}) == 1
    assert clustering.group_of(empty[0]).ids == (empty[0],)
    assert clustering.group_of(empty[1]).ids == (empty[1],)


def test_a_merge_cycle_does_not_hang():
    from dataclasses import replace

    c = Contributions()
    a = c.add(1, "Eerste tekst over bodemdaling.")
    b = c.add(1, "Tweede tekst over windmolens.")
    records = [replace(c.records[0], merged_into=b), replace(c.records[1], merged_into=a)]
    clustering = cluster_contributions(records)
    assert set(clustering.group_of(a).ids) == {a, b}


def test_same_input_in_any_order_gives_the_same_groups():
    _, records, _ = energie_werkplaats()
    first = cluster_contributions(records).groups
    again = cluster_contributions(list(reversed(records))).groups
    assert first == again


PARAPHRASE_PAIRS = [
    ("Segregatie in stedelijke regio's neemt toe", "Meer segregatie in de steden"),
    ("Samenwerking tussen stad en ommeland", "Stad en land samen"),
    ("Regionale bereikbaarheid verbeteren", "Bereikbaarheid van de regio"),
    ("De energietransitie kost veel ruimte", "Energie vraagt ruimte"),
    ("Subsidieregels zijn te ingewikkeld", "De regels voor subsidie zijn te ingewikkeld"),
]
OPPOSITE_PAIRS = [
    ("Zonneweides op landbouwgrond zijn prima", "Zonneweides op landbouwgrond zijn geen goed idee"),
    ("Windmolens op zee zijn een goed plan", "Windmolens op zee zijn zonde van het geld"),
]
# Other points in the same kernvraag, so that weights are those of a real werkplaats.
_BACKGROUND = [
    "Bodemdaling in het veenweidegebied gaat door.",
    "Meer groen in de wijken tegen hittestress.",
    "Boeren zoeken een nieuw verdienmodel.",
]


def _pair_clustering(a: str, b: str):
    c = Contributions()
    ia, ib = c.add(1, a), c.add(1, b)
    for text in _BACKGROUND:
        c.add(1, text)
    clustering = cluster_contributions(c.records)
    return clustering.group_of(ia) is clustering.group_of(ib)


@pytest.mark.parametrize(("a", "b"), PARAPHRASE_PAIRS)
def test_paraphrases_in_other_words_meet(a, b):
    assert _pair_clustering(a, b), f"{a!r} and {b!r} should be one point"


@pytest.mark.parametrize(("a", "b"), OPPOSITE_PAIRS)
def test_the_same_subject_with_opposite_stances_stays_two_points(a, b):
    assert not _pair_clustering(a, b), f"{a!r} and {b!r} make opposite points"


def test_nearest_offers_the_near_duplicates_most_alike_first():
    """What the regie suggests to merge a contribution with: paraphrases of its point, the
    closest first, never itself, a merged one or one about something else."""
    from noviwerk.synthesis.cluster import nearest

    c = Contributions()
    of = c.add(2, "Meer ruimte voor waterberging in de stad tegen wateroverlast.")
    close = c.add(2, "Wateroverlast in steden: zorg voor meer waterberging.")
    looser = c.add(2, "Steden hebben meer ruimte nodig om regenwater te bergen.")
    c.add(2, "Digitale platforms verbinden boer en klant.")
    merged = c.add(2, "Meer waterberging in de stad tegen wateroverlast.", merged_into=close)
    found = [cid for cid, _sim in nearest(c.records, of)]
    assert found[:1] == [close] and looser in found
    assert of not in found and merged not in found and len(found) == 2
    sims = [sim for _cid, sim in nearest(c.records, of)]
    assert sims == sorted(sims, reverse=True)
