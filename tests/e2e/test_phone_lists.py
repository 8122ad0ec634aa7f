"""Phones stay simple in a full room, in a real browser at 390×844: one's own contributions
stand right below the form, above others'; others' arrive without a reload and can be +1'd;
a withdrawal can be undone for a few seconds ("Ingetrokken · Ongedaan maken"); a rejected
contribution says so; no text box while no round is open. All axe-clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from noviwerk.domain import ContributionState
from noviwerk.services import moderation, participation, rounds
from tests.conftest import contributions, set_round
from tests.e2e.axe import AxeAudit
from tests.e2e.conftest import browser_join, browser_post, mark_page, page_was_not_reloaded

pytestmark = pytest.mark.browser


@pytest.fixture
def room(fast_polls, world):
    fast_polls.config["NOVIWERK_STATE_CACHE_SECONDS"] = 0
    fac, w = world.live()
    set_round(w, 0, is_support_allowed=True)
    return fac, w


def _from_someone_else(w, text: str, key: str):
    p = participation.join(w, display_name="Bram")
    return participation.post_contribution(p, w.rounds[0].id, text, client_key=key)[0]


def test_own_on_top_and_others_arrive_without_a_reload(room, new_page, artifacts):
    _fac, w = room
    _from_someone_else(w, "Er was al iets van een ander", "a0")
    audit = AxeAudit("phone lists")
    phone = new_page("phone")
    browser_join(phone, w.join_code, name="Anna")
    browser_post(phone, "Mijn punt: ruimte voor water")
    mark_page(phone)
    # Right below the form and above others' list, whatever the others' list holds.
    form, own, others = (
        phone.locator(sel).bounding_box()["y"]
        for sel in ("#post-form", "#own-list", "#round-extra")
    )
    assert form < own < others
    expect(phone.locator("#flash")).to_have_text("Ontvangen. Dank je wel!")  # said once

    arrived = _from_someone_else(w, "Net binnen: meer groen in de wijk", "a1")
    item = phone.locator(f"#o-{arrived.id}")
    expect(item).to_contain_text("Net binnen: meer groen in de wijk", timeout=4000)
    expect(phone.locator("#others-items > li").first).to_have_id(f"o-{arrived.id}")
    assert page_was_not_reloaded(phone)
    item.get_by_role("button", name="+1").click()
    expect(item.get_by_role("button", name="+1")).to_have_attribute("aria-pressed", "true")
    expect(item.get_by_role("button", name="+1")).to_be_focused()
    # A later poll brings the +1'd item again (its count changed): pressed it stays.
    phone.wait_for_timeout(1500)
    expect(item.get_by_role("button", name="+1")).to_have_attribute("aria-pressed", "true")
    # A timer started: a new state in the same round; the lists stay as they are.
    rounds.timer(w, w.rounds[0].id, "start", 10)
    expect(phone.locator(".phone-timer")).to_be_visible(timeout=4000)
    expect(phone.locator("#others-items > li")).to_have_count(2)
    expect(item.get_by_role("button", name="+1")).to_have_attribute("aria-pressed", "true")
    expect(phone.locator("#own-list .own-text")).to_have_text(["Mijn punt: ruimte voor water"])
    audit.check(phone, "phone: own on top, others arrived")
    phone.screenshot(path=artifacts / "phone-lists.png", full_page=True)
    audit.assert_clean()
    assert not phone.problems, str(phone.problems)


def test_a_withdrawal_can_be_undone_for_a_few_seconds(room, new_page, monkeypatch):
    monkeypatch.setattr("noviwerk.web.participant.WITHDRAW_UNDO_SECONDS", 2)
    _fac, w = room
    audit = AxeAudit("undo")
    phone = new_page("phone")
    browser_join(phone, w.join_code)
    browser_post(phone, "Toch liever niet gezegd")
    [c] = contributions(w)
    item = phone.locator(f"#own-{c.id}")

    item.get_by_role("button", name="Intrekken").click()
    undo = item.get_by_role("button", name="Ongedaan maken")
    expect(item).to_contain_text("Ingetrokken")
    expect(undo).to_be_focused()
    expect(item.locator(".own-text")).to_be_hidden()
    audit.check(phone, "phone: ingetrokken, ongedaan maken")
    undo.click()
    expect(item.locator(".own-text")).to_have_text("Toch liever niet gezegd")
    expect(item.get_by_role("button", name="Intrekken")).to_be_focused()
    expect(phone.locator("#flash")).to_have_text("Je bijdrage blijft staan.")
    phone.wait_for_timeout(2500)  # past the wait: nothing was sent
    assert contributions(w)[0].state == ContributionState.VISIBLE

    item.get_by_role("button", name="Intrekken").click()
    expect(item).to_have_count(0, timeout=5000)
    expect(phone.locator("#flash")).to_have_text("Je bijdrage is ingetrokken.")
    [c] = contributions(w)
    assert c.state == ContributionState.WITHDRAWN and c.text == ""
    expect(phone.locator(".own-empty")).to_be_visible()
    audit.assert_clean()
    assert not phone.problems, str(phone.problems)


def test_a_rejected_contribution_says_so_and_no_text_box_without_a_round(room, world, new_page):
    fac, w = room
    set_round(w, 0, is_premoderated=True)
    audit = AxeAudit("rejected")
    phone = new_page("phone")
    browser_join(phone, w.join_code)
    browser_post(phone, "Iets wat de facilitator niet plaatst")
    [c] = contributions(w)
    expect(phone.locator(f"#own-{c.id}")).to_contain_text("wacht op moderatie")
    moderation.moderate_inbox(w, [c.id], "afwijzen", fac)
    item = phone.locator(f"#own-{c.id}")
    expect(item).to_contain_text("Niet geplaatst door de facilitator", timeout=4000)
    expect(item).to_contain_text("Iets wat de facilitator niet plaatst")
    expect(item.get_by_role("button")).to_have_count(0)
    audit.check(phone, "phone: niet geplaatst")

    # The round closes and its grace for late text runs out: the text box goes, a clear
    # message stays; the next round brings the text box back.
    rounds.configure(
        w,
        w.rounds[0].id,
        kind="open",
        is_support_allowed=True,
        is_premoderated=True,
        votes_per_participant=3,
        grace_seconds=0,
    )
    rounds.close_round(w, w.rounds[0].id)
    box = phone.get_by_role("textbox", name="Jouw bijdrage")
    expect(box).to_be_hidden(timeout=4000)
    expect(phone.locator("#round-panel")).to_contain_text(
        "Insturen kan zodra de facilitator een ronde opent."
    )
    audit.check(phone, "phone: no round open")
    rounds.open_round(w, w.rounds[1].id)
    expect(box).to_be_visible(timeout=4000)
    audit.assert_clean()
    assert not phone.problems, str(phone.problems)
