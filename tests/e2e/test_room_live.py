"""A full room, live, in real browsers: a post reaches the regie and the 1920×1080 beamer
without a reload (and a note being typed in the regie is left alone); forty cards all come
into view on the beamer within one turn of its pages; closing a round takes its timer off
the beamer and the phone; the inbox is approved in bulk and by keyboard; all axe-clean.

The regie's height is measured with 28 contributions (the issue's room): before this change
4,921 px on a 1366×900 laptop and 8,832 px on a 390×844 phone.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from noviwerk.services import moderation, participation, rounds, voting
from tests.conftest import contributions, fresh
from tests.e2e.axe import AxeAudit
from tests.e2e.conftest import (
    browser_join,
    browser_login,
    browser_post,
    mark_page,
    page_was_not_reloaded,
)

pytestmark = pytest.mark.browser


def _posts(w, texts, round_index=0, **profile):
    for i, text in enumerate(texts):
        p = participation.join(w, display_name=f"Deelnemer {i}", **profile)
        participation.post_contribution(p, w.rounds[round_index].id, text, client_key=f"k{i}")


def _vote_on_everything(w):
    """The second round made a vote of three dots over every contribution so far."""
    vote_round = w.rounds[1]
    rounds.configure(
        w, vote_round.id, kind="stemmen", is_support_allowed=False, is_premoderated=False,
        votes_per_participant=3, grace_seconds=0,
    )
    rounds.set_vote_options(w, vote_round.id, [c.id for c in contributions(w)])
    return vote_round


def _beamer(new_page, w):
    beamer = new_page("beamer")
    browser_login(beamer)
    beamer.goto(f"/f/werkplaatsen/{w.id}/beamer")
    return beamer


def _in_view(page) -> list[str]:
    """Ids of the beamer's cards that are shown and wholly inside the window."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.beamer-items > li')].filter(el => {
            const r = el.getBoundingClientRect();
            return el.offsetParent !== null && r.top >= 0 && r.left >= 0
                && r.bottom <= innerHeight + 1 && r.right <= innerWidth + 1;
        }).map(el => el.id)"""
    )


def test_a_post_reaches_regie_and_beamer_without_reload_and_typing_is_kept(
    fast_polls, world, new_page, artifacts
):
    _fac, w = world.live()
    audit = AxeAudit("room live")
    regie = new_page("desktop")
    browser_login(regie)
    regie.goto(f"/f/werkplaatsen/{w.id}/regie")
    beamer = new_page("beamer")
    browser_login(beamer)
    beamer.goto(f"/f/werkplaatsen/{w.id}/beamer")
    # An empty wall invites the room: the QR and the code, large.
    expect(beamer.locator(".beamer-empty")).to_contain_text("Scan de QR-code en doe mee!")
    expect(beamer.locator(".beamer-empty-qr")).to_be_visible()
    expect(beamer.locator("#wall-pause")).not_to_be_in_viewport()  # not projected
    audit.check(beamer, "beamer: empty")
    mark_page(regie)
    mark_page(beamer)

    # The facilitator is typing a note when the post arrives.
    note = regie.get_by_label("Bijdrage van de flap of uit het gesprek")
    note.click()
    note.press_sequentially("Van de flap: meer")
    phone = new_page("phone")
    browser_join(phone, w.join_code, name="Anna")
    browser_post(phone, "Ruimte voor water in de stad")

    expect(regie.locator("#mod-list")).to_contain_text("Ruimte voor water in de stad", timeout=2000)
    expect(beamer.locator(".wall-card")).to_contain_text(["Ruimte voor water in de stad"], timeout=2000)
    expect(regie.locator("#regie-count-contributions")).to_have_text("1 bijdrage")
    expect(regie.locator("#bijdragen-count")).to_have_text("1")
    expect(regie.locator("#signalen")).to_contain_text("1 bijdrage", timeout=3000)
    expect(beamer.locator(".beamer-empty")).to_be_hidden()
    assert page_was_not_reloaded(regie) and page_was_not_reloaded(beamer)
    expect(note).to_be_focused()
    note.press_sequentially(" groen")
    expect(note).to_have_value("Van de flap: meer groen")

    # Names and counts on the beamer are readable from the back: 28 px at the least.
    sizes = beamer.evaluate(
        """() => [...document.querySelectorAll('.wall-card-text, .wall-card-meta')]
            .map(el => parseFloat(getComputedStyle(el).fontSize))"""
    )
    assert sizes and min(sizes) >= 28, sizes
    audit.check(regie, "regie: live row")
    audit.check(beamer, "beamer: one card")
    beamer.screenshot(path=artifacts / "beamer-one-card.png")
    audit.assert_clean()
    for page in (regie, beamer, phone):
        assert not page.problems, str(page.problems)


def test_forty_cards_on_the_beamer_all_come_into_view_within_one_turn(
    app, world, new_page, artifacts
):
    app.config["NOVIWERK_BEAMER_PAGE_SECONDS"] = 2
    _fac, w = world.live()
    _posts(w, [f"Bijdrage {i:02d}: meer ruimte voor water, natuur en wonen" for i in range(40)])
    fac = world.user("ster@example.test")
    star = contributions(w)[0]
    moderation.moderate(w, star.id, "ster", fac)
    beamer = new_page("beamer")
    browser_login(beamer)
    beamer.goto(f"/f/werkplaatsen/{w.id}/beamer")
    expect(beamer.locator(".beamer-items > li")).to_have_count(40)
    expect(beamer.locator("#beamer-pages")).to_have_text(re.compile(r"^Pagina 1 van \d$"))
    pages = int(beamer.locator("#beamer-pages").inner_text().rsplit(" ", 1)[1])
    assert beamer.evaluate("document.documentElement.scrollHeight") <= 1080
    seen: set[str] = set()
    always: set[str] | None = None
    for _ in range(pages * 10 + 5):  # one turn of every page, sampled every 0.25 s
        now = set(_in_view(beamer))
        seen |= now
        always = now if always is None else always & now
        beamer.wait_for_timeout(250)
    assert len(seen) == 40, f"{40 - len(seen)} cards never in view"
    assert f"c-{star.id}" in always  # the starred card stays on every page
    beamer.screenshot(path=artifacts / "beamer-forty.png")
    assert not beamer.problems, str(beamer.problems)


def test_closing_a_round_takes_its_timer_off_beamer_and_phone(fast_polls, world, new_page):
    _fac, w = world.live()
    rounds.timer(w, w.rounds[0].id, "start", 12)
    beamer = new_page("beamer")
    browser_login(beamer)
    beamer.goto(f"/f/werkplaatsen/{w.id}/beamer")
    phone = new_page("phone")
    browser_join(phone, w.join_code)
    expect(beamer.locator(".beamer-timer .countdown")).to_have_text(re.compile(r"^1[12]:\d\d$"))
    expect(phone.locator(".phone-timer .countdown")).to_have_text(re.compile(r"^1[12]:\d\d$"))
    regie = new_page("desktop")
    browser_login(regie)
    regie.goto(f"/f/werkplaatsen/{w.id}/regie")
    regie.locator("#rondes li", has_text="Ronde 1").get_by_role("button", name="Sluiten").click()
    expect(beamer.locator(".beamer-round")).to_contain_text("gesloten", timeout=3000)
    expect(beamer.locator(".beamer-timer")).to_have_count(0)
    expect(phone.locator(".phone-timer")).to_have_count(0, timeout=3000)
    expect(regie.locator("#timer")).to_contain_text("De ronde is gesloten; er loopt geen timer.")
    for page in (regie, beamer, phone):
        assert not page.problems, str(page.problems)


def test_the_inbox_takes_a_bulk_approval_and_keyboard_keys(fast_polls, world, new_page):
    _fac, w = world.live()
    rounds.configure(
        w, w.rounds[0].id, kind="open", is_support_allowed=False, is_premoderated=True,
        votes_per_participant=3, grace_seconds=90,
    )
    texts = ["Eerste die wacht", "Tweede die wacht", "Derde die wacht", "Vierde die wacht"]
    _posts(w, texts)
    audit = AxeAudit("inbox")
    regie = new_page("desktop")
    browser_login(regie)
    regie.goto(f"/f/werkplaatsen/{w.id}/regie")
    mark_page(regie)
    inbox = regie.locator("#inbox-list > li")
    expect(inbox).to_have_count(4)
    expect(regie.locator("#inbox-count")).to_have_text("4")
    audit.check(regie, "regie: inbox")

    regie.get_by_label("Eerste die wacht").check()
    regie.get_by_label("Derde die wacht").check()
    regie.get_by_role("button", name="Gekozen goedkeuren").click()
    expect(regie.locator("#flash")).to_contain_text("2 bijdragen goedgekeurd.")
    expect(inbox).to_have_text([re.compile("Tweede die wacht"), re.compile("Vierde die wacht")])
    expect(regie.locator("#inbox-count")).to_have_text("2")
    expect(regie.locator("#mod-list")).to_contain_text("Derde die wacht")

    # By keyboard: j to the next row, g approves it, a rejects the one focus moves to.
    regie.locator("#inbox-list > li").first.focus()
    regie.keyboard.press("g")
    expect(regie.locator("#flash")).to_contain_text("goedgekeurd")
    expect(inbox).to_have_count(1)
    expect(regie.locator("#inbox-list > li").first).to_be_focused()
    regie.keyboard.press("a")
    expect(regie.locator("#inbox")).to_be_hidden()  # empty: out of the way
    assert page_was_not_reloaded(regie)
    fresh()

    # Moderating a row from the list: s stars it, in place, and the row keeps focus.
    row = regie.locator("#mod-list > li", has_text="Derde die wacht")
    row.focus()
    regie.keyboard.press("s")
    expect(row).to_have_class(re.compile("is-starred"))
    expect(row.get_by_role("button", name=re.compile("^Ster weg"))).to_be_visible()
    row.get_by_role("link", name=re.compile("^Meer")).click()
    expect(row.get_by_label(re.compile("^Soort"))).to_be_visible()
    audit.check(regie, "regie: Meer open")

    heights = {}
    for kind in ("desktop", "phone"):
        page = regie if kind == "desktop" else new_page("phone")
        if kind == "phone":
            browser_login(page)
        page.goto(f"/f/werkplaatsen/{w.id}/regie")
        heights[kind] = page.evaluate("document.documentElement.scrollHeight")
    assert heights["desktop"] < 2000 and heights["phone"] < 3500, heights
    audit.assert_clean()
    assert not regie.problems, str(regie.problems)


def test_the_regie_with_28_contributions_is_compact(world, new_page, artifacts):
    """With 28 contributions the regie was 4,921 px on a laptop and 8,832 px on a phone."""
    _fac, w = world.live()
    _posts(w, [f"Bijdrage nummer {i} over water, ruimte en de regio in 2050" for i in range(28)],
           veld="maatschappelijk")
    heights = {}
    for kind in ("desktop", "phone"):
        page = new_page(kind)
        browser_login(page)
        page.goto(f"/f/werkplaatsen/{w.id}/regie")
        heights[kind] = page.evaluate("document.documentElement.scrollHeight")
        page.screenshot(path=artifacts / f"regie-28-{kind}.png", full_page=True)
    print("regie heights with 28 contributions:", heights)
    # Was 4,921 and 8,832 px before the queue (2,900 and 10,600 with 28 in the issue); the
    # room has since gained a "Meedoen" card, its limit form folded away.
    assert heights["desktop"] <= 2900 and heights["phone"] <= 5000, heights


def test_every_vote_bar_is_shown_on_the_beamer(world, new_page, artifacts):
    _fac, w = world.live()
    _posts(w, [f"Optie {i:02d}: een langere tekst over water en ruimte" for i in range(24)])
    vote_round = _vote_on_everything(w)
    rounds.reveal_results(w, vote_round.id, True)
    rounds.show_on_beamer(w, vote_round.id)
    beamer = _beamer(new_page, w)
    bars = beamer.locator(".vote-bar")
    expect(bars).to_have_count(24)
    beamer.wait_for_timeout(300)
    for i in range(24):
        expect(bars.nth(i)).to_be_in_viewport(ratio=1)
    assert beamer.evaluate("document.documentElement.scrollHeight") <= 1080
    beamer.screenshot(path=artifacts / "beamer-24-bars.png")
    assert not beamer.problems, str(beamer.problems)


def test_dots_count_up_on_the_beamer_and_the_bars_come_when_revealed(app, world, new_page):
    """A vote on the beamer: each dot updates its "n stemmen uitgebracht" line by push,
    without redrawing the page; revealing the result brings the bars."""
    app.config["NOVIWERK_WALL_POLL_MS"] = 60000
    _fac, w = world.live()
    _posts(w, ["Optie water", "Optie groen", "Optie wonen"])
    vote_round = _vote_on_everything(w)
    options = [c.id for c in contributions(w)]
    rounds.open_round(w, vote_round.id)
    beamer = _beamer(new_page, w)
    tally = beamer.locator("#beamer-votes-cast")
    expect(tally).to_contain_text("0 stemmen uitgebracht")
    mark_page(beamer)
    voters = [participation.join(w, display_name=f"Stemmer {i}") for i in range(2)]
    voting.vote(voters[0], vote_round.id, options[1], 1)
    expect(tally).to_contain_text("1 stem uitgebracht · 1 deelnemer heeft gestemd", timeout=2000)
    voting.vote(voters[1], vote_round.id, options[1], 1)
    voting.vote(voters[1], vote_round.id, options[2], 1)
    expect(tally).to_contain_text("3 stemmen uitgebracht · 2 deelnemers hebben gestemd",
                                  timeout=2000)
    assert page_was_not_reloaded(beamer)
    rounds.reveal_results(w, vote_round.id, True)
    expect(beamer.locator(".vote-text")).to_have_text(
        ["Optie groen", "Optie wonen", "Optie water"], timeout=2000
    )
    audit = AxeAudit("beamer vote")
    audit.check(beamer, "beamer: vote revealed")
    audit.assert_clean()
    assert not beamer.problems, str(beamer.problems)


def test_a_post_reaches_beamer_and_regie_by_push_not_by_the_poll(app, world, new_page):
    """The poll is a minute apart here: what arrives within two seconds came by push."""
    app.config["NOVIWERK_WALL_POLL_MS"] = 60000
    app.config["NOVIWERK_PUSH_HOLD_SECONDS"] = 5
    _fac, w = world.live()
    audit = AxeAudit("room push")
    beamer = new_page("beamer")
    browser_login(beamer)
    beamer.goto(f"/f/werkplaatsen/{w.id}/beamer")
    regie = new_page("desktop")
    browser_login(regie)
    regie.goto(f"/f/werkplaatsen/{w.id}/regie")
    expect(beamer.locator(".beamer-empty")).to_be_visible()
    mark_page(beamer)
    mark_page(regie)
    phone = new_page("phone")
    browser_join(phone, w.join_code, name="Bram")
    for text in ("Een markt op het plein", "Bankjes in de schaduw"):
        browser_post(phone, text)
        expect(beamer.locator(".wall-card")).to_contain_text([text], timeout=2000)
        expect(regie.locator("#mod-list")).to_contain_text(text, timeout=2000)
    # A round change travels the same way: the beamer redraws itself and keeps listening.
    rounds.timer(w, w.rounds[0].id, "start", 12)
    expect(beamer.locator(".beamer-timer")).to_have_count(1, timeout=2000)
    rounds.close_round(w, w.rounds[0].id)
    expect(beamer.locator(".beamer-timer")).to_have_count(0, timeout=2000)
    p = participation.join(w, display_name="Cor")
    rounds.open_round(w, w.rounds[0].id)
    participation.post_contribution(p, w.rounds[0].id, "Een fietsenstalling bij het station")
    expect(beamer.locator(".wall-card")).to_contain_text(
        ["Een fietsenstalling bij het station"], timeout=2000
    )
    assert page_was_not_reloaded(beamer) and page_was_not_reloaded(regie)
    audit.check(beamer, "beamer: by push")
    audit.assert_clean()
    for page in (beamer, regie, phone):
        assert not page.problems, str(page.problems)


def test_without_push_the_beamer_falls_back_to_its_poll(fast_polls, world, new_page):
    """The wait fails (a proxy that cuts held requests, say): the beamer polls instead."""
    _fac, w = world.live()
    beamer = new_page("beamer")
    beamer.route("**/live?*", lambda route: route.abort())
    browser_login(beamer)
    beamer.goto(f"/f/werkplaatsen/{w.id}/beamer")
    expect(beamer.locator(".beamer-empty")).to_be_visible()
    _posts(w, ["Een speeltuin voor de buurt"])
    expect(beamer.locator(".wall-card")).to_contain_text(["Een speeltuin voor de buurt"], timeout=3000)
