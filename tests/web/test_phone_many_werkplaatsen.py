"""A phone that joins many werkplaatsen (a participant of a whole programme): remembered in
each, never counted twice, and its cookie stays the same size however many it joined."""

from __future__ import annotations

import sqlalchemy as sa

from noviwerk.extensions import db
from noviwerk.models import Participant
from tests.conftest import fresh, join, post_form

MANY = 40


def _cookie_size(phone) -> int:
    cookie = phone.get_cookie("session")
    return len(cookie.value) if cookie else 0


def test_a_phone_in_forty_werkplaatsen_is_remembered_in_each_and_counted_once(app, world):
    fac = world.user()
    programme = world.programme()
    codes = []
    for i in range(MANY):
        w = world.werkplaats(programme, title=f"Werkplaats {i}", facilitators=[fac])
        world.open_werkplaats(w)
        codes.append(w.join_code)
    phone = app.test_client()
    sizes = []
    for code in codes:
        join(phone, code, display_name="Anna")
        sizes.append(_cookie_size(phone))
    for code in codes:  # back to each: the phone's page, not the welcome form
        r = phone.get(f"/w/{code}")
        assert r.status_code == 200, (code, r.headers.get("Location"))
        r = post_form(phone, f"/w/{code}/welkom", {"display_name": "Anna B."}, page=f"/w/{code}")
        assert r.status_code == 303
    fresh()
    counts = db.session.execute(
        sa.select(Participant.werkplaats_id, sa.func.count()).group_by(Participant.werkplaats_id)
    ).all()
    assert len(counts) == MANY and {n for _w, n in counts} == {1}
    names = set(db.session.scalars(sa.select(Participant.display_name)))
    assert names == {"Anna B."}
    assert max(sizes) == sizes[0], sizes  # the cookie did not grow with every werkplaats
    assert max(sizes) < 300


def test_the_participants_of_one_phone_cannot_be_linked_across_werkplaatsen(app, world):
    """Whoever reads the database sees a different token for the same phone in each."""
    fac = world.user()
    programme = world.programme()
    phone = app.test_client()
    for i in range(2):
        w = world.werkplaats(programme, title=f"Werkplaats {i}", facilitators=[fac])
        world.open_werkplaats(w)
        join(phone, w.join_code)
    fresh()
    tokens = list(db.session.scalars(sa.select(Participant.token)))
    assert len(set(tokens)) == 2
    device = phone.get_cookie("session").value
    assert not any(t in device for t in tokens)
