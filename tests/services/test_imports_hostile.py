"""Files made to hurt: an XLSX with a DTD (entity bombs, external entities), a zip bomb,
and files with more rows than an import takes. Each gets the import's usual report (nothing
imported, a Dutch reason), never a traceback, and reads no file of the server."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from noviwerk.services import imports
from noviwerk.services.imports import xlsx
from tests.conftest import contributions

openpyxl = pytest.importorskip("openpyxl")

LAUGHS = (
    '<!DOCTYPE s [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    + "]>"
)
XXE = '<!DOCTYPE s [<!ENTITY e SYSTEM "file:///etc/passwd">]>'


def _workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["nr", "titel", "datum", "soort"])
    sheet.append([1, "Water verbindt", "2015-10-08", "inhoudelijk"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with(part: str, doctype: str, entity: str | None, encoding: str = "utf-8") -> bytes:
    """The workbook with ``doctype`` in ``part``, and ``entity`` in place of the title."""
    source = zipfile.ZipFile(io.BytesIO(_workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == part:
                text = data.decode()
                if text.startswith("<?xml"):
                    head, rest = text.split("?>", 1)
                    text = head + "?>" + doctype + rest
                else:
                    text = doctype + text
                if entity:
                    text = text.replace("Water verbindt", entity)
                data = text.encode(encoding)
            target.writestr(info, data)
    return out.getvalue()


def _refused(data: bytes) -> imports.ImportReport:
    report = imports.import_programme(data, source="kwaad.xlsx")
    assert not report.imported and report.unreadable
    assert [e.where for e in report.errors] == ["bestand"]
    assert contributions() == []
    return report


@pytest.mark.parametrize(
    ("part", "doctype", "entity"),
    [
        ("xl/worksheets/sheet1.xml", LAUGHS, "&j;"),
        ("xl/worksheets/sheet1.xml", XXE, "&e;"),
        ("xl/workbook.xml", XXE, None),
        ("[Content_Types].xml", LAUGHS, None),
        ("docProps/core.xml", "<!DOCTYPE x []>", None),
    ],
)
def test_an_xlsx_with_a_dtd_is_refused_with_a_reason(app, part, doctype, entity):
    report = _refused(_with(part, doctype, entity))
    assert "DTD" in report.errors[0].message
    assert "root:" not in str(report.errors)


def test_a_dtd_in_utf16_is_found_too(app):
    _refused(_with("xl/worksheets/sheet1.xml", XXE, "&e;", encoding="utf-16"))


def test_defusedxml_guards_openpyxl_as_well():
    """The second lock: openpyxl parses sheets with defusedxml when it is installed."""
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML


def test_a_zip_bomb_is_refused_before_it_is_unpacked(app, monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_UNPACKED_BYTES", 1024 * 1024)
    out = io.BytesIO(_workbook())
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/padding.bin", b"\0" * (2 * 1024 * 1024))
    report = _refused(out.getvalue())
    assert "groter dan 1 MB" in report.errors[0].message


def test_an_xlsx_that_breaks_halfway_is_reported_not_raised(app):
    data = _with("xl/worksheets/sheet1.xml", "", "<unclosed")
    _refused(data)


def _table(rows: int) -> bytes:
    lines = [f"{i},Werkplaats {i},2015-10-08,inhoudelijk" for i in range(1, rows + 1)]
    return ("nr,titel,datum,soort\n" + "\n".join(lines) + "\n").encode()


def test_a_table_with_more_rows_than_allowed_imports_nothing(app):
    report = imports.import_programme(_table(6), max_rows=5)
    assert not report.imported
    assert "meer dan 5 rijen" in report.errors[0].message
    assert imports.import_programme(_table(5), max_rows=5).imported


def test_a_json_file_with_more_records_than_allowed_imports_nothing(app):
    item = {
        "titel": "Water verbindt",
        "datum": "2015-10-08",
        "contributions": [{"kernvraag": 1, "text": f"Bijdrage {i}"} for i in range(5)],
    }
    data = json.dumps({"werkplaatsen": [item]}).encode()
    report = imports.import_werkplaatsen(data, max_rows=5)  # 1 werkplaats + 5 bijdragen
    assert not report.imported and "meer dan 5" in report.errors[0].message
    assert contributions() == []
    assert imports.import_werkplaatsen(data, max_rows=6).imported


def test_the_row_limit_is_configured(app, runner, tmp_path):
    app.config["NOVIWERK_IMPORT_MAX_ROWS"] = 3
    path = tmp_path / "groot.csv"
    path.write_bytes(_table(4))
    result = runner.invoke(args=["import-programme", str(path)])
    assert result.exit_code != 0
    assert "meer dan 3 rijen" in result.output
