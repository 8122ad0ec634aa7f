"""The phone page in a real browser with its static files under content-hashed names and
gzip-compressed: htmx and the page's scripts load (no CSP refusal, no script error), a post
goes through htmx and the outbox, and on the next visit the browser takes every static file
from its cache without asking the server. The page passes axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import contributions
from tests.e2e.axe import AxeAudit
from tests.e2e.conftest import browser_join, browser_post, mark_page, page_was_not_reloaded

pytestmark = pytest.mark.browser

HASHED = re.compile(r"/static/.+\.[0-9a-f]{12}\.(js|css|svg)$")
RESOURCES = "performance.getEntriesByType('resource').map(e => [e.name, e.transferSize])"


def test_the_phone_page_works_with_hashed_static_files(world, new_page):
    _fac, w = world.live()
    audit = AxeAudit("light pages")
    phone = new_page("phone")
    seen: dict[str, dict] = {}
    phone.on("response", lambda r: seen.__setitem__(r.url, r.headers) if "/static/" in r.url
             else None)  # fmt: skip
    browser_join(phone, w.join_code)
    phone.wait_for_load_state("load")
    assert phone.evaluate("typeof window.htmx") == "object"
    statics = [url for url in seen if "/static/" in url]
    assert any("htmx" in u for u in statics) and any("outbox" in u for u in statics), statics
    assert all(HASHED.search(u) for u in statics), statics
    assert all(h.get("content-encoding") == "gzip" for h in seen.values()), seen
    audit.check(phone, "phone")

    mark_page(phone)
    browser_post(phone, "Meer ruimte voor water in de stad")
    assert page_was_not_reloaded(phone)  # htmx sent it, not a plain form
    assert [c.text for c in contributions(w)] == ["Meer ruimte voor water in de stad"]

    seen.clear()
    phone.goto("/")  # away and back: the phone page's files come from the browser's cache
    phone.goto(f"/w/{w.join_code}")
    phone.wait_for_load_state("load")
    expect(phone.locator("#own-list")).to_contain_text("Meer ruimte voor water in de stad")
    fetched = dict(phone.evaluate(RESOURCES))
    assert fetched and all(HASHED.search(u) for u in fetched), fetched
    assert all(size == 0 for size in fetched.values()), fetched  # 0: from the cache
    browser_post(phone, "Bodemdaling gaat door")
    audit.check(phone, "phone after a repeat visit")
    audit.assert_clean()
    assert not phone.problems, str(phone.problems)
