"""Nothing typed is lost on a bad connection: the phone's outbox keeps a post until the
server has committed it, re-sends it with the same key (also after a reload), and a re-send
of a post that did arrive never doubles it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from noviwerk.extensions import db
from noviwerk.models import Contribution
from tests.conftest import fresh
from tests.e2e.conftest import browser_join

pytestmark = pytest.mark.browser


def _stored() -> list[str]:
    fresh()
    return db.session.scalars(sa.select(Contribution.text).order_by(Contribution.id)).all()


def _send(phone, text):
    phone.get_by_role("textbox", name="Jouw bijdrage").fill(text)
    phone.get_by_role("button", name="Versturen").click()


def test_server_errors_keep_the_text_across_a_reload_until_it_is_stored_once(world, new_page):
    _fac, w = world.live()
    phone = new_page("phone")
    browser_join(phone, w.join_code)
    failing = {"on": True}

    def flaky(route):
        if route.request.method == "POST" and failing["on"]:
            route.fulfill(status=503, body="Service Unavailable")
        else:
            route.continue_()

    phone.route("**/bijdragen", flaky)
    text = "Ingetypt terwijl de server herstart"
    _send(phone, text)
    expect(phone.locator("#outbox")).to_contain_text(text)
    expect(phone.locator("#outbox")).to_contain_text("nog niet verzonden")
    expect(phone.locator("#own-list")).not_to_contain_text(text)
    assert _stored() == []

    phone.reload()  # the phone's browser was closed and opened again
    expect(phone.locator("#outbox")).to_contain_text(text)
    failing["on"] = False
    expect(phone.locator("#own-list .own-text")).to_have_text([text], timeout=20_000)
    expect(phone.locator("#outbox")).to_have_count(0)
    assert _stored() == [text]
    phone.reload()
    phone.wait_for_timeout(1500)  # a retry that should not happen would have happened by now
    assert _stored() == [text]


def test_an_answer_lost_after_commit_does_not_double_the_post(world, new_page):
    _fac, w = world.live()
    phone = new_page("phone")
    browser_join(phone, w.join_code)
    lost = {"first": True}

    def lose_first_answer(route):
        if route.request.method == "POST" and lost["first"]:
            lost["first"] = False
            route.fetch()  # the server stores it ...
            route.abort("connectionreset")  # ... but the answer never reaches the phone
        else:
            route.continue_()

    phone.route("**/bijdragen", lose_first_answer)
    text = "Verstuurd in een tunnel"
    _send(phone, text)
    expect(phone.locator("#own-list .own-text")).to_have_text([text], timeout=20_000)
    expect(phone.locator("#outbox")).to_have_count(0)
    assert _stored() == [text]


def _failing_posts(phone):
    failing = {"on": True}

    def flaky(route):
        if route.request.method == "POST" and failing["on"]:
            route.fulfill(status=503, body="Service Unavailable")
        else:
            route.continue_()

    phone.route("**/bijdragen", flaky)
    return failing


def test_a_retry_keeps_the_soort_picked_in_a_labelled_round(world, new_page):
    from noviwerk.domain import RoundKind
    from noviwerk.models import Round
    from noviwerk.services import werkplaatsen

    _fac, w = world.live()
    rnd = db.session.get(Round, w.rounds[0].id)
    rnd.kind = RoundKind.LABELLED
    werkplaatsen.bump_state(rnd.werkplaats)
    db.session.commit()
    phone = new_page("phone")
    browser_join(phone, w.join_code)
    failing = _failing_posts(phone)
    phone.get_by_label("Wat voor bijdrage is het?").select_option("dilemma")
    text = "Wonen of water: allebei kan niet overal"
    _send(phone, text)
    expect(phone.locator("#outbox")).to_contain_text("nog niet verzonden")
    failing["on"] = False
    expect(phone.locator("#own-list .own-text")).to_have_text([text], timeout=20_000)
    expect(phone.locator("#outbox")).to_have_count(0)
    fresh()
    assert db.session.scalars(sa.select(Contribution.label)).all() == ["dilemma"]
    assert not [p for p in phone.problems if "503" not in p], phone.problems


def test_unsent_text_survives_a_new_join_code(world, new_page):
    from noviwerk.models import Participant, Werkplaats
    from noviwerk.services import werkplaatsen

    _fac, w = world.live()
    phone = new_page("phone")
    browser_join(phone, w.join_code, name="Anna")
    failing = _failing_posts(phone)
    text = "Verstuurd vlak voor de nieuwe code"
    _send(phone, text)
    expect(phone.locator("#outbox")).to_contain_text(text)

    werkplaatsen.open_werkplaats(w, new_code=True)  # "Nieuwe code maken"
    fresh()
    new = db.session.get(Werkplaats, w.id).join_code
    failing["on"] = False
    phone.goto(f"/w/{new}")  # the phone opens the new code: still Anna, outbox and all
    phone.wait_for_url(f"**/w/{new}")
    expect(phone.locator("#own-list .own-text")).to_have_text([text], timeout=20_000)
    expect(phone.locator("#outbox")).to_have_count(0)
    assert _stored() == [text]
    fresh()
    assert db.session.scalars(sa.select(Participant.display_name)).all() == ["Anna"]
    assert not [p for p in phone.problems if "503" not in p], phone.problems


def test_a_phone_told_to_wait_says_so_and_sends_the_text_itself_afterwards(world, new_page):
    """429 (a phone sending faster than a person types): "even wachten", the text kept in
    the outbox, and sent by itself once the Retry-After has passed."""
    _fac, w = world.live()
    phone = new_page("phone")
    browser_join(phone, w.join_code)
    told = {"to_wait": True}

    def too_fast(route):
        if route.request.method == "POST" and told["to_wait"]:
            told["to_wait"] = False
            route.fulfill(status=429, headers={"Retry-After": "3"}, body="<p>Even wachten</p>")
        else:
            route.continue_()

    phone.route("**/bijdragen", too_fast)
    text = "Snel nog even dit"
    _send(phone, text)
    expect(phone.locator("#flash")).to_contain_text("Even wachten: je stuurt veel achter elkaar")
    expect(phone.locator("#flash")).to_contain_text("over 3 seconden vanzelf verstuurd")
    expect(phone.locator("#outbox")).to_contain_text(text)
    phone.wait_for_timeout(1500)
    assert _stored() == []  # not before the server said it could
    expect(phone.locator("#own-list .own-text")).to_have_text([text], timeout=20_000)
    expect(phone.locator("#outbox")).to_have_count(0)
    assert _stored() == [text]
