"""The facts-and-figures page passes axe on a phone and a desktop, and its charts fit the
phone's width (a screenshot of each is kept in the artifacts); so do the opgaven overview and
the download page it links to."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.e2e.axe import AxeAudit
from tests.e2e.conftest import browser_login

pytestmark = pytest.mark.browser


@pytest.mark.markup
@pytest.mark.parametrize("kind", ["phone", "desktop"])
def test_feiten_page_passes_axe(world, new_page, artifacts, kind):
    from noviwerk.services import participation, werkplaatsen

    _fac, w = world.live()
    prog = w.programme
    for i, (title, day, soort) in enumerate([
        ("Bodem en ondergrond", datetime(2026, 9, 3), "strategisch"),
        ("Stedelijke netwerken", datetime(2026, 10, 17), "regionaal"),
    ]):  # fmt: skip
        werkplaatsen.save_werkplaats(
            prog, title=title, starts_at=day, kind=soort, theme_id=prog.themes[i % 2].id,
            history_note="Gereed" if i else "",
        )  # fmt: skip
    for i, veld in enumerate(["maatschappelijk", "interbestuurlijk", "kennis en advies"]):
        p = participation.join(w, display_name=f"D{i}", organisation=f"Org {i}", veld=veld)
        participation.post_contribution(p, w.rounds[0].id, f"Tekst {i}", client_key=f"k{i}")
    audit = AxeAudit(kind)
    page = new_page(kind)
    browser_login(page)
    page.goto(f"/f/programmas/{prog.id}/oogst")
    page.get_by_role("link", name="Feiten en cijfers").click()
    page.wait_for_url(f"**/f/programmas/{prog.id}/feiten**")
    page.get_by_role("img", name="Deelnemers en bijdragen per veld").wait_for()
    audit.check(page, "feiten")
    # Every chart fits the screen's width: nothing to scroll sideways on a phone.
    width = page.evaluate("document.documentElement.clientWidth")
    for box in page.locator("svg.chart").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().right)"
    ):
        assert box <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=artifacts / f"feiten-{kind}.png", full_page=True, animations="disabled")
    page.get_by_label("Soort", exact=True).select_option("strategisch")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**soort=strategisch**")
    audit.check(page, "feiten: filtered")
    # The oogst's other new pages, reached from its navigation with the filter kept.
    page.get_by_role("link", name="Opgaven, kansen en dilemma's").click()
    page.wait_for_url("**/opgaven?**soort=strategisch**")
    audit.check(page, "opgaven")
    page.get_by_role("link", name="Alles downloaden (zip)").click()
    page.wait_for_url("**/oogst-downloaden?**soort=strategisch**")
    audit.check(page, "oogst downloaden")
    audit.assert_clean()
