"""Running the room in real browsers: a phone, the facilitator's control view and a 1920×1080
beamer. Phone posts reach control and beamer; hiding takes a card off the beamer and the
other phones; merging leaves one card with a count; votes become a ranked bar list."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import AxeAudit
from tests.e2e.conftest import browser_join, browser_login, browser_post

pytestmark = pytest.mark.browser


def test_phone_control_and_beamer_together(app, world, new_page, artifacts):
    from noviwerk.services import rounds

    app.config["NOVIWERK_PHONE_POLL_SECONDS"] = 1
    _fac, w = world.live()
    rounds.configure(
        w,
        w.rounds[0].id,
        kind="open",
        is_support_allowed=True,
        is_premoderated=False,
        votes_per_participant=2,
        grace_seconds=90,
    )
    rounds.configure(
        w,
        w.rounds[1].id,
        kind="stemmen",
        is_support_allowed=False,
        is_premoderated=False,
        votes_per_participant=2,
        grace_seconds=90,
    )
    audit = AxeAudit("room")

    control = new_page("desktop")
    browser_login(control)
    control.goto(f"/f/werkplaatsen/{w.id}/regie")
    beamer = new_page("beamer")
    browser_login(beamer)
    beamer.goto(f"/f/werkplaatsen/{w.id}/beamer")
    expect(beamer.locator(".beamer-code")).to_be_visible()

    anna, bert = new_page("phone"), new_page("phone")
    browser_join(anna, w.join_code)
    browser_join(bert, w.join_code)
    browser_post(anna, "Ruimte voor water in de stad")
    browser_post(bert, "Meer ruimte voor water in steden")
    browser_post(anna, "Een onzinnige bijdrage")
    browser_post(bert, "Bodemdaling aanpakken")

    # The beamer and the control view both follow live.
    for text in (
        "Ruimte voor water in de stad",
        "Meer ruimte voor water in steden",
        "Een onzinnige bijdrage",
    ):
        expect(beamer.locator(".wall-card", has_text=text)).to_be_visible(timeout=5000)
    expect(control.locator("#bijdragen")).to_contain_text("Een onzinnige bijdrage", timeout=5000)
    audit.check(control, "control")
    audit.check(beamer, "beamer")
    beamer.screenshot(path=artifacts / "beamer-1920.png", caret="initial")

    # Bert sees Anna's contributions (the round allows +1) and supports one.
    bert.reload()
    expect(bert.locator("#round-extra")).to_contain_text("Een onzinnige bijdrage")
    audit.check(bert, "phone: others to +1")

    # Hide: gone from the beamer and from Bert's list.
    control.get_by_role("button", name=re.compile(r"^Verbergen\s*: Een onzinnige")).click()
    expect(beamer.locator(".wall-card", has_text="Een onzinnige bijdrage")).to_have_count(
        0, timeout=5000
    )
    bert.get_by_role("link", name="Lijst verversen").click()
    expect(bert.locator("#round-extra")).not_to_contain_text("Een onzinnige bijdrage")

    # Merge, choosing the near-duplicate the regie suggests: one card with a count.
    control.get_by_role("link", name=re.compile(r"^Meer\s*: Meer ruimte voor water")).click()
    suggestion = control.get_by_role("radio", name=re.compile(r"^Ruimte voor water in de stad"))
    expect(suggestion).to_be_checked()
    control.get_by_role(
        "button", name=re.compile(r"^Samenvoegen\s*: Meer ruimte voor water")
    ).click()
    expect(beamer.locator(".wall-card", has_text="water")).to_have_count(1, timeout=5000)
    expect(beamer.locator(".wall-card", has_text="water")).to_contain_text("× 2")

    # Voting: pick options in the control view, open the round, phones vote, reveal.
    control.goto(f"/f/werkplaatsen/{w.id}/regie?ronde={w.rounds[1].id}")
    control.get_by_label("Ruimte voor water in de stad").check()
    control.get_by_label("Bodemdaling aanpakken").check()
    control.get_by_role("button", name="Keuzes opslaan").click()
    control.locator("#rondes li", has_text="Ronde 2").get_by_role("button", name="Openen").click()
    expect(anna.locator("#vote-title")).to_be_visible(timeout=5000)
    expect(anna.locator("#post-form")).to_be_hidden()
    audit.check(anna, "phone: voting")
    for phone in (anna, bert):
        option = phone.locator(".vote-options li", has_text="Ruimte voor water in de stad")
        option.get_by_role("button", name="+").click()
        expect(phone.locator("#vote-budget")).to_contain_text("1 van je 2")
    bert.locator(".vote-options li", has_text="Bodemdaling aanpakken").get_by_role(
        "button", name="+"
    ).click()
    expect(bert.locator("#vote-budget")).to_contain_text("2 van je 2")
    expect(bert.get_by_role("button", name="+").first).to_be_disabled()

    control.reload()
    control.get_by_role("button", name="Uitslag op de beamer tonen").click()
    bars = beamer.locator(".vote-bar .vote-text")
    expect(bars).to_have_text(
        ["Ruimte voor water in de stad", "Bodemdaling aanpakken"], timeout=5000
    )
    expect(beamer.locator(".vote-bar").first).to_contain_text("2 stemmen")
    audit.check(beamer, "beamer: results")
    audit.check(control, "control: voting round")
    beamer.screenshot(path=artifacts / "beamer-results-1920.png", caret="initial")
    audit.assert_clean()
    for page in (control, beamer, anna, bert):
        assert not page.problems, str(page.problems)


def test_timer_runs_on_beamer_and_phone_and_keyboard_reaches_the_controls(app, world, new_page):
    _fac, w = world.live()
    control = new_page("desktop")
    browser_login(control)
    control.goto(f"/f/werkplaatsen/{w.id}/regie")
    control.get_by_label("Minuten").fill("3")
    control.get_by_role("button", name="Timer starten").click()
    expect(control.locator("#timer .countdown")).to_have_text(
        re.compile(r"^(2:5\d|3:00)$"), timeout=5000
    )
    phone = new_page("phone")
    browser_join(phone, w.join_code)
    expect(phone.locator(".phone-timer .countdown")).to_have_text(
        re.compile(r"^(2:[45]\d|3:00)$"), timeout=5000
    )
    # keyboard: the "+1 minuut" button can be reached and pressed without a mouse
    button = control.get_by_role("button", name="+1 minuut")
    button.focus()
    control.keyboard.press("Enter")
    expect(control.locator("#timer .countdown")).to_have_text(
        re.compile(r"^(3:5\d|4:00)$"), timeout=5000
    )
