"""The trekker's draft bouwsteen in a real browser, at phone and desktop size: axe-clean with
every kind of section, and every confirmation visible where the page lands after a save."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from noviwerk.services import bouwsteen as bouwsteen_service
from noviwerk.services import participation
from tests.conftest import bouwsteen_url
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


def _make(page, w) -> None:
    """Open the werkplaats' bouwsteen page and press "Conceptbouwsteen maken"."""
    page.goto(bouwsteen_url(w))
    page.get_by_role("button", name="Conceptbouwsteen maken").click()
    expect(page.get_by_text("De conceptbouwsteen is gemaakt (versie 1).")).to_be_visible()


def _shared_link(page, w) -> str:
    page.goto(bouwsteen_url(w))
    page.get_by_role("button", name="Leeslink maken").click()
    link = page.locator("#delen a[href^='/b/']")
    expect(link).to_be_visible()
    return link.get_attribute("href")


@pytest.mark.markup
@pytest.mark.parametrize("kind", ["phone", "desktop"])
def test_draft_and_shared_page_with_a_table_pass_axe(werkplaats, new_page, artifacts, kind):
    w = werkplaats
    audit = AxeAudit(kind)
    page = new_page(kind)
    browser_login(page)
    page.goto(bouwsteen_url(w))
    audit.check(page, "bouwsteen not made yet")
    _make(page, w)
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


@pytest.mark.parametrize("kind", ["phone", "desktop"])
def test_a_saved_section_says_so_where_the_page_lands(werkplaats, new_page, kind):
    w = werkplaats
    page = new_page(kind)
    browser_login(page)
    _make(page, w)
    section = page.locator("#afwijkende-geluiden")
    section.get_by_role("link", name=re.compile("^Bewerken")).click()
    page.get_by_label("Tekst van de sectie").fill("Niemand sprak tegen. [1]")
    page.get_by_role("button", name="Opslaan als nieuwe versie").click()
    page.wait_for_url(re.compile(r"#afwijkende-geluiden$"))
    saved = section.get_by_text("opgeslagen als nieuwe versie")
    expect(saved).to_be_visible()
    expect(saved).to_be_in_viewport()
    expect(section.get_by_text("met de hand geschreven")).to_be_in_viewport()


@pytest.mark.parametrize("kind", ["phone", "desktop"])
def test_a_participant_sees_the_thanks_after_flagging(werkplaats, new_page, kind):
    w = werkplaats
    page = new_page("desktop")
    browser_login(page)
    _make(page, w)
    link = _shared_link(page, w)
    reader = new_page(kind)
    reader.goto(link)
    # "Herken ik niet" stands beside the section it is about.
    section = reader.locator("#afwijkende-geluiden")
    section.get_by_text("Herken ik niet").click()
    audit = AxeAudit(f"herken ik niet · {kind}")
    audit.check(reader, "flag form open beside its section")
    section.get_by_label("Wat klopt er niet, of wat mis je?").fill("Wij zeiden juist iets anders.")
    section.get_by_role("button", name="Verstuur reactie").click()
    thanks = reader.get_by_text("Dank je wel")
    expect(thanks).to_be_visible()
    expect(thanks).to_be_in_viewport()
    audit.assert_clean()


def test_the_share_link_fits_a_phone(werkplaats, new_page, monkeypatch):
    # a real token may hold a '-' where the line can break; this one has none
    monkeypatch.setattr(bouwsteen_service.secrets, "token_urlsafe", lambda n: "Qx7" * 11)
    w = werkplaats
    page = new_page("phone")
    browser_login(page)
    _make(page, w)
    _shared_link(page, w)
    widths = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"
    expect(page.locator("#delen a[href^='/b/']")).to_be_in_viewport(ratio=1)


def test_the_trekker_renames_a_rode_draad_at_phone_size(werkplaats, new_page):
    w = werkplaats
    audit = AxeAudit("phone")
    page = new_page("phone")
    browser_login(page)
    _make(page, w)
    section = page.locator("#rode-draden")
    section.get_by_text("Rode draden aanpassen").click()
    audit.check(page, "rode draden forms open")
    section.get_by_label("Nieuwe naam").first.fill("Water in de stad")
    section.get_by_role("button", name=re.compile("^Hernoemen")).first.click()
    page.wait_for_url(re.compile(r"#rode-draden$"))
    saved = section.get_by_text("heet nu 'Water in de stad' (versie 2).")
    expect(saved).to_be_visible()
    expect(saved).to_be_in_viewport()
    expect(section.locator("strong", has_text="Water in de stad")).to_be_visible()
    section.get_by_text("Rode draden aanpassen").click()
    section.get_by_label("Nieuwe naam").first.fill("")
    section.get_by_role("button", name=re.compile("^Hernoemen")).first.click()
    expect(section.get_by_role("alert")).to_have_text("Geef de rode draad een naam.")
    audit.check(page, "rode draden refused rename")
    audit.assert_clean()
    assert not page.problems, page.problems
