"""Searching a programme through the services, on the database's own full-text engine
(FTS5 on SQLite, ``dutch`` text search on PostgreSQL): stems, filters, who finds what, and
an index that follows every write in its own transaction.

The stem pairs asked for are ones both engines' Dutch stemmers join; see
synthesis/search.py for what they do not ("steden"/"stad", the parts of "bodemdaling").
"""

from __future__ import annotations

import pytest

from noviwerk.extensions import db
from noviwerk.models import Contribution
from noviwerk.services import bouwsteen, moderation, participation, search
from tests.conftest import fresh, set_round

TEXTS = (
    "Bodemdaling in het veenweidegebied gaat door",
    "De boer moet ruimte krijgen voor natuur",
    "Elke regio kiest haar eigen energiemix",
    "Betaalbare woningen in de dalende bodem van het westen",
    "Dijken versterken langs de rivieren",
)


@pytest.fixture
def room(world):
    """A facilitator and a trekker of one werkplaats (theme Klimaat) with TEXTS in round 1
    (each from its own phone, veld maatschappelijk), and a second werkplaats (theme Natuur)
    of another facilitator in the same programme."""
    fac, trekker, w = world.with_posts(TEXTS)
    other_fac = world.user("ander@example.test")
    natuur = w.programme.themes[1]
    other = world.werkplaats(w.programme, title="Natuur en landschap", facilitators=[other_fac])
    from noviwerk.services import werkplaatsen

    werkplaatsen.save_werkplaats(
        w.programme, title=other.title, starts_at=other.starts_at, theme_id=natuur.id,
        facilitator_ids=[other_fac.id], werkplaats=other,
    )  # fmt: skip
    world.open_werkplaats(other, round_position=2)
    p = participation.join(other, veld="kennis en advies")
    participation.post_contribution(
        p, other.rounds[1].id, "Boeren beheren het landschap", label="kans"
    )
    return fac, trekker, other_fac, w, other


def _find(programme, user, q, **args) -> list[str]:
    fresh()
    args = {"q": q, **{k: str(v) for k, v in args.items()}}
    werkplaatsen = search.viewable(programme, user)
    f = search.parse_filter(args, programme, werkplaatsen)
    result = search.search(programme, user, f)
    return ["".join(t for t, _ in hit.segments) for hit in result.contributions]


def _marked(programme, user, q) -> list[list[str]]:
    fresh()
    f = search.parse_filter({"q": q}, programme, search.viewable(programme, user))
    result = search.search(programme, user, f)
    return [[t for t, hit in h.segments if hit] for h in result.contributions]


def _admin(world):
    return world.user("beheer@example.test", role="beheerder")


@pytest.mark.parametrize(
    ("asked", "found"),
    [
        ("bodemdaling", "Bodemdaling in het veenweidegebied gaat door"),
        ("BODEMDALING", "Bodemdaling in het veenweidegebied gaat door"),
        ("boeren", "De boer moet ruimte krijgen voor natuur"),  # plural finds singular
        ("regio's", "Elke regio kiest haar eigen energiemix"),
        ("woning", "Betaalbare woningen in de dalende bodem van het westen"),  # and back
        ("dijk", "Dijken versterken langs de rivieren"),
        ("dalend", "Betaalbare woningen in de dalende bodem van het westen"),
    ],
)
def test_words_are_found_by_their_stem(room, world, asked, found):
    fac, _t, _o, w, _other = room
    assert found in _find(w.programme, fac, asked)


def test_every_word_must_occur_and_a_quoted_group_is_a_phrase(room):
    fac, _t, _o, w, _other = room
    assert _find(w.programme, fac, "woningen westen") == [TEXTS[3]]
    assert _find(w.programme, fac, "woningen rivieren") == []
    assert _find(w.programme, fac, '"dalende bodem"') == [TEXTS[3]]
    assert _find(w.programme, fac, '"bodem dalende"') == []
    # A compound is one word to both engines: its parts are not asked for.
    assert _find(w.programme, fac, "bodemdaling") == [TEXTS[0]]


def test_hits_are_marked_as_written(room):
    fac, _t, _o, w, _other = room
    assert _marked(w.programme, fac, "boeren") == [["boer"]]
    assert _marked(w.programme, fac, "woning westen") == [["woningen", "westen"]]


def test_stop_words_and_signs_alone_ask_nothing(room):
    fac, _t, _o, w, _other = room
    for typed in ("de het", "?!", ""):
        f = search.parse_filter({"q": typed}, w.programme, search.viewable(w.programme, fac))
        result = search.search(w.programme, fac, f)
        assert not result.query and result.message and result.count == 0
    f = search.parse_filter({}, w.programme, [])
    assert search.search(w.programme, fac, f).message == ""  # the page, not yet asked


def test_hidden_withdrawn_and_waiting_contributions_are_not_found(room, world):
    fac, _t, _o, w, _other = room
    ids = {c.text: c.id for c in db.session.query(Contribution).filter_by(werkplaats_id=w.id)}
    moderation.moderate(w, ids[TEXTS[0]], "verbergen", fac)
    assert _find(w.programme, fac, "bodemdaling") == []
    moderation.moderate(w, ids[TEXTS[0]], "terugzetten", fac)
    assert _find(w.programme, fac, "bodemdaling") == [TEXTS[0]]

    p = participation.join(w)
    c, _ = participation.post_contribution(p, w.rounds[0].id, "Zoute kwel bedreigt de akkers")
    assert _find(w.programme, fac, "kwel") == [c.text]
    participation.withdraw_contribution(p, c.id)
    assert _find(w.programme, fac, "kwel") == []

    set_round(w, 0, is_premoderated=True)
    waiting, _ = participation.post_contribution(p, w.rounds[0].id, "Wachtende zoutwig")
    assert _find(w.programme, fac, "zoutwig") == []
    moderation.moderate(w, waiting.id, "goedkeuren", fac)
    assert _find(w.programme, fac, "zoutwig") == ["Wachtende zoutwig"]


def test_a_merged_contribution_is_found_and_says_so(room):
    fac, _t, _o, w, _other = room
    ids = {c.text: c.id for c in db.session.query(Contribution).filter_by(werkplaats_id=w.id)}
    moderation.moderate(w, ids[TEXTS[3]], "samenvoegen", fac, str(ids[TEXTS[0]]))
    fresh()
    f = search.parse_filter({"q": "woningen"}, w.programme, search.viewable(w.programme, fac))
    (hit,) = search.search(w.programme, fac, f).contributions
    assert hit.is_merged


def test_only_werkplaatsen_the_reader_may_open_are_searched(room, world):
    fac, trekker, other_fac, w, other = room
    assert _find(w.programme, fac, "boer") == [TEXTS[1]]  # not the other werkplaats'
    assert _find(w.programme, other_fac, "boer") == ["Boeren beheren het landschap"]
    assert _find(w.programme, trekker, "boer") == [TEXTS[1]]
    assert sorted(_find(w.programme, _admin(world), "boer")) == sorted(
        [TEXTS[1], "Boeren beheren het landschap"]
    )
    # Asking for the other werkplaats by its id opens nothing either.
    fresh()
    f = search.parse_filter(
        {"q": "boer", "werkplaats": str(other.id)}, w.programme, search.viewable(w.programme, fac)
    )
    assert f.werkplaats_id is None and f.notices
    assert [h.werkplaats_id for h in search.search(w.programme, fac, f).contributions] == [w.id]


def test_filters(room, world):
    _f, _t, _o, w, other = room
    admin = _admin(world)
    klimaat, natuur = w.programme.themes
    kernvragen = w.programme.kernvragen
    both = sorted([TEXTS[1], "Boeren beheren het landschap"])
    assert sorted(_find(w.programme, admin, "boer")) == both
    assert _find(w.programme, admin, "boer", thema=natuur.id) == ["Boeren beheren het landschap"]
    assert _find(w.programme, admin, "boer", thema=klimaat.id) == [TEXTS[1]]
    assert _find(w.programme, admin, "boer", kernvraag=kernvragen[1].id) == [
        "Boeren beheren het landschap"
    ]
    assert _find(w.programme, admin, "boer", kernvraag=kernvragen[0].id) == [TEXTS[1]]
    assert _find(w.programme, admin, "boer", soort="kans") == ["Boeren beheren het landschap"]
    assert _find(w.programme, admin, "boer", soort="opgave") == []
    assert _find(w.programme, admin, "boer", veld="maatschappelijk") == [TEXTS[1]]
    assert _find(w.programme, admin, "boer", werkplaats=w.id) == [TEXTS[1]]


def test_a_filter_not_understood_is_dropped_with_a_notice(room, world):
    _f, _t, _o, w, _other = room
    admin = _admin(world)
    fresh()
    f = search.parse_filter(
        {"q": "boer", "soort": "praatje", "veld": "x", "thema": "999", "kernvraag": "a"},
        w.programme,
        search.viewable(w.programme, admin),
    )
    assert (f.label, f.veld, f.theme_id, f.kernvraag_id) == (None, None, None, None)
    assert len(f.notices) == 4


def test_the_index_follows_an_edit_in_the_same_transaction(room):
    fac, _t, _o, w, _other = room
    fresh()
    c = db.session.query(Contribution).filter_by(text=TEXTS[4]).one()
    c.text = "Kwelders aanleggen langs de kust"
    db.session.flush()  # not committed: the search in this transaction sees the new text
    f = search.parse_filter({"q": "kwelders"}, w.programme, search.viewable(w.programme, fac))
    assert [h.id for h in search.search(w.programme, fac, f).contributions] == [c.id]
    f = search.parse_filter({"q": "dijken"}, w.programme, search.viewable(w.programme, fac))
    assert search.search(w.programme, fac, f).contributions == ()
    db.session.rollback()  # and the index goes back with the row
    assert _find(w.programme, fac, "kwelders") == []
    assert _find(w.programme, fac, "dijken") == [TEXTS[4]]


def test_a_participants_edit_is_found_at_once(room, world):
    fac, _t, _o, w, _other = room
    p = participation.join(w)
    c, _ = participation.post_contribution(p, w.rounds[0].id, "Meer groen in de wijk")
    participation.edit_contribution(p, c.id, "Meer bomen in de wijk")
    assert _find(w.programme, fac, "bomen") == ["Meer bomen in de wijk"]
    assert _find(w.programme, fac, "groen") == []


def _passages(programme, user, q, **args):
    fresh()
    args = {"q": q, **{k: str(v) for k, v in args.items()}}
    f = search.parse_filter(args, programme, search.viewable(programme, user))
    return search.search(programme, user, f).passages


def test_the_bouwsteen_text_is_found_by_its_readers_only(room):
    fac, trekker, other_fac, w, _other = room
    made = bouwsteen.open_draft(w, trekker)
    hits = _passages(w.programme, trekker, "veenweidegebied")
    assert hits and {h.werkplaats_id for h in hits} == {w.id}
    assert all(h.section_id != "bijlage" for h in hits)  # the bijlage's items are contributions
    assert any("veenweidegebied" in [t for t, m in h.segments if m] for h in hits)
    assert _passages(w.programme, other_fac, "veenweidegebied") == ()

    # The trekker rewrites the samenvatting: the old words leave, the new are found at once.
    fresh()
    made = bouwsteen.find(w)
    bouwsteen.edit_section(
        made, "samenvatting", "De werkplaats pleit voor zoetwaterbuffers.", trekker
    )
    hits = _passages(w.programme, fac, "zoetwaterbuffers")
    assert [(h.section_id, h.section_title) for h in hits] == [("samenvatting", "Samenvatting")]
    assert "samenvatting" not in {
        h.section_id for h in _passages(w.programme, fac, "veenweidegebied")
    }


def test_bouwsteen_sections_follow_the_kernvraag_filter_and_skip_soort_and_veld(room):
    fac, trekker, _o, w, _other = room
    bouwsteen.open_draft(w, trekker)
    kernvragen = w.programme.kernvragen
    in_k1 = _passages(w.programme, fac, "dijken", kernvraag=kernvragen[0].id)
    assert {h.section_id for h in in_k1} == {"kernvraag-1"}
    assert _passages(w.programme, fac, "dijken", kernvraag=kernvragen[1].id) == ()
    assert _passages(w.programme, fac, "dijken", veld="maatschappelijk") == ()


def test_the_database_searches_with_its_own_engine(room):
    """FTS5 tables on SQLite; on PostgreSQL the GIN index on to_tsvector('dutch', text),
    which the planner takes for the search's own expression."""
    import sqlalchemy as sa

    fac, _t, _o, w, _other = room
    fresh()
    if db.engine.dialect.name == "sqlite":
        tables = set(
            db.session.scalars(sa.text("SELECT name FROM sqlite_master WHERE sql LIKE '%fts5%'"))
        )
        assert tables == {"contribution_fts", "bouwsteen_passage_fts"}
        return
    from noviwerk.synthesis.search import parse_query

    db.session.execute(sa.text("SET LOCAL enable_seqscan = off"))
    ranked = search._ranked(Contribution.__table__.c.text, "", parse_query("boeren"))
    asked = sa.select(ranked.c.id).compile(db.engine, compile_kwargs={"literal_binds": True})
    plan = "\n".join(db.session.scalars(sa.text(f"EXPLAIN {asked}")))
    assert "ix_contribution_text_dutch" in plan


def test_the_migration_indexes_what_is_already_there(app, room):
    """Made on a database that holds contributions and a bouwsteen (an upgrade in place),
    the index finds them at once."""
    from alembic.script import ScriptDirectory
    from flask_migrate import downgrade, upgrade

    from noviwerk.models import Programme, User

    fac, trekker, _o, w, _other = room
    bouwsteen.open_draft(w, trekker)
    pid, fac_id = w.programme_id, fac.id
    db.session.remove()  # the migration takes the database to itself
    config = app.extensions["migrate"].migrate.get_config()
    before = ScriptDirectory.from_config(config).get_revision("0012").down_revision
    downgrade(revision=before)
    upgrade()
    programme, fac = db.session.get(Programme, pid), db.session.get(User, fac_id)
    assert _find(programme, fac, "boeren") == [TEXTS[1]]
    assert _passages(programme, fac, "veenweidegebied")


def test_a_withdrawn_text_leaves_the_bouwsteen_passages_too(room):
    """Withdrawing scrubs the text out of the stored bouwsteen versions; the index follows."""
    import sqlalchemy as sa

    _fac, trekker, _other_fac, w, _other = room
    bouwsteen.open_draft(w, trekker)
    assert _passages(w.programme, trekker, "energiemix")
    fresh()
    c = db.session.scalar(sa.select(Contribution).where(Contribution.text.contains("energiemix")))
    participation.withdraw_contribution(c.participant, c.id)
    assert _passages(w.programme, trekker, "energiemix") == ()
