"""The pure side of search: reading a query, the stemmed copy FTS5 indexes, highlights and
excerpts, and a bouwsteen's text per section."""

from __future__ import annotations

from noviwerk.synthesis import search
from noviwerk.synthesis.document import (
    BIJLAGE,
    AppendixItem,
    AppendixRound,
    Document,
    Head,
    Note,
    PointList,
    Provenance,
    Section,
    Sentence,
)


def test_a_query_is_read_into_required_words_and_phrases():
    q = search.parse_query('  Boeren  "dalende bodem" regio\'s ')
    assert q.groups == (("boeren",), ("dalende", "bodem"), ("regio",))
    assert q.fts5() == '"boer" "dalend bodem" "regio"'
    assert q.phrases() == ["boeren", "dalende bodem", "regio"]


def test_stop_words_signs_and_fts5_syntax_ask_nothing():
    assert not search.parse_query("de het en")
    assert not search.parse_query('?! "" *')
    # FTS5's operators are words like any other, and only quoted stems reach MATCH.
    q = search.parse_query("water OR NEAR(boer) -zout")
    assert q.fts5() == '"water" "or" "near boer" "zout"'
    assert not search.has_words("?!") and search.has_words("de")


def test_the_indexed_copy_and_the_query_stem_alike():
    assert search.index_text("De boeren en de woningen in Regio's") == "boer woning regio"
    assert search.parse_query("boer woning regio").terms <= set(
        search.index_text("De boeren en de woningen in Regio's").split()
    )
    assert search.index_text("Agrariërs") == search.index_text("agrariers")


def test_highlight_marks_the_words_as_written():
    terms = search.parse_query("boer").terms
    assert search.highlight("Boeren, en de boer!", terms) == (
        ("Boeren", True),
        (", en de ", False),
        ("boer", True),
        ("!", False),
    )
    assert search.highlight("niets", terms) == (("niets", False),)


def test_an_excerpt_is_cut_around_the_first_hit():
    text = (
        " ".join(f"woord{i}" for i in range(100))
        + " bodemdaling "
        + " ".join(f"rest{i}" for i in range(100))
    )
    cut = search.excerpt(text, search.parse_query("bodemdaling").terms, words=20)
    assert cut[0] == ("… ", False) and cut[-1] == (" …", False)
    assert ("bodemdaling", True) in cut
    assert len("".join(t for t, _ in cut).split()) <= 22
    short = search.excerpt("Korte bodemdaling", search.parse_query("bodemdaling").terms)
    assert short == (("Korte ", False), ("bodemdaling", True))


def test_passages_are_the_sections_with_text_without_the_bijlage():
    s = Sentence("Boeren zoeken ruimte.", Provenance((1,), (1,)))
    document = Document(
        title="Bouwsteen",
        status_note="",
        head=Head(werkplaats_id=1, title="W", programme="P"),
        sections=(
            Section("samenvatting", "Samenvatting", (Note("Kort."), PointList((s,)))),
            Section("leeg", "Leeg", ()),
            Section(
                BIJLAGE, "Bijlage", (AppendixRound(1, "?", 1, "K", (AppendixItem(1, 1, 1, "x"),)),)
            ),
        ),
    )
    assert search.passages(document) == [
        search.Passage("samenvatting", "Samenvatting", "Kort.\nBoeren zoeken ruimte.")
    ]
