"""Real-browser fixtures: one headless Debian chromium per session, fresh contexts per test.

Data is built with ``world`` in the test (the live server serves the test's own app), then
the browser drives ``live_server.url``. Without chromium the tests skip, except on CI, where
a missing browser is a failure: CI must really run them.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("NOVIWERK_CHROMIUM", "/usr/lib/chromium/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).parent / "artifacts"
TIMEOUT_MS = 5000
PASSWORD = "geheim-wachtwoord"  # what World.user gives everyone

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 3,
}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
BEAMER = {"viewport": {"width": 1920, "height": 1080}}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP, "beamer": BEAMER}


def _no_browser(reason: str):
    if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
        pytest.fail(f"{reason} — CI is set, so the browser tests must run, not skip.")
    pytest.skip(f"{reason} (install Debian's chromium package to run the browser tests)")


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        _no_browser(f"chromium not found at {CHROMIUM}")
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        _no_browser("playwright is not installed")
    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    except Error as e:
        pw.stop()
        _no_browser(f"chromium at {CHROMIUM} did not start: {e}")
    yield browser
    browser.close()
    pw.stop()


class Problems(list):
    """JavaScript errors and CSP refusals a page logged; a flow test asserts there are none."""

    def __str__(self) -> str:
        return "\n".join(self)


@pytest.fixture(autouse=True)
def _quiet_server_log():
    """Keep the live server's request log out of failure reports; the browser's story matters."""
    logger = logging.getLogger("werkzeug")
    level = logger.level
    logger.setLevel(logging.WARNING)
    yield
    logger.setLevel(level)


def _console(page, msg) -> None:
    # A 4xx answer is how the app refuses input (422) or access; the browser logs each one,
    # but that is the app working, not a script error or a CSP refusal.
    if msg.type == "error" and not re.match(
        r"Failed to load resource: the server responded with a status of 4\d\d", msg.text
    ):
        page.problems.append(f"console.{msg.type}: {msg.text}")


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable]:
    """``new_page("phone" | "desktop", **context_options)``: a page in a fresh context.

    The page's base URL is the live server; ``page.problems`` collects console errors and
    uncaught exceptions.
    """
    contexts = []

    def make(kind: str = "desktop", **options):
        context = browser.new_context(
            base_url=live_server.url, locale="nl-NL", **VIEWPORTS[kind], **options
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.problems = Problems()
        page.on("pageerror", lambda exc: page.problems.append(f"pageerror: {exc}"))
        page.on("console", lambda msg: _console(page, msg))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def fast_polls(app):
    """Phones and walls check for changes every second, so tests need not wait 5 s."""
    app.config["NOVIWERK_PHONE_POLL_SECONDS"] = 1
    app.config["NOVIWERK_WALL_POLL_MS"] = 300
    return app


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Screenshots for a human to look at; emptied per session so none is stale."""
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    return ARTIFACTS


# --- browser helpers that drive real flows ----------------------------------------------


def browser_login(page, email: str = "fac@example.test", password: str = PASSWORD):
    """Log in through the login form, as a facilitator would."""
    page.goto("/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    page.wait_for_url("**/f/")


def browser_join(page, code: str, name: str = "", organisation: str = "", veld: str = ""):
    """Join a werkplaats on a phone: code on the start page, then the optional profile."""
    page.goto("/")
    page.get_by_label("Code van de werkplaats").press_sequentially(code)
    page.get_by_role("button", name="Meedoen").click()
    page.wait_for_url("**/welkom")
    if name:
        page.get_by_label("Naam (niet verplicht)").fill(name)
    if organisation:
        page.get_by_label("Organisatie (niet verplicht)").fill(organisation)
    if veld:
        page.get_by_label(veld, exact=True).check()
    page.get_by_role("button", name="Doe mee").click()
    page.wait_for_url(f"**/w/{code.replace(' ', '').upper()}")


def browser_post(page, text: str) -> None:
    """Send a contribution from the phone's form and wait until the phone shows it received."""
    from playwright.sync_api import expect

    page.get_by_role("textbox", name="Jouw bijdrage").fill(text)
    page.get_by_role("button", name="Versturen").click()
    expect(page.locator("#own-list")).to_contain_text(text)
    expect(page.locator("#flash")).to_contain_text("Ontvangen")


def mark_page(page) -> None:
    """Leave a mark in the page's JS state: still there later means the page never reloaded."""
    page.evaluate("window.__noviwerkMark = 'unchanged'")


def page_was_not_reloaded(page) -> bool:
    return page.evaluate("window.__noviwerkMark") == "unchanged"


def image_loaded(locator) -> bool:
    """Whether the image loads; waits for it (on a busy machine the SVG may still be coming)."""
    return locator.evaluate(
        """img => img.complete ? img.naturalWidth > 0 : new Promise(done => {
            img.addEventListener("load", () => done(img.naturalWidth > 0));
            img.addEventListener("error", () => done(false));
        })"""
    )
