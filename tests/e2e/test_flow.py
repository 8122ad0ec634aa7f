"""The room in a real browser: a phone joins and posts, the wall follows without reloading,
the phone follows the rounds without losing what is being typed; also without JavaScript."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from noviwerk.extensions import db
from noviwerk.models import Contribution
from tests.conftest import fresh, set_round
from tests.e2e.conftest import (
    browser_join,
    browser_login,
    mark_page,
    page_was_not_reloaded,
)

pytestmark = pytest.mark.browser


def _textarea(page):
    return page.get_by_role("textbox", name="Jouw bijdrage")


def test_phone_posts_and_the_wall_follows_live_through_edit_and_withdraw(
    world, new_page, monkeypatch
):
    # "Ingetrokken · Ongedaan maken" waits a second here, not six (test_phone_lists.py).
    monkeypatch.setattr("noviwerk.web.participant.WITHDRAW_UNDO_SECONDS", 1)
    _fac, w = world.live()
    code, title, prompt = w.join_code, w.title, w.rounds[0].prompt

    wall = new_page("desktop")
    browser_login(wall)
    wall.goto(f"/f/werkplaatsen/{w.id}/wall")
    expect(wall.get_by_role("heading", level=1)).to_have_text(title)
    expect(wall.locator(".wall-card")).to_have_count(0)
    mark_page(wall)

    phone = new_page("phone")
    typed_code = code[:4].lower() + " " + code[4:]
    browser_join(
        phone, typed_code, name="Anna", organisation="Provincie Utrecht", veld="interbestuurlijk"
    )
    expect(phone.locator("#round-panel")).to_contain_text("Ronde 1 van 5")
    expect(phone.locator("#round-panel h2")).to_have_text(prompt)
    expect(phone.get_by_text("Je hebt nog niets ingebracht.")).to_be_visible()
    mark_page(phone)

    text = "Water en bodem sturend maken bij elke ruimtelijke keuze"
    _textarea(phone).press_sequentially(text)
    phone.get_by_role("button", name="Versturen").click()
    expect(phone.locator("#flash")).to_contain_text("Ontvangen")
    expect(phone.locator("#own-list .own-text")).to_have_text([text])
    expect(phone.get_by_text("Je hebt nog niets ingebracht.")).to_be_hidden()
    expect(_textarea(phone)).to_have_value("")
    second = "Meer ruimte voor water in de stad"
    _textarea(phone).fill(second)
    phone.get_by_role("button", name="Versturen").click()
    # Only the new item comes back, and it goes first, above the earlier one.
    expect(phone.locator("#own-list .own-text")).to_have_text([second, text])
    assert page_was_not_reloaded(phone), "the post should be swapped in by htmx"
    phone.locator("#own-list li", has_text=second).get_by_role("button", name="Intrekken").click()
    expect(phone.locator("#own-list li", has_text=second)).to_contain_text("Ingetrokken")
    expect(phone.locator("#own-list .own-text")).to_have_text([text])

    card = wall.locator(".wall-card", has_text=text)
    expect(card).to_be_visible(timeout=5000)
    expect(card).to_contain_text("Anna · Provincie Utrecht · interbestuurlijk")
    expect(wall.locator("#wall-count-contributions")).to_have_text("1 bijdrage")
    expect(wall.locator("#wall-count-participants")).to_have_text("1 deelnemer")
    card_id = card.get_attribute("id")

    # Edit: the same card changes in place.
    phone.locator("#own-list").get_by_role("link", name="Aanpassen").click()
    phone.wait_for_url("**/bewerken")
    edit_area = phone.get_by_role("textbox", name="Bijdrage aanpassen")
    expect(edit_area).to_have_value(text)
    edited = "Water en bodem sturend, ook bij woningbouw"
    edit_area.fill(edited)
    phone.get_by_role("button", name="Opslaan").click()
    phone.wait_for_url(f"**/w/{code}")
    expect(phone.locator("#flash")).to_contain_text("Je bijdrage is aangepast.")
    expect(wall.locator(f"#{card_id} .wall-card-text")).to_have_text(edited, timeout=5000)
    expect(wall.locator(".wall-card")).to_have_count(1)
    expect(wall.get_by_text(text)).to_have_count(0)

    # Withdraw: the card leaves the wall.
    phone.locator("#own-list").get_by_role("button", name="Intrekken").click()
    expect(phone.locator("#flash")).to_contain_text("Je bijdrage is ingetrokken.")
    expect(phone.locator("#own-list")).to_contain_text("Je hebt nog niets ingebracht.")
    expect(wall.locator(".wall-card")).to_have_count(0, timeout=5000)
    expect(wall.locator("#wall-count-contributions")).to_have_text("0 bijdragen")
    assert page_was_not_reloaded(wall), "the wall should follow by itself, never reload"
    assert not phone.problems, phone.problems
    assert not wall.problems, wall.problems


def test_phone_posts_without_javascript(world, new_page):
    _fac, w = world.live()
    code = w.join_code
    phone = new_page("phone", java_script_enabled=False)
    browser_join(phone, code.lower())

    def is_post(r):
        return r.request.method == "POST" and r.url.endswith(f"/w/{code}/bijdragen")

    with phone.expect_response(is_post) as posted:
        phone.get_by_role("button", name="Versturen").click()
    assert posted.value.status == 422
    expect(phone.locator("#post-form .error")).to_contain_text("Je bijdrage is leeg.")

    text = "Zonder JavaScript moet het ook gewoon werken"
    _textarea(phone).fill(text)
    with phone.expect_response(is_post) as posted:
        phone.get_by_role("button", name="Versturen").click()
    assert posted.value.status == 303
    phone.wait_for_url(f"**/w/{code}")
    expect(phone.locator("#flash")).to_have_text("Ontvangen. Dank je wel!")
    expect(phone.locator("#own-list .own-text")).to_have_text([text])
    expect(_textarea(phone)).to_have_value("")
    fresh()
    assert db.session.scalars(sa.select(Contribution.text)).all() == [text]


def test_too_long_text_is_refused_in_dutch_and_kept_in_the_textarea(world, new_page):
    _fac, w = world.live()
    phone = new_page("phone")
    browser_join(phone, w.join_code)
    mark_page(phone)
    area = _textarea(phone)
    text = ("Te veel woorden voor één bijdrage. " * 20)[:500] + "x"
    assert len(text) == 501
    area.fill(text[:500])
    expect(phone.locator("#text-counter")).to_have_text("nog 0 tekens")
    # Nothing cuts a pasted text silently: the counter warns, the server refuses, text stays.
    area.fill(text)
    expect(area).to_have_value(text)
    expect(phone.locator("#text-counter")).to_have_text("1 teken te veel")
    phone.get_by_role("button", name="Versturen").click()
    expect(phone.locator("#post-form .error")).to_have_text(
        "Je bijdrage is te lang: hooguit 500 tekens. Maak hem korter of splits hem in twee."
    )
    expect(phone.locator("#flash")).to_contain_text("Je bijdrage is te lang")
    expect(_textarea(phone)).to_have_value(text)
    expect(_textarea(phone)).to_have_attribute("aria-invalid", "true")
    expect(_textarea(phone)).to_be_focused()
    expect(phone.locator("#own-list")).to_contain_text("Je hebt nog niets ingebracht.")
    assert page_was_not_reloaded(phone)
    fresh()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Contribution)) == 0
    assert not phone.problems, phone.problems


def test_phone_follows_the_open_round_and_keeps_typed_text(world, new_page, fast_polls):
    _fac, w = world.live()
    code, round2 = w.join_code, w.rounds[1]
    round2_id, round2_prompt = round2.id, round2.prompt

    phone = new_page("phone")
    browser_join(phone, code)
    expect(phone.locator("#round-panel h2")).to_have_text(w.rounds[0].prompt)
    mark_page(phone)
    half = "Een gedachte die nog niet af is"
    _textarea(phone).press_sequentially(half)

    desk = new_page("desktop")
    browser_login(desk)
    desk.goto(f"/f/werkplaatsen/{w.id}")
    desk.get_by_role("button", name="Ronde 2 openen").click()
    expect(desk.locator("#flash")).to_contain_text("Ronde 2 is open.")

    expect(phone.locator("#round-panel h2")).to_have_text(round2_prompt, timeout=5000)
    expect(phone.locator("#round-panel")).to_contain_text("Ronde 2 van 5")
    expect(_textarea(phone)).to_have_value(half)
    assert page_was_not_reloaded(phone)

    _textarea(phone).press_sequentially(", en nu wel.")
    phone.get_by_role("button", name="Versturen").click()
    expect(phone.locator("#flash")).to_contain_text("Ontvangen")
    fresh()
    posted = db.session.scalars(sa.select(Contribution)).one()
    assert (posted.text, posted.round_id) == (half + ", en nu wel.", round2_id)
    assert not phone.problems, phone.problems


def test_keyboard_reaches_skip_link_textarea_and_send_with_visible_focus(world, new_page):
    _fac, w = world.live()
    phone = new_page("phone")
    browser_join(phone, w.join_code)
    phone.reload()

    def focus_style():
        return phone.evaluate(
            """() => {
                const el = document.activeElement, s = getComputedStyle(el);
                const r = el.getBoundingClientRect();
                return {tag: el.tagName, text: (el.innerText || el.name || '').trim(),
                        outline: s.outlineStyle, width: parseFloat(s.outlineWidth),
                        onScreen: r.width > 0 && r.left >= 0 && r.top >= 0
                                  && r.right <= innerWidth};
            }"""
        )

    def assert_focus_visible(style):
        assert style["outline"] != "none" and style["width"] >= 2, f"focus not visible: {style}"
        assert style["onScreen"], f"focused element is off screen: {style}"

    phone.keyboard.press("Tab")
    skip = phone.get_by_role("link", name="Naar de inhoud")
    expect(skip).to_be_focused()
    assert_focus_visible(focus_style())

    phone.keyboard.press("Enter")
    expect(phone.locator("#main")).to_be_focused()
    order = []
    for _ in range(12):
        phone.keyboard.press("Tab")
        style = focus_style()
        order.append(f"{style['tag']}:{style['text']}")
        assert_focus_visible(style)
        if style["tag"] == "TEXTAREA":
            break
    expect(_textarea(phone)).to_be_focused()
    phone.keyboard.type("Met het toetsenbord")
    phone.keyboard.press("Tab")
    send = phone.get_by_role("button", name="Versturen")
    expect(send).to_be_focused()
    assert_focus_visible(focus_style())
    phone.keyboard.press("Enter")
    expect(phone.locator("#flash")).to_contain_text("Ontvangen")
    assert len(order) <= 3, f"too many stops before the textarea: {order}"


def test_a_received_post_is_not_sent_again_after_a_reload(world, new_page):
    _fac, w = world.live()
    phone = new_page("phone")
    browser_join(phone, w.join_code)
    text = "Eén keer versturen is genoeg"
    _textarea(phone).fill(text)
    phone.get_by_role("button", name="Versturen").click()
    expect(phone.locator("#own-list .own-text")).to_have_text([text])

    posts = []
    phone.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    phone.reload()
    phone.wait_for_load_state("networkidle")
    assert posts == [], f"a post the server had already answered was sent again: {posts}"
    expect(phone.locator("#flash")).to_have_text("")
    expect(phone.locator("#outbox")).to_have_count(0)


def test_a_post_made_offline_is_kept_and_sent_once_when_back_online(world, new_page):
    _fac, w = world.live()
    phone = new_page("phone")
    browser_join(phone, w.join_code)
    text = "Geschreven in een kelder zonder bereik"
    phone.context.set_offline(True)
    _textarea(phone).fill(text)
    phone.get_by_role("button", name="Versturen").click()
    expect(phone.locator("#flash")).to_contain_text("Nog niet verzonden")
    expect(phone.locator("#outbox")).to_contain_text(text)
    expect(phone.locator("#own-list")).to_contain_text("Je hebt nog niets ingebracht.")

    phone.context.set_offline(False)
    expect(phone.locator("#own-list .own-text")).to_have_text([text], timeout=10_000)
    expect(phone.locator("#outbox")).to_have_count(0)
    expect(phone.locator("#flash")).to_contain_text("Ontvangen")
    fresh()
    assert db.session.scalars(sa.select(Contribution.text)).all() == [text]


# --- after review: grace, soort picker, closed werkplaats, the form in flight, focus -------


def test_text_sent_in_the_grace_after_a_close_is_kept_as_late(world, new_page, fast_polls):
    from noviwerk.services import rounds

    _fac, w = world.live()
    round1_id = w.rounds[0].id
    phone = new_page("phone")
    browser_join(phone, w.join_code)
    text = "Getypt terwijl de bel ging"
    _textarea(phone).fill(text)
    rounds.close_round(w, w.rounds[0].id)
    # The poll swaps the panel; the form still posts into round 1, and the phone says so.
    expect(phone.locator("#round-panel")).to_contain_text(
        "Ronde 1 is gesloten; wat je nu nog verstuurt, wordt als ‘te laat’ meegenomen.",
        timeout=5000,
    )
    expect(phone.locator("#round-id")).to_have_value(str(round1_id))
    phone.get_by_role("button", name="Versturen").click()
    expect(phone.locator("#flash")).to_contain_text("Ontvangen")
    fresh()
    c = db.session.scalars(sa.select(Contribution)).one()
    assert (c.text, c.round_id, c.is_late) == (text, round1_id, True)
    assert not phone.problems, phone.problems


def test_the_picked_soort_survives_a_poll_and_is_stored(world, new_page, fast_polls):
    from noviwerk.domain import RoundKind
    from noviwerk.models import Werkplaats
    from noviwerk.services import werkplaatsen

    _fac, w = world.live()
    phone = new_page("phone")
    browser_join(phone, w.join_code)
    pick = phone.get_by_label("Wat voor bijdrage is het?")
    expect(pick).to_be_hidden()  # an open round: no soort to pick
    set_round(w, 0, kind=RoundKind.LABELLED)
    expect(pick).to_be_visible(timeout=5000)
    pick.select_option("kans")
    _textarea(phone).fill("Een kans voor de regio")
    mark_page(phone)

    v = db.session.get(Werkplaats, w.id).state_version
    fresh()
    werkplaatsen.bump_state(db.session.get(Werkplaats, w.id))  # e.g. the timer started
    db.session.commit()
    expect(phone.locator("#round-panel")).to_have_attribute(
        "hx-get", re.compile(rf"v={v + 1}\b"), timeout=5000
    )
    expect(pick).to_have_value("kans")
    phone.get_by_role("button", name="Versturen").click()
    expect(phone.locator("#flash")).to_contain_text("Ontvangen")
    assert page_was_not_reloaded(phone)
    fresh()
    c = db.session.scalars(sa.select(Contribution)).one()
    assert (c.text, c.label) == ("Een kans voor de regio", "kans")
    assert not phone.problems, phone.problems


def test_a_closed_werkplaats_ends_the_poll_calmly_and_keeps_typed_text(world, new_page, fast_polls):
    from noviwerk.services import werkplaatsen

    _fac, w = world.live()
    phone = new_page("phone")
    browser_join(phone, w.join_code)
    _textarea(phone).fill("Al binnen")
    phone.get_by_role("button", name="Versturen").click()
    expect(phone.locator("#own-list .own-text")).to_have_text(["Al binnen"])
    _textarea(phone).fill("Nog niet verstuurd")

    werkplaatsen.close_werkplaats(w)
    panel = phone.locator("#round-panel")
    expect(panel).to_contain_text("Deze werkplaats is gesloten.", timeout=5000)
    expect(panel).to_contain_text("Dank je wel; je bijdragen zijn bewaard.")
    expect(phone.locator("#own-list .own-text")).to_have_text(["Al binnen"])
    polls = []
    phone.on("request", lambda r: polls.append(r.url) if "/status" in r.url else None)
    phone.wait_for_timeout(2500)  # the poll ran every second before the close
    assert polls == [], f"the phone kept polling a closed werkplaats: {polls}"
    expect(phone.locator("#flash")).not_to_contain_text("Controleer de code")

    expect(_textarea(phone)).to_have_value("Nog niet verstuurd")
    phone.get_by_role("button", name="Versturen").click()
    expect(phone.locator("#post-form .error")).to_contain_text("Deze werkplaats is gesloten")
    expect(_textarea(phone)).to_have_value("Nog niet verstuurd")
    expect(phone.locator("#outbox")).to_have_count(0)
    assert not phone.problems, phone.problems


def test_the_form_is_locked_while_a_post_is_in_flight_and_focus_returns(world, new_page):
    _fac, w = world.live()
    phone = new_page("phone")
    browser_join(phone, w.join_code)
    held = []
    phone.route("**/bijdragen", lambda route: held.append(route))
    area = _textarea(phone)
    area.fill("Onderweg naar de server")
    phone.get_by_role("button", name="Versturen").click()
    expect(area).to_be_disabled()  # nothing typed now can be wiped by the swap
    expect(phone.get_by_role("button", name="Versturen")).to_be_disabled()
    for _ in range(50):
        if held:
            break
        phone.wait_for_timeout(100)
    assert len(held) == 1
    held[0].continue_()
    expect(phone.locator("#flash")).to_contain_text("Ontvangen")
    expect(_textarea(phone)).to_be_enabled()
    expect(_textarea(phone)).to_have_value("")
    expect(_textarea(phone)).to_be_focused()
    assert not phone.problems, phone.problems


def test_focus_stays_on_the_support_button_after_its_swap(world, new_page):
    from noviwerk.models import Participant

    _fac, w = world.live()
    set_round(w, 0, is_support_allowed=True)
    anna = new_page("phone")
    browser_join(anna, w.join_code)
    _textarea(anna).fill("Steun dit punt")
    anna.get_by_role("button", name="Versturen").click()
    expect(anna.locator("#flash")).to_contain_text("Ontvangen")
    fresh()
    cid = db.session.scalars(sa.select(Contribution.id)).one()
    assert db.session.scalar(sa.select(sa.func.count(Participant.id))) == 1

    bert = new_page("phone")
    browser_join(bert, w.join_code)
    button = bert.locator(f"#steun-{cid}")
    button.focus()
    bert.keyboard.press("Enter")
    expect(bert.locator(f"#steun-{cid}")).to_have_attribute("aria-pressed", "true")
    expect(bert.locator(f"#steun-{cid}")).to_be_focused()
    expect(bert.locator(f"#o-{cid}")).to_contain_text("1 steunbetuiging")
    # Pressed again from the keyboard: taken back, and focus is still on it.
    bert.keyboard.press("Enter")
    expect(bert.locator(f"#steun-{cid}")).to_have_attribute("aria-pressed", "false")
    expect(bert.locator(f"#o-{cid}")).to_contain_text("0 steunbetuigingen")
    expect(bert.locator(f"#steun-{cid}")).to_be_focused()
    expect(bert.locator("#round-extra h2")).to_have_text("Wat anderen inbrachten")
    assert not bert.problems, bert.problems
