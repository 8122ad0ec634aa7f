"""Exporting one werkplaats' harvest: only visible contributions, grouped and numbered, and
whatever participants typed stays inert text in Markdown, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import pytest
import sqlalchemy as sa
from werkzeug.http import parse_options_header

from noviwerk.domain import (
    DEFAULT_KERNVRAGEN,
    ContributionRecord,
    ContributionState,
    WerkplaatsRecord,
)
from noviwerk.export import contributions as export
from tests.conftest import login, shared_data

HOSTILE = [
    "<script>alert(1)</script>",
    '=HYPERLINK("http://evil.example","klik")',
    "| pipe | in | tabel |",
    "bel\x07 en \u202eomgekeerd",
    "# geen kop",
    "- geen lijst\n1. ook niet\n---",
    "**vet** _schuin_ `code` [link](javascript:alert(1)) ![plaatje](x.png)",
    "&lt;b&gt;entiteit&lt;/b&gt; & co",
    "+31 6 12345678",
    "@iedereen",
]


def _werkplaats(**over) -> WerkplaatsRecord:
    fields = {
        "id": 12,
        "title": "Water verbindt",
        "programme": "Werkplaatsen NOVI 2015–2016",
        "starts_on": date(2015, 10, 8),
        "place": "Utrecht",
        "kind": "regionaal",
        "theme": "Klimaat",
        "organisation": "Unie v. Waterschappen",
        "kernvragen": DEFAULT_KERNVRAGEN,
    }
    fields.update(over)
    return WerkplaatsRecord(**fields)


def _record(number: int, text: str, kernvraag: int | None = 1, round_position: int = 1, **kw):
    spec = DEFAULT_KERNVRAGEN[kernvraag - 1] if kernvraag else None
    fields = {
        "id": 100 + number,
        "number": number,
        "round_position": round_position,
        "round_prompt": spec.question if spec else "Vrije ronde",
        "kernvraag_position": kernvraag,
        "kernvraag_title": spec.title if spec else None,
        "text": text,
    }
    fields.update(kw)
    return ContributionRecord(**fields)


def _records() -> list[ContributionRecord]:
    return [
        _record(1, "Bodemdaling gaat door.", label="trend", veld="kennis en advies"),
        _record(2, "Meer piekbuien.", label="trend", organisation="KNMI", source="flap"),
        _record(3, "Zoet water als verdienmodel.", kernvraag=2, round_position=2, label="kans"),
        _record(4, "Los van de kernvragen.", kernvraag=None, round_position=3),
    ]


# --- pure renderers -----------------------------------------------------------------------


def test_markdown_groups_by_kernvraag_and_round():
    md = export.render_markdown(_werkplaats(), _records(), nr=8)

    assert md.startswith("# Water verbindt\n\n- **Programma:** Werkplaatsen NOVI 2015–2016\n")
    assert "- **Nr:** 8\n- **Datum:** 8 oktober 2015\n- **Plaats:** Utrecht\n" in md
    assert "- **Soort:** regionaal (MIRT)\n" in md
    assert "- **Bijdragen:** 4\n" in md
    headings = re.findall(r"^#{2,3} .*$", md, flags=re.M)
    assert headings == [
        "## Kernvraag 1 — Trends en ontwikkelingen",
        "### Ronde 1",
        "## Kernvraag 2 — Opgaven en kansen",
        "### Ronde 2",
        "## Kernvraag 3 — Verbindingen",
        "## Kernvraag 4 — Samen werken",
        "## Kernvraag 5 — Wat mag niet ontbreken",
        "## Overige rondes",
        "### Ronde 3: Vrije ronde",
    ]
    assert "1. Bodemdaling gaat door. — *trend · kennis en advies*\n" in md
    assert "2. Meer piekbuien. — *trend · KNMI · bron: flap*\n" in md
    assert "3. Zoet water als verdienmodel. — *kans*\n" in md
    assert "4. Los van de kernvragen.\n" in md
    assert md.count("Geen bijdragen.") == 3
    assert md.endswith("\n") and not md.endswith("\n\n")


def test_markdown_without_contributions_says_so():
    md = export.render_markdown(_werkplaats(kernvragen=()), [])

    assert "_Er zijn (nog) geen zichtbare bijdragen._" in md
    assert "## " not in md


def _unescaped(md: str, char: str) -> list[int]:
    """Positions of ``char`` not preceded by an escaping backslash."""
    out = []
    for m in re.finditer(re.escape(char), md):
        backslashes = len(md[: m.start()]) - len(md[: m.start()].rstrip("\\"))
        if backslashes % 2 == 0:
            out.append(m.start())
    return out


def _items(md: str) -> list[str]:
    """The numbered items of a Markdown export, each with its continuation lines."""
    return re.findall(r"^\d+\. .*(?:\n   .*)*", md, flags=re.M)


def test_markdown_keeps_hostile_text_inert():
    records = [_record(i, text, organisation="<i>Org</i>") for i, text in enumerate(HOSTILE, 1)]
    md = export.render_markdown(_werkplaats(title="<img src=x onerror=alert(1)>"), records)
    items = _items(md)

    assert len(items) == len(HOSTILE)
    for item in items:
        text, meta = re.fullmatch(r"\d+\. (.*) — \*(.*)\*", item, flags=re.S).groups()
        for part in (text, meta):
            for char in "<>`[]|_*#":
                assert _unescaped(part, char) == [], (char, part)
    assert "# \\<img src=x onerror=alert(1)\\>\n" in md
    assert items[0] == "1. \\<script\\>alert(1)\\</script\\> — *\\<i\\>Org\\</i\\>*"
    assert "\x07" not in md and "\u202e" not in md
    assert items[3].startswith("4. bel en omgekeerd")
    assert items[4].startswith("5. \\# geen kop")
    # Every line of a multi-line text stays inside its list item, none becomes a block.
    assert items[5].startswith("6. \\- geen lijst\\\n   1\\. ook niet\\\n   \\---")
    assert items[7].startswith("8. \\&lt;b\\&gt;entiteit\\&lt;/b\\&gt; & co")
    assert items[8].startswith("9. \\+31 6 12345678")


def _csv_rows(body: str) -> list[dict[str, str]]:
    assert body.startswith("\ufeff")  # for Excel
    return list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"), newline="")))


def test_csv_one_row_per_contribution():
    rows = _csv_rows(export.render_csv(_werkplaats(), _records()))

    assert list(rows[0]) == list(export.CSV_COLUMNS)
    assert [r["nummer"] for r in rows] == ["1", "2", "3", "4"]
    assert rows[1] == {
        "nummer": "2",
        "kernvraag": "1",
        "kernvraag_titel": "Trends en ontwikkelingen",
        "ronde": "1",
        "ronde_vraag": DEFAULT_KERNVRAGEN[0].question,
        "soort": "trend",
        "veld": "",
        "organisatie": "KNMI",
        "bron": "flap",
        "deelnemer": "",
        "tekst": "Meer piekbuien.",
    }
    assert (rows[3]["kernvraag"], rows[3]["ronde_vraag"]) == ("", "Vrije ronde")


def test_csv_defuses_formulas_and_keeps_the_rest():
    evil = "=cmd|' /C calc'!A0"
    records = [_record(i, text, organisation=evil) for i, text in enumerate(HOSTILE, 1)]
    rows = _csv_rows(export.render_csv(_werkplaats(), records))
    texts = [r["tekst"] for r in rows]

    assert texts[0] == "<script>alert(1)</script>"
    assert texts[1] == "'" + HOSTILE[1]
    assert texts[2] == "| pipe | in | tabel |"
    assert texts[3] == "bel en omgekeerd"
    assert texts[5] == "'- geen lijst\n1. ook niet\n---"
    assert texts[8] == "'+31 6 12345678"
    assert texts[9] == "'@iedereen"
    assert {r["organisatie"] for r in rows} == {"'=cmd|' /C calc'!A0"}
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_json_is_plain_and_reads_back():
    records = [*_records(), _record(5, HOSTILE[0] + "\x00", kernvraag=5, round_position=5)]
    data = json.loads(export.render_json(_werkplaats(), records, nr=8))

    assert data["formaat"] == export.JSON_FORMAT
    (w,) = data["werkplaatsen"]
    head = (w["nr"], w["titel"], w["datum"], w["soort"])
    assert head == (8, "Water verbindt", "2015-10-08", "regionaal")
    assert [k["nr"] for k in w["kernvragen"]] == [1, 2, 3, 4, 5]
    assert [(c["nummer"], c["kernvraag"], c["ronde"]) for c in w["contributions"]] == [
        (1, 1, 1),
        (2, 1, 1),
        (3, 2, 2),
        (5, 5, 5),
        (4, None, 3),
    ]
    assert w["contributions"][1] == {
        "nummer": 2,
        "kernvraag": 1,
        "kernvraag_titel": "Trends en ontwikkelingen",
        "ronde": 1,
        "ronde_vraag": DEFAULT_KERNVRAGEN[0].question,
        "soort": "trend",
        "veld": None,
        "organisatie": "KNMI",
        "bron": "flap",
        "deelnemer": None,
        "text": "Meer piekbuien.",
    }
    assert w["contributions"][3]["text"] == "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("title", "nr", "name"),
    [
        ("Water verbindt", 8, "werkplaats-8-water-verbindt.md"),
        ("Ruimte voor voedsel in 2040", None, "werkplaats-12-ruimte-voor-voedsel-in-2040.md"),
        ("Schaalniveau's & Régio’s: <x>/..", 35, "werkplaats-35-schaalniveaus-regios-x.md"),
        ("", 1, "werkplaats-1-werkplaats.md"),
    ],
)
def test_file_names_are_safe(title, nr, name):
    assert export.filename(_werkplaats(title=title), "md", nr=nr) == name


def test_render_refuses_unknown_formats():
    with pytest.raises(ValueError, match="unknown export format"):
        export.render("docx", _werkplaats(), [])


def test_export_stays_free_of_flask_and_the_database():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(export))
    imported = {
        (n.module or "") if isinstance(n, ast.ImportFrom) else a.name
        for n in ast.walk(tree)
        if isinstance(n, ast.Import | ast.ImportFrom)
        for a in n.names
    }
    assert not {m for m in imported if m.split(".")[0] in ("flask", "sqlalchemy", "jinja2")}
    assert "models" not in imported and "..models" not in imported


# --- from the database --------------------------------------------------------------------


@pytest.fixture
def posted(app, world):
    """A live werkplaats with two phones' contributions, one withdrawn and one hidden."""
    from noviwerk.extensions import db
    from noviwerk.models import Contribution
    from noviwerk.services import participation

    _fac, w = world.live()
    jan = participation.join(w, "Jan Jansen", "Gemeente Zwolle", "interbestuurlijk")
    anon = participation.join(w)
    r1, r2 = w.rounds[0].id, w.rounds[1].id
    participation.post_contribution(jan, r1, "Eerste van Jan", label="trend")
    participation.post_contribution(anon, r1, "<script>alert('anoniem')</script>")
    gone, _new = participation.post_contribution(jan, r1, "Ingetrokken tekst")
    participation.withdraw_contribution(jan, gone.id)
    hidden, _new = participation.post_contribution(anon, r1, "Verborgen tekst")
    from noviwerk.services import rounds

    rounds.open_round(w, w.rounds[1].id)
    participation.post_contribution(jan, r2, '=HYPERLINK("x")', label="kans")
    db.session.rollback()
    db.session.get(Contribution, hidden.id).state = ContributionState.HIDDEN
    db.session.commit()
    return w


def test_export_werkplaats_has_only_visible_contributions(posted):
    from noviwerk.services import contributions

    body, mimetype, name = contributions.export_werkplaats(posted, "csv")

    assert mimetype == "text/csv; charset=utf-8"
    assert name == f"werkplaats-{posted.id}-water-verbindt.csv"
    rows = _csv_rows(body)
    assert [r["tekst"] for r in rows] == [
        "Eerste van Jan",
        "<script>alert('anoniem')</script>",
        '\'=HYPERLINK("x")',
    ]
    assert [r["nummer"] for r in rows] == ["1", "2", "3"]
    assert rows[0]["organisatie"] == "Gemeente Zwolle"
    assert rows[0]["veld"] == "interbestuurlijk"
    assert rows[0]["bron"] == "telefoon"


def test_participants_are_keys_never_names(posted):
    from noviwerk.services import contributions

    outputs = {fmt: contributions.export_werkplaats(posted, fmt)[0] for fmt in export.FORMATS}
    for body in outputs.values():
        assert "Jan" not in body.replace("Eerste van Jan", "")
        assert "Jansen" not in body
        assert "Ingetrokken" not in body and "Verborgen" not in body
    items = json.loads(outputs["json"])["werkplaatsen"][0]["contributions"]
    keys = [c["deelnemer"] for c in items]
    assert keys[0] == keys[2] != keys[1]
    assert all(re.fullmatch(r"d-[0-9a-f]{10}", k) for k in keys)
    again = json.loads(contributions.export_werkplaats(posted, "json")[0])
    assert [c["deelnemer"] for c in again["werkplaatsen"][0]["contributions"]] == keys


def test_markdown_and_json_mimetypes(posted):
    from noviwerk.services import contributions

    md, md_type, md_name = contributions.export_werkplaats(posted, "md")
    _body, json_type, json_name = contributions.export_werkplaats(posted, "json")

    assert md_type == "text/markdown; charset=utf-8"
    assert json_type == "application/json; charset=utf-8"
    assert md_name.endswith(".md") and json_name.endswith(".json")
    assert "2. \\<script\\>alert('anoniem')\\</script\\>" in md
    assert "- **Plaats:** Den Haag" in md


def test_unknown_format_is_refused(posted):
    from noviwerk.services import contributions
    from noviwerk.services.errors import Invalid

    with pytest.raises(Invalid):
        contributions.export_werkplaats(posted, "xlsx")


def test_json_export_imports_again_elsewhere(app):
    """The JSON export is the import format: a harvest moves to another programme intact."""
    from noviwerk.extensions import db
    from noviwerk.models import Contribution
    from noviwerk.services import contributions, demo, imports

    data = shared_data(demo.DEMO_SAMPLE_FILE)
    imports.import_werkplaatsen(data.read_bytes())
    water = next(w for w in _all_werkplaatsen() if w.title == "Water verbindt")
    body, _mimetype, _name = contributions.export_werkplaats(water, "json")

    report = imports.import_werkplaatsen(body.encode(), programme_name="Kopie")

    assert report.imported and not report.errors
    assert not [n for n in report.notes if "onbekend" in n.message]
    copy = next(w for w in _all_werkplaatsen() if w.programme.name == "Kopie")
    assert (copy.nr, copy.title, copy.theme.name) == (8, "Water verbindt", "Klimaat")

    def texts(w):
        db.session.rollback()
        rows = db.session.scalars(
            sa.select(Contribution)
            .where(Contribution.werkplaats_id == w.id)
            .order_by(Contribution.seq)
        )
        return [(c.text, c.label, c.veld, c.round.kernvraag.position) for c in rows]

    assert texts(copy) == texts(water)


def _all_werkplaatsen():
    from noviwerk.extensions import db
    from noviwerk.models import Werkplaats

    db.session.rollback()
    return list(db.session.scalars(sa.select(Werkplaats).order_by(Werkplaats.id)))


def test_download_from_the_werkplaats_page(posted, client):
    login(client)
    response = client.get(f"/f/werkplaatsen/{posted.id}/bijdragen.md")

    assert response.status_code == 200
    assert response.mimetype == "text/markdown"
    assert response.mimetype_params["charset"] == "utf-8"
    disposition, options = parse_options_header(response.headers["Content-Disposition"])
    assert disposition == "attachment"
    assert options["filename"] == f"werkplaats-{posted.id}-water-verbindt.md"
    assert "\\<script\\>" in response.get_data(as_text=True)


def test_the_old_oogst_address_redirects_to_the_download(posted, client):
    login(client)
    response = client.get(f"/f/werkplaatsen/{posted.id}/oogst.csv")

    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/f/werkplaatsen/{posted.id}/bijdragen.csv")


def test_download_content_type_has_one_charset(posted, client):
    login(client)
    response = client.get(f"/f/werkplaatsen/{posted.id}/bijdragen.csv")

    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
