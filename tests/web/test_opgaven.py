"""Opgaven, kansen and dilemma's across the bouwstenen of a programme, over HTTP: grouped by
thema, from the trekker's current version, linked to the passage and its contributions, as
CSV and XLSX, and only from bouwstenen the viewer may read."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from tests.conftest import bouwsteen_url, login, make_bouwsteen, post_form

OTHER = "ander@example.test"  # a facilitator, member of the programme, not of this werkplaats


@pytest.fixture
def posted(world):
    """Water verbindt (thema Klimaat; facilitator and trekker Tineke) with an opgave, a kans
    and a dilemma posted, its concept bouwsteen made; a second facilitator not assigned."""
    from noviwerk.services import participation, programmes

    fac = world.user()
    trekker = world.user("trek@example.test", role="trekker", name="Tineke Trekker")
    world.user("vreemd@example.test")
    other = world.user(OTHER, name="Anne Ander")
    prog = world.programme()
    programmes.change_member(prog, other.id, "lid", by=None)
    w = world.werkplaats(prog, facilitators=[fac], trekkers=[trekker])
    world.open_werkplaats(w)
    for i, (text, label) in enumerate([
        ("Bodemdaling in het veenweidegebied vraagt een nationale aanpak", "opgave"),
        ("Zuiveringsinstallaties kunnen grondstoffen uit mest halen", "kans"),
        ("=Mag een waterbeheerder energie verkopen?", "dilemma"),
    ]):  # fmt: skip
        p = participation.join(w, display_name=f"D{i}", veld="maatschappelijk")
        participation.post_contribution(p, w.rounds[0].id, text, client_key=f"k{i}", label=label)
    return prog, w


def _as(app, email="fac@example.test"):
    """A browser of its own, logged in as ``email``."""
    client = app.test_client()
    login(client, email)
    return client


@pytest.fixture
def made(app, posted):
    prog, w = posted
    make_bouwsteen(_as(app, "trek@example.test"), w)
    return prog, w


def _page(client, url):
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_data(as_text=True)


def _set_status(client, w, to):
    r = post_form(client, bouwsteen_url(w, "/status"), {"to": to}, page=bouwsteen_url(w))
    assert r.status_code == 303


def test_grouped_by_thema_with_links_to_passage_and_contributions(app, client, made):
    prog, w = made
    stranger = _as(app, "vreemd@example.test")  # a facilitator, no member of the programme
    assert stranger.get(f"/f/programmas/{prog.id}/opgaven").status_code == 403
    assert stranger.get(f"/f/programmas/{prog.id}/opgaven.csv").status_code == 403
    assert stranger.get(f"/f/programmas/{prog.id}/bouwstenen/{w.id}").status_code == 403
    login(client)
    page = _page(client, f"/f/programmas/{prog.id}/opgaven")
    klimaat = page.split('<h2 id="thema-1">Klimaat</h2>', 1)[1]
    passage = f"/f/programmas/{prog.id}/bouwstenen/{w.id}#opgaven-kansen-dilemmas"
    assert f'<a href="{passage}">Water verbindt</a>' in klimaat
    for heading, text in [
        ("Opgaven", "Bodemdaling in het veenweidegebied vraagt een nationale aanpak."),
        ("Kansen", "Zuiveringsinstallaties kunnen grondstoffen uit mest halen."),
        ("Dilemma's", "=Mag een waterbeheerder energie verkopen?"),
    ]:
        after = klimaat.split(f'<h4 class="opgaven-soort">{heading}</h4>', 1)[1]
        assert after.split("</ul>", 1)[0].count("<li>") == 1
        assert text in after.split("</ul>", 1)[0]
    refs = re.findall(rf'href="(/f/programmas/{prog.id}/bouwstenen/{w.id}#bijlage-\d+)"', page)
    assert len(refs) == 3
    # Each link leads to its place in the bouwsteen, readable by the programme team.
    read = _page(client, refs[0].split("#")[0])
    assert 'id="opgaven-kansen-dilemmas"' in read
    assert f'id="{refs[0].split("#")[1]}"' in read
    assert "Naar de bouwsteen om te bewerken" in read  # this facilitator may edit it


def test_one_soort_at_a_time_and_the_oogst_filter(client, made):
    prog, _w = made
    login(client)
    page = _page(client, f"/f/programmas/{prog.id}/opgaven?alleen=kans")
    assert "Zuiveringsinstallaties" in page and "Bodemdaling" not in page
    assert 'aria-current="page">Kansen</a>' in page
    assert "1 punt;" not in page and "1 punt" in page
    natuur = prog.themes[1].id
    page = _page(client, f"/f/programmas/{prog.id}/opgaven?thema={natuur}")
    assert "Bodemdaling" not in page
    assert "Geen opgaven, kansen of dilemma's in de bouwstenen van deze selectie." in page
    assert "Bodemdaling" in _page(client, f"/f/programmas/{prog.id}/opgaven?alleen=onzin")


def test_what_the_trekker_edited_is_what_shows(app, client, made):
    prog, w = made
    assert "Bodemdaling in het veenweidegebied" in _page(_as(app), f"/f/programmas/{prog.id}/opgaven")
    client = _as(app, "trek@example.test")
    text = _page(client, bouwsteen_url(w, "/secties/opgaven-kansen-dilemmas"))
    typed = (
        "Opgave: een strategische visie op dalende bodem [1].\n\n"
        "Kans: water vasthouden in de zomer."
    )
    assert "Bodemdaling in het veenweidegebied" in text
    r = post_form(
        client, bouwsteen_url(w, "/secties/opgaven-kansen-dilemmas"), {"text": typed},
        page=bouwsteen_url(w, "/secties/opgaven-kansen-dilemmas"),
    )  # fmt: skip
    assert r.status_code == 303, r.get_data(as_text=True)
    page = _page(_as(app), f"/f/programmas/{prog.id}/opgaven")
    assert "Bodemdaling in het veenweidegebied" not in page
    assert "een strategische visie op dalende bodem." in page
    assert "water vasthouden in de zomer." in page
    assert page.count("(trekker)") == 2
    assert "versie 2" in page


def test_a_withdrawn_contribution_leaves_the_overview_at_once(app, made):
    """What the overview read of a version is kept; a withdrawal, which takes the text out
    of every saved version, shows on the next read all the same."""
    import sqlalchemy as sa

    from noviwerk.extensions import db
    from noviwerk.models import Contribution, Participant
    from noviwerk.services import participation

    prog, w = made
    url = f"/f/programmas/{prog.id}/opgaven"
    assert "Bodemdaling in het veenweidegebied" in _page(_as(app), url)
    assert "Bodemdaling in het veenweidegebied" in _page(_as(app), url)  # as kept
    participant = db.session.scalar(
        sa.select(Participant).where(Participant.werkplaats_id == w.id,
                                     Participant.display_name == "D0")
    )  # fmt: skip
    own = db.session.scalar(sa.select(Contribution).where(Contribution.participant_id == participant.id))
    participation.withdraw_contribution(participant, own.id)
    page = _page(_as(app), url)
    assert "Bodemdaling" not in page
    assert "Zuiveringsinstallaties kunnen grondstoffen uit mest halen." in page


def test_a_facilitator_not_assigned_reads_no_concept(app, client, made):
    prog, w = made
    login(client, OTHER)
    page = _page(client, f"/f/programmas/{prog.id}/opgaven")
    assert "Bodemdaling" not in page and "Zuiveringsinstallaties" not in page
    assert "1 conceptbouwsteen is niet meegenomen" in page
    assert client.get(f"/f/programmas/{prog.id}/bouwstenen/{w.id}").status_code == 404
    assert client.get(bouwsteen_url(w)).status_code == 403  # as before
    rows = _csv(client, f"/f/programmas/{prog.id}/opgaven.csv")
    assert rows == []
    # Once the trekker makes it a verslag, the programme team reads it.
    _set_status(_as(app, "trek@example.test"), w, "verslag")
    assert "Bodemdaling" in _page(client, f"/f/programmas/{prog.id}/opgaven")
    read = _page(client, f"/f/programmas/{prog.id}/bouwstenen/{w.id}")
    assert "Bodemdaling" in read and "Naar de bouwsteen om te bewerken" not in read
    assert len(_csv(client, f"/f/programmas/{prog.id}/opgaven.csv")) == 3


def _csv(client, url) -> list[dict]:
    r = client.get(url)
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert "attachment" in r.headers["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(r.get_data().decode("utf-8-sig"))))


def test_csv_and_xlsx_have_a_row_per_point(client, made):
    prog, w = made
    login(client)
    rows = _csv(client, f"/f/programmas/{prog.id}/opgaven.csv")
    assert [r["soort"] for r in rows] == ["opgave", "kans", "dilemma"]
    first = rows[0]
    assert first["thema"] == "Klimaat" and first["werkplaats"] == "Water verbindt"
    assert first["bouwsteen"] == "concept" and first["versie"] == "1"
    assert first["deelnemers"] == "1" and first["geschreven door"] == "deelnemers"
    assert first["link"].endswith(f"/f/programmas/{prog.id}/bouwstenen/{w.id}#opgaven-kansen-dilemmas")
    assert rows[2]["punt"] == "'=Mag een waterbeheerder energie verkopen?"  # no formula
    assert re.fullmatch(r"\d+", rows[1]["bijdragen"])
    r = client.get(f"/f/programmas/{prog.id}/opgaven.xlsx?alleen=dilemma")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.get_data())).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:7] == ["thema", "werkplaats", "datum", "bouwsteen", "versie", "soort", "punt"]
    assert len(values) == 2 and values[1][5] == "dilemma"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
