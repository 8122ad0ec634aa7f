"""Participants' data under the AVG, without HTTP: a withdrawn text leaves every saved
version, a participant's data is removed on request, and names go after the retention period."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from noviwerk.domain import ContributionState, RoundState, retention_ends
from noviwerk.extensions import db
from noviwerk.models import Contribution, Participant, User
from noviwerk.services import ansichtkaart as ansichtkaarten
from noviwerk.services import ansichtkaart_edits, avg, export_jobs, participation, phone_access
from noviwerk.services import bouwsteen as bouwstenen
from noviwerk.services.contributions import contribution_records
from noviwerk.services.errors import Forbidden, NotFound
from noviwerk.synthesis.withdrawn import WITHDRAWN
from tests.conftest import fresh, set_round

MINE = "Een landelijk loket voor bodemdaling waar gemeenten met hun vragen terecht kunnen"
THEIRS = "Het Rijk moet de regie nemen over de verdeling van zoet water in droge zomers"


def _link(token: str) -> str:
    return f"https://noviwerk.example/b/{token}"


@pytest.fixture
def room(world):
    """An open werkplaats whose kernvraag-5 round took a post from Anna and one from Bob."""
    _fac, w = world.live()
    set_round(w, 4, RoundState.OPEN)
    rid = w.rounds[4].id
    anna = participation.join(w, "Anna de Vries", "Gemeente Gouda", "interbestuurlijk")
    bob = participation.join(w, "Bob", "Waterschap", "maatschappelijk")
    mine, _new = participation.post_contribution(anna, rid, MINE, "k-anna")
    participation.post_contribution(bob, rid, THEIRS, "k-bob")
    return w, anna, bob, mine


def _stored(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def test_a_withdrawn_text_leaves_earlier_bouwsteen_and_ansichtkaart_versions(room):
    w, anna, _bob, mine = room
    bouwsteen = bouwstenen.open_draft(w, None)
    ansichtkaart_edits.generate(w, None, _link)
    fresh()
    version = bouwsteen.versions[0]
    card = ansichtkaarten.find(w).versions[0]
    assert MINE in _stored(version.document) and MINE.lower() in _stored(card.content).lower()
    cache = export_jobs.settings().cache_dir
    cache.mkdir(parents=True, exist_ok=True)
    (cache / "printed-before.pdf").write_bytes(b"%PDF " + MINE.encode())

    participation.withdraw_contribution(anna, mine.id)

    fresh()
    stored = db.session.get(Contribution, mine.id)
    assert stored.state == ContributionState.WITHDRAWN and stored.text == ""
    assert MINE not in _stored(version.document) and WITHDRAWN in _stored(version.document)
    assert THEIRS in _stored(version.document)  # Bob's words stay
    for kept in (card.content, card.machine):
        assert "loket voor bodemdaling" not in _stored(kept).lower()
    for fmt in ("md", "json", "csv"):
        body = bouwstenen.export(bouwsteen, fmt, version, options=export_jobs.settings())[0]
        assert "loket voor bodemdaling" not in body and THEIRS in body, fmt
    assert not (cache / "printed-before.pdf").exists()  # no PDF printed from it stays


def test_a_version_saved_before_the_post_is_left_alone(world):
    _fac, w = world.live()
    first = participation.join(w, "Eerste")
    participation.post_contribution(first, w.rounds[0].id, THEIRS, "k1")
    bouwsteen = bouwstenen.open_draft(w, None)
    before = dict(bouwsteen.versions[0].document)
    later = participation.join(w, "Later")
    c, _new = participation.post_contribution(later, w.rounds[0].id, MINE, "k2")
    participation.withdraw_contribution(later, c.id)
    fresh()
    assert bouwsteen.versions[0].document == before


def test_forgetting_a_participant_withdraws_everything_and_cuts_the_phone_off(room, world):
    w, anna, bob, mine = room
    token = anna.token
    set_round(w, 4, RoundState.GESLOTEN)  # also after the round closed
    assert avg.forget_participant(anna) == 1
    fresh()
    anna = db.session.get(Participant, anna.id)
    assert (anna.display_name, anna.organisation, anna.veld, anna.token) == ("", "", None, None)
    stored = db.session.get(Contribution, mine.id)
    assert stored.state == ContributionState.WITHDRAWN and stored.text == ""
    assert stored.organisation == ""
    assert [r.text for r in contribution_records(w)] == [THEIRS]
    _w, nobody = phone_access.werkplaats_for_phone(w.join_code, lambda _wid: [token])
    assert nobody is None
    assert db.session.get(Participant, bob.id).display_name == "Bob"


def test_only_a_beheerder_forgets_someone_else(room, world):
    _w, anna, _bob, _mine = room
    facilitator = db.session.scalar(sa.select(User).where(User.email == "fac@example.test"))
    with pytest.raises(Forbidden):
        avg.forget_participant(anna, by=facilitator)
    beheerder = world.user("beheer@example.test", role="beheerder")
    assert avg.forget_participant(anna, by=beheerder) == 1


def test_names_go_after_the_programmes_retention_period_and_contributions_stay(room, world):
    from noviwerk.services import werkplaatsen

    w, anna, bob, mine = room
    date = w.starts_at  # 22 November 2026, 10:00
    assert avg.clean_up(datetime(2029, 1, 1)) == 0  # still open: it waits until it closes
    werkplaatsen.close_werkplaats(w)
    fresh()
    end = avg.retention_end(w)
    assert end >= retention_ends(date, 12) and end >= retention_ends(w.closed_at, 12)
    assert avg.clean_up(end - timedelta(seconds=1)) == 0
    assert avg.clean_up(end) == 2
    fresh()
    for p in (db.session.get(Participant, anna.id), db.session.get(Participant, bob.id)):
        assert (p.display_name, p.organisation, p.token) == ("", "", None)
        assert p.veld is not None  # a veld names no one: the counts per veld stay right
    records = contribution_records(w)
    assert sorted(r.text for r in records) == sorted([MINE, THEIRS])
    assert all(r.organisation is None and r.participant_key for r in records)
    assert len({r.participant_key for r in records}) == 2  # still two people, named by none
    assert avg.clean_up(end) == 0  # done once


def test_each_programme_keeps_names_as_long_as_it_says(world):
    from noviwerk.services import programmes, werkplaatsen

    short = programmes.create_programme("Kort bewaard", retention_months=1)
    w = world.werkplaats(programme=short)
    world.open_werkplaats(w)
    participation.join(w, "Carla")
    werkplaatsen.close_werkplaats(w)
    fresh()
    assert avg.retention_end(w) == retention_ends(w.closed_at, 1)
    assert avg.clean_up(retention_ends(w.closed_at, 1)) == 1


def test_months_are_calendar_months():
    assert retention_ends(datetime(2026, 11, 22, 10), 12) == datetime(2027, 11, 22, 10)
    assert retention_ends(datetime(2027, 1, 31), 1) == datetime(2027, 2, 28)
    assert retention_ends(datetime(2028, 1, 31), 1) == datetime(2028, 2, 29)
    assert retention_ends(datetime(2026, 12, 15), 2) == datetime(2027, 2, 15)


def test_my_data_holds_everything_kept_about_me(room):
    w, anna, _bob, mine = room
    data = avg.my_data(anna)
    assert data["deelnemer"]["naam"] == "Anna de Vries"
    assert data["deelnemer"]["organisatie"] == "Gemeente Gouda"
    assert [c["tekst"] for c in data["bijdragen"]] == [MINE]
    body, mimetype, name = avg.my_data_file(anna, "csv")
    assert MINE in body and "Anna de Vries" in body and mimetype.startswith("text/csv")
    with pytest.raises(NotFound):
        avg.participant_of(w, 10**9)
