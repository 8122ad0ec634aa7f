"""The trekker's draft bouwsteen in a real browser, at phone and desktop size: axe-clean with
every kind of section, and every confirmation visible where the page lands after a save."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from noviwerk.services import participation
from tests.e2e.axe import AxeAudit
from tests.e2e.conftest import browser_login

pytestmark = pytest.mark.browser

POSTS = [
    ("Meer ruimte voor water in de stad", None),
    ("Ruimte voor water in steden is hard nodig", None),
    ("Bodemdaling in het veenweidegebied gaat door", None),
    ("Een strategische visie op dalende bodem", "opgave"),
    ("Waterschappen kunnen energie produceren", "kans"),
    ("Wie betaalt voor de klimaatadaptatie?", "dilemma"),
    ("Water en energie: besparing is winst", "verbinding"),
]


@pytest.fixture
def werkplaats(world):
    """An open werkplaats whose input fills every section, the opgaven table too."""
    fac = world.user()
    w = world.werkplaats(facilitators=[fac])
    world.open_werkplaats(w)
    for i, (text, label) in enumerate(POSTS):
        p = participation.join(w, display_name=f"Deelnemer {i}", veld="maatschappelijk")
        participation.post_contribution(p, w.rounds[0].id, text, client_key=f"k{i}", label=label)
    return w


def _url(w, tail=""):
    return f"/f/werkplaatsen/{w.id}/bouwsteen{tail}"


def _shared_link(page, w) -> str:
    page.goto(_url(w))
    page.get_by_role("button", name="Leeslink maken").click()
    link = page.locator("#delen a[href^='/b/']")
    expect(link).to_be_visible()
    return link.get_attribute("href")


@pytest.mark.parametrize("kind", ["phone", "desktop"])
def test_draft_and_shared_page_with_a_table_pass_axe(werkplaats, new_page, artifacts, kind):
    w = werkplaats
    audit = AxeAudit(kind)
    page = new_page(kind)
    browser_login(page)
    page.goto(_url(w))
    expect(page.locator("#opgaven-kansen-dilemmas table")).to_be_visible()
    audit.check(page, "bouwsteen with opgaven table")
    page.screenshot(path=artifacts / f"compose-{kind}.png", full_page=True)
    link = _shared_link(page, w)
    reader = new_page(kind)
    reader.goto(link)
    expect(reader.locator("#opgaven-kansen-dilemmas table")).to_be_visible()
    audit.check(reader, "shared with opgaven table")
    audit.assert_clean()
    assert not page.problems and not reader.problems, page.problems + reader.problems
