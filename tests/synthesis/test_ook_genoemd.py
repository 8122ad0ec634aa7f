"""The samenvatting's "Ook genoemd", and the word rules it rests on: what a point said once
but marked by someone is called, and that it cites that contribution alone."""

from __future__ import annotations

from noviwerk.domain import Source
from noviwerk.synthesis import document as d
from noviwerk.synthesis.bouwsteen import assemble
from noviwerk.synthesis.rode_draden import rode_draden
from noviwerk.synthesis.rode_draden.naming import leading_noun_phrase
from noviwerk.synthesis.rode_draden.subject import added_subject, demanded, subject_label
from noviwerk.synthesis.sections.samenvatting import _question_put
from noviwerk.synthesis.text import fold, words
from tests.synthesis.builders import Contributions, sample_werkplaatsen, werkplaats


def _ook_genoemd(doc) -> list[d.Sentence]:
    blocks = doc.section("samenvatting").blocks
    at = next((i for i, b in enumerate(blocks) if isinstance(b, d.Note) and b.text == "Ook genoemd:"), None)
    return list(blocks[at + 1].items) if at is not None else []


def _named(doc) -> dict[str, d.Sentence]:
    return {s.text[: s.strong]: s for s in _ook_genoemd(doc)}


def _bodemdaling(c: Contributions) -> None:
    c.add(1, "Bodemdaling in het veen gaat door.")
    c.add(2, "Bodemdaling kost het beheer veel geld.")
    c.add(5, "Bodemdaling als nationale opgave.")


def test_what_a_member_says_is_nodig_is_named_though_it_joined_a_rode_draad():
    c = Contributions()
    _bodemdaling(c)
    ask = c.add(4, "Een sectorale aanpak van bodemdaling is niet genoeg; er is een integrale aanpak nodig.",
                label="opgave")
    doc = assemble(werkplaats(title="Water verbindt"), c.records)
    assert ask in next(dr for dr in rode_draden(c.records) if dr.label == "Bodemdaling").members
    item = _named(doc)["Integrale aanpak"]
    assert item.provenance.ids == (ask,)  # the sentence rests on that contribution alone
    assert "als opgave genoemd" in item.text and "rode draad Bodemdaling" in item.text


def test_a_member_whose_own_subject_is_the_rode_draads_is_not_named_again():
    c = Contributions()
    _bodemdaling(c)
    c.add(2, "Bodemdaling vraagt om een nieuw verdienmodel voor boeren.", label="kans")
    doc = assemble(werkplaats(title="Water verbindt"), c.records)
    assert not any("odemdaling" in label for label in _named(doc))


def test_a_kans_that_joined_a_theme_by_an_aside_keeps_its_own_subject():
    c = Contributions()
    c.add(1, "De landbouw in het veen wordt lastiger.")
    c.add(2, "Landbouw moet schoner.")
    kans = c.add(2, "Kennis en technologie over duurzame landbouw exporteren.", label="kans")
    doc = assemble(werkplaats(title="Ruimte voor voedsel"), c.records)
    names = _named(doc)
    label = next(lb for lb in names if lb.startswith("Kennis en technologie"))
    assert names[label].provenance.ids == (kans,)


def test_a_remark_from_the_flap_is_named_with_where_it_came_from():
    c = Contributions()
    _bodemdaling(c)
    flap = c.add(3, "Algenboerderij bij de monding van de Rijn.", participant_key=None,
                 source=Source.FLAP.value)
    c.add(3, "Een bijzonder idee zonder meer.", participant_key="p9")
    doc = assemble(werkplaats(title="Water verbindt"), c.records)
    item = next(s for s in _ook_genoemd(doc) if flap in s.provenance.ids)
    assert item.text.startswith("Algenboerderij bij de monding van de Rijn")
    assert "(van de flap)" in item.text and item.provenance.ids == (flap,)


def test_supported_remarks_come_before_plain_ones_and_places_are_limited():
    c = Contributions()
    _bodemdaling(c)
    plain = [c.add(2, text, label="opgave")
             for text in ("Zoutwaterindringing bij Rotterdam.", "Veenoxidatie stoppen.",
                          "Kweldruk onder dijken.", "Peilbeheer per gebied.",
                          "Dijkversterking langs rivieren.", "Natuurinclusiviteit als eis.",
                          "Recreatiedruk op het platteland.")]
    backed = c.add(3, "Waterberging op boerenland.", support=2)
    items = _ook_genoemd(assemble(werkplaats(title="Water verbindt"), c.records))
    assert items[0].provenance.ids == (backed,) and "twee keer gesteund" in items[0].text
    assert len(items) == 6 and items[1].provenance.ids == (plain[0],)


def test_a_second_subject_said_without_a_verb_is_read_and_a_clause_is_not():
    assert added_subject("Meer wateroverlast in de stad na hevige buien, en hittestress in de zomer.") \
        == "Hittestress in de zomer"
    assert added_subject("Files op de ringweg, en ook luchtvervuiling langs de snelweg") \
        == "Luchtvervuiling langs de snelweg"
    # a clause of its own says more about the first subject; a denial names nothing
    assert added_subject("Bodemdaling gaat door, en daarmee stijgen de kosten van beheer") == ""
    assert added_subject("Innovatieclusters beter koppelen, en stad en land verbinden") == ""
    assert added_subject("Files op de ringweg, en geen alternatief") == ""
    assert added_subject("Hittestress in de stad neemt toe.") == ""
    assert added_subject("Wateroverlast in de stad raakt de regio, en andersom.") == ""  # one word


def _wateroverlast(c: Contributions) -> int:
    c.add(1, "Wateroverlast in de wijken na zware regen.")
    c.add(2, "Wateroverlast vraagt om meer berging.")
    return c.add(1, "Meer wateroverlast in de stad na hevige buien, en hittestress in de zomer.")


def test_a_second_subject_a_member_adds_is_named_when_no_rode_draad_covers_it():
    c = Contributions()
    both = _wateroverlast(c)
    c.add(5, "Wateroverlast is een zaak voor de regio.")
    doc = assemble(werkplaats(title="Water verbindt"), c.records)
    assert both in next(dr for dr in rode_draden(c.records) if dr.label == "Wateroverlast").members
    item = _named(doc)["Hittestress in de zomer"]
    assert item.provenance.ids == (both,)
    assert "(bij kernvraag 1, genoemd naast de rode draad Wateroverlast)" in item.text


def test_a_second_subject_that_is_a_rode_draads_own_is_not_named_again():
    c = Contributions()
    _bodemdaling(c)
    c.add(2, "Wateroverlast in de wijken na zware regen.")
    c.add(3, "Wateroverlast vraagt om meer berging.")
    c.add(1, "Bodemdaling in de polders, en wateroverlast bij piekbuien.")
    doc = assemble(werkplaats(title="Water verbindt"), c.records)
    assert not any("ateroverlast" in label for label in _named(doc))


def test_subjects_said_once_keep_two_places_when_marked_points_fill_six():
    c = Contributions()
    both = _wateroverlast(c)
    marked = [c.add(2, text, label="opgave")
              for text in ("Zoutwaterindringing bij Rotterdam.", "Veenoxidatie stoppen.",
                           "Kweldruk onder dijken.", "Peilbeheer per gebied.",
                           "Dijkversterking langs rivieren.", "Natuurinclusiviteit als eis.",
                           "Recreatiedruk op het platteland.")]
    single = c.add(3, "Klimaatverandering geeft vaker piekbuien.")
    items = _ook_genoemd(assemble(werkplaats(title="Water verbindt"), c.records))
    cited = [s.provenance.ids for s in items]
    assert cited[:6] == [(m,) for m in marked[:6]]  # the marked first, six of them
    assert set(cited[6:]) == {(both,), (single,)} and len(items) == 8


def test_a_word_inside_the_title_is_no_theme_of_its_own():
    c = Contributions()
    c.add(1, "De lucht in de binnenstad is slecht.")
    c.add(2, "Schone lucht voor kinderen bij scholen.")
    c.add(3, "Luchtvervuiling door verkeer neemt af.")
    c.add(2, "Normen voor fijnstof aanscherpen.")
    c.add(4, "Normen halen is niet genoeg.")
    labels = [dr.label for dr in rode_draden(c.records, topic="Luchtkwaliteit in de stad")]
    assert labels == ["Normen"]


def test_a_finite_verb_ends_the_subject():
    assert leading_noun_phrase("Grondexploitatie kijkt vooral naar investeringen") == "Grondexploitatie"
    assert leading_noun_phrase("Bodemdaling raakt ook de identiteit van het landschap") == "Bodemdaling"
    # a noun in -t is no verb
    assert leading_noun_phrase("Regionale markt voor streekproducten") == "Regionale markt voor streekproducten"


def test_a_subject_never_ends_on_a_preposition_and_a_plural_in_eren_is_a_noun():
    assert leading_noun_phrase("Natuur langs de rivieren") == "Natuur langs de rivieren"
    assert leading_noun_phrase("Bomen langs wegen en dijken") == "Bomen langs wegen en dijken"
    # a purpose clause is no part of the subject; "om" as a preposition is
    assert leading_noun_phrase("Algenboerderij bij de monding van de Rijn om nutrienten af te vangen") \
        == "Algenboerderij bij de monding van de Rijn"
    assert leading_noun_phrase("Strijd om water in droge zomers") == "Strijd om water in droge zomers"
    assert leading_noun_phrase("Wandelpaden naar het strand") == "Wandelpaden naar het strand"
    # an infinitive in -eren still ends the phrase ("Open data delen")
    assert leading_noun_phrase("Woningbouwcorporaties investeren te weinig") == "Woningbouwcorporaties"
    # an imperative names no subject
    assert leading_noun_phrase("Kies voor de lange termijn") == ""
    assert leading_noun_phrase("Maak ruimte voor water") == ""


def test_subject_labels_from_content_nouns():
    assert subject_label("er is een integrale aanpak nodig") == "Integrale aanpak"
    assert subject_label("Steden en regio's hebben beleidsvrijheid nodig") == "Beleidsvrijheid"
    assert demanded("Geen nationale datavisie nodig, laat de markt het regelen") == ""
    assert demanded("Daarvoor hebben we geen nieuwe regels nodig") == ""
    # everyday words only name no subject
    assert subject_label("Burgers en bedrijven bewust maken") == ""
    # a label stops before its second preposition and drops its article
    assert subject_label("Een strategische visie met een actieprogramma voor een duurzame omgang") == (
        "Strategische visie met een actieprogramma"
    )


def test_a_denial_with_an_adverb_between_is_afwijkend():
    c = Contributions()
    for i, text in enumerate(("Luchtvervuiling in de stad maakt mensen ziek.",
                              "Luchtvervuiling kost levensjaren in Rotterdam.",
                              "Luchtvervuiling door verkeer is een groot probleem.")):
        c.add(1, text, participant_key=f"a{i}")
    denial = c.add(1, "Luchtvervuiling is eigenlijk geen probleem meer.", participant_key="b")
    doc = assemble(werkplaats(title="Luchtvervuiling in de stad"), c.records)
    shown = {i for b in doc.section(d.AFWIJKENDE_GELUIDEN).blocks for s in getattr(b, "items", ())
             for i in s.provenance.ids}
    assert denial in shown


def test_a_question_is_named_by_what_it_asks_about_not_by_who_is_asked():
    assert subject_label("Moet het Rijk een nationale norm bepalen of mag elke gemeente zelf kiezen?") == (
        "Nationale norm"
    )
    assert subject_label("Wie is penvoerder van het bodemdalingsprobleem?") == (
        "Penvoerder van het bodemdalingsprobleem"
    )
    assert subject_label("Is het doelmatig om altijd en overal wateroverlast te voorkomen?") == ""


def _given_to_the_rijk(c: Contributions) -> dict:
    """The samenvatting's "De werkplaats geeft het Rijk mee:" items, by the ids they cite."""
    blocks = assemble(werkplaats(title="Water verbindt"), c.records).section("samenvatting").blocks
    at = next(n for n, b in enumerate(blocks)
              if isinstance(b, d.Note) and b.text == "De werkplaats geeft het Rijk mee:")
    return {s.provenance.ids: s for s in blocks[at + 1].items}


def test_what_is_given_to_the_rijk_does_not_name_the_rijk_again():
    c = Contributions()
    _bodemdaling(c)
    must = c.add(5, "De overheid moet de bereikbaarheid van dorpen garanderen.")
    told = c.add(5, "Rijk: kies voor de lange termijn")
    by_id = _given_to_the_rijk(c)
    assert by_id[(must,)].text == "Bereikbaarheid van dorpen garanderen."
    assert by_id[(must,)].strong == len("Bereikbaarheid van dorpen")
    assert by_id[(told,)].text == "Kies voor de lange termijn." and by_id[(told,)].strong == 0


def test_a_dilemma_given_to_the_rijk_shows_its_subject_in_bold():
    c = Contributions()
    _bodemdaling(c)
    norm = c.add(4, "Moet het Rijk een nationale norm bepalen of mag elke gemeente zelf kiezen?",
                 label="dilemma")
    plain = c.add(4, "Is het doelmatig om altijd en overal te voorkomen?", label="dilemma")
    by_id = _given_to_the_rijk(c)
    assert by_id[(norm,)].text.startswith("Nationale norm, een dilemma: \u2018Moet het Rijk")
    assert by_id[(norm,)].strong == len("Nationale norm")
    assert by_id[(plain,)].text.startswith("Een dilemma: ") and by_id[(plain,)].strong == 0


def test_a_dilemma_that_puts_a_short_question_is_named_by_that_question():
    c = Contributions()
    _bodemdaling(c)
    asks_last = c.add(4, "Samen plannen is goed, maar wie betaalt de dijken?", label="dilemma")
    asks_first = c.add(4, "Welke keuzes zijn onomkeerbaar? Een nieuwe snelweg ligt er voor decennia",
                       label="dilemma")
    topic = c.add(4, "Verdringing: hoeveel ruimte houden boeren over?", label="dilemma")
    by_id = _given_to_the_rijk(c)
    last = by_id[(asks_last,)]
    assert last.text[: last.strong] == "Wie betaalt de dijken?"
    assert last.text.endswith("‘Samen plannen is goed, maar wie betaalt de dijken?’")
    first = by_id[(asks_first,)]
    assert first.text == ("Welke keuzes zijn onomkeerbaar? Een dilemma: "
                          "‘Een nieuwe snelweg ligt er voor decennia’.")
    assert first.strong == len("Welke keuzes zijn onomkeerbaar?")
    # Not a fragment after an abbreviation, nor a question no question word opens.
    assert _question_put("Wat betekent dit bijv. voor boeren in de regio?") is None
    assert _question_put("Het Rijk moet kiezen. Of toch niet?") is None
    assert _question_put("? ?") is None and _question_put("\U0001f914") is None
    # A question after its topic is the whole post: named by that topic, quoted whole.
    assert by_id[(topic,)].text.startswith("Verdringing, een dilemma: ‘Verdringing: hoeveel")


def test_every_bold_label_is_in_the_words_of_what_it_cites():
    """No invented words: a label comes from the contributions its sentence cites."""
    checked = 0
    for w, records in sample_werkplaatsen():
        by_id = {r.id: r for r in records}
        blocks = assemble(w, records).section("samenvatting").blocks
        for b in blocks:
            for s in getattr(b, "items", ()):
                if not s.strong or s.text.split(" kwam")[0] == s.text[: s.strong]:
                    continue  # a rode draad's sentence: its label is checked in test_rode_draden
                cited = {fold(x) for i in s.provenance.ids for x in words(by_id[i].text)}
                assert {fold(x) for x in words(s.text[: s.strong])} <= cited, s.text
                checked += 1
    assert checked >= 10


def test_a_remark_is_named_whole_or_cut_where_a_clause_begins_never_mid_phrase():
    c = Contributions()
    _bodemdaling(c)
    short = c.add(2, "Naast concurreren juist de krachten bundelen en meer van elkaar leren.",
                  label="opgave")
    clause = c.add(3, "Meer ruimte voor de rivier in het hele stroomgebied, zodat steden en dorpen "
                      "droge voeten houden bij hoog water.", label="opgave")
    long = c.add(4, "Een strategische visie met een actieprogramma voor een duurzame omgang met "
                    "dalende en bewegende bodem in het westen.", label="opgave")
    rambling = c.add(4, "ICT kan helpen om " + "de stromen van afval en water en energie " * 3
                     + "in kaart te brengen.", label="kans")
    said = {s.provenance.ids: s for s in
            _ook_genoemd(assemble(werkplaats(title="Water verbindt"), c.records))}
    named = {ids: s.text[: s.strong] for ids, s in said.items()}
    # Twelve words or fewer: whole, so "van elkaar leren" is not cut off.
    assert named[(short,)] == "Naast concurreren juist de krachten bundelen en meer van elkaar leren"
    # Longer: up to the clause ("zodat …"), a phrase of its own, with no ellipsis.
    assert named[(clause,)] == "Meer ruimte voor de rivier in het hele stroomgebied"
    # Longer without a clause: whole, its opening noun phrase in bold; nothing trails off.
    assert named[(long,)] == "Een strategische visie met een actieprogramma voor een duurzame omgang"
    assert said[(long,)].text.startswith(named[(long,)] + " met dalende en bewegende bodem in het "
                                         "westen (als opgave genoemd")
    # Too long to give whole (over 25 words): its first words, marked as cut, never ending
    # on "voor een".
    assert named[(rambling,)].endswith("\u2026")
    assert not named[(rambling,)].endswith(("een\u2026", "voor\u2026", "om\u2026"))


def test_a_short_remark_with_a_colon_keeps_what_follows_it():
    c = Contributions()
    _bodemdaling(c)
    flap = c.add(2, "Gezamenlijk verantwoordelijkheidsgevoel kweken: bewustwording en een "
                    "mentaliteitsverandering", participant_key=None, source=Source.FLAP.value,
                 label="opgave")
    named = {s.provenance.ids: s.text[: s.strong] for s in
             _ook_genoemd(assemble(werkplaats(title="Water verbindt"), c.records))}
    assert named[(flap,)].endswith("bewustwording en een mentaliteitsverandering")


def test_single_remarks_name_a_subject_once_and_never_the_title_alone():
    c = Contributions()
    _bodemdaling(c)
    c.add(1, "Luchtkwaliteit is slecht langs de snelweg.")
    c.add(3, "Luchtkwaliteit meten we nog te weinig.")
    c.add(2, "Fijnstof uit de haven.")
    c.add(4, "Fijnstof bij scholen.")
    labels = [s.text[: s.strong] for s in
              _ook_genoemd(assemble(werkplaats(title="Luchtkwaliteit in de stad"), c.records))]
    assert "Luchtkwaliteit" not in labels  # the werkplaats' own topic says nothing new
    assert len(labels) == len(set(labels))  # two remarks on fijnstof: named once


def test_a_pointing_die_or_dat_is_no_clause_to_cut_at():
    from noviwerk.synthesis.sections.samenvatting import _opening_phrase

    assert _opening_phrase("Meer groen in de wijk dat is nodig want het is heet in de zomer "
                           "en dat gaat niet over") == "Meer groen in de wijk"
    for text in ("We moeten investeren in die wijken want daar wonen de meeste mensen en "
                 "daar is het nodig",
                 "Meer bomen in de straat en die moeten ook water krijgen in de droge zomers "
                 "van later"):
        label = _opening_phrase(text)
        assert label.endswith("\u2026") and not label[:-1].endswith((" in", " en")), label


def test_a_marked_point_past_the_places_is_not_named_by_its_aside_alone():
    c = Contributions()
    for text in ("Zoutwaterindringing bij Rotterdam.", "Veenoxidatie stoppen.", "Kweldruk onder dijken.",
                 "Peilbeheer per gebied.", "Dijkversterking langs rivieren.", "Natuurinclusiviteit als eis."):
        c.add(2, text, label="opgave")
    c.add(2, "Recreatiedruk op het platteland, en hittestress in de zomer.", label="opgave")
    names = _named(assemble(werkplaats(title="Water verbindt"), c.records))
    assert len(names) == 6 and "Hittestress in de zomer" not in names
