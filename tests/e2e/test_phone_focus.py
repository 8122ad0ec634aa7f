"""Keyboard and screen-reader users on the phone keep their place when htmx swaps a part of
the page: after the last dot is spent (its button then disabled), after a poll redraws the
own list, after "Lijst verversen"; and they hear what a dot did."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from noviwerk.domain import RoundKind
from noviwerk.extensions import db
from noviwerk.models import Contribution, VoteOption
from noviwerk.services import rounds
from tests.conftest import fresh, set_round
from tests.e2e.conftest import browser_join, browser_post

pytestmark = pytest.mark.browser


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.id : ''")


def _a_vote_over_two(world, new_page, dots: int):
    """Anna's two posts as the options of an open vote of ``dots`` dots, and a phone that
    joined it: (that phone, the two options' ids)."""
    _fac, w = world.live()
    anna = new_page("phone")
    browser_join(anna, w.join_code)
    browser_post(anna, "Eerste optie")
    browser_post(anna, "Tweede optie")
    fresh()
    c, d = db.session.scalars(sa.select(Contribution.id).order_by(Contribution.id)).all()
    rounds.open_round(w, w.rounds[1].id)
    for pos, cid in enumerate((c, d), 1):
        db.session.add(VoteOption(round_id=w.rounds[1].id, contribution_id=cid, position=pos))
    db.session.commit()
    set_round(w, 1, kind=RoundKind.VOTING, votes_per_participant=dots)

    phone = new_page("phone")
    browser_join(phone, w.join_code)
    return phone, c, d


def test_spending_the_last_dot_keeps_focus_on_that_option_and_says_so(world, new_page):
    phone, c, _d = _a_vote_over_two(world, new_page, dots=1)
    phone.locator(f"#stem-plus-{c}").focus()
    phone.keyboard.press("Enter")
    # The one dot is spent, so every "+" is disabled: focus goes to this option's "−".
    expect(phone.locator(f"#stem-plus-{c}")).to_be_disabled()
    expect(phone.locator(f"#stem-min-{c}")).to_be_focused()
    expect(phone.locator("#flash")).to_contain_text("Je hebt 1 van je 1 stemmen gebruikt.")
    phone.keyboard.press("Enter")
    # Nothing left to take back here: focus goes to this option's "+" again.
    expect(phone.locator(f"#stem-min-{c}")).to_be_disabled()
    expect(phone.locator(f"#stem-plus-{c}")).to_be_focused()
    expect(phone.locator("#flash")).to_contain_text("Je hebt 0 van je 1 stemmen gebruikt.")
    assert not phone.problems, phone.problems


def test_a_dot_with_dots_left_swaps_its_option_alone_and_keeps_focus_on_its_plus(world, new_page):
    phone, c, d = _a_vote_over_two(world, new_page, dots=3)
    phone.locator(f"#stem-plus-{c}").focus()
    phone.keyboard.press("Enter")
    expect(phone.locator("#vote-budget")).to_contain_text("Je hebt 1 van je 3 stemmen gebruikt.")
    expect(phone.locator("#flash")).to_contain_text("Je hebt 1 van je 3 stemmen gebruikt.")
    expect(phone.locator(f"#vote-option-{c} .vote-mine")).to_contain_text("1")
    expect(phone.locator(f"#stem-plus-{c}")).to_be_focused()
    expect(phone.locator(f"#stem-min-{c}")).to_be_enabled()
    phone.keyboard.press("Enter")
    expect(phone.locator("#vote-budget")).to_contain_text("Je hebt 2 van je 3 stemmen gebruikt.")
    expect(phone.locator(f"#stem-plus-{c}")).to_be_focused()
    # The other option was left as it was, and is still there once.
    expect(phone.locator(f"#vote-option-{d} .vote-mine")).to_contain_text("0")
    expect(phone.locator(".vote-options > li")).to_have_count(2)
    phone.locator(f"#stem-plus-{d}").click()  # the last dot: every "+" off
    expect(phone.locator(f"#stem-plus-{c}")).to_be_disabled()
    expect(phone.locator(f"#stem-plus-{d}")).to_be_disabled()
    expect(phone.locator("#vote-budget")).to_contain_text("Je hebt 3 van je 3 stemmen gebruikt.")
    assert not phone.problems, phone.problems


def test_a_poll_that_redraws_the_own_list_keeps_focus_on_its_button(world, new_page, fast_polls):
    _fac, w = world.live()
    phone = new_page("phone")
    browser_join(phone, w.join_code)
    browser_post(phone, "Mijn punt")
    withdraw = phone.locator("#own-list").get_by_role("button", name="Intrekken")
    withdraw.focus()
    marker = withdraw.evaluate("b => (b.dataset.before = 'yes')")
    assert marker == "yes"
    set_round(w, 0, is_support_allowed=True)  # the facilitator changes something
    expect(phone.locator("#round-extra")).to_contain_text("Wat anderen inbrachten", timeout=5000)
    # The list was redrawn (a new button), and focus is on the new one.
    expect(phone.locator("#own-list button[data-before]")).to_have_count(0)
    expect(phone.locator("#own-list").get_by_role("button", name="Intrekken")).to_be_focused()
    assert not phone.problems, phone.problems


def test_refreshing_the_others_list_keeps_focus_on_the_refresh_link(world, new_page):
    _fac, w = world.live()
    set_round(w, 0, is_support_allowed=True)
    phone = new_page("phone")
    browser_join(phone, w.join_code)
    refresh = phone.get_by_role("link", name="Lijst verversen")
    refresh.focus()
    with phone.expect_response(lambda r: r.url.endswith("/anderen")):
        phone.keyboard.press("Enter")
    expect(phone.get_by_role("link", name="Lijst verversen")).to_be_focused()
    assert not phone.problems, phone.problems
