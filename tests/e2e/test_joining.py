"""The facilitator closes the werkplaats to newcomers in the regie, in a real browser: the
joined phone carries on, a new phone reads why it cannot join. Both pages pass axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import AxeAudit
from tests.e2e.conftest import browser_join, browser_login, browser_post

pytestmark = pytest.mark.browser


def test_closing_to_newcomers_from_the_regie(world, new_page):
    _fac, w = world.live()
    audit = AxeAudit("joining")
    joined = new_page("phone")
    browser_join(joined, w.join_code)

    desk = new_page("desktop")
    browser_login(desk)
    desk.goto(f"/f/werkplaatsen/{w.id}/regie")
    meedoen = desk.locator("#meedoen")
    expect(meedoen).to_contain_text("1 van maximaal 100 deelnemers")
    audit.check(desk, "regie")
    meedoen.get_by_role("button", name="Werkplaats sluiten voor nieuwe deelnemers").click()
    expect(desk.locator("#meedoen")).to_contain_text("Gesloten voor nieuwe deelnemers")
    audit.check(desk, "regie: closed to newcomers")

    newcomer = new_page("phone")
    newcomer.goto("/")
    newcomer.get_by_label("Code van de werkplaats").press_sequentially(w.join_code)
    newcomer.get_by_role("button", name="Meedoen").click()
    expect(newcomer.get_by_role("heading", name="Meedoen kan nu niet")).to_be_visible()
    expect(newcomer.locator("main")).to_contain_text("gesloten voor nieuwe deelnemers")
    audit.check(newcomer, "room closed")

    browser_post(joined, "Ik was er al")
    expect(joined.locator("#own-list")).to_contain_text("Ik was er al")
    audit.assert_clean()
    assert not joined.problems and not desk.problems
