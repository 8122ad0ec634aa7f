"""The ansichtkaart in a real browser: every page passes axe on a phone and a desktop, and the
editor's preview follows what is typed, ticked and chosen, without saving or reloading."""

from __future__ import annotations

import base64
import re

import pytest
from playwright.sync_api import expect

from noviwerk.services import participation
from tests.e2e.axe import AxeAudit
from tests.e2e.conftest import browser_login, image_loaded, mark_page, page_was_not_reloaded

pytestmark = pytest.mark.browser

TEXTS = [
    "Meer ruimte voor water in de stad",
    "Ruimte voor water in steden is hard nodig",
    "Bodemdaling in het veenweidegebied gaat door, en daarmee stijgen de kosten",
    "Waterschappen kunnen meer energie opwekken op hun eigen terrein",
    "Zoute kwel bedreigt de landbouw in de polders",
    "Wie betaalt voor de klimaatadaptatie van de bestaande stad?",
]


@pytest.fixture
def werkplaats(world):
    """A werkplaats with input, its facilitator (who logs in), and a second werkplaats of the
    same programme that has no card yet."""
    fac = world.user()
    w = world.werkplaats(facilitators=[fac])
    world.open_werkplaats(w)
    for i, text in enumerate(TEXTS):
        p = participation.join(w, display_name=f"Deelnemer {i}", veld="maatschappelijk")
        participation.post_contribution(p, w.rounds[0].id, text, client_key=f"k{i}")
    world.werkplaats(w.programme, title="Ruimte voor voedsel", facilitators=[fac])
    return w


def _ansichtkaart_url(w, tail=""):
    return f"/f/werkplaatsen/{w.id}/ansichtkaart{tail}"


def _make_ansichtkaart(page, w):
    page.goto(_ansichtkaart_url(w))
    page.get_by_role("button", name="Ansichtkaart maken").click()
    expect(page.locator("#flash")).to_contain_text("De ansichtkaart is gemaakt")


def _preview_svg(page) -> str:
    src = page.locator("#ansichtkaart-preview-image img").get_attribute("src")
    assert src.startswith("data:image/svg+xml;base64,")
    return base64.b64decode(src.split(",", 1)[1]).decode("utf-8")


@pytest.mark.markup
@pytest.mark.parametrize("kind", ["phone", "desktop"])
def test_ansichtkaart_pages_pass_axe(werkplaats, new_page, artifacts, kind):
    w = werkplaats
    audit = AxeAudit(kind)
    page = new_page(kind)
    browser_login(page)

    page.goto(_ansichtkaart_url(w))
    audit.check(page, "ansichtkaart: not made yet")
    _make_ansichtkaart(page, w)
    image = page.locator(".ak-figure img")
    expect(image).to_be_visible()
    assert image_loaded(image), "the card's SVG did not load"
    expect(
        page.get_by_role("heading", level=2, name="NOVI-werkplaats Water verbindt")
    ).to_be_visible()
    audit.check(page, "ansichtkaart")
    page.screenshot(path=artifacts / f"ansichtkaart-{kind}.png", full_page=True)

    page.goto(_ansichtkaart_url(w, "/bewerken"))
    assert image_loaded(page.locator("#ansichtkaart-preview-image img"))
    audit.check(page, "ansichtkaart editor")
    page.get_by_label("Alinea 1").fill("Veel te lang. " * 60)
    expect(page.locator("#ansichtkaart-preview-status")).to_contain_text("te lang voor de kaart")
    audit.check(page, "ansichtkaart editor: text too long")
    page.get_by_role("button", name="Opslaan als nieuwe versie").click()
    expect(page.locator("#flash")).to_contain_text("Alinea 1 is te lang voor de kaart")
    audit.check(page, "ansichtkaart editor: save refused")
    if kind == "desktop":
        page.screenshot(path=artifacts / "ansichtkaart-editor.png", full_page=True)

    page.goto(_ansichtkaart_url(w, "/versies"))
    audit.check(page, "ansichtkaart versions")
    page.goto(_ansichtkaart_url(w, "/versies/1"))
    audit.check(page, "ansichtkaart version 1")

    page.goto(f"/f/programmas/{w.programme_id}/ansichtkaarten")
    gallery_image = page.locator(".ak-gallery img")
    expect(gallery_image).to_have_count(1)
    gallery_image.scroll_into_view_if_needed()
    expect(gallery_image).to_have_js_property("complete", True)
    assert image_loaded(gallery_image), "the gallery's card did not load"
    expect(page.get_by_text("Ruimte voor voedsel")).to_be_visible()
    audit.check(page, "programme gallery")

    audit.assert_clean()
    assert not page.problems, str(page.problems)


def test_the_preview_follows_the_editor_without_saving(werkplaats, new_page):
    w = werkplaats
    page = new_page("desktop")
    browser_login(page)
    _make_ansichtkaart(page, w)
    page.goto(_ansichtkaart_url(w, "/bewerken"))
    mark_page(page)
    status = page.locator("#ansichtkaart-preview-status")
    image = page.locator("#ansichtkaart-preview-image img")

    page.get_by_label("Titel").fill("Water verbindt ons")
    expect(status).to_contain_text("Het voorbeeld is bijgewerkt")
    expect(image).to_have_attribute(
        "alt", re.compile("^Voorbeeld: Ansichtkaart ‘Water verbindt ons’")
    )
    assert '<title id="kaart-titel">Water verbindt ons</title>' in _preview_svg(page)

    # a term off, and on again: each time the picture follows (``changed`` would miss this)
    box = page.locator(".ak-term-choices input[type=checkbox]").first
    term = page.locator(".ak-term-choices label").first.inner_text()
    box.uncheck()
    page.wait_for_function(
        "t => !atob(document.querySelector('#ansichtkaart-preview-image img').src.split(',')[1])"
        ".includes('>' + t + '<')",
        arg=term,
    )
    box.check()
    page.wait_for_function(
        "t => atob(document.querySelector('#ansichtkaart-preview-image img').src.split(',')[1])"
        ".includes('>' + t + '<')",
        arg=term,
    )

    # a term of the trekker's own appears in the picture as it is typed
    page.get_by_label("Kernwoorden toevoegen").fill("Deltaprogramma")
    page.wait_for_function(
        "() => atob(document.querySelector('#ansichtkaart-preview-image img').src.split(',')[1])"
        ".includes('>Deltaprogramma<')"
    )
    page.get_by_label("Kernwoorden toevoegen").fill("")

    page.get_by_label("Oker").check()
    page.wait_for_function(
        "() => atob(document.querySelector('#ansichtkaart-preview-image img').src.split(',')[1])"
        ".includes('#FFB612')"
    )

    # too long: the message, and the last picture that fitted stays
    before = image.get_attribute("src")
    page.get_by_label("Alinea 2").fill("Dit is veel te lang voor een kaart. " * 40)
    expect(status).to_contain_text("Alinea 2 is te lang voor de kaart")
    assert image.get_attribute("src") == before
    page.get_by_label("Alinea 2").fill("Water vraagt ruimte, in de stad en op het land.")
    expect(status).to_contain_text("Het voorbeeld is bijgewerkt")
    assert page_was_not_reloaded(page), "the preview should be swapped in by htmx"

    # nothing was saved by the preview; saving is a plain form post
    page.goto(_ansichtkaart_url(w, "/versies"))
    expect(page.locator("tbody tr")).to_have_count(1)
    page.go_back()
    page.get_by_label("Titel").fill("Water verbindt ons")
    page.get_by_label("Alinea 2").fill("Water vraagt ruimte, in de stad en op het land.")
    page.get_by_label("Oker").check()
    page.get_by_role("button", name="Opslaan als nieuwe versie").click()
    page.wait_for_url(f"**{_ansichtkaart_url(w)}")
    expect(page.locator("#flash")).to_contain_text("Opgeslagen als versie 2")
    expect(page.get_by_role("heading", level=2, name="Water verbindt ons")).to_be_visible()
    expect(page.get_by_text("Alinea 2: met de hand geschreven")).to_be_visible()
    assert not page.problems, str(page.problems)


def test_the_editor_works_without_javascript(werkplaats, new_page):
    w = werkplaats
    setup = new_page("desktop")
    browser_login(setup)
    _make_ansichtkaart(setup, w)
    page = new_page("desktop", java_script_enabled=False)
    browser_login(page)
    page.goto(_ansichtkaart_url(w, "/bewerken"))
    page.get_by_label("Titel").fill("Zonder script")
    page.get_by_role("button", name="Voorbeeld tonen").click()
    expect(page.get_by_label("Titel")).to_have_value("Zonder script")
    assert '<title id="kaart-titel">Zonder script</title>' in _preview_svg(page)
    page.get_by_role("button", name="Opslaan als nieuwe versie").click()
    expect(page.locator("#flash")).to_contain_text("Opgeslagen als versie 2")
