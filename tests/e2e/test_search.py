"""The search page passes axe on a phone and a desktop: reached from the programme page,
asked through its form (no script needed), with hits marked, a filter not understood, no
results, and the contribution a result links to."""

from __future__ import annotations

import pytest

from tests.e2e.axe import AxeAudit
from tests.e2e.conftest import browser_login

pytestmark = pytest.mark.browser


@pytest.mark.markup
@pytest.mark.parametrize("kind", ["phone", "desktop"])
def test_search_page_passes_axe(world, new_page, artifacts, kind):
    from noviwerk.services import participation

    _fac, w = world.live()
    p = participation.join(w, veld="maatschappelijk")
    for text in ("De boer moet ruimte krijgen voor natuur", "Boeren en burgers samen"):
        participation.post_contribution(p, w.rounds[0].id, text)
    pid = w.programme_id
    audit = AxeAudit(kind)
    page = new_page(kind)
    browser_login(page)
    page.goto(f"/f/programmas/{pid}")
    page.get_by_role("link", name="Zoeken in bijdragen en bouwstenen").click()
    page.wait_for_url(f"**/f/programmas/{pid}/zoeken")
    audit.check(page, "search: empty form")
    page.get_by_label("Zoekwoorden").fill("boeren")
    page.get_by_label("Veld").select_option("maatschappelijk")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url("**q=boeren**")
    assert page.locator(".search-results mark").count() == 2
    audit.check(page, "search: results")
    page.screenshot(path=artifacts / f"search-{kind}.png", full_page=True, animations="disabled")
    page.locator(".search-results a").first.click()
    page.wait_for_url("**/bijdragen#c-*")
    audit.check(page, "search: the contribution found")
    page.goto(f"/f/programmas/{pid}/zoeken?q=zeespiegel&soort=x")
    page.get_by_text("Niets gevonden voor ‘zeespiegel’.").wait_for()
    audit.check(page, "search: notice and nothing found")
    audit.assert_clean()
