"""Reading the oogst table back in over HTTP: upload, a preview per row that writes nothing,
apply exactly that; bad files are refused with a Dutch reason and change nothing."""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from noviwerk.extensions import db
from noviwerk.models import AuditEntry, Werkplaats
from tests.conftest import csrf_token, fresh, login, shared_data

HEADER = "nr,titel,datum,soort,bouwsteen,hoofdonderwerp,organisatie\n"


@pytest.fixture
def owner(world):
    return world.user("eigenaar@example.test", role="facilitator", name="Eef Eigenaar")


@pytest.fixture
def programme(world, owner):
    """Two werkplaatsen: nr 1 Landschap (Natuur) and nr 2 Water (Klimaat)."""
    from noviwerk.services import werkplaatsen

    prog = world.programme(owner=owner)
    klimaat, natuur = prog.themes
    for nr, title, day, theme in (
        (1, "Landschap", datetime(2016, 1, 26), natuur),
        (2, "Water", datetime(2015, 10, 8), klimaat),
    ):
        werkplaatsen.save_werkplaats(
            prog, title=title, starts_at=day, kind="inhoudelijk", theme_id=theme.id, nr=nr,
            organisation="IenM", history_note="Gereed",
        )  # fmt: skip
    return prog


def _base(programme) -> str:
    return f"/f/programmas/{programme.id}/oogst/inlezen"


def _upload(client, programme, data: bytes, name: str = "tabel.csv"):
    token = csrf_token(client, _base(programme))
    return client.post(
        _base(programme),
        data={"csrf_token": token, "bestand": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _preview(client, programme, data: bytes, name: str = "tabel.csv") -> tuple[str, str]:
    """Upload and follow to the preview: (its URL, its page)."""
    r = _upload(client, programme, data, name)
    assert r.status_code == 303, r.get_data(as_text=True)
    url = r.headers["Location"]
    page = client.get(url)
    assert page.status_code == 200, page.get_data(as_text=True)
    return url, page.get_data(as_text=True)


def _apply(client, url: str, page: str):
    fingerprint = re.search(r'name="plan" value="([0-9a-f]+)"', page)[1]
    return client.post(
        url + "/toepassen", data={"csrf_token": csrf_token(client, url), "plan": fingerprint}
    )


def _rows(page: str) -> dict[str, tuple[str, str]]:
    """Each row of the preview by its title: (outcome, what and why)."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    found = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        title = re.search(r'<th scope="row">(.*?)</th>', row, re.S)[1].strip()
        outcome = re.search(r"<strong>(.*?)</strong>", row)[1]
        detail = " ".join(re.sub(r"<[^>]+>", " ", row.split("</strong>", 1)[1]).split())
        found[title] = (outcome, detail)
    return found


def _titles() -> dict[int | None, tuple[str, str, str]]:
    fresh()
    return {
        w.nr: (w.title, f"{w.starts_at:%Y-%m-%d}", w.history_note)
        for w in db.session.scalars(sa.select(Werkplaats))
    }


def test_preview_says_row_by_row_what_would_change_and_writes_nothing(client, programme):
    login(client, "eigenaar@example.test")
    before = _titles()
    data = (
        HEADER
        + "1,Landschap,26-1-2016,inhoudelijk,Gereed,Natuur,IenM\n"  # as it is
        + "2,Water,9-10-2015,inhoudelijk,Volgt,Klimaat,IenM\n"  # another day; messy status
        + "3,Bodem,1-3-2016,strategisch,,Bodem,RWS\n"  # new, with a new theme
    ).encode()
    url, page = _preview(client, programme, data)
    rows = _rows(page)
    # Never opened here and its day is past: applying marks it held, and the preview says so.
    assert rows["Landschap"][0] == "gewijzigd"
    assert rows["Landschap"][1].strip().startswith("staat daarna als gehouden")
    assert rows["Water"][0] == "gewijzigd"
    assert "datum 8-10-2015 → 9-10-2015" in rows["Water"][1]
    assert "bouwsteen Gereed → Volgt" in rows["Water"][1]
    assert "Volgt" in rows["Water"][1] and "bewaard zoals het er staat" in rows["Water"][1]
    assert (
        rows["Bodem"][0] == "nieuw" and "thema &#39;Bodem&#39; wordt aangemaakt" in rows["Bodem"][1]
    )
    assert "Wijzigingen doorvoeren" in page
    assert _titles() == before  # the preview wrote nothing
    assert client.get(url).status_code == 200  # and can be seen again

    r = _apply(client, url, page)
    assert r.status_code == 303 and r.headers["Location"].endswith(
        f"/f/programmas/{programme.id}/oogst"
    )
    after = _titles()
    assert after[2] == ("Water", "2015-10-09", "Volgt")
    assert after[3] == ("Bodem", "2016-03-01", "")
    assert after[1] == before[1]
    oogst = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "1 nieuw, 2 bijgewerkt, 0 ongewijzigd" in oogst
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "oogst ingelezen"))
    assert entry is not None and entry.detail == "tabel.csv"
    # applied once: the kept file is gone
    assert client.get(url).status_code == 404


def test_apply_refuses_when_the_programme_changed_since_the_preview(client, programme):
    from noviwerk.services import werkplaatsen

    login(client, "eigenaar@example.test")
    data = (HEADER + "2,Water,9-10-2015,inhoudelijk,Gereed,Klimaat,IenM\n").encode()
    url, page = _preview(client, programme, data)
    fresh()
    water = db.session.scalar(sa.select(Werkplaats).where(Werkplaats.nr == 2))
    werkplaatsen.save_werkplaats(
        programme, werkplaats=water, title="Water", starts_at=datetime(2015, 10, 9),
        kind="inhoudelijk", theme_id=water.theme_id, nr=2, organisation="RWS",
    )  # fmt: skip
    r = _apply(client, url, page)
    assert r.status_code == 303 and r.headers["Location"].endswith(url)
    again = client.get(url).get_data(as_text=True)
    assert "Het programma is veranderd sinds de voorvertoning" in again
    assert "organisatie RWS → IenM" in again  # the new preview, to apply or not
    assert _titles()[2][1] == "2015-10-09"


@pytest.mark.usefixtures("needs_shared_data")
def test_the_real_table_goes_out_and_back_in_unchanged(client, world, owner):
    from noviwerk.services import imports

    programme = world.programme(name="Werkplaatsen NOVI 2015–2016", themes=(), owner=owner)
    real = shared_data("werkplaatsen-2015-2016.csv")
    report = imports.import_programme(real.read_bytes(), programme_name=programme.name)
    assert report.imported and report.werkplaatsen_created == 39
    login(client, "eigenaar@example.test")
    before = _titles()
    for fmt in ("csv", "xlsx"):
        out = client.get(f"/f/programmas/{programme.id}/oogst.{fmt}")
        assert out.status_code == 200
        _url, page = _preview(client, programme, out.get_data(), f"oogst.{fmt}")
        outcomes = [outcome for outcome, _detail in _rows(page).values()]
        assert outcomes == ["ongewijzigd"] * 39, (fmt, [d for o, d in _rows(page).values() if o != "ongewijzigd"][:3])
        assert "Ongewijzigd: 39" in page and "Geweigerd: 0" in page
        assert "Deze tabel verandert niets aan het programma." in page
        assert "Wijzigingen doorvoeren" not in page
        # the messy values of the real table are said, and kept as written
        assert "Verslag op viadesk" in page and "bewaard zoals het er staat" in page
        assert "kolom &#39;trekker&#39; komt uit de download van de oogst" in page
    assert _titles() == before


def test_defused_cells_go_out_defused_and_come_back_as_they_were(client, programme):
    from noviwerk.services import werkplaatsen

    werkplaatsen.save_werkplaats(
        programme, title="=HYPERLINK(\"http://x\")", starts_at=datetime(2031, 3, 1),
        kind="regionaal", nr=7, organisation="@Provincie", place="-Den Haag",
    )  # fmt: skip
    login(client, "eigenaar@example.test")
    text = client.get(f"/f/programmas/{programme.id}/oogst.csv").get_data().decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",'@Provincie," in text and "'-Den Haag" in text
    for fmt in ("csv", "xlsx"):
        out = client.get(f"/f/programmas/{programme.id}/oogst.{fmt}").get_data()
        _url, page = _preview(client, programme, out, f"oogst.{fmt}")
        for outcome, detail in _rows(page).values():  # the past ones only become held
            assert outcome == "ongewijzigd" or detail.strip() == "staat daarna als gehouden: de datum is voorbij", (fmt, detail)


def test_wrong_columns_and_refused_rows_are_reported_and_nothing_changes(client, programme):
    login(client, "eigenaar@example.test")
    before = _titles()
    _url, page = _preview(client, programme, b"naam,dag\nLandschap,26-1-2016\n")
    assert "Het bestand kan zo niet worden ingelezen" in page
    assert "kolom &#39;titel&#39; ontbreekt" in page
    assert "Wijzigingen doorvoeren" not in page

    data = (
        HEADER
        + "1,Landschap,31-2-2016,inhoudelijk,Gereed,Natuur,IenM\n"
        + "4,Nieuw,1-3-2016,workshop,,Natuur,IenM\n"
        + "5,Goed,1-3-2016,inhoudelijk,Verslag op viadesk,Natuur,IenM\n"
    ).encode()
    url, page = _preview(client, programme, data)
    rows = _rows(page)
    assert rows["Landschap"][0] == "geweigerd" and "geen geldige datum" in rows["Landschap"][1]
    assert (
        rows["Nieuw"][0] == "geweigerd"
        and "soort &#39;workshop&#39; is onbekend" in rows["Nieuw"][1]
    )
    assert rows["Goed"][0] == "nieuw"
    assert "Deze tabel heeft fouten en wordt niet ingelezen" in page
    assert "Wijzigingen doorvoeren" not in page
    # a hand-made apply is refused too
    r = client.post(url + "/toepassen", data={"csrf_token": csrf_token(client, url), "plan": "x"})
    assert r.status_code in (303, 422)
    assert _titles() == before


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("foto.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        ("tabel.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        ("tabel.xlsx", HEADER.encode()),
        ("tabel.pdf", b"%PDF-1.4\n"),
        ("tabel.csv", b""),
    ],
)
def test_a_file_that_is_no_table_is_refused(client, programme, name, data):
    login(client, "eigenaar@example.test")
    r = _upload(client, programme, data, name)
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    assert "Dit is geen CSV- of XLSX-bestand" in page or "Kies een bestand" in page
    assert 'aria-invalid="true"' in page


def test_a_huge_file_is_refused_before_it_is_read(app, client, programme):
    login(client, "eigenaar@example.test")
    uploads = Path(app.instance_path) / "uploads"
    kept = set(uploads.iterdir()) if uploads.is_dir() else set()
    token = csrf_token(client, _base(programme)).encode()
    body = (
        b'--B\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n' + token + b"\r\n"
        b'--B\r\nContent-Disposition: form-data; name="bestand"; filename="groot.csv"\r\n\r\n'
        + b"x" * (50 * 1024 * 1024)
        + b"\r\n--B--\r\n"
    )
    r = client.post(_base(programme), data=body, content_type="multipart/form-data; boundary=B")
    assert r.status_code == 413
    page = r.get_data(as_text=True)
    assert "Het bestand is te groot: hooguit 5 MB" in page and "Er is niets gewijzigd" in page
    assert (set(uploads.iterdir()) if uploads.is_dir() else set()) == kept


def test_formula_cells_are_read_as_text_never_evaluated(client, programme):
    book = Workbook()
    sheet = book.active
    sheet.append(["nr", "titel", "datum", "soort", "bouwsteen", "hoofdonderwerp", "organisatie"])
    sheet.append([9, "=1+1", "1-3-2016", "inhoudelijk", "", "Natuur", '=CONCAT("a","b")'])
    buffer = io.BytesIO()
    book.save(buffer)
    login(client, "eigenaar@example.test")
    url, page = _preview(client, programme, buffer.getvalue(), "formules.xlsx")
    rows = _rows(page)
    assert rows["=1+1"][0] == "nieuw"
    assert "formule =1+1 gelezen als tekst, niet uitgerekend" in rows["=1+1"][1]
    assert _apply(client, url, page).status_code == 303
    fresh()
    made = db.session.scalar(sa.select(Werkplaats).where(Werkplaats.nr == 9))
    assert (made.title, made.organisation) == ("=1+1", '=CONCAT("a","b")')


def test_an_upload_expires_after_an_hour(client, programme, monkeypatch):
    import time

    login(client, "eigenaar@example.test")
    data = (HEADER + "3,Bodem,1-3-2016,strategisch,,Natuur,RWS\n").encode()
    url, page = _preview(client, programme, data)
    later = time.time() + 3601
    monkeypatch.setattr("noviwerk.services.oogst_upload.time.time", lambda: later)
    r = client.get(url)
    assert r.status_code == 404 and "een upload wacht een uur" in r.get_data(as_text=True)
    assert _apply(client, url, page).status_code == 404
    assert 3 not in _titles()


def test_only_eigenaren_and_beheerders_read_a_table_in(app, client, programme, world):
    trekker = world.user("trek@example.test", role="trekker", name="Tineke Trekker")
    world.werkplaats(programme, title="Met trekker", trekkers=[trekker])  # a lid by that
    login(client, "trek@example.test")
    oogst = client.get(f"/f/programmas/{programme.id}/oogst").get_data(as_text=True)
    assert "Tabel inlezen" not in oogst
    assert client.get(_base(programme)).status_code == 403
    token = csrf_token(client, f"/f/programmas/{programme.id}/oogst")
    r = client.post(
        _base(programme),
        data={"csrf_token": token, "bestand": (io.BytesIO(HEADER.encode()), "t.csv")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 403
    # the eigenaar's upload is the eigenaar's: another eigenaar's session cannot see it
    owner = app.test_client()
    login(owner, "eigenaar@example.test")
    assert "Tabel inlezen" in owner.get(f"/f/programmas/{programme.id}/oogst").get_data(
        as_text=True
    )
    url, _page = _preview(owner, programme, (HEADER + "3,B,1-3-2016,mirt,,,\n").encode())
    beheerder = app.test_client()
    world.user("beheer@example.test", role="beheerder")
    login(beheerder, "beheer@example.test")
    assert beheerder.get(_base(programme)).status_code == 200
    assert beheerder.get(url).status_code == 404
