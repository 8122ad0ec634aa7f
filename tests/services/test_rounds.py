"""Round operations as the facilitator uses them, without HTTP: open, close, reopen, move,
delete, the timer, and the grace period in which a just-closed round still takes text."""

from __future__ import annotations

from datetime import timedelta

import pytest

from noviwerk.domain import RoundState
from noviwerk.extensions import db
from noviwerk.models import utcnow
from noviwerk.services import participation, rounds, werkplaatsen
from noviwerk.services.errors import Invalid, NotFound


@pytest.fixture
def w(world):
    """An open werkplaats with five rounds (one per kernvraag), round 1 open."""
    return world.open_werkplaats(world.werkplaats())


def _states(w) -> list[str]:
    db.session.refresh(w)
    return [r.state.value for r in w.rounds]


def test_opening_a_round_closes_the_one_that_was_open(w):
    version = w.state_version
    rounds.open_round(w, w.rounds[1].id)
    assert _states(w) == ["gesloten", "open", "gepland", "gepland", "gepland"]
    assert w.rounds[0].closed_at is not None
    assert w.state_version > version  # phones and walls see the change


def test_a_closed_round_reopens_without_its_closing_time(w):
    rounds.open_round(w, w.rounds[1].id)
    rounds.open_round(w, w.rounds[0].id)
    assert _states(w)[:2] == ["open", "gesloten"]
    assert w.rounds[0].closed_at is None


def test_a_round_opens_only_in_an_open_werkplaats(world):
    w = world.werkplaats()
    with pytest.raises(Invalid, match="Open eerst de werkplaats"):
        rounds.open_round(w, w.rounds[0].id)
    assert _states(w)[0] == "gepland"


def test_closing_a_round_that_is_not_open_changes_nothing(w):
    version = w.state_version
    rounds.close_round(w, w.rounds[2].id)
    assert _states(w)[2] == "gepland" and w.state_version == version


def test_closing_the_werkplaats_closes_its_open_round(w):
    werkplaatsen.close_werkplaats(w)
    assert _states(w) == ["gesloten", "gepland", "gepland", "gepland", "gepland"]


def test_a_round_of_another_werkplaats_does_not_exist_here(w, world):
    other = world.werkplaats(programme=w.programme, title="Elders")
    for action in (rounds.open_round, rounds.close_round, rounds.delete_round):
        with pytest.raises(NotFound):
            action(w, other.rounds[0].id)
    with pytest.raises(NotFound):
        rounds.open_round(w, 2**70)  # a made-up id from a form is a NotFound, not a crash


def test_moving_a_round_swaps_it_with_its_neighbour(w):
    last = w.rounds[4].id
    rounds.move_round(w, last, -1)
    db.session.refresh(w)
    assert [r.id for r in w.rounds].index(last) == 3
    assert [r.position for r in w.rounds] == [1, 2, 3, 4, 5]
    first = w.rounds[0].id
    rounds.move_round(w, first, -1)  # already first: stays
    db.session.refresh(w)
    assert w.rounds[0].id == first


def test_a_round_with_input_or_open_is_not_deleted_and_the_rest_renumber(w):
    participant = participation.join(w)
    participation.post_contribution(participant, w.rounds[0].id, "Al gezegd")
    with pytest.raises(Invalid, match="heeft bijdragen"):
        rounds.delete_round(w, w.rounds[0].id)
    rounds.open_round(w, w.rounds[2].id)
    with pytest.raises(Invalid, match="Sluit de ronde"):
        rounds.delete_round(w, w.rounds[2].id)
    rounds.delete_round(w, w.rounds[1].id)
    db.session.refresh(w)
    assert [r.position for r in w.rounds] == [1, 2, 3, 4]


def test_save_round_adds_and_changes_a_round(w):
    new = rounds.save_round(
        w, None, prompt="  Wie  doet wat? ", kernvraag_id=None, planned_minutes=10, kind="citaat"
    )
    assert (new.position, new.prompt, new.kind.value) == (6, "Wie doet wat?", "citaat")
    rounds.save_round(w, new.id, prompt="Wie trekt?", kernvraag_id=None, planned_minutes=5)
    db.session.refresh(new)
    assert (new.prompt, new.planned_minutes, new.kind.value) == ("Wie trekt?", 5, "open")
    with pytest.raises(Invalid, match="Plan een ronde"):
        rounds.save_round(w, new.id, prompt="x", kernvraag_id=None, planned_minutes=0)


def test_timer_starts_extends_and_stops(w):
    rid = w.rounds[0].id
    rnd = rounds.timer(w, rid, "start")  # the planned 15 minutes
    assert 14 * 60 < rounds.seconds_left(rnd) <= 15 * 60
    rnd = rounds.timer(w, rid, "verlengen", 5)
    assert 19 * 60 < rounds.seconds_left(rnd) <= 20 * 60
    rnd.ends_at = utcnow() - timedelta(minutes=3)  # ran out: +1 counts from now
    db.session.commit()
    rnd = rounds.timer(w, rid, "verlengen")
    assert 50 < rounds.seconds_left(rnd) <= 60
    rnd = rounds.timer(w, rid, "stop")
    assert rounds.seconds_left(rnd) is None
    with pytest.raises(Invalid, match="Kies een tijd"):
        rounds.timer(w, rid, "start", 10_000)


def _closed_ago(w, index: int, seconds: float) -> None:
    rnd = w.rounds[index]
    rnd.closed_at = utcnow() - timedelta(seconds=seconds)
    db.session.commit()


def test_text_sent_within_the_grace_after_a_close_is_kept_and_marked_late(w):
    participant = participation.join(w)
    rounds.close_round(w, w.rounds[0].id)
    assert rounds.round_in_grace(w).id == w.rounds[0].id
    late, _new = participation.post_contribution(participant, w.rounds[0].id, "Net op tijd")
    assert late.is_late and late.round_id == w.rounds[0].id


def test_after_the_grace_text_is_refused_and_the_grace_is_over(w):
    participant = participation.join(w)
    rounds.close_round(w, w.rounds[0].id)
    _closed_ago(w, 0, w.rounds[0].grace_seconds + 1)
    with pytest.raises(Invalid, match="Deze ronde is gesloten"):
        participation.post_contribution(participant, w.rounds[0].id, "Te laat")
    assert rounds.round_in_grace(w) is None
    assert not rounds.still_in_grace(w, w.rounds[0].id)


def test_no_grace_while_another_round_is_open_but_late_text_still_lands(w):
    participant = participation.join(w)
    rounds.open_round(w, w.rounds[1].id)
    assert rounds.round_in_grace(w) is None  # the phone shows round 2
    assert rounds.still_in_grace(w, w.rounds[0].id)
    late, _new = participation.post_contribution(participant, w.rounds[0].id, "Was nog bezig")
    assert late.is_late


def test_a_voting_round_has_no_grace(w):
    rounds.configure(
        w, w.rounds[1].id, kind="stemmen", is_support_allowed=False, is_premoderated=False,
        votes_per_participant=3, grace_seconds=90,
    )  # fmt: skip
    rounds.open_round(w, w.rounds[1].id)
    rounds.close_round(w, w.rounds[1].id)
    db.session.refresh(w)
    assert w.rounds[1].state == RoundState.GESLOTEN
    assert rounds.round_in_grace(w) is None
    assert not rounds.still_in_grace(w, w.rounds[1].id)
