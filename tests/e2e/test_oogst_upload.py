"""Reading the oogst table in passes axe: the upload form (also with its refusal), the
preview per row (with refused rows, and one to apply), and the count per nationaal belang."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.e2e.axe import AxeAudit
from tests.e2e.conftest import browser_login

pytestmark = pytest.mark.browser

HEADER = "nr,titel,datum,soort,bouwsteen,hoofdonderwerp,organisatie\n"


@pytest.mark.markup
@pytest.mark.parametrize("kind", ["phone", "desktop"])
def test_upload_preview_passes_axe(world, new_page, artifacts, tmp_path, kind):
    from noviwerk.services import werkplaatsen

    fac = world.user()
    programme = world.programme(owner=fac)
    werkplaatsen.save_werkplaats(
        programme, title="Landschap", starts_at=datetime(2016, 1, 26), kind="inhoudelijk",
        theme_id=programme.themes[1].id, nr=1, organisation="IenM",
    )  # fmt: skip
    pid = programme.id
    bad = tmp_path / "foto.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    messy = tmp_path / "tabel.csv"
    messy.write_text(
        HEADER
        + "1,Landschap,27-1-2016,inhoudelijk,Verslag op viadesk,Natuur,IenM\n"
        + "2,Bodem,31-2-2016,inhoudelijk,Volgt,Natuur,RWS\n"
        + "3,Water,1-3-2016,MIRT,,Klimaat,RWS\n"
    )
    good = tmp_path / "goed.csv"
    good.write_text(HEADER + "3,Water,1-3-2016,MIRT,,Klimaat,RWS\n")

    audit = AxeAudit(kind)
    page = new_page(kind)
    browser_login(page)
    page.goto(f"/f/programmas/{pid}/oogst")
    page.get_by_role("link", name="Tabel inlezen (CSV of XLSX)").click()
    page.wait_for_url(f"**/f/programmas/{pid}/oogst/inlezen")
    audit.check(page, "upload form")
    page.get_by_label("Tabel (CSV of XLSX)").set_input_files(str(bad))
    page.get_by_role("button", name="Voorvertoning tonen").click()
    page.get_by_text("Dit is geen CSV- of XLSX-bestand").wait_for()
    audit.check(page, "upload form: refused")

    page.get_by_label("Tabel (CSV of XLSX)").set_input_files(str(messy))
    page.get_by_role("button", name="Voorvertoning tonen").click()
    page.wait_for_url(f"**/f/programmas/{pid}/oogst/inlezen/*")
    page.get_by_text("Geweigerd: 1").wait_for()
    audit.check(page, "preview with a refused row")
    page.screenshot(
        path=artifacts / f"oogst-preview-{kind}.png", full_page=True, animations="disabled"
    )

    page.get_by_role("link", name="Ander bestand kiezen").click()
    page.get_by_label("Tabel (CSV of XLSX)").set_input_files(str(good))
    page.get_by_role("button", name="Voorvertoning tonen").click()
    page.get_by_role("button", name="Wijzigingen doorvoeren").wait_for()
    audit.check(page, "preview to apply")
    page.get_by_role("button", name="Wijzigingen doorvoeren").click()
    page.wait_for_url(f"**/f/programmas/{pid}/oogst")
    page.get_by_text("1 nieuw, 0 bijgewerkt, 0 ongewijzigd").wait_for()

    page.get_by_role("link", name="Bijdragen per nationaal belang").click()
    page.wait_for_url(f"**/f/programmas/{pid}/oogst/belangen")
    audit.check(page, "count per nationaal belang")
    audit.assert_clean()
