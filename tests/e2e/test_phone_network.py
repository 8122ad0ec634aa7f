"""The phone's outbox on a really bad connection: an answer that never comes, and a second
tab that sends what the first one was still holding. Nothing may stay stuck on
"bezig met verzenden…" or "nog niet verzonden" once the server has the text."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from noviwerk.extensions import db
from tests.conftest import fresh
from tests.e2e.conftest import browser_join
from tests.e2e.test_outbox import _send, _stored

pytestmark = pytest.mark.browser


def _short_timeout(phone, ms: int = 1500):
    """Serve the phone page with a short request timeout, so a test need not wait 15 s."""

    def shorten(route):
        response = route.fetch()
        body = response.text().replace('"timeout":15000', f'"timeout":{ms}')
        route.fulfill(response=response, body=body)

    phone.route(
        "**/w/*",
        lambda route: (
            shorten(route)
            if route.request.method == "GET" and route.request.resource_type == "document"
            else route.fallback()
        ),
    )


def test_a_retry_whose_answer_never_comes_is_given_up_and_sent_again(world, new_page):
    _fac, w = world.live()
    phone = new_page("phone")
    browser_join(phone, w.join_code)
    _short_timeout(phone)
    phone.reload()
    posts, held = [], []

    def network(route):
        if route.request.method != "POST":
            return route.fallback()
        posts.append(route.request.url)
        if len(posts) == 1:
            route.fulfill(status=503, body="Service Unavailable")  # the htmx post: outbox
        elif len(posts) == 2:
            held.append(route)  # the first retry: the connection hangs, no answer ever
        else:
            route.fallback()

    phone.route("**/bijdragen", network)
    text = "Verstuurd over een hangende verbinding"
    _send(phone, text)
    expect(phone.locator("#outbox")).to_contain_text("bezig met verzenden", timeout=10_000)
    # The hanging try is given up after the timeout and the text is sent again, same key.
    expect(phone.locator("#own-list .own-text")).to_have_text([text], timeout=20_000)
    expect(phone.locator("#outbox")).to_have_count(0)
    expect(phone.locator("#flash")).to_contain_text("Ontvangen")
    assert len(posts) >= 3
    assert _stored() == [text]


def test_a_text_sent_by_another_tab_leaves_this_tab_s_outbox(world, new_page):
    _fac, w = world.live()
    first = new_page("phone")
    browser_join(first, w.join_code)
    first.route(
        "**/bijdragen",
        lambda route: (
            route.fulfill(status=503, body="Service Unavailable")
            if route.request.method == "POST"
            else route.fallback()
        ),
    )
    text = "Getypt in het eerste tabblad"
    _send(first, text)
    expect(first.locator("#outbox")).to_contain_text("nog niet verzonden")

    second = first.context.new_page()  # the same phone opens the werkplaats in a new tab
    second.goto(f"/w/{w.join_code}")
    expect(second.locator("#own-list .own-text")).to_have_text([text], timeout=10_000)
    expect(second.locator("#outbox")).to_have_count(0)

    # The first tab (whose own sends still fail) must not go on saying it will retry.
    expect(first.locator("#outbox")).to_have_count(0, timeout=5000)
    expect(first.locator("#own-list .own-text")).to_have_text([text], timeout=5000)
    assert _stored() == [text]


def test_a_retry_the_server_refuses_is_announced_and_the_counter_follows_the_text_box(
    world, new_page
):
    from noviwerk.models import Round
    from noviwerk.services import rounds

    _fac, w = world.live()
    phone = new_page("phone")
    browser_join(phone, w.join_code)
    failing = {"on": True}
    phone.route(
        "**/bijdragen",
        lambda route: (
            route.fulfill(status=503, body="Service Unavailable")
            if route.request.method == "POST" and failing["on"]
            else route.fallback()
        ),
    )
    text = "Getypt toen de ronde al dichtging"
    _send(phone, text)
    expect(phone.locator("#outbox")).to_contain_text("nog niet verzonden")
    # The text moved to the outbox: the box is empty again, and so says its counter.
    expect(phone.get_by_role("textbox", name="Jouw bijdrage")).to_have_value("")
    expect(phone.locator("#text-counter")).to_have_text("nog 500 tekens")

    fresh()
    rnd = db.session.get(Round, w.rounds[0].id)
    rnd.grace_seconds = 0
    db.session.commit()
    rounds.close_round(w, rnd.id)  # closed, no grace: the retry will be refused
    failing["on"] = False
    expect(phone.locator("#outbox")).to_contain_text("Kon niet worden opgeslagen", timeout=20_000)
    flash = phone.locator("#flash")
    expect(flash).to_contain_text("Kon niet worden opgeslagen")
    expect(flash).not_to_contain_text("wordt opnieuw geprobeerd")

    phone.get_by_role("button", name="Terugzetten in het tekstvak").click()
    expect(phone.get_by_role("textbox", name="Jouw bijdrage")).to_have_value(text)
    expect(phone.locator("#text-counter")).to_have_text(f"nog {500 - len(text)} tekens")
    assert _stored() == []


def test_a_wifi_login_page_answering_the_post_is_not_taken_for_ontvangen(world, new_page):
    _fac, w = world.live()
    phone = new_page("phone")
    browser_join(phone, w.join_code)
    portal = {"on": True}
    phone.route(
        "**/bijdragen",
        lambda route: (
            route.fulfill(status=200, body="<html><body><h1>Log in op het gastnetwerk</h1>")
            if route.request.method == "POST" and portal["on"]
            else route.fallback()
        ),
    )
    text = "Verstuurd via het gastnetwerk van de zaal"
    _send(phone, text)
    expect(phone.locator("#outbox")).to_contain_text("nog niet verzonden")
    expect(phone.locator("#flash")).not_to_contain_text("Ontvangen")
    expect(phone.get_by_role("button", name="Versturen")).to_be_visible()  # the form stays
    assert _stored() == []
    portal["on"] = False
    expect(phone.locator("#own-list .own-text")).to_have_text([text], timeout=20_000)
    expect(phone.locator("#outbox")).to_have_count(0)
    assert _stored() == [text]
