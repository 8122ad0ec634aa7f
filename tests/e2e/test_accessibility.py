"""Every page, in the states people meet it in, passes axe-core (WCAG 2.1 A/AA) on a phone
and on a desktop. On the way, screenshots of the phone page and the wall go to
tests/e2e/artifacts/ (not committed) for a human to look at."""

from __future__ import annotations

import pytest

from tests.e2e.axe import AxeAudit, axe_violations
from tests.e2e.conftest import browser_login, image_loaded

pytestmark = pytest.mark.browser

OTHERS = [
    (
        "Bram",
        "Rijkswaterstaat",
        "interdepartementaal",
        "Klimaatadaptatie vraagt om ruimte voor water in de stad, ook waar het nu al vol is.",
    ),
    ("", "Gemeente Zwolle", "interbestuurlijk", "Regio's laten experimenteren."),
    (
        "Fatima",
        "",
        "maatschappelijk",
        "De energietransitie is ook een sociale opgave: wie betaalt, wie profiteert, wie beslist?",
    ),
    (
        "",
        "",
        None,
        "Bodemdaling in het veenweidegebied is een opgave voor de komende 30 jaar, "
        "niet voor één kabinetsperiode. Daar hoort een lange adem bij, en geld dat niet elk jaar "
        "opnieuw ter discussie staat.",
    ),
]


def _fill_the_room(werkplaats) -> None:
    """Others in the room have posted already: the wall has cards of every shape."""
    from noviwerk.services import participation

    round_id = werkplaats.rounds[0].id
    for name, org, veld, text in OTHERS:
        p = participation.join(werkplaats, name, org, veld)
        participation.post_contribution(p, round_id, text)


@pytest.mark.markup
@pytest.mark.parametrize("kind", ["phone", "desktop"])
def test_every_page_passes_axe(world, new_page, artifacts, kind):
    from noviwerk.services import programmes

    fac, w = world.live()
    programmes.change_member(w.programme, fac.id, "eigenaar", by=None)  # plans werkplaatsen
    _fill_the_room(w)
    world.user("ander@example.test")  # a facilitator who is not on this werkplaats
    code, wid, pid = w.join_code, w.id, w.programme_id
    audit = AxeAudit(kind)

    def snap(page, name):
        path = artifacts / f"{name}-{kind}.png"
        page.screenshot(path=path, full_page=True, animations="disabled")

    # Public pages, and the states that answer a mistake.
    anon = new_page(kind)
    for path in ("/", "/login", "/toegankelijkheid"):
        anon.goto(path)
        audit.check(anon, path)
    anon.goto("/")
    anon.get_by_label("Code van de werkplaats").fill("ABCD EFGH")
    anon.get_by_role("button", name="Meedoen").click()
    anon.get_by_text("Deze code hoort niet bij een open werkplaats").wait_for()
    audit.check(anon, "join: wrong code")
    anon.goto("/login")
    anon.get_by_label("E-mailadres").fill("fac@example.test")
    anon.get_by_label("Wachtwoord").fill("fout")
    anon.get_by_role("button", name="Inloggen", exact=True).click()
    anon.get_by_text("E-mailadres of wachtwoord klopt niet").wait_for()
    audit.check(anon, "login: wrong password")
    response = anon.goto("/bestaat-niet")
    assert response.status == 404
    audit.check(anon, "404")

    # The phone: welcome, posted contributions, a validation error, the edit page.
    phone = new_page(kind)
    phone.goto(f"/j/{code}")
    phone.wait_for_url("**/welkom")
    audit.check(phone, "welkom")
    phone.get_by_label("Naam (niet verplicht)").fill("Anna")
    phone.get_by_label("interbestuurlijk", exact=True).check()
    phone.get_by_role("button", name="Doe mee").click()
    phone.wait_for_url(f"**/w/{code}")
    for text in (
        "Water en bodem sturend maken bij elke ruimtelijke keuze.",
        "Meer samenwerking tussen provincies en waterschappen.",
    ):
        phone.get_by_role("textbox", name="Jouw bijdrage").fill(text)
        phone.get_by_role("button", name="Versturen").click()
        phone.locator(".own-text", has_text=text).wait_for()
    audit.check(phone, "phone: posted")
    snap(phone, "phone-page")
    phone.get_by_role("button", name="Versturen").click()
    phone.locator("#post-form .error").wait_for()
    audit.check(phone, "phone: empty text refused")
    phone.get_by_role("link", name="Aanpassen").first.click()
    phone.wait_for_url("**/bewerken")
    audit.check(phone, "phone: edit")

    # The facilitator's pages.
    desk = new_page(kind)
    browser_login(desk)
    audit.check(desk, "facilitator home")
    desk.goto(f"/f/programmas/{pid}")
    desk.get_by_role("heading", name="Lid toevoegen of rol wijzigen").wait_for()
    audit.check(desk, "programme")
    desk.goto("/f/programmas/nieuw")
    audit.check(desk, "new programme")
    desk.goto("/wachtwoord")
    audit.check(desk, "password change")
    desk.goto(f"/f/werkplaatsen/{wid}")
    qr = desk.locator("img.qr")
    qr.wait_for()
    assert image_loaded(qr), "the QR code did not load"
    audit.check(desk, "werkplaats (open)")
    if kind == "desktop":
        snap(desk, "werkplaats")
    desk.goto(f"/f/programmas/{pid}/werkplaatsen/nieuw")
    audit.check(desk, "new werkplaats")
    desk.goto(f"/f/werkplaatsen/{wid}/rondes/nieuw")
    audit.check(desk, "new round")
    desk.get_by_role("button", name="Opslaan").click()
    desk.get_by_text("Geef de ronde een vraag of opdracht.").wait_for()
    audit.check(desk, "new round: prompt missing")
    desk.goto(f"/f/werkplaatsen/{wid}/wall")
    desk.locator(".wall-card").nth(len(OTHERS) + 1).wait_for()
    audit.check(desk, "wall")
    snap(desk, "wall")

    # The trekker's pages: the draft bouwsteen, a section editor, versions, the shared link.
    desk.goto(f"/f/werkplaatsen/{wid}/bouwsteen")
    audit.check(desk, "bouwsteen: not made yet")
    desk.get_by_role("button", name="Conceptbouwsteen maken").click()
    desk.get_by_text("De conceptbouwsteen is gemaakt").wait_for()
    audit.check(desk, "bouwsteen")
    snap(desk, "bouwsteen")
    desk.goto(f"/f/werkplaatsen/{wid}/bouwsteen/secties/samenvatting")
    audit.check(desk, "bouwsteen: edit section")
    desk.get_by_label("Tekst van de sectie").fill("Water vraagt ruimte in de stad. [1]")
    desk.get_by_role("button", name="Opslaan als nieuwe versie").click()
    desk.get_by_text("met de hand geschreven").first.wait_for()
    audit.check(desk, "bouwsteen: after a hand edit")
    desk.goto(f"/f/werkplaatsen/{wid}/bouwsteen/versies")
    audit.check(desk, "bouwsteen: versions")
    desk.goto(f"/f/werkplaatsen/{wid}/bouwsteen/versies/2")
    audit.check(desk, "bouwsteen: what changed")
    desk.goto(f"/f/werkplaatsen/{wid}/bouwsteen")
    desk.get_by_role("button", name="Leeslink maken").click()
    link = desk.locator("#delen a").first.get_attribute("href")
    reader = new_page(kind)
    reader.goto(link)
    audit.check(reader, "bouwsteen: shared read-only")

    # The beheerder's audit log, with what everyone above did in it.
    world.user("baas@example.test", role="beheerder", name="Bea Beheerder")
    beheerder = new_page(kind)
    browser_login(beheerder, "baas@example.test")
    beheerder.goto("/f/logboek")
    beheerder.get_by_role("cell", name="ingelogd", exact=True).first.wait_for()
    audit.check(beheerder, "logboek")

    other = new_page(kind)
    browser_login(other, "ander@example.test")
    response = other.goto(f"/f/werkplaatsen/{wid}")
    assert response.status == 403
    audit.check(other, "403")

    audit.assert_clean()


def test_the_axe_check_does_find_violations(browser):
    """Guard against a harness that passes everything: a page with known faults must fail."""
    page = browser.new_page()
    try:
        page.set_content(
            '<html><body><img src="data:,x"><input type="text">'
            '<p style="color:#bbb;background:#fff">faint</p></body></html>'
        )
        found = {v["id"] for v in axe_violations(page)}
    finally:
        page.close()
    assert {"image-alt", "label", "html-has-lang", "document-title", "color-contrast"} <= found
