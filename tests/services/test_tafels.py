"""A werkplaats' tafels through the services: set up, seat and move participants, posts
stamped with the tafel the participant sits at, delete refused once something was said."""

from __future__ import annotations

import pytest

from noviwerk.services import participation, tafels
from noviwerk.services.errors import Invalid
from tests.conftest import contributions, fresh


def test_a_tafel_gets_a_name_a_focus_a_voorzitter_and_a_secret_link(world):
    fac, w = world.live()
    kernvraag = w.programme.kernvragen[1]
    t = tafels.save_tafel(
        w, "  Tafel   Water ", focus=f"kernvraag:{kernvraag.id}", voorzitter_name="Anne",
        voorzitter_id=str(fac.id),
    )  # fmt: skip
    fresh()
    assert (t.name, t.focus, t.voorzitter_display) == ("Tafel Water", kernvraag.title, "Anne")
    assert len(t.token) >= 24 and tafels.by_token(t.token).id == t.id
    renamed = tafels.save_tafel(w, "Tafel Bodem", focus=f"thema:{w.programme.themes[0].id}", tafel=t)
    assert (renamed.name, renamed.focus) == ("Tafel Bodem", w.programme.themes[0].name)


@pytest.mark.parametrize(
    ("name", "focus", "message"),
    [
        ("", "", "Geef de tafel een naam"),
        ("x" * 81, "", "hooguit 80 tekens"),
        ("Tafel 2", "kernvraag:99999", "Kies een thema of kernvraag"),
        ("tafel 1", "", "al een tafel met deze naam"),
    ],
)
def test_a_bad_tafel_is_refused_in_dutch_and_changes_nothing(world, name, focus, message):
    _fac, w = world.live()
    tafels.save_tafel(w, "Tafel 1")
    with pytest.raises(Invalid, match=message):
        tafels.save_tafel(w, name, focus=focus)
    fresh()
    assert [t.name for t in tafels.tafels_of(w)] == ["Tafel 1"]


def test_posts_keep_the_tafel_they_were_posted_at_when_the_participant_moves(world):
    _fac, w = world.live()
    a, b = tafels.save_tafel(w, "A"), tafels.save_tafel(w, "B")
    p = participation.join(w, "Piet")
    tafels.seat(p, a.id)
    participation.post_contribution(p, w.rounds[0].id, "Meer groen in de wijk", client_key="k1")
    tafels.seat(p, str(b.id))
    participation.post_contribution(p, w.rounds[0].id, "Water vasthouden", client_key="k2")
    assert [(c.text, c.tafel_id) for c in contributions(w)] == [
        ("Meer groen in de wijk", a.id),
        ("Water vasthouden", b.id),
    ]


def test_a_participant_must_pick_an_open_tafel_of_their_own_werkplaats(world):
    _fac, w = world.live()
    a = tafels.save_tafel(w, "A")
    closed = tafels.close_tafel(tafels.save_tafel(w, "Dicht"))
    elsewhere = tafels.save_tafel(world.werkplaats(w.programme, title="Elders"), "Elders")
    p = participation.join(w)
    with pytest.raises(Invalid, match="Kies aan welke tafel"):
        tafels.seat(p, "")
    with pytest.raises(Invalid, match="gesloten"):
        tafels.seat(p, closed.id)
    for other in (99999, elsewhere.id, "x"):
        with pytest.raises(Invalid, match="Kies een tafel uit de lijst"):
            tafels.seat(p, other)
    fresh()
    assert p.tafel_id is None
    tafels.seat(p, a.id)
    fresh()
    assert p.tafel_id == a.id


def test_a_closed_tafel_takes_no_more_posts_and_the_text_is_kept(world):
    _fac, w = world.live()
    a = tafels.save_tafel(w, "A")
    tafels.save_tafel(w, "B")  # still open (with none open, the werkplaats is one circle)
    p = participation.join(w)
    tafels.seat(p, a.id)
    tafels.close_tafel(a)
    with pytest.raises(Invalid, match="Je tafel is gesloten"):
        participation.post_contribution(p, w.rounds[0].id, "Nog iets", client_key="k1")
    assert contributions(w) == []


def test_a_tafel_with_contributions_cannot_be_deleted_only_closed(world):
    _fac, w = world.live()
    empty, used = tafels.save_tafel(w, "Leeg"), tafels.save_tafel(w, "Gebruikt")
    p = participation.join(w)
    tafels.seat(p, used.id)
    participation.post_contribution(p, w.rounds[0].id, "Iets", client_key="k1")
    with pytest.raises(Invalid, match="kan niet weg. Sluit de tafel"):
        tafels.delete_tafel(used)
    q = participation.join(w)
    tafels.seat(q, empty.id)
    tafels.delete_tafel(empty)
    fresh()
    assert [t.name for t in tafels.tafels_of(w)] == ["Gebruikt"]
    assert q.tafel_id is None


def test_the_voorzitter_types_the_flap_and_marks_three_main_points(world):
    _fac, w = world.live()
    t = tafels.save_tafel(w, "A")
    notes = [tafels.add_note(t, f"Punt {i}", "flap") for i in range(4)]
    assert {(c.source.value, c.tafel_id) for c in contributions(w)} == {("flap", t.id)}
    for c in notes[:3]:
        tafels.mark_point(t, c.id, True)
    with pytest.raises(Invalid, match="kiest 3 hoofdpunten"):
        tafels.mark_point(t, notes[3].id, True)
    tafels.mark_point(t, notes[0].id, False)
    tafels.mark_point(t, notes[3].id, True)
    fresh()
    assert [c.text for c in tafels.main_points(t)] == ["Punt 1", "Punt 2", "Punt 3"]
    with pytest.raises(Invalid, match="flap"):
        tafels.add_note(t, "Iets", "telefoon")
    tafels.close_tafel(t)
    with pytest.raises(Invalid, match="Deze tafel is gesloten; er kan niets meer bij"):
        tafels.add_note(t, "Na het sluiten", "mondeling")
    assert len(contributions(w)) == 4


def test_a_tafel_types_nothing_into_a_voting_round(world):
    """A stemronde takes dots, not texts: at a tafel as at the note-taker's table."""
    from noviwerk.domain import RoundKind
    from tests.conftest import set_round

    _fac, w = world.live()
    t = tafels.save_tafel(w, "A")
    set_round(w, 0, kind=RoundKind.VOTING, votes_per_participant=3)
    fresh()
    with pytest.raises(Invalid, match="In een stemronde worden geen bijdragen ingevoerd"):
        tafels.add_note(t, "Van de flap", "flap")
    assert contributions(w) == []


def test_a_post_committed_while_a_tafel_screen_reads_is_never_skipped(world, database_url):
    """Another process commits a post at the tafel while the screen's change query runs;
    the cursor the screen gets back must not pass it unsent (on PostgreSQL each statement
    sees what was committed before it began)."""
    import threading

    import sqlalchemy as sa

    from noviwerk import create_app
    from noviwerk.extensions import db
    from noviwerk.services import tafel_plenary
    from tests.conftest import _base_config

    _fac, w = world.live()
    t = tafels.save_tafel(w, "A")
    seated = participation.join(w, display_name="Ans")
    tafels.seat(seated, t.id)
    participation.post_contribution(seated, w.rounds[0].id, "Eerste punt", client_key="k1")
    start = w.last_seq
    pid, rid = seated.id, w.rounds[0].id
    other = create_app(_base_config(database_url))

    def post_elsewhere():
        from noviwerk.models import Participant

        with other.app_context():
            p = db.session.get(Participant, pid)
            participation.post_contribution(p, rid, "Tussendoor gepost", client_key="k2")
            db.session.remove()
            db.engine.dispose()

    fired = []

    def between(conn, cursor, statement, *_args):
        # Right after one of the two reads of the change query, once.
        if not fired and "FROM contribution" in statement and "tafel_id" in statement:
            fired.append(True)
            thread = threading.Thread(target=post_elsewhere)
            thread.start()
            thread.join(20)

    fresh()
    tafel = db.session.get(type(t), t.id)
    sa.event.listen(db.engine, "after_cursor_execute", between)
    try:
        sent, cursor = tafel_plenary.changes_after(tafel, start)
    finally:
        sa.event.remove(db.engine, "after_cursor_execute", between)
    assert fired
    fresh()
    again, _ = tafel_plenary.changes_after(db.session.get(type(t), t.id), cursor)
    texts = [c.contribution.text for c in sent] + [c.contribution.text for c in again]
    assert texts.count("Tussendoor gepost") == 1, (texts, cursor)
