"""Past werkplaatsen imported with `flask import-programme` read as held, with what they
yielded (contributions, bouwsteen status), on the programme page and the werkplaats page —
not as "gepland" with a "Werkplaats openen" button. A row still to come stays planned."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from noviwerk.domain import WerkplaatsState
from noviwerk.extensions import db
from noviwerk.models import Programme, Werkplaats
from tests.conftest import SHARED_DATA, login, post_form

HEADER = "nr,titel,datum,soort,bouwsteen,hoofdonderwerp,organisatie\n"


def _werkplaats(title: str) -> Werkplaats:
    db.session.rollback()
    return db.session.scalar(sa.select(Werkplaats).where(Werkplaats.title == title))


def _row(html: str, title: str) -> str:
    start = html.index(f">{title}</a>")
    return html[start : html.index("</tr>", start)]


@pytest.fixture
def imported(runner, world, needs_shared_data, tmp_path):
    """The real 2015–2016 table and its sample contributions, plus one row still to come."""
    result = runner.invoke(
        args=["import-programme", str(SHARED_DATA / "werkplaatsen-2015-2016.csv")]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=["import-werkplaatsen", str(SHARED_DATA / "sample-werkplaatsen.json")]
    )
    assert result.exit_code == 0, result.output
    later = tmp_path / "later.csv"
    later.write_text(
        HEADER + "99,Nog te houden,1-3-2099,inhoudelijk,,Natuur,IenM\n", encoding="utf-8"
    )
    result = runner.invoke(args=["import-programme", str(later)])
    assert result.exit_code == 0, result.output
    world.user("beheer@example.test", role="beheerder")
    db.session.rollback()
    return db.session.scalar(sa.select(Programme))


def test_the_programme_page_shows_past_werkplaatsen_as_held_with_their_harvest(client, imported):
    login(client, "beheer@example.test")
    html = client.get(f"/f/programmas/{imported.id}").get_data(as_text=True)
    water = _row(html, "Water verbindt")
    cells = re.findall(r"<td>([^<]*)</td>", water)
    assert cells[-3:] == ["gehouden", "24", "Gereed"]
    viadesk = re.findall(r"<td>([^<]*)</td>", _row(html, "Evaluatie SVIR"))
    assert viadesk[-3:] == ["gehouden", "0", "Verslag op viadesk"]
    assert re.findall(r"<td>([^<]*)</td>", _row(html, "Nog te houden"))[-3:] == [
        "gepland",
        "—",
        "—",
    ]


def test_the_werkplaats_page_of_a_held_one_has_no_open_button(client, imported):
    login(client, "beheer@example.test")
    water = _werkplaats("Water verbindt")
    assert water.state == WerkplaatsState.GESLOTEN and water.opened_at is None
    html = client.get(f"/f/werkplaatsen/{water.id}").get_data(as_text=True)
    facts = html[html.index('<dl class="facts">') : html.index("</dl>")]
    assert "<dd>gehouden</dd>" in facts and "gepland" not in facts
    assert "<dt>Bijdragen</dt><dd>24</dd>" in facts and "<dt>Bouwsteen</dt><dd>Gereed</dd>" in facts
    assert "Werkplaats openen" not in html
    assert "Deze werkplaats is gehouden op 8 oktober 2015" in html

    later = _werkplaats("Nog te houden")
    html = client.get(f"/f/werkplaatsen/{later.id}").get_data(as_text=True)
    assert "Werkplaats openen" in html and "<dd>gepland</dd>" in html


def test_a_reimport_marks_an_older_import_held_and_says_so(runner, world, tmp_path):
    from noviwerk.services import werkplaatsen

    table = tmp_path / "t.csv"
    table.write_text(
        HEADER + "1,Landschap,26-1-2016,inhoudelijk,Gereed,Natuur,Cra\n", encoding="utf-8"
    )
    assert runner.invoke(args=["import-programme", str(table)]).exit_code == 0
    w = _werkplaats("Landschap")
    w.state = WerkplaatsState.GEPLAND  # as an import before this change left it
    db.session.commit()
    result = runner.invoke(args=["import-programme", str(table)])
    assert result.exit_code == 0, result.output
    assert "werkplaats 'Landschap' staat nu als gehouden: haar datum is voorbij" in result.stdout
    assert _werkplaats("Landschap").is_history
    again = runner.invoke(args=["import-programme", str(table)])
    assert "staat nu als gehouden" not in again.stdout  # nothing changes a second time

    # A date moved ahead (a typo in the table, say): it is to be held again, and can be opened.
    w = _werkplaats("Landschap")
    from datetime import datetime

    werkplaatsen.save_werkplaats(
        w.programme, title=w.title, starts_at=datetime(2099, 1, 1, 10), werkplaats=w
    )
    assert _werkplaats("Landschap").state == WerkplaatsState.GEPLAND


def test_a_werkplaats_run_here_and_closed_keeps_its_reopen_button(client, world):
    from noviwerk.services import werkplaatsen

    fac, w = world.live()
    werkplaatsen.close_werkplaats(w)
    login(client)
    html = client.get(f"/f/werkplaatsen/{w.id}").get_data(as_text=True)
    assert "Werkplaats openen" in html and "<dd>gesloten</dd>" in html
    r = post_form(client, f"/f/werkplaatsen/{w.id}/openen", page=f"/f/werkplaatsen/{w.id}")
    assert r.status_code == 303
