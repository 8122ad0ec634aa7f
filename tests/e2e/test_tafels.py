"""Tafels in real browsers: the facilitator sets up three tafels, phones join at each (by
the tafel's QR link or by choosing), each tafel's screen shows its own posts as they arrive
(and not the others'), the tafelvoorzitter types the flap and marks a main point, and the
plenary on the 1920×1080 beamer shows each tafel and what several tafels raised. Axe-clean
at phone and desktop sizes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from noviwerk.services import tafels
from tests.conftest import fresh
from tests.e2e.axe import AxeAudit
from tests.e2e.conftest import browser_login, browser_post, mark_page, page_was_not_reloaded

pytestmark = pytest.mark.browser

SAID = {
    "Tafel Water": ["Bodemdaling in het veenweidegebied", "Fietspaden tussen de dorpen"],
    "Tafel Wonen": ["Bodemdaling onder nieuwe wijken", "Woningbouw bij stations"],
    "Tafel Energie": ["Hittestress in de stad", "Bodemdaling in de polder", "Hittestress raakt ouderen"],
}  # fmt: skip


def _qr_join(page, code: str, tafel_id: int) -> None:
    """What scanning a tafel's QR code does: its link, then "Doe mee" with the tafel chosen."""
    page.goto(f"/j/{code}?tafel={tafel_id}")
    page.wait_for_url("**/welkom?tafel=*")
    page.get_by_role("button", name="Doe mee").click()
    page.wait_for_url(f"**/w/{code}")


def test_three_tafels_their_screens_and_the_plenary_on_the_beamer(fast_polls, world, new_page, artifacts):
    _fac, w = world.live()
    audit = AxeAudit("tafels")
    fac = new_page("desktop")
    browser_login(fac)
    fac.goto(f"/f/werkplaatsen/{w.id}")
    fac.get_by_role("link", name="Tafels", exact=True).click()
    for name in SAID:
        fac.get_by_label("Naam van de tafel").fill(name)
        fac.get_by_role("button", name="Tafel toevoegen").click()
        expect(fac.locator("#flash, .flash").first).to_contain_text(f"Tafel ‘{name}’ toegevoegd")
    fac.get_by_label("Naam van de tafel").fill("Tafel Water")
    fac.get_by_role("button", name="Tafel toevoegen").click()
    expect(fac.get_by_text("Er is al een tafel met deze naam")).to_be_visible()
    audit.check(fac, "tafels page with an error (desktop)")
    fresh()
    made = {t.name: t for t in tafels.tafels_of(w)}
    assert list(made) == list(SAID)

    # Each tafel's screen, on a laptop on the table (no account).
    screens = {}
    for name, tafel in made.items():
        screens[name] = new_page("desktop")
        screens[name].goto(f"/tafel/{tafel.token}")
        mark_page(screens[name])
    audit.check(screens["Tafel Water"], "tafel screen (desktop)")

    # Phones: one per tafel through its QR link, one that chooses on the welcome page.
    phones = {}
    for name, tafel in made.items():
        phones[name] = new_page("phone")
        _qr_join(phones[name], w.join_code, tafel.id)
        expect(phones[name].locator("#phone-tafel")).to_contain_text(f"Je zit aan {name}.")
    chooser = new_page("phone")
    chooser.goto(f"/j/{w.join_code}")
    chooser.wait_for_url("**/welkom")
    chooser.get_by_role("button", name="Doe mee").click()
    expect(chooser.get_by_text("Kies aan welke tafel je zit.")).to_be_visible()
    audit.check(chooser, "welcome with the tafel choice and its error (phone)")
    chooser.get_by_label("Tafel Energie").check()
    chooser.get_by_role("button", name="Doe mee").click()
    chooser.wait_for_url(f"**/w/{w.join_code}")
    audit.check(chooser, "phone at a tafel (phone)")

    for name, texts in SAID.items():
        for text in texts[:2]:
            browser_post(phones[name], text)
    browser_post(chooser, SAID["Tafel Energie"][2])
    for name, texts in SAID.items():
        for text in texts:
            expect(screens[name].locator("#tafel-items")).to_contain_text(text)
        others = [t for n, ts in SAID.items() if n != name for t in ts]
        screen_text = screens[name].locator("#tafel-items").inner_text()
        assert not [t for t in others if t in screen_text], "a tafel screen shows only its own"
        assert page_was_not_reloaded(screens[name]), "cards arrive by cursor, no reload"

    # The phone moves; its earlier post stays at the tafel it was posted at.
    chooser.get_by_role("link", name="Andere tafel").click()
    audit.check(chooser, "move to another tafel (phone)")
    chooser.get_by_label("Tafel Water").check()
    chooser.get_by_role("button", name="Naar deze tafel").click()
    expect(chooser.locator("#phone-tafel")).to_contain_text("Je zit aan Tafel Water.")
    browser_post(chooser, "Natuur langs de rivieren")
    expect(screens["Tafel Water"].locator("#tafel-items")).to_contain_text("Natuur langs de rivieren")
    expect(screens["Tafel Energie"].locator("#tafel-items")).to_contain_text(SAID["Tafel Energie"][2])

    # The tafelvoorzitter types what the flap says and marks it a main point.
    water = screens["Tafel Water"]
    water.get_by_label("Bijdrage van de flap of uit het gesprek").fill("Ruimte voor water gaat voor")
    water.get_by_role("button", name="Toevoegen aan de tafel").click()
    expect(water.locator("#tafel-items")).to_contain_text("Ruimte voor water gaat voor")
    water.locator("li", has_text="Ruimte voor water gaat voor").get_by_role("button", name="Hoofdpunt").click()
    expect(water.locator("#hoofdpunten")).to_contain_text("Ruimte voor water gaat voor")
    audit.check(water, "tafel screen with a main point (desktop)")
    water.screenshot(path=artifacts / "tafel-screen-desktop.png", full_page=True, animations="disabled")

    # The beamer's cards name their tafel, read from the back of the room (28 px at least).
    beamer = new_page("beamer")
    browser_login(beamer)
    beamer.goto(f"/f/werkplaatsen/{w.id}/beamer")
    tag = beamer.locator(".wall-card", has_text="Woningbouw bij stations").locator(".tafel-tag")
    expect(tag).to_contain_text("Tafel Wonen")
    assert tag.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 28
    audit.check(beamer, "beamer cards with their tafel")

    # Back in the plenary: the beamer shows each tafel, then what several raised.
    beamer.goto(f"/f/werkplaatsen/{w.id}/tafels/plenair")
    for name in SAID:
        expect(beamer.locator(".plenary-tafels")).to_contain_text(name)
    expect(beamer.locator(".plenary-tafels")).to_contain_text("Ruimte voor water gaat voor")
    expect(beamer.locator("#gedeeld")).to_contain_text("Bodemdaling")
    expect(beamer.locator("#gedeeld")).to_contain_text("aan 3 van de 3 tafels")
    expect(beamer.locator("#eigen")).to_contain_text("Hittestress")
    audit.check(beamer, "plenary on the beamer")
    beamer.screenshot(path=artifacts / "tafels-plenary-beamer.png", full_page=True, animations="disabled")

    # The facilitator takes a screen's link back: that screen says so instead of going quiet.
    fresh()
    tafels.new_screen_link(made["Tafel Wonen"])
    browser_post(phones["Tafel Wonen"], "Wonen boven winkels")
    expect(screens["Tafel Wonen"].get_by_role("alert")).to_contain_text("Deze tafellink werkt niet meer")
    audit.check(screens["Tafel Wonen"], "tafel screen whose link was replaced")
    for page in [fac, beamer, *screens.values(), *phones.values(), chooser]:
        assert not page.problems, str(page.problems)
    audit.assert_clean()


@pytest.mark.markup
def test_tafel_pages_pass_axe_at_phone_size(world, new_page, artifacts):
    from noviwerk.services import participation

    _fac, w = world.live()
    a, b = tafels.save_tafel(w, "Tafel 1"), tafels.save_tafel(w, "Tafel 2")
    for tafel, texts in ((a, ["Bodemdaling gaat door", "Meer groen"]), (b, ["Bodemdaling kost geld"])):
        for i, text in enumerate(texts):
            p = participation.join(w, f"{tafel.name}-{i}")
            tafels.seat(p, tafel.id)
            participation.post_contribution(p, w.rounds[0].id, text, client_key=f"k{i}")
    participation.join(w, "Nog zonder tafel")  # the page offers to seat them
    audit = AxeAudit("tafels, phone size")
    page = new_page("phone")
    browser_login(page)
    for url, what in ((f"/f/werkplaatsen/{w.id}/tafels", "tafels page"),
                      (f"/f/werkplaatsen/{w.id}/tafels/{a.id}/bewerken", "edit a tafel"),
                      (f"/f/werkplaatsen/{w.id}/tafels/plenair", "plenary"),
                      (f"/f/werkplaatsen/{w.id}/regie", "regie with tafels"),
                      (f"/tafel/{a.token}", "tafel screen")):  # fmt: skip
        page.goto(url)
        audit.check(page, what)
        width = page.evaluate("document.documentElement.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{what} scrolls sideways"
    page.goto(f"/f/werkplaatsen/{w.id}/tafels/plenair")
    page.screenshot(path=artifacts / "tafels-plenary-phone.png", full_page=True, animations="disabled")
    audit.assert_clean()


def test_deleting_a_tafel_or_renewing_its_link_asks_first(world, new_page):
    """"Verwijderen" and "Nieuwe link" ask before they act: cancelling changes nothing,
    confirming does what the button says."""
    _fac, w = world.live()
    spare = tafels.save_tafel(w, "Tafel Reserve")
    token = spare.token
    page = new_page("desktop")
    browser_login(page)
    page.goto(f"/f/werkplaatsen/{w.id}/tafels")
    asked: list[str] = []

    def answer(accept: bool):
        def handler(dialog):
            asked.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        page.once("dialog", handler)

    answer(accept=False)
    page.get_by_role("button", name="Nieuwe link voor Tafel Reserve").click()
    answer(accept=False)
    page.get_by_role("button", name="Verwijderen Tafel Reserve").click()
    assert asked == ["Een nieuwe link maken? De oude link van dit tafelscherm werkt dan niet meer.",
                     "Deze tafel verwijderen?"]
    fresh()
    assert [t.token for t in tafels.tafels_of(w)] == [token]  # nothing changed

    answer(accept=True)
    page.get_by_role("button", name="Nieuwe link voor Tafel Reserve").click()
    expect(page.locator("#flash, .flash").first).to_be_visible()
    fresh()
    assert [t.token for t in tafels.tafels_of(w)] != [token]
    answer(accept=True)
    page.get_by_role("button", name="Verwijderen Tafel Reserve").click()
    expect(page.locator("#flash, .flash").first).to_contain_text("Tafel ‘Tafel Reserve’ verwijderd.")
    expect(page.get_by_role("button", name="Verwijderen Tafel Reserve")).to_have_count(0)
    fresh()
    assert tafels.tafels_of(w) == []
