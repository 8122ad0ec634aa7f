"""The trekker opens, edits, versions, signs off, shares and exports the draft bouwsteen."""

from __future__ import annotations

import io
import json
import re

import pytest
import sqlalchemy as sa

from tests.conftest import bouwsteen_url, fresh, join, login, make_bouwsteen, post_form


@pytest.fixture
def posted(world):
    """An open werkplaats with a trekker and a few posts from three phones."""
    return world.with_posts(
        (
            "Meer ruimte voor water in de stad",
            "Ruimte voor water in steden is hard nodig",
            "Bodemdaling in het veenweidegebied gaat door",
        )
    )


def _rows() -> dict[str, int]:
    """How many bouwstenen and versions (of bouwsteen and ansichtkaart) the database holds."""
    from noviwerk.extensions import db

    fresh()
    tables = ("bouwsteen", "bouwsteen_version", "ansichtkaart", "ansichtkaart_version")
    return {t: db.session.scalar(sa.text(f"SELECT count(*) FROM {t}")) for t in tables}  # noqa: S608


def test_looking_writes_nothing_the_button_makes_the_draft(app, client, posted):
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    before = _rows()
    page = client.get(bouwsteen_url(w)).get_data(as_text=True)
    assert "Nog geen conceptbouwsteen" in page
    assert f'action="{bouwsteen_url(w, "/maken")}"' in page and ">Conceptbouwsteen maken<" in page
    assert client.get(bouwsteen_url(w, ".md")).status_code == 404  # nothing to download yet
    assert client.get(bouwsteen_url(w, "/versies")).status_code == 404
    looking = app.test_client()  # the facilitator looks too
    login(looking)
    assert "Nog geen conceptbouwsteen" in looking.get(bouwsteen_url(w)).get_data(as_text=True)
    assert client.get(f"/f/werkplaatsen/{w.id}/ansichtkaart").status_code == 200
    assert _rows() == before

    make_bouwsteen(client, w)
    html = client.get(bouwsteen_url(w)).get_data(as_text=True)
    assert "De conceptbouwsteen is gemaakt (versie 1)." in html
    assert "versie 1 (gegenereerd, Tineke Trekker" in html  # credited to who pressed it
    make_bouwsteen(looking, w)  # pressed again (another tab): no second draft, no new version
    after = _rows()
    assert after["bouwsteen"] == after["bouwsteen_version"] == 1
    assert client.get(bouwsteen_url(w, ".md")).status_code == 200
    assert client.get(bouwsteen_url(w, "/versies")).status_code == 200
    assert "Tineke Trekker" in looking.get(bouwsteen_url(w)).get_data(as_text=True)
    assert _rows() == after


def test_draft_opens_with_provenance_links_and_machine_marks(client, posted):
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    make_bouwsteen(client, w)
    r = client.get(bouwsteen_url(w))
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "versie 1" in html and "concept" in html
    assert 'href="#bijlage-1"' in html and 'id="bijlage-3"' in html
    assert "samengesteld uit de bijdragen" in html
    assert "Bodemdaling in het veenweidegebied gaat door" in html
    # the same input gives the same draft: making it again makes no new version
    make_bouwsteen(client, w)
    assert "versie 1" in client.get(bouwsteen_url(w)).get_data(as_text=True)


def test_edit_section_is_a_version_marked_hand_and_can_be_restored(client, posted):
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    make_bouwsteen(client, w)
    edit = bouwsteen_url(w, "/secties/samenvatting")
    r = post_form(client, edit, {"text": "Water vraagt ruimte in de stad. [1, 2]"}, page=edit)
    assert r.status_code == 303
    html = client.get(bouwsteen_url(w)).get_data(as_text=True)
    assert "Water vraagt ruimte in de stad." in html and "met de hand geschreven" in html
    assert "versie 2" in html
    versions = client.get(bouwsteen_url(w, "/versies")).get_data(as_text=True)
    assert "bewerkt" in versions and "Tineke Trekker" in versions
    diff = client.get(bouwsteen_url(w, "/versies/2")).get_data(as_text=True)
    assert 'class="diff-added"' in diff and "Water vraagt ruimte in de stad." in diff
    r = post_form(client, bouwsteen_url(w, "/versies/1/terugzetten"), page=bouwsteen_url(w))
    assert r.status_code == 303
    html = client.get(bouwsteen_url(w)).get_data(as_text=True)
    assert "versie 3" in html and "Water vraagt ruimte in de stad." not in html


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "kan niet leeg zijn"), ("Verzonnen bron [42]", "onbekende bijdrage")],
)
def test_bad_edits_change_nothing(client, posted, text, message):
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    make_bouwsteen(client, w)
    edit = bouwsteen_url(w, "/secties/samenvatting")
    r = post_form(client, edit, {"text": text}, page=edit)
    assert r.status_code == 422 and message in r.get_data(as_text=True)
    assert "versie 1" in client.get(bouwsteen_url(w)).get_data(as_text=True)


def test_markup_in_an_edit_stays_text(client, posted):
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    make_bouwsteen(client, w)
    edit = bouwsteen_url(w, "/secties/samenvatting")
    post_form(client, edit, {"text": "<script>alert(1)</script> [1]"}, page=edit)
    html = client.get(bouwsteen_url(w)).get_data(as_text=True)
    assert (
        "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    )


def test_regenerate_keeps_hand_text_and_asks_before_replacing(app, client, posted):
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    make_bouwsteen(client, w)
    edit = bouwsteen_url(w, "/secties/kernvraag-1")
    post_form(client, edit, {"text": "Mijn eigen woorden over water. [1]"}, page=edit)

    phone = app.test_client()
    join(phone, w.join_code)
    page = phone.get(f"/w/{w.join_code}").get_data(as_text=True)
    key = re.search(r'name="client_key" type="hidden" value="([^"]+)"', page).group(1)
    post_form(
        phone,
        f"/w/{w.join_code}/bijdragen",
        {
            "text": "Water in de stad verdient meer ruimte",
            "round_id": w.rounds[0].id,
            "client_key": key,
        },
        page=f"/w/{w.join_code}",
    )
    html = client.get(bouwsteen_url(w)).get_data(as_text=True)
    assert "wijziging in de bijdragen sinds deze versie" in html

    r = post_form(client, bouwsteen_url(w, "/bijwerken"), page=bouwsteen_url(w))
    assert r.status_code == 303
    html = client.get(bouwsteen_url(w)).get_data(as_text=True)
    assert "Mijn eigen woorden over water." in html  # never overwritten without asking
    assert "Water in de stad verdient meer ruimte" in html  # in the bijlage
    assert "Vervang door de nieuwe machinetekst" in html

    r = post_form(client, bouwsteen_url(w, "/secties/kernvraag-1/machinetekst"), page=bouwsteen_url(w))
    assert r.status_code == 303
    html = client.get(bouwsteen_url(w)).get_data(as_text=True)
    assert "Mijn eigen woorden over water." not in html


def test_status_flow_and_gereed_is_read_only(client, posted):
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    make_bouwsteen(client, w)
    r = post_form(client, bouwsteen_url(w, "/status"), {"to": "gereed"}, page=bouwsteen_url(w))
    assert r.status_code == 422 and "concept → verslag → gereed" in r.get_data(as_text=True)
    assert post_form(client, bouwsteen_url(w, "/status"), {"to": "verslag"}, page=bouwsteen_url(w)).status_code == 303
    assert post_form(client, bouwsteen_url(w, "/status"), {"to": "gereed"}, page=bouwsteen_url(w)).status_code == 303
    html = client.get(bouwsteen_url(w)).get_data(as_text=True)
    assert "alleen te lezen" in html and "/secties/samenvatting" not in html
    edit = bouwsteen_url(w, "/secties/samenvatting")
    r = post_form(client, edit, {"text": "Toch wijzigen [1]"}, page=bouwsteen_url(w))
    assert r.status_code == 422 and "gereed" in r.get_data(as_text=True)
    versions = client.get(bouwsteen_url(w, "/versies")).get_data(as_text=True)
    assert "verslag → gereed" in versions and "Tineke Trekker" in versions
    assert post_form(client, bouwsteen_url(w, "/status"), {"to": "verslag"}, page=bouwsteen_url(w)).status_code == 303
    assert "/secties/samenvatting" in client.get(bouwsteen_url(w)).get_data(as_text=True)


def test_only_its_trekkers_and_facilitators_may_edit(app, client, posted, world):
    _fac, _trekker, w = posted
    world.user("ander@example.test", role="trekker")
    login(client, "ander@example.test")
    assert client.get(bouwsteen_url(w)).status_code == 403
    r = post_form(client, bouwsteen_url(w, "/status"), {"to": "verslag"}, page="/f/")
    assert r.status_code == 403
    assert client.get(bouwsteen_url(w, ".docx")).status_code == 403
    fac = app.test_client()
    login(fac)
    assert fac.get(bouwsteen_url(w)).status_code == 200
    anonymous = app.test_client()
    assert anonymous.get(bouwsteen_url(w)).status_code == 302


def test_exports_read_back(client, posted):
    from docx import Document as Docx
    from pypdf import PdfReader

    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    make_bouwsteen(client, w)
    r = client.get(bouwsteen_url(w, ".docx"))
    assert r.status_code == 200 and "bouwsteen-" in r.headers["Content-Disposition"]
    doc = Docx(io.BytesIO(r.data))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Samenvatting" in headings and "Bijlage" in " ".join(headings)
    r = client.get(bouwsteen_url(w, ".pdf"))
    pdf = PdfReader(io.BytesIO(r.data))
    assert "Bodemdaling" in "".join(page.extract_text() for page in pdf.pages)
    box = pdf.pages[0].mediabox
    assert (
        round(float(box.width) / 72 * 25.4) == 210 and round(float(box.height) / 72 * 25.4) == 297
    )
    data = json.loads(client.get(bouwsteen_url(w, ".json")).get_data(as_text=True))
    assert data["schema"] == "noviwerk.bouwsteen/1"
    assert "Bodemdaling" in client.get(bouwsteen_url(w, ".md")).get_data(as_text=True)
    assert "Bodemdaling" in client.get(bouwsteen_url(w, ".csv")).get_data(as_text=True)


def test_shared_link_lets_readers_flag_a_section(app, client, posted):
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    make_bouwsteen(client, w)
    post_form(client, bouwsteen_url(w, "/delen"), {"aan": "1"}, page=bouwsteen_url(w))
    html = client.get(bouwsteen_url(w)).get_data(as_text=True)
    link = re.search(r'href="(/b/[^"]+)"', html).group(1)

    reader = app.test_client()
    page = reader.get(link)
    assert page.status_code == 200 and "Herken ik niet" in page.get_data(as_text=True)
    assert "/secties/" not in page.get_data(as_text=True)  # read-only
    r = post_form(reader, link, {"section_id": "samenvatting", "comment": ""}, page=link)
    assert r.status_code == 422
    r = post_form(
        reader, link, {"section_id": "samenvatting", "comment": "Dit mis ik: de boeren"}, page=link
    )
    assert r.status_code == 303
    html = client.get(bouwsteen_url(w)).get_data(as_text=True)
    assert "Dit mis ik: de boeren" in html

    post_form(client, bouwsteen_url(w, "/delen"), page=bouwsteen_url(w))  # withdraw the link
    assert reader.get(link).status_code == 404


def test_download_name_is_ascii_for_any_title(client, world):
    fac = world.user()
    w = world.werkplaats(title="Łódź – Ruimte voor ‘water’ & café", facilitators=[fac])
    login(client)
    make_bouwsteen(client, w)
    r = client.get(f"/f/werkplaatsen/{w.id}/bouwsteen.md")
    assert r.headers["Content-Type"] == "text/markdown; charset=utf-8"  # said once
    disposition = r.headers["Content-Disposition"]
    assert disposition.isascii() and "dz-ruimte-voor-water-cafe-v1.md" in disposition


def test_exports_say_where_the_bouwsteen_stands_and_who_declared_it_gereed(client, posted):
    from datetime import date

    from docx import Document as Docx
    from pypdf import PdfReader

    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    make_bouwsteen(client, w)
    concept = client.get(bouwsteen_url(w, ".md")).get_data(as_text=True)
    assert "Concept, automatisch samengesteld" in concept
    assert post_form(client, bouwsteen_url(w, "/status"), {"to": "verslag"}, page=bouwsteen_url(w)).status_code == 303
    verslag = client.get(bouwsteen_url(w, ".md")).get_data(as_text=True)
    assert "Verslag van de werkplaats" in verslag and "Controleer en bewerk" not in verslag
    edit = bouwsteen_url(w, "/secties/samenvatting")
    post_form(client, edit, {"text": "Water vraagt ruimte in de stad. [1, 2]"}, page=edit)
    assert post_form(client, bouwsteen_url(w, "/status"), {"to": "gereed"}, page=bouwsteen_url(w)).status_code == 303

    today = date.today()  # the test runs in one day's time, give or take midnight
    post_form(client, bouwsteen_url(w, "/delen"), {"aan": "1"}, page=bouwsteen_url(w))
    page = client.get(bouwsteen_url(w)).get_data(as_text=True)  # the trekker's page says it too ...
    assert "Vastgesteld door Tineke Trekker op " in page and "Controleer en bewerk" not in page
    link = re.search(r'href="(/b/[^"]+)"', page).group(1)
    shared = client.application.test_client().get(link).get_data(as_text=True)  # ... and readers'
    assert "Vastgesteld door Tineke Trekker op " in shared
    gereed = client.get(bouwsteen_url(w, ".md")).get_data(as_text=True)
    assert "Vastgesteld door Tineke Trekker op " in gereed and str(today.year) in gereed
    assert "Concept" not in gereed and "Controleer en bewerk" not in gereed
    pdf = PdfReader(io.BytesIO(client.get(bouwsteen_url(w, ".pdf")).data))
    pages = [" ".join(p.extract_text().split()) for p in pdf.pages]
    assert all("\u2014 gereed" in text for text in pages)  # every page's footer
    assert "Vastgesteld door Tineke Trekker" in pages[0]
    docx = Docx(io.BytesIO(client.get(bouwsteen_url(w, ".docx")).data))
    footer = " ".join(p.text for p in docx.sections[0].footer.paragraphs)
    assert "\u2014 gereed \u2014 pagina" in footer
    assert json.loads(client.get(bouwsteen_url(w, ".json")).data)["stage"] == "gereed"
    # an earlier version is exported as it was: a concept
    first = client.get(bouwsteen_url(w, ".md?versie=1"))
    assert "Concept, automatisch samengesteld" in first.get_data(as_text=True)


def test_version_times_are_shown_in_dutch_time_not_utc(client, posted):
    """Versions are stored in UTC; the trekker reads them in the werkplaats' own time."""
    from datetime import datetime

    import sqlalchemy as sa

    from noviwerk.extensions import db
    from noviwerk.models import BouwsteenVersion

    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    make_bouwsteen(client, w)
    with client.application.app_context():
        db.session.execute(
            sa.update(BouwsteenVersion).values(created_at=datetime(2026, 1, 15, 9, 5))
        )
        db.session.commit()
    for path in ("", "/versies", "/versies/1"):
        html = client.get(bouwsteen_url(w, path)).get_data(as_text=True)
        assert "15 januari 2026, 10:05" in html, path  # CET is UTC+1 in winter
        assert "09:05" not in html, path
