"""The roll-up page passes axe on a phone and a desktop, is reached from the oogst's
navigation, chooses werkplaatsen and kernvraag without JavaScript's help, and its
verbindingen matrix fits the phone's width (a screenshot of each is kept in the artifacts)."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.e2e.axe import AxeAudit
from tests.e2e.conftest import browser_login

pytestmark = pytest.mark.browser

POSTS = {
    "Water verbindt": ["Bodemdaling in de veenweidegebieden is een grote opgave.",
                       "Gouda zakt weg, de binnenstad van Gouda moet blijven.",
                       "De binnenstad van Gouda verdient bescherming."],
    "Geel in omgevingsvisies": ["Bodemdaling vraagt een nationale aanpak.",
                                "Zonnepanelen op daken van bedrijven."],
    "Energie in de regio": ["Zonnepanelen op alle daken van scholen.",
                            "Bodemdaling maakt leidingen in de grond kwetsbaar."],
}  # fmt: skip


@pytest.mark.markup
@pytest.mark.parametrize("kind", ["phone", "desktop"])
def test_rollup_page_passes_axe(world, new_page, artifacts, kind):
    from noviwerk.services import participation, werkplaatsen
    from noviwerk.services.rounds import rounds_from_template

    fac, w = world.live()
    prog = w.programme
    made = [w]
    for i, title in enumerate(list(POSTS)[1:]):
        other = werkplaatsen.save_werkplaats(
            prog, title=title, starts_at=datetime(2026, 9, 3 + i), theme_id=prog.themes[1].id,
            facilitator_ids=[fac.id],
        )  # fmt: skip
        rounds_from_template(other)
        world.open_werkplaats(other)
        made.append(other)
    for werkplaats, texts in zip(made, POSTS.values(), strict=True):
        for i, text in enumerate(texts):
            p = participation.join(werkplaats, display_name=f"D{i}", veld="maatschappelijk")
            participation.post_contribution(p, werkplaats.rounds[0].id, text, client_key=f"k{i}")
    audit = AxeAudit(kind)
    page = new_page(kind)
    browser_login(page)
    page.goto(f"/f/programmas/{prog.id}/oogst")
    page.get_by_role("link", name="Rode draden per kernvraag").click()
    page.wait_for_url(f"**/f/programmas/{prog.id}/rollup**")
    page.get_by_role("img", name="Thema's en rode draden").wait_for()
    audit.check(page, "rollup")
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    right = page.locator("svg.matrix").evaluate("e => e.getBoundingClientRect().right")
    assert right <= width
    page.screenshot(path=artifacts / f"rollup-{kind}.png", full_page=True, animations="disabled")
    # Untick one werkplaats: a plain GET form, the choice lands in the URL.
    page.get_by_label("Energie in de regio").uncheck()
    page.get_by_role("button", name="Rode draden tonen").click()
    page.wait_for_url("**gekozen=1**")
    assert "Energie in de regio" not in page.locator("#gedeeld-kop + *").inner_text()
    assert page.get_by_label("Energie in de regio").is_checked() is False
    audit.check(page, "rollup: two werkplaatsen")
    audit.assert_clean()
