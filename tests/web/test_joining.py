"""Who may still join: a participant limit per werkplaats and the facilitator's lock
("Werkplaats sluiten voor nieuwe deelnemers"); one browser is one participant however often
it joins. Phones that joined keep working throughout."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from noviwerk.extensions import db
from noviwerk.models import Participant
from tests.conftest import (
    Phone,
    contributions,
    csrf_token,
    fresh,
    join,
    login,
    post_form,
    werkplaats_url,
)


@pytest.fixture
def app(database_url):
    """A server whose default participant limit is 3, so a room fills in a test."""
    from noviwerk import create_app
    from tests.conftest import IsolatedClient, _base_config

    app = create_app({**_base_config(database_url), "NOVIWERK_PARTICIPANT_LIMIT": 3})
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _participants(w) -> int:
    fresh()
    return db.session.scalar(
        sa.select(sa.func.count(Participant.id)).where(Participant.werkplaats_id == w.id)
    )


def _regie(client, w, tail=""):
    return werkplaats_url(w, "regie", tail)


def test_a_full_werkplaats_turns_new_phones_away_with_a_dutch_page_and_keeps_the_joined(
    app, world
):
    _fac, w = world.live()
    phones = [world.phone(w) for _ in range(3)]
    newcomer = app.test_client()
    r = newcomer.get(f"/w/{w.join_code}", follow_redirects=True)
    assert r.status_code == 403
    page = r.get_data(as_text=True)
    assert "Meedoen kan nu niet" in page and "Deze werkplaats is vol" in page
    assert 'name="display_name"' not in page  # no form to fill in for nothing
    assert _participants(w) == 3

    # Those who joined go on: their page, their posts.
    assert phones[0].post("Ruimte voor water").status_code == 303
    assert [c.text for c in contributions(w)] == ["Ruimte voor water"]


def test_the_facilitator_raises_the_limit_in_the_regie(app, world, client):
    _fac, w = world.live()
    for _ in range(3):
        world.phone(w)
    login(client)
    page = client.get(_regie(client, w)).get_data(as_text=True)
    assert "3 van maximaal 3 deelnemers" in page and "Vol: nieuwe telefoons" in page

    r = post_form(client, _regie(client, w, "/meedoen/aantal"), {"aantal": "veel"}, page=_regie(client, w))
    assert r.status_code == 303  # back to the regie, with why
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Geef een aantal deelnemers van 1 tot 10000." in page
    assert "3 van maximaal 3 deelnemers" in page  # nothing changed

    r = post_form(client, _regie(client, w, "/meedoen/aantal"), {"aantal": "5"}, page=_regie(client, w))
    assert r.status_code == 303
    assert "3 van maximaal 5 deelnemers" in client.get(_regie(client, w)).get_data(as_text=True)
    world.phone(w)  # the fourth phone joins now
    assert _participants(w) == 4


def test_locking_the_werkplaats_stops_newcomers_only(app, world, client):
    _fac, w = world.live()
    anna = world.phone(w)
    login(client)
    page = client.get(_regie(client, w)).get_data(as_text=True)
    assert "Werkplaats sluiten voor nieuwe deelnemers" in page
    r = post_form(client, _regie(client, w, "/meedoen/sluiten"), page=_regie(client, w))
    assert r.status_code == 303
    assert "Gesloten voor nieuwe deelnemers" in client.get(_regie(client, w)).get_data(as_text=True)

    newcomer = app.test_client()
    r = newcomer.get(f"/w/{w.join_code}/welkom")
    assert r.status_code == 403
    assert "gesloten voor nieuwe deelnemers" in r.get_data(as_text=True)
    # A welcome form loaded before the lock and sent after it: refused the same way.
    assert _participants(w) == 1

    assert anna.post("Ik doe gewoon mee").status_code == 303
    assert anna.page()  # and still sees her phone

    post_form(client, _regie(client, w, "/meedoen/openen"), page=_regie(client, w))
    join(newcomer, w.join_code)
    assert _participants(w) == 2


def test_a_welcome_form_sent_after_the_lock_is_refused(app, world):
    _fac, w = world.live()
    from noviwerk.services import joining

    phone = app.test_client()
    token = csrf_token(phone, f"/w/{w.join_code}/welkom")
    joining.lock_joining(w, True)
    r = phone.post(f"/w/{w.join_code}/welkom", data={"csrf_token": token, "display_name": "Bas"})
    assert r.status_code == 403
    assert "gesloten voor nieuwe deelnemers" in r.get_data(as_text=True)
    assert _participants(w) == 0


def test_one_browser_joining_again_and_again_is_one_participant(app, world):
    _fac, w = world.live()
    phone = app.test_client()
    url = f"/w/{w.join_code}/welkom"
    # Two tabs (or a double tap) send the welcome form at once: both requests carry the
    # cookie the browser had before either answer came back. Then once more after joining.
    token = csrf_token(phone, url)
    before = phone.get_cookie("session").value
    for name in ("Anne", "Anne de Vries", "A. de Vries"):
        r = phone.post(url, data={"csrf_token": token, "display_name": name})
        assert r.status_code == 303
        if name == "Anne":
            phone.set_cookie("session", before)  # the second tab's request
    assert _participants(w) == 1
    fresh()
    assert db.session.scalar(sa.select(Participant.display_name)) == "A. de Vries"
    assert Phone(phone, w.join_code).post("Eén stem").status_code == 303


def test_a_phone_that_joined_is_not_turned_away_when_the_room_is_full(app, world):
    _fac, w = world.live()
    phones = [world.phone(w) for _ in range(3)]
    r = post_form(
        phones[0].client,
        f"/w/{w.join_code}/welkom",
        {"display_name": "Anne"},
        page=f"/w/{w.join_code}",
    )
    assert r.status_code == 303
    assert _participants(w) == 3
