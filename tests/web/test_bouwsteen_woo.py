"""The Woo-versie of a bouwsteen over HTTP: offered beside the other downloads, without the
names the werkplaats knows of its participants and staff, and noted in the audit log."""

from __future__ import annotations

from noviwerk.domain import AuditAction
from tests.conftest import bouwsteen_url, login, make_bouwsteen, post_form
from tests.web.test_audit import entries


def test_the_woo_version_leaves_out_the_names_the_werkplaats_knows(client, world):
    from noviwerk.services import participation

    fac = world.user()
    trekker = world.user("trek@example.test", role="trekker", name="Tineke Terpstra")
    w = world.werkplaats(facilitators=[fac], trekkers=[trekker])
    world.open_werkplaats(w)
    texts = {
        "Jan de Vries": "Meer ruimte voor water in de stad, zegt Jan de Vries.",
        "Marie Bakker": "Volgens Tineke en Fac moet Bakker de bodemdaling aanpakken.",
    }
    for i, (name, text) in enumerate(texts.items()):
        p = participation.join(w, display_name=name, veld="maatschappelijk")
        participation.post_contribution(p, w.rounds[0].id, text, client_key=f"k{i}")
    login(client, "trek@example.test")
    make_bouwsteen(client, w)
    for to in ("verslag", "gereed"):
        post_form(client, bouwsteen_url(w, "/status"), {"to": to}, page=bouwsteen_url(w))

    page = client.get(bouwsteen_url(w)).get_data(as_text=True)
    assert "Woo-versie, zonder namen" in page
    assert f'href="{bouwsteen_url(w, "-woo.pdf")}"' in page

    plain = client.get(bouwsteen_url(w, ".md")).get_data(as_text=True)
    assert "Jan de Vries" in plain and "Tineke Terpstra" in plain  # signed off by her
    r = client.get(bouwsteen_url(w, "-woo.md"))
    assert r.status_code == 200
    assert r.headers["Content-Disposition"].endswith(f"bouwsteen-{w.id}-water-verbindt-v1-woo.md")
    woo = r.get_data(as_text=True).replace("\\", "")
    for name in ("Jan de Vries", "Tineke", "Terpstra", "Bakker", "Fac "):
        assert name not in woo, name
    assert "zegt [naam]" in woo and "Volgens [naam] en [naam] moet [naam]" in woo
    assert "Vastgesteld door [naam]" in woo and "Woo-versie" in woo
    assert "Unie v. Waterschappen" in woo  # organisations stay

    assert client.get(bouwsteen_url(w, "-woo.json")).status_code == 404
    [download] = entries(AuditAction.BOUWSTEEN_DOWNLOAD)[-1:]
    assert download.detail.endswith("-woo.md") and download.user_id == trekker.id
