"""The oogst table of a programme over HTTP: filter, sort, share the link, download, subscribe."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

import pytest
from openpyxl import load_workbook

from tests.conftest import login


@pytest.fixture
def programme(world):
    """Three werkplaatsen on two themes, two soorten and three dates; one has contributions."""
    from noviwerk.services import participation, werkplaatsen

    fac = world.user()
    trekker = world.user("trek@example.test", role="trekker", name="Tineke Trekker")
    prog = world.programme()
    klimaat, natuur = prog.themes

    def plan(title, day, kind, theme, **kw):
        return werkplaatsen.save_werkplaats(
            prog,
            title=title,
            starts_at=day,
            place="Den Haag, Malieveld",
            kind=kind,
            theme_id=theme.id,
            organisation=kw.pop("organisation", "IenM"),
            facilitator_ids=[fac.id],
            **kw,
        )

    water = world.werkplaats(prog, title="Water verbindt", facilitators=[fac], trekkers=[trekker])
    plan(
        "Bodem en ondergrond",
        datetime(2015, 5, 11),
        "strategisch",
        natuur,
        nr=2,
        history_note="Gereed",
    )
    plan(
        "=Energie; regio's, warmte",
        datetime(2016, 3, 1, 13, 30),
        "regionaal",
        klimaat,
        nr=7,
        organisation="@Provincie",
    )
    world.open_werkplaats(water)
    for i in range(3):
        p = participation.join(water, display_name=f"D{i}", veld="maatschappelijk")
        participation.post_contribution(p, water.rounds[0].id, f"Tekst {i}", client_key=f"k{i}")
    return prog


def _titles(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in page else ""
    return re.findall(r'/f/werkplaatsen/\d+">([^<]+)</a>', body)


def _page(client, url):
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_data(as_text=True)


def test_programme_page_links_to_the_oogst(client, programme):
    login(client)
    page = _page(client, f"/f/programmas/{programme.id}")
    assert f'href="/f/programmas/{programme.id}/oogst"' in page


def test_table_shows_every_werkplaats_with_counts(client, programme):
    login(client)
    page = _page(client, f"/f/programmas/{programme.id}/oogst")
    assert _titles(page) == [
        "Bodem en ondergrond",
        "=Energie; regio&#39;s, warmte",
        "Water verbindt",
    ]
    row = page.split("Water verbindt</a>", 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row)
    # soort, thema, organisatie, trekker, bouwsteen, deelnemers, bijdragen
    assert cells == [
        "inhoudelijk",
        "Klimaat",
        "Unie v. Waterschappen",
        "Tineke Trekker",
        "—",
        "3",
        "3",
    ]
    assert "Gereed" in page  # the status noted in imported history


def test_filters_and_sort_change_the_rows_and_the_url_round_trips(client, programme):
    login(client)
    base = f"/f/programmas/{programme.id}/oogst"
    klimaat = programme.themes[0].id
    page = _page(client, f"{base}?thema={klimaat}")
    assert _titles(page) == ["=Energie; regio&#39;s, warmte", "Water verbindt"]
    assert _titles(_page(client, f"{base}?soort=strategisch")) == ["Bodem en ondergrond"]
    assert _titles(_page(client, f"{base}?status=gereed")) == ["Bodem en ondergrond"]
    assert _titles(_page(client, f"{base}?status=geen")) == [
        "=Energie; regio&#39;s, warmte",
        "Water verbindt",
    ]
    assert _titles(_page(client, f"{base}?van=2016-01-01&tot=2016-03-01")) == [
        "=Energie; regio&#39;s, warmte"
    ]
    # Sorted by contributions, most first: the header says so and links to the other way.
    page = _page(client, f"{base}?sorteer=bijdragen&richting=af")
    assert _titles(page)[0] == "Water verbindt"
    header = re.search(r'<th scope="col" aria-sort="descending">\s*<a href="([^"]+)"', page)
    assert header and "sorteer=bijdragen" in header[1] and "richting=op" in header[1]
    assert page.count("aria-sort=") == 1
    # A sort link keeps the filter, so the shared URL shows the same rows.
    page = _page(client, f"{base}?thema={klimaat}&sorteer=titel&richting=af")
    assert _titles(page) == ["Water verbindt", "=Energie; regio&#39;s, warmte"]
    link = re.search(r'<a href="([^"]*sorteer=nr[^"]*)"', page)[1].replace("&amp;", "&")
    assert f"thema={klimaat}" in link
    assert _titles(_page(client, link)) == ["=Energie; regio&#39;s, warmte", "Water verbindt"]
    # The filter form is a plain GET form: it sends the choice back as the query string.
    assert 'method="get"' in page and f'<option value="{klimaat}" selected>' in page


def test_empty_result_and_bad_values_are_said_in_dutch(client, programme):
    login(client)
    base = f"/f/programmas/{programme.id}/oogst"
    page = _page(client, f"{base}?van=2030-01-01")
    assert "Geen werkplaatsen die aan dit filter voldoen." in page
    page = _page(client, f"{base}?sorteer=wachtwoord&van=31-02-2016&soort=x&status=y&thema=abc")
    assert len(_titles(page)) == 3  # every bad value dropped: all rows, sorted by date
    assert "Op &#39;wachtwoord&#39; kan niet gesorteerd worden" in page
    assert "&#39;31-02-2016&#39; is geen datum" in page
    assert "De soort &#39;x&#39; bestaat niet" in page
    assert "De status &#39;y&#39; bestaat niet" in page
    assert "Het gekozen thema hoort niet bij dit programma" in page


def test_only_members_of_the_programme_see_the_oogst(app, client, programme, world):
    base = f"/f/programmas/{programme.id}"
    assert client.get(f"{base}/oogst").status_code == 302  # to the login
    world.user("elders@example.test", role="facilitator")  # of no werkplaats here
    login(client, "elders@example.test")
    for tail in ("/oogst", "/oogst.csv", "/oogst.xlsx", "/agenda.ics"):
        assert client.get(base + tail).status_code == 403, tail
    assert client.get("/f/programmas/999/oogst").status_code in (302, 403, 404)
    # the trekker of one of its werkplaatsen is a lid of the programme: reads its oogst
    trekker = app.test_client()
    login(trekker, "trek@example.test")
    for tail in ("/oogst", "/oogst.csv", "/oogst.xlsx", "/agenda.ics"):
        assert trekker.get(base + tail).status_code == 200, tail


def test_csv_download_is_the_filtered_sorted_table(client, programme):
    login(client)
    r = client.get(f"/f/programmas/{programme.id}/oogst.csv?sorteer=nr&richting=af")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"  # the charset once
    assert "attachment" in r.headers["Content-Disposition"]
    assert "oogst-werkplaatsen-novi-test.csv" in r.headers["Content-Disposition"]
    text = r.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [row["nr"] for row in rows] == ["7", "2", ""]  # no nr last
    energie = rows[0]
    assert energie["titel"] == "'=Energie; regio's, warmte"  # no formula in a spreadsheet
    assert energie["organisatie"] == "'@Provincie"
    assert energie["datum"] == "1-3-2016" and energie["soort"] == "regionaal (MIRT)"
    assert rows[2]["bijdragen"] == "3" and rows[2]["trekker"] == "Tineke Trekker"
    one = client.get(f"/f/programmas/{programme.id}/oogst.csv?soort=strategisch")
    assert len(list(csv.DictReader(io.StringIO(one.get_data().decode("utf-8-sig"))))) == 1


def test_xlsx_download_reads_back(client, programme):
    login(client)
    r = client.get(f"/f/programmas/{programme.id}/oogst.xlsx?sorteer=titel")
    assert r.status_code == 200
    assert r.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(r.get_data())).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["nr", "datum", "titel"]
    assert [v[2] for v in values[1:]] == [
        "'=Energie; regio's, warmte",
        "Bodem en ondergrond",
        "Water verbindt",
    ]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def _unfold(text: str) -> list[str]:
    assert "\n" not in text.replace("\r\n", "")  # CRLF line ends only
    return text.replace("\r\n ", "").split("\r\n")


def test_agenda_feed_has_one_event_per_werkplaats(client, programme):
    login(client)
    page = _page(client, f"/f/programmas/{programme.id}/oogst")
    url = re.search(r'id="agenda-url" readonly value="([^"]+)"', page)[1].replace("&amp;", "&")
    anonymous = client.application.test_client()
    r = anonymous.get(url)  # a calendar app: no login, only the token in the URL
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.mimetype == "text/calendar"
    lines = _unfold(r.get_data(as_text=True))
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    assert lines.count("BEGIN:VEVENT") == 3
    assert len({line for line in lines if line.startswith("UID:")}) == 3
    assert "SUMMARY:=Energie\\; regio's\\, warmte" in lines
    assert "DTSTART:20160301T123000Z" in lines  # 13:30 in Amsterdam, winter time
    assert "DTSTART;VALUE=DATE:20150511" in lines  # a date without a time: all day
    assert "LOCATION:Den Haag\\, Malieveld" in lines
    assert any(
        line.startswith("DESCRIPTION:Soort: regionaal (MIRT)\\nThema: Klimaat") for line in lines
    )
    assert anonymous.get(url[:-4] + "0000").status_code == 403
    assert anonymous.get(url.split("?")[0]).status_code == 403
