""" "Mijn gegevens" in a real browser at phone size: a participant finds it from the phone
page, downloads their data, deletes it after confirming; every page on the way, the
privacyverklaring and the beheerder's page pass axe-core."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import AxeAudit
from tests.e2e.conftest import browser_join, browser_login, browser_post

pytestmark = pytest.mark.browser

TEXT = "Een landelijk loket voor bodemdaling waar gemeenten terecht kunnen."


def test_mijn_gegevens_on_a_phone(world, new_page):
    _fac, w = world.live()
    code = w.join_code
    audit = AxeAudit("phone")
    phone = new_page("phone")
    browser_join(phone, code, name="Anna", organisation="Gemeente Gouda", veld="interbestuurlijk")
    browser_post(phone, TEXT)

    phone.get_by_role("link", name="Mijn gegevens").click()
    phone.wait_for_url(f"**/w/{code}/mijn-gegevens")
    expect(phone.locator("main")).to_contain_text("Gemeente Gouda")
    expect(phone.locator("main")).to_contain_text(TEXT)
    audit.check(phone, "mijn gegevens")
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Download als JSON").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["deelnemer"]["naam"] == "Anna" and data["bijdragen"][0]["tekst"] == TEXT

    phone.get_by_role("link", name="Mijn gegevens verwijderen").click()
    phone.wait_for_url("**/mijn-gegevens/verwijderen")
    expect(phone.get_by_text("Weet je het zeker?")).to_be_visible()
    audit.check(phone, "mijn gegevens: verwijderen bevestigen")
    phone.get_by_role("button", name="Ja, verwijder mijn gegevens").click()
    expect(phone.locator("#flash")).to_contain_text("Je gegevens zijn verwijderd")
    audit.check(phone, "na verwijderen")

    phone.get_by_role("link", name="Privacyverklaring").click()
    phone.wait_for_url("**/privacy")
    audit.check(phone, "privacyverklaring")
    assert not phone.problems, str(phone.problems)

    world.user("beheer@example.test", role="beheerder")
    desk = new_page("desktop")
    browser_login(desk, "beheer@example.test")
    desk.goto(f"/f/werkplaatsen/{w.id}")
    desk.get_by_role("link", name="Gegevens van deelnemers (inzage en verwijderen)").click()
    expect(desk.get_by_text("gegevens verwijderd")).to_be_visible()
    audit.check(desk, "beheerder: deelnemers")
    audit.assert_clean()
