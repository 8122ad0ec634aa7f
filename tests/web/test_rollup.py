"""The roll-up of a programme's oogst over HTTP: the rode draden of one kernvraag over the
werkplaatsen one ticks, only from werkplaatsen the viewer may view, with the way back to each
werkplaats and contribution, the verbindingen matrix, and the document as docx, PDF and md."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import login

THEMES = ("Klimaat", "Natuur", "Energie")


@pytest.fixture
def programma(world):
    """Four werkplaatsen in one programme; three bring bodemdaling in at kernvraag 1.

    Water verbindt (Klimaat; facilitator fac, trekker trek), Geel in omgevingsvisies
    (Natuur; facilitator geel), Werkplaats 1 en 2 juli (Klimaat; facilitator geel) and
    Energie in de regio (Energie; facilitator geel). Water verbindt alone talks of Gouda.
    """
    from datetime import datetime

    from noviwerk.services import participation, programmes, werkplaatsen
    from noviwerk.services.rounds import rounds_from_template

    fac = world.user()
    trekker = world.user("trek@example.test", role="trekker", name="Tineke Trekker")
    geel = world.user("geel@example.test", name="Gea Geel")
    owner = world.user("eigen@example.test", name="Eva Eigenaar")
    world.user("vreemd@example.test")
    world.user("baas@example.test", role="beheerder")
    prog = world.programme(themes=THEMES, owner=owner)
    themes = {t.name: t.id for t in prog.themes}
    plan = [
        ("Water verbindt", "Klimaat", [fac], [trekker], [
            "Bodemdaling in de veenweidegebieden is een grote opgave.",
            "Gouda zakt weg, de historische binnenstad van Gouda moet blijven.",
            "Gouda verdient bescherming van zijn binnenstad.",
            "Meer ruimte voor water in de stad.",
        ]),
        ("Geel in omgevingsvisies", "Natuur", [geel], [], [
            "Bodemdaling vraagt een nationale aanpak.",
            "Zonnepanelen op daken van bedrijven.",
        ]),
        ("Werkplaats 1 en 2 juli", "Klimaat", [geel], [], [
            "Laat de functie volgen op het watersysteem bij bodemdaling.",
        ]),
        ("Energie in de regio", "Energie", [geel], [], [
            "Zonnepanelen op alle daken van scholen.",
            "Windmolens op zee.",
        ]),
    ]  # fmt: skip
    made = {}
    for day, (title, theme, facs, trekkers, texts) in enumerate(plan, 1):
        w = werkplaatsen.save_werkplaats(
            prog, title=title, starts_at=datetime(2016, 3, day, 10), theme_id=themes[theme],
            facilitator_ids=[u.id for u in facs], trekker_ids=[u.id for u in trekkers],
        )  # fmt: skip
        rounds_from_template(w)
        world.open_werkplaats(w)
        for i, text in enumerate(texts):
            p = participation.join(w, display_name=f"{title} {i}", veld="maatschappelijk")
            participation.post_contribution(p, w.rounds[0].id, text, client_key=f"k{i}")
        made[title] = w
    programmes.change_member(prog, geel.id, "lid", by=None)
    return prog, made


def _as(app, email):
    client = app.test_client()
    login(client, email)
    return client


def _page(client, url):
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)[:2000]
    return r.get_data(as_text=True)


def _draad(page: str, word: str) -> str:
    """The article of the shared rode draad whose label names ``word``."""
    for label, body in re.findall(r'<article class="rollup-draad"[^>]*>\s*<h3[^>]*>([^<]*)</h3>(.*?)</article>', page, re.S):
        if word.casefold() in label.casefold():
            return body
    raise AssertionError(f"no rode draad about {word!r} on the page")


def test_the_beheerder_sees_what_three_werkplaatsen_brought_in_and_what_only_one_did(app, programma):
    prog, w = programma
    page = _page(_as(app, "baas@example.test"), f"/f/programmas/{prog.id}/rollup")
    # The oogst's nav leads here, and marks it.
    assert re.search(rf'<a href="/f/programmas/{prog.id}/rollup[^"]*" aria-current="page">', page)
    bodemdaling = _draad(page, "Bodemdaling")
    assert "Drie werkplaatsen brachten bodemdaling in" in bodemdaling
    # Each werkplaats' share leads back to its contributions.
    for title in ("Water verbindt", "Geel in omgevingsvisies", "Werkplaats 1 en 2 juli"):
        assert f'<a href="/f/werkplaatsen/{w[title].id}/bijdragen"><strong>{title}</strong></a>' in bodemdaling
    assert "Energie in de regio" not in bodemdaling
    # What one werkplaats alone raised is kept apart, with the way to that werkplaats.
    eigen = page.split('id="eigen-kop"', 1)[1].split("</section>", 1)[0]
    assert "Gouda" in eigen and "alleen in Water verbindt" in eigen
    assert f'href="/f/werkplaatsen/{w["Water verbindt"].id}/bijdragen"' in eigen
    # Every cited number is an entry of the bijlage, and each entry leads to its contribution.
    cited = set(re.findall(r'<a href="#bijlage-(\d+)"', page))
    entries = set(re.findall(r'<li id="bijlage-(\d+)"', page))
    assert cited and cited <= entries
    assert re.search(rf'href="/f/werkplaatsen/{w["Geel in omgevingsvisies"].id}/bijdragen#c-\d+">nr\. 1 in Geel in omgevingsvisies</a>', page)


def test_the_verbindingen_are_a_matrix_drawn_on_the_server_and_a_table(app, programma):
    prog, w = programma
    page = _page(_as(app, "baas@example.test"), f"/f/programmas/{prog.id}/rollup")
    section = page.split('id="verbindingen-kop"', 1)[1].split("</section>", 1)[0]
    svg = ET.fromstring(re.search(r"<svg.*?</svg>", section, re.S).group(0))  # noqa: S314 (our own page)
    assert svg.get("role") == "img" and svg.get("aria-labelledby")
    cells = {
        (c.get("data-row"), c.get("data-column")): int(c.get("data-value"))
        for c in svg.iter("{http://www.w3.org/2000/svg}rect")
        if c.get("class") == "cell"
    }
    # Klimaat: Water verbindt and Werkplaats 1 en 2 juli; Natuur: Geel in omgevingsvisies.
    assert cells[("Klimaat", "Bodemdaling")] == 2
    assert cells[("Natuur", "Bodemdaling")] == 1
    assert cells[("Energie", "Bodemdaling")] == 0
    # The same numbers as a table beside it, and who made each link.
    assert '<caption id="matrix-tabel">' in section
    row = re.search(r"<tr><th scope=\"row\">Klimaat</th><td>Bodemdaling</td>(.*?)</tr>", section, re.S)
    assert row, section
    assert f'<a href="/f/werkplaatsen/{w["Water verbindt"].id}/bijdragen">Water verbindt</a>' in row.group(1)
    assert f'<a href="/f/werkplaatsen/{w["Werkplaats 1 en 2 juli"].id}/bijdragen">Werkplaats 1 en 2 juli</a>' in row.group(1)


def test_werkplaatsen_and_kernvraag_are_chosen_in_the_url(app, programma):
    prog, w = programma
    client = _as(app, "baas@example.test")
    two = (w["Water verbindt"].id, w["Geel in omgevingsvisies"].id)
    url = f"/f/programmas/{prog.id}/rollup?gekozen=1&kernvraag=1&werkplaats={two[0]}&werkplaats={two[1]}"
    page = _page(client, url)
    assert "Twee werkplaatsen brachten" in _draad(page, "bodemdaling")
    assert "Werkplaats 1 en 2 juli ·" not in page  # not in the bijlage either
    for wid in two:
        assert f'value="{wid}" checked' in page
    assert f'value="{w["Energie in de regio"].id}">' in page  # offered, not ticked
    # Another kernvraag: nothing said there yet.
    page = _page(client, url.replace("kernvraag=1", "kernvraag=2"))
    assert 'value="2" selected' in page and "rollup-draad" not in page
    # A choice not understood is said and dropped; none ticked is said too.
    page = _page(client, f"/f/programmas/{prog.id}/rollup?kernvraag=9&werkplaats=x&werkplaats=99999")
    assert "Deze kernvraag bestaat niet" in page
    assert "2 gekozen werkplaatsen zijn hier niet te kiezen" in page
    assert "Kies minstens één werkplaats" in page and "rollup-draad" not in page
    # The oogst's filter narrows what is offered: thema Natuur is only Geel in omgevingsvisies.
    natuur = next(t.id for t in prog.themes if t.name == "Natuur")
    page = _page(client, f"/f/programmas/{prog.id}/rollup?thema={natuur}")
    assert f'id="werkplaats-{w["Water verbindt"].id}"' not in page
    assert f'id="werkplaats-{w["Geel in omgevingsvisies"].id}"' in page


def test_only_werkplaatsen_the_viewer_may_view(app, programma):
    prog, w = programma
    url = f"/f/programmas/{prog.id}/rollup"
    assert app.test_client().get(url).status_code in (302, 303)  # to the login page
    assert _as(app, "vreemd@example.test").get(url).status_code == 403  # no member
    assert _as(app, "vreemd@example.test").get(url + ".md").status_code == 403
    # The trekker of Water verbindt reads Water verbindt only: no rode draad is shared.
    page = _page(_as(app, "trek@example.test"), url)
    assert "Gouda" in page and "Bodemdaling in de veenweidegebieden" in page
    assert "Zonnepanelen" not in page and "nationale aanpak" not in page
    assert "3 werkplaatsen van deze selectie kun je niet inzien" in page
    # Asking for another's werkplaats by its id in the URL gives nothing of it.
    other = w["Geel in omgevingsvisies"].id
    page = _page(_as(app, "trek@example.test"), f"{url}?gekozen=1&werkplaats={other}")
    assert "nationale aanpak" not in page and "1 gekozen werkplaats is hier niet te kiezen" in page
    body = _as(app, "trek@example.test").get(f"{url}.md?gekozen=1&werkplaats={other}")
    assert body.status_code == 422 and "nationale aanpak" not in body.get_data(as_text=True)
    # The eigenaar runs no werkplaats here: the programme, but none of its contributions.
    page = _page(_as(app, "eigen@example.test"), url)
    assert "geen werkplaatsen die je kunt inzien" in page and "Bodemdaling" not in page
    # Gea facilitates the other three: bodemdaling from two of them, not Water verbindt's.
    page = _page(_as(app, "geel@example.test"), url)
    assert "Twee werkplaatsen brachten" in _draad(page, "bodemdaling")
    assert "Gouda" not in page and "veenweidegebieden" not in page


def test_the_rollup_downloads_as_markdown_word_and_pdf(app, programma):
    from docx import Document as Docx
    from pypdf import PdfReader

    prog, _w = programma
    client = _as(app, "baas@example.test")
    base = f"/f/programmas/{prog.id}/rollup"
    page = _page(client, base)
    for fmt in ("md", "docx", "pdf"):
        assert f'href="{base}.{fmt}?' in page
    r = client.get(f"{base}.md?kernvraag=1")
    assert r.status_code == 200 and r.mimetype == "text/markdown"
    assert "rode-draden-werkplaatsen-novi-test-kernvraag-1.md" in r.headers["Content-Disposition"]
    md = r.get_data(as_text=True)
    assert "## Bodemdaling" in md and "Drie werkplaatsen brachten bodemdaling in" in md
    assert "## Wat één werkplaats inbracht" in md and "alleen in Water verbindt" in md
    assert "### Geel in omgevingsvisies · ronde 1" in md
    r = client.get(f"{base}.docx?kernvraag=1")
    assert r.status_code == 200
    text = "\n".join(p.text for p in Docx(io.BytesIO(r.data)).paragraphs)
    assert "Drie werkplaatsen brachten bodemdaling in" in text
    r = client.get(f"{base}.pdf?kernvraag=1")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    pdf = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(r.data)).pages)
    assert "Drie werkplaatsen brachten bodemdaling in" in pdf
    # Contributions of many werkplaatsen left the app: the logboek says who took which file.
    from noviwerk.domain import AuditAction
    from tests.web.test_audit import entries

    taken = [(e.subject_id, e.detail) for e in entries(AuditAction.OOGST_DOWNLOAD)]
    assert taken == [(prog.id, f"rode-draden-werkplaatsen-novi-test-kernvraag-1.{f}") for f in ("md", "docx", "pdf")]
