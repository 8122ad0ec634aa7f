"""The draft bouwsteen as a trekker reads it."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from noviwerk.synthesis import document as d
from noviwerk.synthesis.bouwsteen import NoRewriter, assemble
from noviwerk.synthesis.document import from_dict, to_dict
from noviwerk.synthesis.rode_draden import rode_draden
from tests.synthesis.builders import (
    Contributions,
    energie_werkplaats,
    sample_werkplaatsen,
    werkplaats,
)


@pytest.fixture(scope="module")
def energie():
    w, records, ids = energie_werkplaats()
    return assemble(w, records), records, ids


def _sentences(section: d.Section) -> list[d.Sentence]:
    return [s for b in section.blocks if isinstance(b, d.PointList) for s in b.items]


def test_sections_in_order_with_stable_ids(energie):
    doc, _, _ = energie
    assert [s.id for s in doc.sections] == [
        "samenvatting", "rode-draden", "kernvraag-1", "kernvraag-2", "kernvraag-3", "kernvraag-4",
        "kernvraag-5", "opgaven-kansen-dilemmas", "verbindingen", "citaten",
        "afwijkende-geluiden", "bijlage",
    ]
    assert doc.section("kernvraag-2").title == "Kernvraag 2: Opgaven en kansen"


def test_head_counts_participants_organisations_and_velden(energie):
    doc, records, _ = energie
    head = doc.head
    assert head.title == "Energie in de regio"
    assert head.participants == 19  # p1…p20 without p6; the flap note has no participant
    assert head.organisations == 4  # "TNO" and "tno " are one organisation
    assert [v.veld for v in head.velden] == [
        "interdepartementaal", "interbestuurlijk", "kennis en advies", "maatschappelijk"]
    assert head.contributions == len(records) and head.unattributed == 1


def test_samenvatting_leads_with_the_heaviest_rode_draad_and_counts_true(energie):
    doc, _, ids = energie
    draden = _themes(doc)
    assert 3 <= len(draden) <= 5
    first = draden[0]
    assert first.text[: first.strong] == "Windmolens"
    # The dissent ("Juist geen windmolens op zee") is about windmolens but against them:
    # not counted, not cited.
    assert set(first.provenance.ids) == set(ids["wind"]) | {ids["merged"]}
    assert "zeven bijdragen van zes deelnemers" in first.text
    assert "door de facilitator gemarkeerd" in first.text
    netcongestie = next(s for s in draden if set(ids["net"]) <= set(s.provenance.ids))
    assert "zeven keer gesteund" in netcongestie.text
    opening = next(b for b in doc.section("samenvatting").blocks if isinstance(b, d.Paragraph))
    assert opening.sentences[0].text.startswith("Uit de gespreksronden klinkt")
    assert set(opening.sentences[0].provenance.ids) == {i for s in draden for i in s.provenance.ids}


def _themes(doc) -> list:
    """The samenvatting's rode draden: the bold items of its first list."""
    lists = [b for b in doc.section("samenvatting").blocks if isinstance(b, d.PointList)]
    return [s for s in lists[0].items if s.strong] if lists else []


def test_samenvatting_does_not_repeat_the_rode_draden_section(energie):
    doc, _, ids = energie
    summary = " ".join(s.text for s in _sentences(doc.section("samenvatting")))
    for item in _sentences(doc.section("rode-draden")):
        wording = item.text.split("Bijvoorbeeld: ", 1)[1]
        assert wording not in summary  # the detail stays in the Rode draden section
    labels = [s.text[: s.strong] for s in _themes(doc)]
    assert "Energiecoöperaties" in " ".join(labels)  # the members' spelling, ö and all
    assert not any(" en " in lb and lb.lower().startswith("stroomnet") for lb in labels)
    opening = next(b for b in doc.section("samenvatting").blocks if isinstance(b, d.Paragraph))
    if any(" en " in lb for lb in labels[:-1]) and len(labels) > 2:  # one theme, read as one
        assert ", en " in opening.sentences[0].text and "; " not in opening.sentences[0].text


def test_samenvatting_names_what_else_stood_out_each_cited_alone():
    c = Contributions()
    c.add(1, "Bodemdaling in het veen gaat door.", participant_key="p1")
    c.add(2, "Bodemdaling kost het beheer veel geld.", participant_key="p2")
    kans = c.add(2, "Experimenteerruimte voor voedsel: proeftuinen in de regio.", label="kans",
                 participant_key="p3")
    fiets = c.add(3, "Fietspaden verbreden.", participant_key="p4")
    c.add(3, "Vergeet de burgers niet.", participant_key="p5")
    doc = assemble(werkplaats(), c.records)
    blocks = doc.section("samenvatting").blocks
    at = next(i for i, b in enumerate(blocks) if isinstance(b, d.Note) and b.text == "Ook genoemd:")
    item, single = blocks[at + 1].items  # the kans first; no subject in "Vergeet de burgers"
    # Short enough to name whole: what follows the colon is part of the point.
    assert item.text[: item.strong] == "Experimenteerruimte voor voedsel: proeftuinen in de regio"
    assert item.provenance.ids == (kans,)
    # A remark said once, on a subject of its own, is named by its noun phrase.
    assert single.text == "Fietspaden (bij kernvraag 3)."
    assert single.strong == len("Fietspaden") and single.provenance.ids == (fiets,)


def test_what_the_rijk_is_given_shows_its_subject_in_bold():
    c = Contributions()
    c.add(1, "Bodemdaling in het veen gaat door.", participant_key="p1")
    c.add(2, "Bodemdaling kost het beheer veel geld.", participant_key="p2")
    c.add(5, "Hittestress in de binnensteden als nationale opgave, met een regisseur.",
          participant_key="p3")
    c.add(5, "Het Rijk moet meer durven.", participant_key="p4")
    doc = assemble(werkplaats(), c.records)
    blocks = doc.section("samenvatting").blocks
    at = next(n for n, b in enumerate(blocks)
              if isinstance(b, d.Note) and b.text == "De werkplaats geeft het Rijk mee:")
    strong = {s.text[: s.strong] for s in blocks[at + 1].items}
    assert strong == {"Hittestress in de binnensteden als nationale opgave", ""}


def test_samenvatting_ends_with_what_the_rijk_is_given(energie):
    doc, _, ids = energie
    blocks = doc.section("samenvatting").blocks
    at = next(n for n, b in enumerate(blocks)
              if isinstance(b, d.Note) and b.text == "De werkplaats geeft het Rijk mee:")
    given = blocks[at + 1].items
    assert given[0].provenance.ids == (ids["niet_ontbreken"],)
    assert any(s.provenance.ids == (ids["dilemma"],) and s.text.startswith("Een dilemma")
               for s in given)


def test_single_posts_are_listed_under_verder_genoemd_not_counted_as_points(energie):
    doc, _, ids = energie
    blocks = doc.section("kernvraag-1").blocks
    note = next(b for b in blocks if isinstance(b, d.Note) and "bijdragen" in b.text)
    assert "twee punten die vaker terugkwamen of steun kregen, en drie verder genoemd" in note.text
    at = next(n for n, b in enumerate(blocks) if isinstance(b, d.Note) and b.text == "Verder genoemd:")
    before = [b for b in blocks[:at] if isinstance(b, d.Cluster)]
    after = [b for b in blocks[at:] if isinstance(b, d.Cluster)]
    assert all(c.contributions > 1 or c.support or c.is_starred for c in before)
    assert [c.contributions for c in after] == [1] * len(after)
    assert ids["dissent"] in {m for c in after for m in c.members}
    assert [c.members[0] for c in after] == sorted(c.members[0] for c in after)


def test_rode_draden_section_gives_label_weight_wording_and_members(energie):
    doc, _, ids = energie
    items = _sentences(doc.section("rode-draden"))
    wind = items[0]
    assert wind.text[: wind.strong] == "Windmolens"
    assert wind.text[wind.strong :].startswith(
        " — zeven bijdragen van zes deelnemers, bij kernvraag 1, uit drie velden"
    )
    assert "Bijvoorbeeld: ‘" in wind.text
    assert set(wind.provenance.ids) == set(ids["wind"]) | {ids["merged"]}


def test_a_lone_dissent_appears_under_afwijkende_geluiden(energie):
    doc, _, ids = energie
    dissent = [s for s in _sentences(doc.section("afwijkende-geluiden"))
               if ids["dissent"] in s.provenance.ids]
    assert len(dissent) == 1
    assert dissent[0].text.startswith("Tegenover")
    assert "Juist geen windmolens op zee" in dissent[0].text
    # It quotes and counts the windmolens it goes against, so it cites them too.
    assert set(dissent[0].provenance.ids) == set(ids["wind"]) | {ids["merged"], ids["dissent"]}


def test_a_remark_from_a_quiet_veld_is_no_afwijkend_geluid_for_that(energie):
    doc, _, ids = energie
    cited = {i for s in _sentences(doc.section("afwijkende-geluiden")) for i in s.provenance.ids}
    assert ids["quiet_veld"] not in cited


def test_per_kernvraag_clusters_are_ordered_by_weight_and_singletons_kept(energie):
    doc, _, ids = energie
    clusters = [b for b in doc.section("kernvraag-1").blocks if isinstance(b, d.Cluster)]
    assert clusters[0].members[0] == ids["wind"][0]
    assert clusters[0].participants == 6
    assert clusters[0].plus_ones == 6 and clusters[0].support == 6 and clusters[0].is_starred
    shown = {m for c in clusters for m in c.members}
    assert {ids["dissent"], ids["quiet_veld"], ids["warmte"]} <= shown
    # A point raised by more people, with no less support and no less marked, is never
    # listed below one raised by fewer.
    for n, lower in enumerate(clusters):
        for higher in clusters[:n]:
            assert not (lower.participants > higher.participants
                        and lower.support >= higher.support
                        and lower.is_starred >= higher.is_starred), (higher, lower)


def test_opgaven_kansen_dilemmas_table(energie):
    doc, _, ids = energie
    table = next(b for b in doc.section("opgaven-kansen-dilemmas").blocks
                 if isinstance(b, d.Table))
    soorten = [row.cells[0] for row in table.rows]
    assert soorten == sorted(soorten, key=["Opgave", "Kans", "Dilemma"].index)
    net = next(r for r in table.rows if set(r.provenance.ids) == set(ids["net"]))
    assert net.cells[0] == "Opgave" and net.cells[2] == "3" and net.cells[3] == "7"
    assert any(r.provenance.ids == (ids["dilemma"],) for r in table.rows)


def test_verbindingen_name_the_themes_they_link(energie):
    doc, _, ids = energie
    sentences = _sentences(doc.section("verbindingen"))
    linked = next(s for s in sentences if ids["verbinding"] in s.provenance.ids)
    assert "Energie en landbouw" in linked.text
    assert not any(ids["citaat"] in s.provenance.ids for s in sentences)


def test_citaten_hold_labelled_and_marked_quotes(energie):
    doc, _, ids = energie
    quotes = [b for b in doc.section("citaten").blocks if isinstance(b, d.Quote)]
    assert [q.provenance.ids for q in quotes] == [(ids["citaat"],), (ids["niet_ontbreken"],)]
    assert quotes[0].attribution == "deelnemer, kennis en advies (mondeling)"


def test_bijlage_lists_every_contribution_exactly_once_per_round(energie):
    doc, records, ids = energie
    items = list(doc.appendix_items())
    assert sorted(i.contribution_id for i in items) == sorted(r.id for r in records)
    assert [i.number for i in items] == list(range(1, len(records) + 1))
    rounds = [b for b in doc.section("bijlage").blocks if isinstance(b, d.AppendixRound)]
    assert [r.position for r in rounds] == [1, 2, 3, 4, 5]
    merged = next(i for i in items if i.contribution_id == ids["merged"])
    assert merged.merged_into_number == 1
    assert all(i.cluster_id for i in items)


def test_every_passage_has_provenance_that_points_into_the_bijlage(energie):
    doc, records, _ = energie
    number_of = {r.id: r.number for r in records}
    passages = list(doc.passages())
    assert len(passages) > 20
    for passage in passages:
        assert passage.provenance, f"no provenance: {passage}"
        assert passage.origin == d.MACHINE
        assert tuple(sorted(number_of[i] for i in passage.provenance.ids)) == \
            passage.provenance.numbers


def test_deterministic_whatever_the_input_order(energie):
    doc, records, _ = energie
    w = werkplaats()
    shuffled = list(records)
    random.Random(4).shuffle(shuffled)
    assert assemble(w, shuffled) == doc
    assert assemble(w, records) == doc


def test_round_trip_through_plain_data(energie):
    doc, _, _ = energie
    assert from_dict(to_dict(doc)) == doc


def test_rewriter_is_off_by_default_and_must_keep_the_bijlage(energie):
    doc, records, _ = energie
    assert assemble(werkplaats(), records, rewriter=NoRewriter()) == doc

    class Vandal:
        def rewrite(self, document):
            return replace(document, sections=document.sections[:-1])

    with pytest.raises(ValueError, match="bijlage"):
        assemble(werkplaats(), records, rewriter=Vandal())


def test_without_contributions_the_draft_is_still_a_document():
    doc = assemble(werkplaats(), [])
    assert doc.section("samenvatting").blocks[0].text == "Er zijn nog geen bijdragen."
    assert list(doc.appendix_items()) == []
    assert list(doc.passages()) == []


def test_rounds_without_a_kernvraag_go_under_overige_inbreng():
    c = Contributions()
    c.add(1, "Meer windmolens op zee.")
    other = c.add(None, "Stem op de windmolens.", round_position=6)
    doc = assemble(werkplaats(), c.records)
    section = doc.section("overig")
    assert section is not None and section.title == "Overige inbreng"
    assert any(other in b.members for b in section.blocks if isinstance(b, d.Cluster))


def test_duplicate_ids_are_refused():
    c = Contributions()
    c.add(1, "Een")
    with pytest.raises(ValueError):
        assemble(werkplaats(), c.records * 2)


@pytest.mark.parametrize("index", [0, 1])
def test_sample_werkplaatsen_make_a_complete_draft(index):
    w, records = sample_werkplaatsen()[index]
    doc = assemble(w, records)
    assert doc.title == f"Bouwsteen {w.title}"
    assert sorted(i.contribution_id for i in doc.appendix_items()) == sorted(r.id for r in records)
    draden = _themes(doc)
    assert 2 <= len(draden) <= 5  # the themes that recur, across kernvragen
    assert all(len(s.provenance.ids) >= 2 for s in draden)
    assert all(p.provenance for p in doc.passages())
    quotes = [b for b in doc.section("citaten").blocks if isinstance(b, d.Quote)]
    assert len(quotes) == sum(1 for r in records if r.label == "citaat")
    verbindingen = _sentences(doc.section("verbindingen"))
    assert verbindingen, "kernvraag 3 of the sample names links between themes"


def test_at_stage_says_where_the_bouwsteen_stands():
    from datetime import date

    from noviwerk.synthesis.bouwsteen import STATUS_NOTE, at_stage

    w, records, _ = energie_werkplaats()
    doc = assemble(w, records)
    assert doc.stage == "concept" and doc.status_note == STATUS_NOTE
    gereed = at_stage(doc, "gereed", "Tineke Trekker", date(2016, 3, 9))
    assert gereed.stage == "gereed" and gereed.sections == doc.sections
    assert gereed.status_note.startswith("Vastgesteld door Tineke Trekker op 9 maart 2016.")
    assert "bijlage" in gereed.status_note and "Controleer" not in gereed.status_note
    assert at_stage(doc, "gereed").status_note.startswith("Vastgesteld. ")
    assert "nog niet vastgesteld" in at_stage(doc, "verslag").status_note
    assert at_stage(gereed, "concept") == doc  # reopened: the concept again
    with pytest.raises(ValueError):
        at_stage(doc, "gepubliceerd")


def test_a_theme_of_two_subjects_reads_in_the_plural():
    c = Contributions()
    c.add(2, "Rendabele landbouw zonder waterkwaliteitsproblemen.", participant_key="p1")
    c.add(3, "Waterkwaliteit en mestgebruik in de landbouw hangen samen.", participant_key="p2")
    c.add(4, "De landbouw moet de waterkwaliteit in de sloten verbeteren.", participant_key="p3")
    c.add(1, "Bodemdaling in het veen gaat door.", participant_key="p4")
    c.add(5, "Bodemdaling als nationale opgave.", participant_key="p5")
    themes = {s.text[: s.strong]: s.text for s in _themes(assemble(werkplaats(), c.records))}
    assert themes["Landbouw en waterkwaliteit"].startswith(
        "Landbouw en waterkwaliteit kwamen terug in drie bijdragen"
    )
    assert themes["Bodemdaling"].startswith("Bodemdaling kwam terug in twee bijdragen")


def test_a_theme_sentence_quotes_what_one_member_said_and_agrees_in_number(energie):
    doc, records, _ = energie
    texts = {r.id: r.text for r in records}
    for sentence in _themes(doc):
        label = sentence.text[: sentence.strong]
        quote = sentence.text.split(", zoals \u2018", 1)[1].split("\u2019", 1)[0]
        said_by = [i for i in sentence.provenance.ids if texts[i].startswith(quote)]
        assert said_by, f"{label}: the quote is no cited member's words"
        assert not quote.endswith("?") and len(quote.split()) <= 20
    themes = {s.text[: s.strong]: s.text for s in _themes(doc)}
    assert themes["Windmolens"].startswith("Windmolens kwamen terug")
    assert themes["Netcongestie"].startswith("Netcongestie kwam terug")
    c = Contributions()
    for n, text in enumerate(("Samenwerking tussen stad en land moet beter.",
                              "De samenwerking tussen stad en land schiet tekort.",
                              "Wie regelt de samenwerking tussen stad en land?"), start=1):
        c.add(n, text)
    (sentence,) = _themes(assemble(werkplaats(), c.records))
    assert " kwam terug in drie bijdragen" in sentence.text  # one subject, with "en" inside it
    assert "Wie regelt" not in sentence.text  # a question is no statement of what was said
    c = Contributions()
    for n, text in enumerate(("Wie regelt de samenwerking tussen stad en land?",
                              "Hoe organiseer je samenwerking tussen stad en land?",
                              "Is samenwerking tussen stad en land een taak van het Rijk?"), start=1):
        c.add(n, text)
    assert all("zoals" not in s.text for s in _themes(assemble(werkplaats(), c.records)))


def test_a_theme_sentence_says_what_kind_of_points_were_made(energie):
    doc, _, _ = energie
    themes = {s.text[: s.strong]: s.text for s in _themes(doc)}
    assert "drie bijdragen, alle drie opgaven" in themes["Netcongestie"]
    assert "twee bijdragen, beide kansen" in themes["Energiecoöperaties van bewoners"]
    c = Contributions()
    c.add(1, "Bodemdaling in het veen gaat door.", participant_key="p1")
    c.add(2, "Bodemdaling kost het beheer veel geld.", label="opgave", participant_key="p2")
    c.add(4, "Wie betaalt de bodemdaling?", label="dilemma", participant_key="p3")
    (sentence,) = _themes(assemble(werkplaats(), c.records))
    assert "drie bijdragen uit drie kernvragen, waaronder één opgave en één dilemma" in sentence.text


def test_a_point_of_several_contributions_is_named_as_a_person_would(energie):
    """Per kernvraag, a point is named by the noun phrase its members share, never by a
    list of stems ("Stroomnet, netcongestie, elektriciteitsnet")."""
    doc, _, ids = energie
    labels = {
        c.members[0]: c.label
        for c in doc.clusters()
        if c.contributions > 1 and (c.kernvraag_position or 0) >= 1
    }
    assert labels, "the kernvraag sections name their points"
    assert all("," not in label for label in labels.values()), labels
    assert labels[ids["net"][0]] == "Netcongestie"
    assert labels[ids["coop"][0]] == "Energiecoöperaties van bewoners"  # the members' ö


def _point_labels(texts: list[str]) -> list[str]:
    c = Contributions()
    for n, text in enumerate(texts):
        c.add(2, text, participant_key=f"p{n}")
    doc = assemble(werkplaats(), c.records)
    return [b.label for b in doc.section("kernvraag-2").blocks if isinstance(b, d.Cluster)
            and b.contributions > 1]


def test_a_point_whose_members_share_no_noun_is_named_by_its_words_never_a_list():
    assert _point_labels(["Durf te experimenteren en durf te falen.",
                          "Experimenteren mag, falen hoort erbij.",
                          "We moeten durven falen bij experimenteren."]) \
        == ["Durf te experimenteren en durf te falen"]
    assert _point_labels(["Duurzaam en betaalbaar.", "Het moet duurzaam en betaalbaar zijn.",
                          "Duurzaam, maar wel betaalbaar!"]) == ["Duurzaam en betaalbaar"]
    # "minder praten": after "minder" an infinitive is a verb, no theme "Praten"
    texts = ["Minder praten, meer doen.", "We moeten minder praten over plannen.",
             "Minder praten en sneller beslissen."]
    assert _point_labels(texts) == ["Minder praten"]
    c = Contributions()
    for n, text in enumerate(texts):
        c.add(n + 1, text, participant_key=f"p{n}")
    assert not any(dr.label == "Praten" for dr in rode_draden(c.records))
    # "meer groen", "minder regen": nouns after all
    for texts, label in ((["Meer groen in de stad.", "Meer groen in de wijk is nodig.",
                           "Meer groen op schoolpleinen!"], "Groen"),
                         (["Minder regen in de zomer.", "Minder regen maakt de grond droog.",
                           "Minder regen in het voorjaar."], "Regen")):
        c = Contributions()
        for n, text in enumerate(texts):
            c.add(n + 1, text, participant_key=f"p{n}")
        assert [dr.label for dr in rode_draden(c.records)] == [label]


def test_a_contribution_with_a_copy_merged_into_it_is_named_like_a_point():
    c = Contributions()
    kept = c.add(2, "Ruimte voor waterberging in de polders.")
    c.add(2, "Ruimte voor waterberging in de polders!", merged_into=kept)
    c.add(3, "Iets anders over wonen.")
    (cluster,) = [b for b in assemble(werkplaats(), c.records).section("kernvraag-2").blocks
                  if isinstance(b, d.Cluster)]
    assert cluster.contributions == 2 and cluster.label == "Ruimte voor waterberging in de polders"

    # said as a question, or in one word: named by what was said, no list, no "!"
    for texts, label in ((["Wat gaan we doen?"] * 2, "Wat gaan we doen?"), (["Duurzaam!"] * 3, "Duurzaam")):
        c = Contributions()
        first = c.add(2, texts[0])
        for text in texts[1:]:
            c.add(2, text, merged_into=first)
        (cluster,) = [b for b in assemble(werkplaats(), c.records).section("kernvraag-2").blocks
                      if isinstance(b, d.Cluster)]
        assert cluster.label == label


def test_a_verb_shared_by_two_texts_is_no_theme_and_a_pasted_bullet_is_no_part_of_a_name():
    c = Contributions()
    c.add(1, "Het versterken van de uitvoering door kaders voor samenwerking in provincies.",
          participant_key="p1")
    c.add(3, "Een eigen identiteit helpt om de internationale concurrentiepositie te versterken.",
          participant_key="p2")
    assert not any(dr.label == "Versterken" for dr in rode_draden(c.records))
    # an activity that opens what was said is a theme, as a noun
    for texts, label in ((["Wonen in kleine kernen moet kunnen.", "Wonen boven winkels in het centrum.",
                           "Wonen voor ouderen dichtbij voorzieningen."], "Wonen"),
                         (["Samenwerken tussen stad en land.", "Samenwerken met bedrijven in de regio.",
                           "Samenwerken over de grens heen."], "Samenwerken")):
        c = Contributions()
        for n, text in enumerate(texts):
            c.add(n + 1, text)
        assert [(dr.label, len(dr.members)) for dr in rode_draden(c.records)] == [(label, 3)]
    c = Contributions()
    c.add(2, "• Start van uitwerking en start van maatschappelijk debat.", label="opgave")
    c.add(3, "Iets heel anders over de haven.")
    names = [s.text[: s.strong] for b in assemble(werkplaats(), c.records).section("samenvatting").blocks
             for s in getattr(b, "items", ()) if s.strong]
    assert names and not any(n.startswith("\u2022") for n in names)
