"""The oogst files without the app: CSV, XLSX and iCalendar from plain rows."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime

from openpyxl import load_workbook

from noviwerk.export import oogst


@dataclass(frozen=True)
class Row:
    id: int = 1
    nr: int | None = 8
    starts_at: datetime | None = datetime(2015, 6, 15, 9, 30)
    title: str = "Water verbindt"
    kind: str = "inhoudelijk"
    theme: str = "Klimaat"
    organisation: str = "Unie v. Waterschappen"
    trekker: str = "Tineke Trekker"
    status: str = "Verslag op viadesk"
    participants: int = 42
    contributions: int = 310
    place: str = "Utrecht"


NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_csv_has_the_import_columns_a_bom_and_inert_cells():
    text = oogst.render_csv([Row(), Row(id=2, nr=None, starts_at=None, title="+31 of -1")])
    assert text.startswith("\ufeff") and "\r\n" in text
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert set(("nr", "titel", "datum", "soort", "bouwsteen", "hoofdonderwerp", "organisatie")) <= (
        set(rows[0])
    )
    assert rows[0]["datum"] == "15-6-2015" and rows[0]["bijdragen"] == "310"
    assert rows[0]["bouwsteen"] == "Verslag op viadesk"
    assert rows[1]["titel"] == "'+31 of -1" and rows[1]["nr"] == "" and rows[1]["datum"] == ""


def test_xlsx_reads_back_with_text_never_a_formula():
    data = oogst.render_xlsx([Row(title='=HYPERLINK("x")')], title="Werkplaatsen: 2015/2016")
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    assert sheet.title == "Werkplaatsen 20152016"
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == list(oogst.COLUMNS)
    assert values[1][:3] == [8, "15-6-2015", '\'=HYPERLINK("x")']
    assert values[1][8:10] == [42, 310]


def _unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_ics_events_in_utc_all_day_when_no_time_and_skipped_when_undated():
    rows = [
        Row(),  # summer time: 9:30 in Amsterdam is 7:30 UTC
        Row(id=2, starts_at=datetime(2016, 1, 20)),
        Row(id=3, starts_at=None),
    ]
    lines = _unfold(oogst.render_ics(rows, calendar_name="NOVI", uid_domain="x.test", now=NOW))
    assert lines.count("BEGIN:VEVENT") == 2
    assert "UID:werkplaats-1@x.test" in lines and "UID:werkplaats-3@x.test" not in lines
    assert "DTSTAMP:20260102T030405Z" in lines
    assert "DTSTART:20150615T073000Z" in lines and "DTEND:20150615T103000Z" in lines
    assert "DTSTART;VALUE=DATE:20160120" in lines and "DTEND;VALUE=DATE:20160121" in lines


def test_ics_escapes_text_and_folds_long_lines_at_75_octets():
    title = "Bodemdaling; veen, water\\land\nen " + "ëéü" * 40
    text = oogst.render_ics([Row(title=title)], calendar_name="N", uid_domain="x", now=NOW)
    physical = text.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in physical)
    assert sum(line.startswith(" ") for line in physical) >= 2  # the summary was folded
    summary = next(line for line in _unfold(text) if line.startswith("SUMMARY:"))
    assert summary == "SUMMARY:Bodemdaling\\; veen\\, water\\\\land\\nen " + "ëéü" * 40
    assert oogst.ics_escape("a\r\nb\x07") == "a\\nb"
