"""Afwijkende geluiden: views against a theme's majority or against the room, with weight."""

from __future__ import annotations

from noviwerk.synthesis import document as d
from noviwerk.synthesis.bouwsteen import assemble
from noviwerk.synthesis.rode_draden import rode_draden
from tests.synthesis.builders import Contributions, werkplaats


def _dissent(doc: d.Document) -> list[d.Sentence]:
    section = doc.section("afwijkende-geluiden")
    return [s for b in section.blocks if isinstance(b, d.PointList) for s in b.items]


def _water() -> tuple[d.Document, dict[str, object]]:
    c = Contributions()
    ids: dict[str, object] = {}
    ids["overlast"] = [
        c.add(1, "Wateroverlast door piekbuien neemt sterk toe.", participant_key="p1"),
        c.add(1, "Steeds vaker wateroverlast door hevige piekbuien.", participant_key="p2"),
        c.add(1, "Piekbuien zorgen voor wateroverlast in de stad.", participant_key="p3",
              support=2),
        c.add(1, "Wateroverlast na piekbuien in de binnensteden.", participant_key="p4"),
    ]
    ids["bodem"] = [
        c.add(1, "Bodemdaling in het veenweidegebied gaat door.", participant_key="p5"),
        c.add(1, "De bodemdaling in veenweidegebieden versnelt.", participant_key="p6"),
    ]
    ids["droogte"] = c.add(1, "Droogte is een groter probleem dan te veel water.",
                           participant_key="p7", support=3)
    ids["kwel"] = c.add(1, "Zoute kwel bedreigt de zoetwatervoorziening.", participant_key="p8")
    w = werkplaats(title="Water verbindt", theme="Water")
    return assemble(w, c.records), ids


def test_a_contrary_view_against_the_room_is_kept_with_its_weight():
    doc, ids = _water()
    found = [s for s in _dissent(doc) if ids["droogte"] in s.provenance.ids]
    assert len(found) == 1
    assert "Droogte is een groter probleem dan te veel water" in found[0].text
    assert "één deelnemer" in found[0].text and "drie keer onderschreven" in found[0].text


def test_members_of_the_most_repeated_point_and_plain_remarks_are_not_afwijkend():
    doc, ids = _water()
    cited = {i for s in _dissent(doc) for i in s.provenance.ids}
    assert not cited & set(ids["overlast"])
    assert not cited & set(ids["bodem"])
    assert ids["kwel"] not in cited  # a remark of its own, against nothing


def _zonneweides(extra_prima: int) -> tuple[d.Document, dict[str, object]]:
    c = Contributions()
    ids: dict[str, object] = {}
    ids["prima"] = [c.add(2, "Zonneweides op landbouwgrond zijn prima.", participant_key="p1")]
    more = [
        "Zonneweides op landbouwgrond zijn prima, de boer verdient eraan.",
        "Zonneweides op landbouwgrond zijn een prima tussenoplossing.",
    ]
    for n, text in enumerate(more[:extra_prima], start=2):
        ids["prima"].append(c.add(2, text, participant_key=f"p{n}"))
    ids["tegen"] = c.add(2, "Zonneweides op landbouwgrond zijn geen goed idee.",
                         participant_key="p9", votes=2)
    c.add(2, "Netcongestie remt nieuwe aansluitingen.", participant_key="p10")
    return assemble(werkplaats(), c.records), ids


def test_agreement_and_disagreement_stay_apart_and_the_minority_is_afwijkend():
    doc, ids = _zonneweides(extra_prima=2)
    clusters = [b for b in doc.section("kernvraag-2").blocks if isinstance(b, d.Cluster)]
    tegen = next(cl for cl in clusters if ids["tegen"] in cl.members)
    assert not set(tegen.members) & set(ids["prima"])
    found = _dissent(doc)
    # the minority, and the point it is set against: the sentence quotes and counts that too
    assert [s.provenance.ids for s in found] == [tuple(sorted(ids["prima"] + [ids["tegen"]]))]
    assert found[0].text.startswith("Tegenover ‘Zonneweides op landbouwgrond zijn")
    assert "prima" in found[0].text.split("klonk ook")[0]
    assert "(drie deelnemers)" in found[0].text
    assert "één deelnemer, twee stemmen" in found[0].text


def test_one_view_against_one_is_no_majority_to_go_against():
    doc, _ = _zonneweides(extra_prima=0)
    assert _dissent(doc) == []


def test_the_veld_a_view_comes_from_does_not_make_it_afwijkend():
    c = Contributions()
    for n in range(3):
        c.add(1, "Meer windmolens op zee bouwen.", participant_key=f"p{n}", veld="maatschappelijk")
    quiet = c.add(1, "Waterstof voor de zware industrie in de havens.", participant_key="p9",
                  veld="interdepartementaal")
    doc = assemble(werkplaats(), c.records)
    assert quiet not in {i for s in _dissent(doc) for i in s.provenance.ids}


def test_a_view_that_plays_the_rooms_concern_down_is_afwijkend():
    c = Contributions()
    texts = ["Krimp in de dorpen gaat snel door.", "De krimp raakt vooral de dorpen.",
             "Krimp maakt voorzieningen in dorpen onbetaalbaar."]
    for n, text in enumerate(texts):
        c.add(1, text, participant_key=f"p{n}")
    mee = c.add(1, "Krimp valt wel mee, de dorpen blijven leefbaar.", participant_key="p7")
    plain = c.add(1, "Het ov in de dorpen verdwijnt.", participant_key="p8")
    doc = assemble(werkplaats(title="Leefbare dorpen"), c.records)
    cited = {i for s in _dissent(doc) for i in s.provenance.ids}
    assert mee in cited
    assert plain not in cited


def _windmolens_op_land() -> tuple[Contributions, list[int], int]:
    """A rode draad raised in four kernvragen, and in the fifth a view that turns it."""
    c = Contributions()
    draad = [c.add(1, "Windmolens op land horen bij de energietransitie."),
             c.add(2, "Meer windmolens op land bij bedrijventerreinen."),
             c.add(3, "Windmolens op land leveren de regio geld op."),
             c.add(4, "Windmolens op land samen met bewoners plannen.")]
    return c, draad, c.add(5, "Geen windmolens op land, die horen op zee.")


def test_a_view_against_a_rode_draad_from_another_kernvraag_is_afwijkend():
    c, draad, tegen = _windmolens_op_land()
    (wind,) = rode_draden(c.records)
    assert tegen not in wind.members and wind.contrary == (tegen,)
    (found,) = _dissent(assemble(werkplaats(), c.records))
    assert found.text.startswith("Tegenover de rode draad Windmolens op land (vier deelnemers) "
                                 "klonk ook: ‘Geen windmolens op land, die horen op zee’")
    # it quotes the dissent and counts the draad: it cites both
    assert found.provenance.ids == tuple(sorted(draad + [tegen]))


def test_a_draads_members_are_never_afwijkend_from_the_view_that_turns_it():
    c, draad, tegen = _windmolens_op_land()
    c.add(5, "Geen windmolens op land, die horen op zee!", merged_into=tegen, participant_key="px")
    found = _dissent(assemble(werkplaats(), c.records))
    # two voices make the "geen" point a main point; still only it is afwijkend, once
    assert [s.text.split(" klonk ook")[0] for s in found] == [
        "Tegenover de rode draad Windmolens op land (vier deelnemers)"]
    assert "(twee deelnemers)" in found[0].text and set(draad) < set(found[0].provenance.ids)
