"""Importing programme tables (CSV, XLSX) and werkplaatsen with contributions (JSON): the real
files import whole, bad records are reported where they are, and nothing is half-imported."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from noviwerk.domain import NOVI_THEMES, ContributionState, RoundState, Source, WerkplaatsKind
from noviwerk.extensions import db
from noviwerk.models import Programme, Round, Theme, Werkplaats
from noviwerk.services import demo, imports, wall
from tests.conftest import SHARED_DATA, contributions

DATA = SHARED_DATA
PROGRAMME_CSV = DATA / demo.DEMO_PROGRAMME_FILE
SAMPLE_JSON = DATA / demo.DEMO_SAMPLE_FILE
HEADER = "nr,titel,datum,soort,bouwsteen,hoofdonderwerp,organisatie\n"

needs_data = pytest.mark.usefixtures("needs_shared_data")


def _werkplaatsen(programme: str = imports.DEMO_PROGRAMME) -> list[Werkplaats]:
    db.session.rollback()
    return list(
        db.session.scalars(
            sa.select(Werkplaats)
            .join(Programme)
            .where(Programme.name == programme)
            .order_by(Werkplaats.nr, Werkplaats.id)
        )
    )


def _programme_count() -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count(Programme.id)))


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return (header + "".join(r + "\n" for r in rows)).encode()


def _where(report) -> list[str]:
    return [e.where for e in report.errors]


def _json(*werkplaatsen: dict) -> bytes:
    return json.dumps({"werkplaatsen": list(werkplaatsen)}).encode()


def _sample_item(**over) -> dict:
    item = {
        "nr": 8,
        "titel": "Water verbindt",
        "datum": "2015-10-08",
        "hoofdonderwerp": "Klimaat",
        "organisatie": "Unie v. Waterschappen",
        "contributions": [
            {"kernvraag": 1, "soort": "trend", "veld": "kennis en advies", "text": "Bodem daalt."},
            {"kernvraag": 2, "soort": "kans", "veld": "maatschappelijk", "text": "Zoet water."},
        ],
    }
    item.update(over)
    return item


# --- the programme table ----------------------------------------------------------------


@needs_data
def test_real_programme_table_imports_whole(app):
    report = imports.import_programme(PROGRAMME_CSV.read_bytes(), source=PROGRAMME_CSV.name)

    assert report.imported and not report.errors
    assert (report.werkplaatsen_created, report.themes_created) == (39, 8)
    assert report.programme_created
    rows = _werkplaatsen()
    assert len(rows) == 39
    assert Counter(w.kind for w in rows) == {
        WerkplaatsKind.INHOUDELIJK: 28,
        WerkplaatsKind.REGIONAAL: 6,
        WerkplaatsKind.STRATEGISCH: 5,
    }
    themes = db.session.scalars(sa.select(Theme.name)).all()
    assert sorted(themes) == sorted(NOVI_THEMES)
    by_nr = {w.nr: w for w in rows}
    assert by_nr[1].starts_at == datetime(2015, 5, 11)
    assert by_nr[1].title == "Werkplaats De Kracht van Groene Blauwe Verbindingen"
    assert by_nr[8].theme.name == "Klimaat"
    assert by_nr[8].organisation == "Unie v. Waterschappen"
    assert by_nr[39].organisation == "IenM & prov. Overijssel"
    # Messy bouwsteen values are kept as written, and each is reported by its line.
    assert by_nr[10].history_note == "Verslag op viadesk"
    assert by_nr[36].history_note == "Door Ieder(in)"
    assert by_nr[39].history_note == "Volgt"
    assert by_nr[1].history_note == "Gereed"
    odd = {n.where for n in report.notes if "bouwsteen" in n.message}
    assert odd == {"regel 11", "regel 13", "regel 37", "regel 39", "regel 40"}
    # The programme got the five default kernvragen.
    programme = rows[0].programme
    assert [k.position for k in programme.kernvragen] == [1, 2, 3, 4, 5]


@needs_data
def test_reimporting_the_table_changes_nothing(app):
    data = PROGRAMME_CSV.read_bytes()
    imports.import_programme(data)
    again = imports.import_programme(data)

    assert again.imported and not again.errors
    assert (again.werkplaatsen_created, again.werkplaatsen_updated) == (0, 0)
    assert again.werkplaatsen_unchanged == 39
    assert again.themes_created == 0
    assert len(_werkplaatsen()) == 39


def test_reimport_updates_a_row_and_says_so(app):
    imports.import_programme(_csv("1,Landschap,26-1-2016,inhoudelijk,Verslag,Natuur,Cra"))
    report = imports.import_programme(_csv("1,Landschap,27-1-2016,inhoudelijk,Gereed,Natuur,Cra"))

    assert report.werkplaatsen_updated == 1
    (w,) = _werkplaatsen()
    assert w.starts_at == datetime(2016, 1, 27)
    assert w.history_note == "Gereed"
    (note,) = [n for n in report.notes if "bijgewerkt" in n.message]
    assert note.where == "regel 2"
    assert "datum 26-1-2016 → 27-1-2016" in note.message
    assert "bouwsteen Verslag → Gereed" in note.message


def test_into_a_named_programme_with_its_themes(app, world):
    programme = world.programme("Werkplaatsen 2030", themes=("natuur",))
    report = imports.import_programme(
        _csv("1,Landschap,26-1-2016,inhoudelijk,,Natuur,Cra"), programme_name="Werkplaatsen 2030"
    )

    assert report.imported and not report.programme_created
    assert report.themes_created == 0  # "Natuur" is the programme's "natuur"
    (w,) = _werkplaatsen("Werkplaatsen 2030")
    assert w.programme_id == programme.id
    assert w.theme.name == "natuur"


BAD_ROWS = [
    ("1,,11-5-2015,inhoudelijk,Gereed,Natuur,IenM", "titel ontbreekt"),
    ("1,Landschap,,inhoudelijk,Gereed,Natuur,IenM", "datum ontbreekt"),
    ("1,Landschap,31-2-2015,inhoudelijk,Gereed,Natuur,IenM", "geen geldige datum"),
    ("1,Landschap,11-5-15,inhoudelijk,Gereed,Natuur,IenM", "geen geldige datum"),
    ("1,Landschap,2015/05/11,inhoudelijk,Gereed,Natuur,IenM", "geen geldige datum"),
    ("1,Landschap,11-5-2015,workshop,Gereed,Natuur,IenM", "soort 'workshop' is onbekend"),
    ("1,Landschap,11-5-2015,,Gereed,Natuur,IenM", "soort ontbreekt"),
    ("acht,Landschap,11-5-2015,inhoudelijk,Gereed,Natuur,IenM", "nr 'acht' is geen geheel getal"),
    ("0,Landschap,11-5-2015,inhoudelijk,Gereed,Natuur,IenM", "nr moet 1 of hoger zijn"),
    ("1," + "x" * 201 + ",11-5-2015,inhoudelijk,Gereed,Natuur,IenM", "titel is te lang"),
    ("1,Landschap,11-5-2015,inhoudelijk,Gereed,Natuur,IenM,extra", "kolommen"),
    ("2,Water verbindt,8-10-2015,inhoudelijk,Gereed,Klimaat,UvW", "nr 2 staat ook al in regel 2"),
    ("3,Smart cities,2-2-2016,inhoudelijk,Gereed,Welvaart,IenM", "titel 'Smart cities' staat ook"),
]


@pytest.mark.parametrize(("bad", "reason"), BAD_ROWS)
def test_a_bad_row_is_reported_by_line_and_nothing_is_imported(app, bad, reason):
    data = _csv("2,Smart cities,2-2-2016,inhoudelijk,Gereed,Welvaart,IenM", bad)
    report = imports.import_programme(data)

    assert not report.imported
    assert _where(report) == ["regel 3"]
    assert reason in report.errors[0].message
    assert _programme_count() == 0


@pytest.mark.parametrize(("bad", "reason"), BAD_ROWS)
def test_skip_invalid_imports_the_good_rows(app, bad, reason):
    data = _csv("2,Smart cities,2-2-2016,inhoudelijk,Gereed,Welvaart,IenM", bad)
    report = imports.import_programme(data, skip_invalid=True)

    assert report.imported
    assert _where(report) == ["regel 3"]
    assert report.skipped == 1
    assert [w.title for w in _werkplaatsen()] == ["Smart cities"]


def test_every_bad_row_is_reported_not_just_the_first(app):
    data = _csv(
        "1,,11-5-2015,inhoudelijk,,,",
        "2,Goed,11-5-2015,inhoudelijk,,,",
        "3,Fout,99-99-2015,nieuw,,,",
    )
    report = imports.import_programme(data)

    assert _where(report) == ["regel 2", "regel 4", "regel 4"]
    assert not report.imported


def test_line_numbers_count_lines_of_the_file(app):
    # A quoted title over two lines: the next row starts two lines further down.
    data = _csv('1,"Twee\nregels",11-5-2015,inhoudelijk,,,', "2,Fout,11-5-2015,vaag,,,")
    report = imports.import_programme(data)

    assert _where(report) == ["regel 4"]


def test_a_missing_column_imports_nothing_even_with_skip(app):
    data = _csv("1,Landschap,26-1-2016", header="nr,titel,datum\n")
    report = imports.import_programme(data, skip_invalid=True)

    assert not report.imported and report.unreadable
    assert _where(report) == ["regel 1"]
    assert "kolom 'soort' ontbreekt" in report.errors[0].message


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "leeg"),
        (HEADER.encode(), "geen werkplaatsen"),
        (b"\xd0\xcf\x11\xe0rest of an old excel file", ".xls"),
        (b"PK\x03\x04not really a zip", "xlsx"),
    ],
)
def test_unreadable_files(app, data, reason):
    report = imports.import_programme(data, skip_invalid=True)

    assert not report.imported and report.unreadable
    assert reason in report.errors[0].message
    assert _programme_count() == 0


def test_control_characters_are_removed_and_reported_markup_is_kept(app):
    data = _csv("1,<b>Water</b> & *verbindt*\x07,11-5-2015,inhoudelijk,Gereed,Kli\u200bmaat,=IenM")
    report = imports.import_programme(data)

    assert report.imported
    (w,) = _werkplaatsen()
    assert w.title == "<b>Water</b> & *verbindt*"
    assert w.theme.name == "Klimaat"
    assert w.organisation == "=IenM"
    stripped = [n for n in report.notes if "stuurtekens" in n.message]
    assert {(n.where, n.message.split(":")[0]) for n in stripped} == {
        ("regel 2", "titel"),
        ("regel 2", "hoofdonderwerp"),
    }


def test_excel_style_csv_semicolons_and_windows_encoding(app):
    text = "nr;titel;datum;soort;bouwsteen;hoofdonderwerp;organisatie\r\n"
    text += "5;Cultuur en Identiteit;1-10-2015;inhoudelijk;Gereed;Welvaart;OCW\r\n"
    text += "6;Agrariërs en água;5-10-2015;MIRT;Volgt;MIRT;RWS\r\n"
    report = imports.import_programme(text.encode("cp1252"))

    assert report.imported and not report.errors
    assert any("cp1252" in n.message for n in report.notes)
    titles = {w.nr: (w.title, w.kind) for w in _werkplaatsen()}
    assert titles[6] == ("Agrariërs en água", WerkplaatsKind.REGIONAAL)


def test_unknown_columns_are_noted_and_place_is_read(app):
    header = HEADER.strip() + ",plaats,opmerking\n"
    data = _csv("1,Landschap,26-1-2016,strategisch,,,,Utrecht,x", header=header)
    report = imports.import_programme(data)

    assert report.imported
    assert [str(n) for n in report.notes if "opmerking" in n.message] == [
        "regel 1: kolom 'opmerking' is onbekend en wordt niet ingelezen"
    ]
    (w,) = _werkplaatsen()
    assert (w.place, w.kind) == ("Utrecht", WerkplaatsKind.STRATEGISCH)


def test_a_title_known_under_another_nr_is_an_error(app):
    imports.import_programme(_csv("8,Water verbindt,8-10-2015,inhoudelijk,,,"))
    report = imports.import_programme(_csv("12,Water verbindt,8-10-2015,inhoudelijk,,,"))

    assert not report.imported
    assert "met nr 8, hier met nr 12" in report.errors[0].message
    assert [w.nr for w in _werkplaatsen()] == [8]


def test_xlsx_with_the_same_header(app, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append([1, "Landschap", datetime(2016, 1, 26), "inhoudelijk", "Gereed", "Natuur", "Cra"])
    sheet.append([2.0, "Smart cities", "2-2-2016", "MIRT", "Volgt", "Welvaart", "IenM"])
    sheet.append([None] * 7)  # blank rows, as spreadsheets have
    sheet.append([3, "Tijd", date(2016, 3, 31), "strategisch", None, "Strategie", None])
    path = tmp_path / "programma.xlsx"
    book.save(path)

    report = imports.import_programme(path.read_bytes(), source=path.name)

    assert report.imported and not report.errors, report.errors
    rows = {w.nr: w for w in _werkplaatsen()}
    assert rows[1].starts_at == datetime(2016, 1, 26)
    assert rows[2].kind == WerkplaatsKind.REGIONAAL
    assert rows[2].history_note == "Volgt"
    assert rows[3].starts_at == datetime(2016, 3, 31)
    assert [n.where for n in report.notes if "bouwsteen" in n.message] == ["rij 3"]


def test_xlsx_errors_name_the_sheet_row(app, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([])  # the header may sit lower
    sheet.append(HEADER.strip().split(","))
    sheet.append([1, "Landschap", datetime(2016, 1, 26), "inhoudelijk", "Gereed", "Natuur", "Cra"])
    sheet.append([2, "Fout", "morgen", "inhoudelijk", "", "", ""])
    path = tmp_path / "programma.xlsx"
    book.save(path)

    report = imports.import_programme(path.read_bytes())

    assert not report.imported
    assert _where(report) == ["rij 4"]
    assert "datum 'morgen'" in report.errors[0].message


# --- werkplaatsen with contributions ------------------------------------------------------


@needs_data
def test_sample_werkplaatsen_attach_to_the_programme_table(app):
    imports.import_programme(PROGRAMME_CSV.read_bytes())
    report = imports.import_werkplaatsen(SAMPLE_JSON.read_bytes(), source=SAMPLE_JSON.name)

    assert report.imported and not report.errors, report.errors
    assert (report.werkplaatsen_created, report.werkplaatsen_unchanged) == (0, 2)
    assert report.contributions_imported == 44
    assert report.rounds_created == 10
    assert len(_werkplaatsen()) == 39
    by_title = {w.title: w for w in _werkplaatsen()}
    water, voedsel = by_title["Water verbindt"], by_title["Ruimte voor voedsel in 2040"]
    rows = contributions(water)
    assert len(rows) == 24 and len(contributions(voedsel)) == 20
    # Walls and cursors: seq 1..n in file order, and last_seq caught up.
    assert [c.seq for c in rows] == list(range(1, 25))
    assert all(c.first_seq == c.seq for c in rows)
    assert water.last_seq == 24
    assert len(wall.changes_after(water.id, 0)) == 24
    # Each contribution sits in the closed round of its kernvraag.
    sample = json.loads(SAMPLE_JSON.read_text())["werkplaatsen"][0]["contributions"]
    rounds = {r.id: r for r in water.rounds}
    assert [r.state for r in water.rounds] == [RoundState.GESLOTEN] * 5
    for c, raw in zip(rows, sample, strict=True):
        assert rounds[c.round_id].kernvraag.position == raw["kernvraag"]
        assert (c.text, c.label, c.veld.value) == (raw["text"], raw["soort"], raw["veld"])
        assert c.source == Source.IMPORT
        assert c.participant_id is None
        assert c.state == ContributionState.VISIBLE


@needs_data
def test_sample_alone_creates_its_werkplaatsen(app):
    report = imports.import_werkplaatsen(SAMPLE_JSON.read_bytes())

    assert report.imported and report.werkplaatsen_created == 2
    rows = _werkplaatsen()
    assert [(w.nr, w.title, w.starts_at) for w in rows] == [
        (8, "Water verbindt", datetime(2015, 10, 8)),
        (30, "Ruimte voor voedsel in 2040", datetime(2016, 2, 18)),
    ]
    assert rows[0].theme.name == "Klimaat" and report.themes_created == 2
    assert len(contributions()) == 44


@needs_data
def test_importing_the_same_file_twice_adds_nothing(app):
    data = SAMPLE_JSON.read_bytes()
    imports.import_werkplaatsen(data)
    again = imports.import_werkplaatsen(data)

    assert again.imported and not again.errors
    assert (again.contributions_imported, again.contributions_present) == (0, 44)
    assert again.rounds_created == 0
    assert len(contributions()) == 44
    assert db.session.scalar(sa.select(sa.func.count(Round.id))) == 10


def test_the_same_text_twice_is_two_contributions_once(app):
    twice = {"kernvraag": 1, "soort": "citaat", "text": "Water verbindt!"}
    data = _json(_sample_item(contributions=[twice, twice, {**twice, "kernvraag": 2}]))
    assert imports.import_werkplaatsen(data).contributions_imported == 3
    assert imports.import_werkplaatsen(data).contributions_imported == 0

    more = _json(_sample_item(contributions=[twice, twice, twice]))
    assert imports.import_werkplaatsen(more).contributions_imported == 1
    assert len(contributions()) == 4


def test_contributions_join_a_live_werkplaats_after_its_own(app, world):
    from noviwerk.services import participation

    programme = world.programme(imports.DEMO_PROGRAMME)
    _fac, w = world.live(programme=programme)
    phone = participation.join(w)
    participation.post_contribution(phone, w.rounds[0].id, "Van een telefoon")

    report = imports.import_werkplaatsen(_json(_sample_item(nr=None)))

    assert report.werkplaatsen_unchanged + report.werkplaatsen_updated == 1
    assert report.rounds_created == 0
    rows = contributions(w)
    assert [c.seq for c in rows] == [1, 2, 3]
    assert [c.round_id for c in rows[1:]] == [w.rounds[0].id, w.rounds[1].id]
    assert w.rounds[0].state == RoundState.OPEN  # the live round is left alone


def test_fields_of_an_existing_werkplaats_stay_and_differences_are_noted(app, world):
    programme = world.programme(imports.DEMO_PROGRAMME, themes=("Klimaat",))
    w = world.werkplaats(programme=programme, rounds=False)  # 22-11-2026, Unie v. Waterschappen

    report = imports.import_werkplaatsen(_json(_sample_item(organisatie="Iemand anders")))

    assert report.imported
    db.session.rollback()
    assert w.nr == 8  # was empty: filled in
    assert w.organisation == "Unie v. Waterschappen"
    assert w.starts_at == datetime(2026, 11, 22, 10, 0)
    noted = {n.message.split(" ")[0] for n in report.notes if "wijkt af" in n.message}
    assert noted == {"datum", "organisatie"}
    assert report.rounds_created == 5


def test_a_round_is_added_for_a_kernvraag_the_werkplaats_lacks(app, world):
    from noviwerk.services import rounds

    programme = world.programme(imports.DEMO_PROGRAMME)
    w = world.werkplaats(programme=programme, rounds=False)
    rounds.add_round(w, "Eigen vraag", programme.kernvragen[0].id, 20)

    report = imports.import_werkplaatsen(_json(_sample_item(nr=None)))

    assert report.rounds_created == 1
    db.session.rollback()
    assert [(r.position, r.prompt, r.state) for r in w.rounds] == [
        (1, "Eigen vraag", RoundState.GEPLAND),
        (2, programme.kernvragen[1].question, RoundState.GESLOTEN),
    ]


BAD_CONTRIBUTIONS = [
    ({"kernvraag": 7, "text": "x"}, "kernvraag 7 bestaat niet"),
    ({"kernvraag": 0, "text": "x"}, "kernvraag moet 1 of hoger zijn"),
    ({"kernvraag": "een", "text": "x"}, "kernvraag 'een' is geen geheel getal"),
    ({"kernvraag": True, "text": "x"}, "geen geheel getal"),
    ({"text": "x"}, "kernvraag ontbreekt"),
    ({"kernvraag": 1, "text": "  "}, "text ontbreekt"),
    ({"kernvraag": 1}, "text ontbreekt"),
    ({"kernvraag": 1, "text": ["x"]}, "text moet tekst zijn"),
    ({"kernvraag": 1, "text": "x" * 501}, "text is te lang: 501 tekens, hooguit 500"),
    ({"kernvraag": 1, "text": "x", "soort": "mening"}, "soort 'mening' is onbekend"),
    ({"kernvraag": 1, "text": "x", "veld": "burger"}, "veld 'burger' is onbekend"),
    ("tekst", "een bijdrage moet een object zijn"),
]


@pytest.mark.parametrize(("bad", "reason"), BAD_CONTRIBUTIONS)
def test_a_bad_contribution_is_reported_by_path_and_nothing_is_imported(app, bad, reason):
    good = _sample_item()
    second = _sample_item(nr=30, titel="Voedsel")
    second["contributions"] = [*second["contributions"], bad]
    report = imports.import_werkplaatsen(_json(good, second))

    assert not report.imported
    assert _where(report) == ["werkplaatsen[1].contributions[2]"]
    assert reason in report.errors[0].message
    assert _programme_count() == 0


@pytest.mark.parametrize(("bad", "reason"), BAD_CONTRIBUTIONS)
def test_skip_invalid_leaves_out_only_the_bad_contribution(app, bad, reason):
    second = _sample_item(nr=30, titel="Voedsel")
    second["contributions"] = [*second["contributions"], bad]
    report = imports.import_werkplaatsen(_json(_sample_item(), second), skip_invalid=True)

    assert report.imported
    assert report.skipped == 1
    assert report.contributions_imported == 4
    assert _where(report) == ["werkplaatsen[1].contributions[2]"]


BAD_WERKPLAATSEN = [
    ({"titel": ""}, "titel ontbreekt", 3),
    ({"nr": "acht"}, "nr 'acht' is geen geheel getal", 3),
    ({"datum": "8 oktober"}, "datum '8 oktober' is geen geldige datum", 3),
    ({"soort": "workshop"}, "soort 'workshop' is onbekend", 3),
    ({"contributions": {"kernvraag": 1}}, "contributions moet een lijst zijn", 1),
    ({"nr": 30}, "nr 30 staat ook al in werkplaatsen[0]", 3),
]


@pytest.mark.parametrize(("bad", "reason", "skipped"), BAD_WERKPLAATSEN)
def test_a_bad_werkplaats_is_reported_and_skipped_whole(app, bad, reason, skipped):
    data = _json(_sample_item(nr=30, titel="Voedsel"), _sample_item(**bad))
    report = imports.import_werkplaatsen(data)

    assert not report.imported
    assert _where(report) == ["werkplaatsen[1]"]
    assert reason in report.errors[0].message

    report = imports.import_werkplaatsen(data, skip_invalid=True)
    assert report.imported
    assert [w.title for w in _werkplaatsen()] == ["Voedsel"]
    assert len(contributions()) == 2
    assert report.skipped == skipped  # the werkplaats and its contributions


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'{"werkplaatsen": [', "geen geldige JSON (regel 1"),
        (b"[]", "verwacht een object"),
        (b'{"werkplaatsen": []}', "is leeg"),
        (b"\xff\xfe{}", "UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, ""),
    ],
)
def test_unreadable_json(app, data, reason):
    report = imports.import_werkplaatsen(data, skip_invalid=True)

    assert not report.imported and report.unreadable
    assert _where(report) == ["bestand"]
    assert reason in report.errors[0].message


def test_json_text_rules(app):
    text = "Zie <script>alert(1)</script> en **dit**\x00\u202e\n\ntweede regel"
    data = _json(_sample_item(contributions=[{"kernvraag": 1, "text": text, "soort": "Kans"}]))
    report = imports.import_werkplaatsen(data)

    assert report.imported
    (c,) = contributions()
    assert c.text == "Zie <script>alert(1)</script> en **dit**\n\ntweede regel"
    assert c.label == "kans"
    assert [str(n) for n in report.notes if "stuurtekens" in n.message] == [
        "werkplaatsen[0].contributions[0]: text: onzichtbare stuurtekens verwijderd"
    ]


def test_unknown_fields_are_noted(app):
    item = _sample_item(zaal="B", contributions=[{"kernvraag": 1, "text": "x", "tekst": "y"}])
    report = imports.import_werkplaatsen(_json(item))

    assert report.imported
    assert [str(n) for n in report.notes if "onbekend" in n.message] == [
        "werkplaatsen[0]: onbekend veld 'zaal' wordt niet ingelezen",
        "werkplaatsen[0].contributions[0]: onbekend veld 'tekst' wordt niet ingelezen",
    ]


def test_an_import_cut_off_halfway_is_finished_by_running_it_again(app, monkeypatch):
    """Imports write in short batches (so posts go on beside them): a run that fails
    halfway keeps the batches before, and the same file again completes it without doubles."""
    from noviwerk.services.imports import werkplaatsen_json

    monkeypatch.setattr(werkplaatsen_json, "BATCH", 5)
    many = [{"kernvraag": 1 + i % 5, "text": f"Gedachte {i}"} for i in range(12)]
    data = _json(_sample_item(contributions=many))
    calls = {"n": 0}
    real = werkplaatsen_json._add

    def failing(*args):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real(*args)

    monkeypatch.setattr(werkplaatsen_json, "_add", failing)
    with pytest.raises(RuntimeError):
        imports.import_werkplaatsen(data)
    assert len(contributions()) == 5  # the first batch; the one that failed wrote nothing

    monkeypatch.setattr(werkplaatsen_json, "_add", real)
    report = imports.import_werkplaatsen(data)
    assert report.imported and report.werkplaatsen_created == 0
    assert (report.contributions_present, report.contributions_imported) == (5, 7)
    assert imports.import_werkplaatsen(data).contributions_imported == 0
    assert _programme_count() == 1
    texts = [c.text for c in contributions()]
    assert sorted(texts) == sorted(c["text"] for c in many)
    assert sorted(c.seq for c in contributions()) == list(range(1, 13))


@needs_data
def test_imported_contributions_are_found_by_search(app, world):
    """The import writes in bulk, past the ORM's events: it tells the full-text index itself."""
    from noviwerk.services import search

    imports.import_programme(PROGRAMME_CSV.read_bytes())
    imports.import_werkplaatsen(SAMPLE_JSON.read_bytes())
    programme = db.session.scalar(sa.select(Programme))
    beheerder = world.user("beheer@example.test", role="beheerder")
    f = search.parse_filter({"q": "bodemdaling"}, programme, search.viewable(programme, beheerder))
    found = [
        "".join(t for t, _ in hit.segments)
        for hit in search.search(programme, beheerder, f).contributions
    ]
    assert any(text.startswith("Bodemdaling in de veenweidegebieden") for text in found), found
