"""The oogst page passes axe on a phone and a desktop, as it opens, filtered and sorted by
hand (the form without JavaScript's help), with a bad value in its URL, and when empty."""

from __future__ import annotations

import pytest

from tests.e2e.axe import AxeAudit
from tests.e2e.conftest import browser_login

pytestmark = pytest.mark.browser


@pytest.mark.markup
@pytest.mark.parametrize("kind", ["phone", "desktop"])
def test_oogst_page_passes_axe(world, new_page, artifacts, kind):
    _fac, w = world.live()
    world.werkplaats(w.programme, title="Bodem en ondergrond")
    pid = w.programme_id
    audit = AxeAudit(kind)
    page = new_page(kind)
    browser_login(page)
    page.goto(f"/f/programmas/{pid}")
    page.get_by_role("link", name="Oogst: filteren, sorteren, downloaden").click()
    page.wait_for_url(f"**/f/programmas/{pid}/oogst")
    audit.check(page, "oogst")
    page.get_by_label("Soort").select_option("inhoudelijk")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**soort=inhoudelijk**")
    page.get_by_role("link", name="Werkplaats", exact=True).click()
    page.wait_for_url("**sorteer=titel**")
    assert page.locator("th[aria-sort=ascending]").count() == 1
    assert "soort=inhoudelijk" in page.url  # the sort kept the filter
    audit.check(page, "oogst: filtered and sorted")
    page.screenshot(path=artifacts / f"oogst-{kind}.png", full_page=True, animations="disabled")
    page.goto(f"/f/programmas/{pid}/oogst?sorteer=x&van=2099-01-01")
    page.get_by_text("Geen werkplaatsen die aan dit filter voldoen.").wait_for()
    audit.check(page, "oogst: notice and empty")
    audit.assert_clean()
