"""Joining and backing count people, not requests: a participant limit and lock per
werkplaats for newcomers, one token one participant, one +1 per participant, dots within
the round's number."""

from __future__ import annotations

import pytest

from noviwerk.domain import RoundKind
from noviwerk.extensions import db
from noviwerk.models import VoteOption
from noviwerk.services import joining, participation, support, voting
from noviwerk.services.errors import Forbidden, Invalid
from tests.conftest import fresh, set_round


def test_a_phone_join_stops_at_the_limit_and_a_known_phone_still_gets_in(world):
    _fac, w = world.live()
    first = participation.join(w, "Anne", token="phone-a", default_limit=2)
    participation.join(w, "Bert", token="phone-b", default_limit=2)
    with pytest.raises(Forbidden, match="Deze werkplaats is vol: er doen al 2 deelnemers mee"):
        participation.join(w, "Cor", token="phone-c", default_limit=2)
    # The same phone again is no newcomer: its participant back, with its new name.
    again = participation.join(w, "Anne de Vries", token="phone-a", default_limit=2)
    assert again.id == first.id and again.display_name == "Anne de Vries"
    # The werkplaats' own number wins over the server's default.
    joining.set_participant_limit(w, "3")
    participation.join(w, "Cor", token="phone-c", default_limit=2)
    assert joining.participant_count(w) == 3


def test_the_lock_stops_newcomers_and_not_the_joined(world):
    _fac, w = world.live()
    participation.join(w, "Anne", token="phone-a", default_limit=100)
    joining.lock_joining(w, True)
    with pytest.raises(Forbidden, match="gesloten voor nieuwe deelnemers"):
        participation.join(w, "Bert", token="phone-b", default_limit=100)
    assert participation.join(w, "Anne", token="phone-a", default_limit=100)
    joining.lock_joining(w, False)
    participation.join(w, "Bert", token="phone-b", default_limit=100)
    assert joining.participant_count(w) == 2


def test_demo_data_and_imports_are_no_phones(world):
    _fac, w = world.live()
    joining.lock_joining(w, True)
    participation.join(w, "Uit de demo")  # no default_limit: neither limit nor lock applies
    assert joining.participant_count(w) == 1


@pytest.mark.parametrize("typed", ["0", "-3", "veel", "10001", "1e3", "٣"])
def test_a_limit_that_is_no_number_of_people_changes_nothing(world, typed):
    _fac, w = world.live()
    joining.set_participant_limit(w, "40")
    with pytest.raises(Invalid, match="Geef een aantal deelnemers van 1 tot 10000"):
        joining.set_participant_limit(w, typed)
    fresh()
    assert w.participant_limit == 40
    joining.set_participant_limit(w, "  ")  # empty: back to the server's default
    fresh()
    assert w.participant_limit is None and joining.participant_limit(w, 100) == 100


def test_a_plus_one_counts_once_per_participant(world):
    _fac, w = world.live()
    set_round(w, 0, is_support_allowed=True)
    author = participation.join(w, "Anne")
    fan = participation.join(w, "Bert")
    c, _new = participation.post_contribution(author, w.rounds[0].id, "Steun dit", "k1")
    for _ in range(60):  # sixty taps from one participant
        support.toggle_support(fan, c.id, on=True)
    fresh()
    assert c.support_count == 1
    support.toggle_support(participation.join(w, "Cor"), c.id, on=True)
    fresh()
    assert c.support_count == 2


def test_dots_stay_within_the_rounds_number_per_participant(world):
    _fac, w = world.live()
    author = participation.join(w, "Anne")
    voter = participation.join(w, "Bert")
    c, _new = participation.post_contribution(author, w.rounds[0].id, "Kies dit", "k1")
    set_round(w, 1, kind=RoundKind.VOTING, votes_per_participant=3)
    db.session.add(VoteOption(round_id=w.rounds[1].id, contribution_id=c.id, position=1))
    db.session.commit()
    from noviwerk.services import rounds

    rounds.open_round(w, w.rounds[1].id)
    for _ in range(3):
        voting.vote(voter, w.rounds[1].id, c.id, 1)
    with pytest.raises(Invalid, match="al je 3 stemmen gebruikt"):
        voting.vote(voter, w.rounds[1].id, c.id, 1)
    fresh()
    assert voting.votes_cast(w.rounds[1]) == (3, 1)
