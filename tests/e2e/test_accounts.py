"""The account pages in a real browser: a beheerder invites and copies the link; the invitee
opens it on a phone, chooses a name and password and is logged in. axe checks each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import AxeAudit
from tests.e2e.conftest import browser_login

pytestmark = pytest.mark.browser

STRONG = "zeven grijze reigers langs de Vecht"


def test_invite_copy_and_accept_on_a_phone(world, new_page):
    world.user("beheer@example.test", role="beheerder", name="Bea Beheerder")
    desktop, phone = AxeAudit("desktop"), AxeAudit("phone")

    beheerder = new_page("desktop", permissions=["clipboard-read", "clipboard-write"])
    browser_login(beheerder, "beheer@example.test")
    beheerder.get_by_role("link", name="Accounts beheren").click()
    desktop.check(beheerder, "accounts")
    beheerder.get_by_label("E-mailadres").fill("nina@example.test")
    beheerder.get_by_label("Rol").select_option("trekker")
    beheerder.get_by_role("button", name="Uitnodigen").click()
    field = beheerder.get_by_label("Link", exact=True)
    url = field.input_value()
    assert "/account/" in url
    beheerder.get_by_role("button", name="Link kopiëren").click()
    expect(beheerder.locator(".copy-status")).to_have_text("Gekopieerd")
    assert beheerder.evaluate("navigator.clipboard.readText()") == url
    desktop.check(beheerder, "link to copy")

    invitee = new_page("phone")
    invitee.goto(url)
    expect(invitee.get_by_role("heading", name="Account aanmaken")).to_be_visible()
    phone.check(invitee, "invitation")
    invitee.get_by_label("Je naam").fill("Nina Nieuw")
    invitee.get_by_label("Wachtwoord", exact=True).fill("welkom123456")
    invitee.get_by_label("Wachtwoord nog eens").fill("welkom123456")
    invitee.get_by_role("button", name="Account aanmaken").click()
    expect(invitee.get_by_text("te makkelijk te raden")).to_be_visible()
    phone.check(invitee, "invitation: weak password")
    assert invitee.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    invitee.get_by_label("Wachtwoord", exact=True).fill(STRONG)
    invitee.get_by_label("Wachtwoord nog eens").fill(STRONG)
    invitee.get_by_role("button", name="Account aanmaken").click()
    invitee.wait_for_url("**/f/")
    expect(invitee.get_by_text("Welkom, Nina Nieuw. Je bent ingelogd.")).to_be_visible()

    invitee.goto(url)
    expect(invitee.get_by_text("Deze link is al gebruikt")).to_be_visible()
    phone.check(invitee, "used link")
    assert not (beheerder.problems or invitee.problems), beheerder.problems + invitee.problems
    desktop.assert_clean()
    phone.assert_clean()
