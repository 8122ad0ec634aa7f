"""The phone at 320 CSS px wide with text at 200 %: nothing runs off the screen (a long Dutch
word breaks), and the veld radio buttons keep a tappable size beside their long labels."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TITLE = "Proefwerkplaatsbijeenkomst Klimaatadaptatie"
ZOOM = "document.documentElement.style.fontSize = '200%'"  # as the browser's text size does


def _overflowing(page) -> list[str]:
    """Elements whose box reaches past the right edge of the screen."""
    return page.evaluate(
        """() => {
            const w = document.documentElement.clientWidth, out = [];
            for (const el of document.querySelectorAll('main *')) {
                const r = el.getBoundingClientRect();
                if (r.width && r.right > w + 0.5)
                    out.push(`${el.tagName.toLowerCase()}.${el.className} → ${Math.round(r.right)}px`);
            }
            return out;
        }"""
    )


def test_welcome_and_phone_fit_320px_at_200_percent_text(world, new_page):
    _fac, w = world.live(title=TITLE)
    phone = new_page("phone")
    phone.set_viewport_size({"width": 320, "height": 640})
    phone.goto(f"/w/{w.join_code}/welkom")
    phone.evaluate(ZOOM)
    assert _overflowing(phone) == []
    sizes = phone.locator(".choice input").evaluate_all(
        "els => els.map(e => Math.min(e.getBoundingClientRect().width,"
        " e.getBoundingClientRect().height))"
    )
    assert sizes and min(sizes) >= 24, f"radio buttons squeezed to {sizes} px"

    phone.get_by_role("button", name="Doe mee").click()
    phone.wait_for_url(f"**/w/{w.join_code}")
    phone.evaluate(ZOOM)
    expect(phone.locator("#round-panel")).to_be_visible()
    assert _overflowing(phone) == []
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert not phone.problems, phone.problems
