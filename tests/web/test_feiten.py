"""Facts and figures of the oogst over HTTP: the big numbers, the charts beside their
tables, the oogst's filter, a chart as a file, and who may see them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime

import pytest

from tests.conftest import login

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def programme(world):
    """Three werkplaatsen: Water verbindt (Klimaat, inhoudelijk, 22 november 2026) with five
    participants from three organisations and four posts; two imported ones (Natuur,
    strategisch, May 2015, noted "Gereed"; Klimaat, regionaal, March 2016, no bouwsteen)."""
    from noviwerk.services import participation, werkplaatsen
    from noviwerk.services.rounds import open_round

    fac = world.user()
    prog = world.programme()
    klimaat, natuur = prog.themes
    for title, day, kind, theme, note in (
        ("Bodem en ondergrond", datetime(2015, 5, 11), "strategisch", natuur, "Gereed"),
        ("Energie in de regio", datetime(2016, 3, 1), "regionaal", klimaat, ""),
    ):
        werkplaatsen.save_werkplaats(
            prog, title=title, starts_at=day, place="Utrecht", kind=kind, theme_id=theme.id,
            organisation="IenM", facilitator_ids=[fac.id], history_note=note,
        )  # fmt: skip
    water = world.werkplaats(prog, title="Water verbindt", facilitators=[fac])
    world.open_werkplaats(water)
    people = [
        ("A", "Rijkswaterstaat", "interdepartementaal"),
        ("B", " rijkswaterstaat ", "interdepartementaal"),  # the same organisation
        ("C", "Provincie Utrecht", "interbestuurlijk"),
        ("D", "Waterschap Rivierenland", "maatschappelijk"),
        ("E", "", None),
    ]
    joined = [
        participation.join(water, display_name=n, organisation=o, veld=v) for n, o, v in people
    ]
    for i, p in enumerate(joined[:2]):
        participation.post_contribution(p, water.rounds[0].id, f"Bijdrage {i}", client_key=f"k{i}")
    open_round(water, water.rounds[1].id)
    for i, p in enumerate(joined[2:4], start=2):
        participation.post_contribution(p, water.rounds[1].id, f"Bijdrage {i}", client_key=f"k{i}")
    return prog


def _page(client, url):
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_data(as_text=True)


def _headline(page: str) -> dict[str, str]:
    block = page.split('class="kerncijfers"', 1)[1].split("</dl>", 1)[0]
    return {dt: dd for dt, dd in re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", block)}


def _section(page: str, chart_id: str) -> str:
    return page.split(f'aria-labelledby="{chart_id}-kop"', 1)[1].split("</section>", 1)[0]


def _table(section: str) -> dict[str, list[int]]:
    body = section.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return {
        name: [int(v.replace(".", "")) for v in re.findall(r'<td class="num">([^<]+)</td>', row)]
        for name, row in re.findall(r'<tr><th scope="row">([^<]+)</th>(.*?)</tr>', body)
    }


def _bars(section: str) -> dict[tuple[str, str], int]:
    svg = re.search(r"<svg .*?</svg>", section, re.S)[0]
    root = ET.fromstring(svg)  # noqa: S314 (our own page)
    assert root.get("role") == "img"
    labelled = root.get("aria-labelledby").split()
    assert [root.find(f"{SVG}title").get("id"), root.find(f"{SVG}desc").get("id")] == labelled
    return {
        (b.get("data-category"), b.get("data-series")): int(b.get("data-value"))
        for b in root.iter(f"{SVG}rect")
        if b.get("class") == "bar"
    }


def test_the_oogst_links_to_the_facts_with_its_filter(client, programme):
    login(client)
    klimaat = programme.themes[0].id
    page = _page(client, f"/f/programmas/{programme.id}/oogst?thema={klimaat}")
    assert f'href="/f/programmas/{programme.id}/feiten?thema={klimaat}' in page
    assert f'href="/f/programmas/{programme.id}/opgaven?thema={klimaat}' in page
    assert f'href="/f/programmas/{programme.id}/oogst-downloaden?thema={klimaat}' in page


def test_the_big_numbers_as_the_infographic_shows_them(client, programme):
    login(client)
    page = _page(client, f"/f/programmas/{programme.id}/feiten")
    assert _headline(page) == {
        "werkplaatsen": "3",
        "deelnemers": "5",
        "organisaties": "3",  # "Rijkswaterstaat" twice, spelled differently, counts once
        "bijdragen": "4",
        "bouwsteen": "1",  # the imported "Gereed"
        "ansichtkaarten": "0",
    }
    assert (
        "Tussen mei 2015 en november 2026 zijn 3 werkplaatsen georganiseerd, waarbij "
        "5 deelnemers van 3 organisaties hebben meegedacht en meegewerkt. Van de 3 "
        "werkplaatsen waren er 1 inhoudelijk, 1 strategisch en 1 regionaal (MIRT)."
    ) in page


def test_each_chart_stands_beside_a_table_with_the_same_numbers(client, programme):
    login(client)
    page = _page(client, f"/f/programmas/{programme.id}/feiten")
    ids = re.findall(r'<section class="grafiek" aria-labelledby="([^"]+)-kop"', page)
    assert ids == [
        "grafiek-maand-soort", "grafiek-thema-soort", "grafiek-deelnemers",
        "grafiek-velden", "grafiek-bouwstenen", "grafiek-kernvragen",
    ]  # fmt: skip
    for chart_id in ids:
        section = _section(page, chart_id)
        assert "<caption" in section and "<svg" in section
        headers = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', section)[1:]
        table, bars = _table(section), _bars(section)
        for name, values in table.items():
            for header, value in zip(headers, values, strict=True):
                if header == "Totaal":
                    assert value == sum(values[:-1])
                    continue
                key = (name, header) if (name, header) in bars else None
                single = [v for (c, _s), v in bars.items() if c == name]
                assert bars.get(key, single[0] if len(headers) == 1 and single else 0) == value
    months = _table(_section(page, "grafiek-maand-soort"))
    assert months["mei 2015"] == [0, 1, 0, 1] and months["maart 2016"] == [0, 0, 1, 1]
    assert months["november 2026"] == [1, 0, 0, 1]
    # Over more than two years only the months with werkplaatsen, and the chart says so.
    assert len(months) == 3
    assert "Maanden zonder werkplaats zijn weggelaten." in _section(page, "grafiek-maand-soort")
    # Over a shorter span every month, empty ones too: a true time axis.
    short = _page(client, f"/f/programmas/{programme.id}/feiten?tot=2016-12-31")
    months = _table(_section(short, "grafiek-maand-soort"))
    assert list(months)[:3] == ["mei 2015", "juni 2015", "juli 2015"]
    assert len(months) == 11 and months["juni 2015"] == [0, 0, 0, 0]
    assert "weggelaten" not in _section(short, "grafiek-maand-soort")
    assert _table(_section(page, "grafiek-thema-soort")) == {
        "Klimaat": [1, 0, 1, 2], "Natuur": [0, 1, 0, 1],
    }  # fmt: skip
    assert _table(_section(page, "grafiek-velden")) == {  # deelnemers, bijdragen
        "interdepartementaal": [2, 2], "interbestuurlijk": [1, 1], "kennis en advies": [0, 0],
        "maatschappelijk": [1, 1], "veld niet opgegeven": [1, 0],
    }  # fmt: skip
    assert _table(_section(page, "grafiek-bouwstenen")) == {
        "concept": [0], "verslag": [0], "gereed": [1], "nog geen bouwsteen": [2],
    }  # fmt: skip
    kernvragen = _table(_section(page, "grafiek-kernvragen"))
    assert kernvragen["1. Trends en ontwikkelingen"] == [2]
    assert kernvragen["2. Opgaven en kansen"] == [2]
    people = _table(_section(page, "grafiek-deelnemers"))
    assert people["november 2026"] == [5, 3] and people["mei 2015"] == [0, 0]


def test_the_filter_narrows_every_number_and_a_bad_value_is_said(client, programme):
    login(client)
    natuur = programme.themes[1].id
    page = _page(client, f"/f/programmas/{programme.id}/feiten?thema={natuur}&van=nooit")
    assert _headline(page)["werkplaats"] == "1" and _headline(page)["deelnemers"] == "0"
    assert "&#39;nooit&#39; is geen datum" in page
    assert f'<option value="{natuur}" selected>' in page
    assert _table(_section(page, "grafiek-thema-soort")) == {"Klimaat": [0, 0, 0, 0],
                                                            "Natuur": [0, 1, 0, 1]}
    page = _page(client, f"/f/programmas/{programme.id}/feiten?status=geen")
    assert _headline(page)["werkplaatsen"] == "2"
    page = _page(client, f"/f/programmas/{programme.id}/feiten?van=2030-01-01")
    assert "Geen werkplaatsen in deze selectie." in page


def test_a_chart_downloads_as_an_svg_file(client, programme):
    login(client)
    klimaat = programme.themes[0].id
    r = client.get(f"/f/programmas/{programme.id}/feiten/grafiek-velden.svg?thema={klimaat}")
    assert r.status_code == 200 and r.mimetype == "image/svg+xml"
    assert "attachment" in r.headers["Content-Disposition"]
    root = ET.fromstring(r.get_data())  # noqa: S314
    assert root.find(f"{SVG}title").text == "Deelnemers en bijdragen per veld"
    assert client.get(f"/f/programmas/{programme.id}/feiten/niets.svg").status_code == 404
    from noviwerk.services.feiten import CHART_IDS

    page = _page(client, f"/f/programmas/{programme.id}/feiten")
    for chart_id in CHART_IDS:  # every chart on the page links to its file
        assert f"/feiten/{chart_id}.svg" in page


def test_in_english_the_charts_speak_english(client, programme):
    login(client)
    page = _page(client, f"/f/programmas/{programme.id}/feiten?lang=en")
    assert "Workshops per month, by type" in page
    assert "november 2026" in page.lower()


def test_only_the_programmes_members_see_the_facts(app, client, world, programme):
    base = f"/f/programmas/{programme.id}/feiten"
    assert client.get(base).status_code == 302  # to the login
    world.user("trek@example.test", role="trekker")
    world.user("ander@example.test")  # a facilitator, of no werkplaats of this programme
    for email in ("trek@example.test", "ander@example.test"):
        other = app.test_client()
        login(other, email)
        assert other.get(base).status_code == 403
        assert other.get(base + "/grafiek-velden.svg").status_code == 403


def test_imported_contributions_count_by_their_own_veld_and_organisation(client, world):
    """Imported werkplaatsen have contributions but no participants: the velden and the
    organisations still show what was said, and by whom."""
    import json

    from noviwerk.services.imports import werkplaatsen_json

    fac = world.user()
    prog = world.programme("Geïmporteerd", owner=fac)
    data = {"werkplaatsen": [{
        "titel": "Water verbindt", "datum": "2015-10-08", "hoofdonderwerp": "Klimaat",
        "contributions": [
            {"kernvraag": 1, "soort": "trend", "veld": "kennis en advies",
             "organisatie": "Deltares", "text": "Bodemdaling gaat door."},
            {"kernvraag": 2, "soort": "opgave", "veld": "interbestuurlijk",
             "organisatie": "deltares ", "text": "Een visie op dalende bodem."},
            {"kernvraag": 2, "soort": "kans", "text": "Zoet water produceren."},
        ],
    }]}  # fmt: skip
    report = werkplaatsen_json.import_werkplaatsen(
        json.dumps(data).encode(), programme_name=prog.name
    )
    assert report.imported, report.errors
    login(client)
    page = _page(client, f"/f/programmas/{prog.id}/feiten")
    assert _headline(page)["bijdragen"] == "3" and _headline(page)["organisatie"] == "1"
    assert _headline(page)["deelnemers"] == "0"
    assert _table(_section(page, "grafiek-velden")) == {
        "interdepartementaal": [0, 0], "interbestuurlijk": [0, 1], "kennis en advies": [0, 1],
        "maatschappelijk": [0, 0], "veld niet opgegeven": [0, 1],
    }  # fmt: skip
    assert _table(_section(page, "grafiek-deelnemers")) == {"oktober 2015": [0, 1]}
