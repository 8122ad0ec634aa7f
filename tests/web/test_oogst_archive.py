"""All bouwstenen and ansichtkaarten of a programme as one zip, from the browser: the files
``flask export-bouwstenen`` and ``export-ansichtkaarten`` write, with the oogst's filter, and
only what the viewer may read."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.conftest import (
    ansichtkaart_url,
    bouwsteen_url,
    fresh,
    login,
    make_bouwsteen,
    post_form,
)

OTHER = "ander@example.test"  # a facilitator, member of the programme, not of these werkplaatsen


def _as(app, email="fac@example.test"):
    client = app.test_client()
    login(client, email)
    return client


@pytest.fixture
def programme(app, world):
    """Two werkplaatsen with posts and a concept bouwsteen each (Water verbindt on Klimaat,
    with an ansichtkaart; Bodem on Natuur), a third without any; a member not on their staff."""
    from noviwerk.services import participation, programmes

    fac = world.user()
    trekker = world.user("trek@example.test", role="trekker", name="Tineke Trekker")
    other = world.user(OTHER)
    prog = world.programme()
    programmes.change_member(prog, other.id, "lid", by=None)
    water = world.werkplaats(prog, facilitators=[fac], trekkers=[trekker])
    bodem = world.werkplaats(prog, title="Bodem en ondergrond", facilitators=[fac])
    bodem.theme_id = prog.themes[1].id
    world.werkplaats(prog, title="Nog niets", facilitators=[fac])
    for w in (water, bodem):
        world.open_werkplaats(w)
        p = participation.join(w, display_name="D", veld="maatschappelijk")
        participation.post_contribution(p, w.rounds[0].id, f"Inbreng bij {w.title}", client_key="k")
    client = _as(app, "trek@example.test")
    make_bouwsteen(client, water)
    r = post_form(client, ansichtkaart_url(water, "/maken"), page=ansichtkaart_url(water))
    assert r.status_code == 303
    make_bouwsteen(_as(app), bodem)
    return prog, water, bodem


def _zip(client, url) -> zipfile.ZipFile:
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.mimetype == "application/zip"
    assert 'attachment; filename=oogst-werkplaatsen-novi-test.zip' in r.headers["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(r.get_data()))


def test_the_oogst_links_to_the_download_page_with_its_form(app, programme):
    prog, _water, _bodem = programme
    client = _as(app)
    page = client.get(f"/f/programmas/{prog.id}/oogst-downloaden").get_data(as_text=True)
    assert "2 bouwstenen om te downloaden." in page
    assert f'action="/f/programmas/{prog.id}/oogst.zip"' in page
    assert 'name="formaat" value="pdf" checked' in page and 'value="docx">' in page


def test_every_bouwsteen_and_card_in_one_zip(app, programme):
    prog, water, bodem = programme
    archive = _zip(_as(app), f"/f/programmas/{prog.id}/oogst.zip?formaat=md&formaat=json")
    names = sorted(archive.namelist())
    stem = "oogst-werkplaatsen-novi-test/"
    assert names == sorted([
        f"{stem}LEESMIJ.txt",
        f"{stem}bouwstenen/bouwsteen-{water.id}-water-verbindt-v1.md",
        f"{stem}bouwstenen/bouwsteen-{water.id}-water-verbindt-v1.json",
        f"{stem}bouwstenen/bouwsteen-{bodem.id}-bodem-en-ondergrond-v1.md",
        f"{stem}bouwstenen/bouwsteen-{bodem.id}-bodem-en-ondergrond-v1.json",
        f"{stem}ansichtkaarten/ansichtkaart-{water.id}-water-verbindt-v1.pdf",
        f"{stem}ansichtkaarten/ansichtkaart-{water.id}-water-verbindt-v1-tekstalternatief.txt",
    ])  # fmt: skip
    markdown = archive.read(f"{stem}bouwstenen/bouwsteen-{water.id}-water-verbindt-v1.md")
    assert "Inbreng bij Water verbindt" in markdown.decode()
    pdf = archive.read(f"{stem}ansichtkaarten/ansichtkaart-{water.id}-water-verbindt-v1.pdf")
    assert pdf.startswith(b"%PDF")
    readme = archive.read(f"{stem}LEESMIJ.txt").decode()
    assert "2 bouwstenen (md, json)" in readme and "1 ansichtkaart" in readme
    # The oogst's filter: only the werkplaatsen on Natuur, and without cards if asked.
    natuur = prog.themes[1].id
    archive = _zip(
        _as(app), f"/f/programmas/{prog.id}/oogst.zip?thema={natuur}&formaat=md&ansichtkaarten=0"
    )
    assert [n.split("/", 1)[1] for n in sorted(archive.namelist())] == [
        "LEESMIJ.txt",
        f"bouwstenen/bouwsteen-{bodem.id}-bodem-en-ondergrond-v1.md",
    ]


def test_a_member_not_on_the_staff_gets_no_concept(app, programme):
    prog, water, _bodem = programme
    other = _as(app, OTHER)
    page = other.get(f"/f/programmas/{prog.id}/oogst-downloaden").get_data(as_text=True)
    assert "0 bouwstenen om te downloaden." in page
    assert "2 conceptbouwstenen gaan niet mee" in page
    r = other.get(f"/f/programmas/{prog.id}/oogst.zip?formaat=md")
    assert r.status_code == 422
    assert "De bouwstenen in deze selectie zijn nog concepten van hun werkplaats." in r.get_data(
        as_text=True
    )
    # A verslag is the programme's to read; its card (with the QR code to the werkplaats'
    # read-only link) stays with the werkplaats.
    trekker = _as(app, "trek@example.test")
    r = post_form(trekker, bouwsteen_url(water, "/status"), {"to": "verslag"},
                  page=bouwsteen_url(water))  # fmt: skip
    assert r.status_code == 303
    archive = _zip(other, f"/f/programmas/{prog.id}/oogst.zip?formaat=md")
    assert [n.split("/", 1)[1] for n in sorted(archive.namelist())] == [
        "LEESMIJ.txt",
        f"bouwstenen/bouwsteen-{water.id}-water-verbindt-v1.md",
    ]
    assert "1 conceptbouwsteen is weggelaten" in archive.read(
        "oogst-werkplaatsen-novi-test/LEESMIJ.txt"
    ).decode()


def test_a_bad_format_is_refused_in_dutch(app, programme):
    prog, _water, _bodem = programme
    r = _as(app).get(f"/f/programmas/{prog.id}/oogst.zip?formaat=exe")
    assert r.status_code == 422
    assert "Onbekend formaat &#39;exe&#39;" in r.get_data(as_text=True)


def test_a_large_zip_streams_from_its_temporary_file(app, programme, monkeypatch):
    from noviwerk.services import oogst_archive

    prog, water, _bodem = programme
    monkeypatch.setattr(oogst_archive, "IN_MEMORY", 0)  # every zip counts as large
    r = _as(app).get(f"/f/programmas/{prog.id}/oogst.zip?formaat=md&ansichtkaarten=0")
    assert r.status_code == 200 and r.is_streamed
    data = r.get_data()
    r.close()
    assert int(r.headers["Content-Length"]) == len(data)
    assert 'attachment; filename="oogst-werkplaatsen-novi-test.zip"' == r.headers[
        "Content-Disposition"
    ]
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert f"oogst-werkplaatsen-novi-test/bouwstenen/bouwsteen-{water.id}-water-verbindt-v1.md" in names


def test_the_zip_download_goes_into_the_audit_log(app, programme):
    import sqlalchemy as sa

    from noviwerk.extensions import db
    from noviwerk.models import AuditEntry

    prog, _water, _bodem = programme
    _zip(_as(app), f"/f/programmas/{prog.id}/oogst.zip?formaat=md")
    fresh()
    (taken,) = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "oogst gedownload")
    ).all()
    assert taken.subject_id == prog.id and taken.detail.endswith(".zip")

