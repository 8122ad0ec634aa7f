"""The flask commands: import-programme, import-werkplaatsen, export and seed-demo."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from noviwerk.domain import (
    NOVI_THEMES,
    RoundState,
    StaffRole,
    WerkplaatsState,
    normalise_join_code,
)
from noviwerk.extensions import db
from noviwerk.models import Contribution, Programme, User, Werkplaats
from noviwerk.services import accounts
from noviwerk.services.demo import (
    DEMO_PROGRAMME_FILE,
    DEMO_SAMPLE_FILE,
    DEMO_WERKPLAATS,
    default_demo_data_dir,
)
from tests.conftest import SHARED_DATA

DATA = SHARED_DATA
needs_data = pytest.mark.usefixtures("needs_shared_data")
HEADER = "nr,titel,datum,soort,bouwsteen,hoofdonderwerp,organisatie\n"


def _count(model) -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _werkplaats(title: str) -> Werkplaats:
    db.session.rollback()
    return db.session.scalar(sa.select(Werkplaats).where(Werkplaats.title == title))


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "programma.csv"
    path.write_text(
        HEADER
        + "1,Landschap,26-1-2016,inhoudelijk,Gereed,Natuur,Cra\n"
        + "2,Smart cities,2-2-2016,inhoudelijk,Volgt,Welvaart,IenM\n"
        + "3,Fout,31-2-2016,vaag,Gereed,Natuur,IenM\n",
        encoding="utf-8",
    )
    return path


def test_import_programme_with_errors_imports_nothing(runner, table):
    result = runner.invoke(args=["import-programme", str(table)])

    assert result.exit_code == 1
    assert "regel 4: datum '31-2-2016' is geen geldige datum" in result.stderr
    assert "regel 4: soort 'vaag' is onbekend" in result.stderr
    assert "Niets geïmporteerd" in result.stderr and "--skip-invalid" in result.stderr
    assert _count(Werkplaats) == 0


def test_import_programme_skip_invalid(runner, table):
    args = ["import-programme", str(table), "--skip-invalid", "--programme", "P"]
    result = runner.invoke(args=args)

    assert result.exit_code == 0, result.output
    assert "programma.csv → programma P (aangemaakt)" in result.stdout
    assert "Werkplaatsen: 2 nieuw, 0 bijgewerkt, 0 ongewijzigd." in result.stdout
    assert "Overgeslagen wegens fouten: 1." in result.stdout
    assert "regel 3: bouwsteen 'Volgt'" in result.stdout
    assert "regel 4: " in result.stderr
    db.session.rollback()
    assert db.session.scalar(sa.select(Programme.name)) == "P"
    assert _count(Werkplaats) == 2


@needs_data
def test_import_the_real_files(runner):
    result = runner.invoke(args=["import-programme", str(DATA / DEMO_PROGRAMME_FILE)])
    assert result.exit_code == 0, result.output
    assert "Werkplaatsen: 39 nieuw" in result.stdout
    assert "Thema's aangemaakt: 8." in result.stdout

    sample = str(DATA / DEMO_SAMPLE_FILE)
    result = runner.invoke(args=["import-werkplaatsen", sample])
    assert result.exit_code == 0, result.output
    assert "Bijdragen: 44 geïmporteerd, 0 stonden er al." in result.stdout

    result = runner.invoke(args=["import-werkplaatsen", sample])
    assert result.exit_code == 0, result.output
    assert "Bijdragen: 0 geïmporteerd, 44 stonden er al." in result.stdout
    assert _count(Contribution) == 44


def test_import_werkplaatsen_reports_json_paths(runner, tmp_path):
    path = tmp_path / "oogst.json"
    path.write_text(
        json.dumps(
            {"werkplaatsen": [{"titel": "W", "contributions": [{"kernvraag": 9, "text": "x"}]}]}
        )
    )
    result = runner.invoke(args=["import-werkplaatsen", str(path)])

    assert result.exit_code == 1
    assert "werkplaatsen[0].contributions[0]: kernvraag 9 bestaat niet" in result.stderr
    assert _count(Werkplaats) == 0


@pytest.mark.parametrize("command", ["import-programme", "import-werkplaatsen"])
def test_unreadable_or_missing_files(runner, tmp_path, command):
    path = tmp_path / "leeg.json"
    path.write_bytes(b"")
    result = runner.invoke(args=[command, str(path), "--skip-invalid"])
    assert result.exit_code == 1
    assert "Niets geïmporteerd." in result.stderr

    result = runner.invoke(args=[command, str(tmp_path / "bestaat-niet.csv")])
    assert result.exit_code == 2  # click's usage error


@pytest.fixture
def sample(app, world):
    from noviwerk.services import participation

    _fac, w = world.live()
    phone = participation.join(w, "Anna de Vries", "Provincie", "maatschappelijk")
    participation.post_contribution(phone, w.rounds[0].id, "=1+1 en <b>vet</b>", label="kans")
    participation.post_contribution(phone, w.rounds[0].id, "Tweede, met ë")
    return w


def test_export_to_stdout(runner, sample):
    md = runner.invoke(args=["export", str(sample.id), "--format", "md"])
    assert md.exit_code == 0, md.output
    assert md.stdout.startswith("# Water verbindt\n")
    assert "1. \\=1+1 en \\<b\\>vet\\</b\\> — *kans · maatschappelijk · Provincie*" in md.stdout

    out = runner.invoke(args=["export", str(sample.id), "--format", "csv"])
    assert out.exit_code == 0
    assert not out.stdout.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [r["tekst"] for r in rows] == ["'=1+1 en <b>vet</b>", "Tweede, met ë"]

    out = runner.invoke(args=["export", str(sample.id), "--format", "json"])
    data = json.loads(out.stdout)
    assert [c["text"] for c in data["werkplaatsen"][0]["contributions"]] == [
        "=1+1 en <b>vet</b>",
        "Tweede, met ë",
    ]
    assert "Anna" not in out.stdout


def test_export_to_a_file(runner, sample, tmp_path):
    target = tmp_path / "oogst.csv"
    result = runner.invoke(
        args=["export", str(sample.id), "--format", "csv", "--output", str(target)]
    )

    assert result.exit_code == 0, result.output
    assert f"werkplaats-{sample.id}-water-verbindt.csv" in result.stderr
    raw = target.read_bytes()
    assert raw.startswith("\ufeff".encode()) and b"\r\n" in raw and b"\r\r\n" not in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert len(rows) == 2


def test_export_refuses_unknown_werkplaats_and_format(runner, app):
    result = runner.invoke(args=["export", "999", "--format", "md"])
    assert result.exit_code == 1
    assert "Werkplaats 999 bestaat niet." in result.stderr

    result = runner.invoke(args=["export", "1", "--format", "docx"])
    assert result.exit_code == 2

    result = runner.invoke(args=["export", "1"])
    assert result.exit_code == 2


# --- seed-demo ------------------------------------------------------------------------


def _demo_state():
    db.session.rollback()
    demo = _werkplaats(DEMO_WERKPLAATS)
    return {
        "programmes": _count(Programme),
        "werkplaatsen": _count(Werkplaats),
        "contributions": _count(Contribution),
        "users": _count(User),
        "code": demo.join_code,
        "demo": (demo.state, [r.state for r in demo.rounds]),
    }


@needs_data
def test_seed_demo_builds_the_demo_world(runner):
    result = runner.invoke(args=["seed-demo"])

    assert result.exit_code == 0, result.output
    programme = db.session.scalar(sa.select(Programme))
    assert programme.name == "Werkplaatsen NOVI 2015–2016"
    assert [k.position for k in programme.kernvragen] == [1, 2, 3, 4, 5]
    assert sorted(t.name for t in programme.themes) == sorted(NOVI_THEMES)
    assert _count(Werkplaats) == 40  # 39 from the table, and the proefwerkplaats
    assert _count(Contribution) == 44

    for email in ("beheerder@noviwerk.test", "facilitator@noviwerk.test", "trekker@noviwerk.test"):
        assert accounts.authenticate(email, "noviwerk-demo") is not None, email
        assert f"{email} / noviwerk-demo (aangemaakt)" in result.stdout

    for title in ("Water verbindt", "Ruimte voor voedsel in 2040"):
        w = _werkplaats(title)
        assert {(s.user.email, s.role) for s in w.staff} == {
            ("facilitator@noviwerk.test", StaffRole.FACILITATOR),
            ("trekker@noviwerk.test", StaffRole.TREKKER),
        }

    demo = _werkplaats(DEMO_WERKPLAATS)
    assert (demo.place, demo.theme.name) == ("Den Haag", "Samen Werken")
    assert demo.state == WerkplaatsState.OPEN
    assert [r.state for r in demo.rounds] == [RoundState.OPEN] + [RoundState.GEPLAND] * 4
    assert [u.email for u in demo.facilitators] == ["facilitator@noviwerk.test"]
    code_line = next(line for line in result.stdout.splitlines() if line.startswith("Code"))
    assert normalise_join_code(code_line.split(":", 1)[1]) == demo.join_code


@needs_data
def test_seed_demo_twice_changes_nothing(runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    before = _demo_state()

    again = runner.invoke(args=["seed-demo"])

    assert again.exit_code == 0, again.output
    assert _demo_state() == before
    assert "(bestond al)" in again.stdout
    assert "Bijdragen: 0 geïmporteerd, 44 stonden er al." in again.stdout


@needs_data
def test_seed_demo_reopens_a_closed_demo(runner):
    from noviwerk.services import werkplaatsen

    runner.invoke(args=["seed-demo"])
    werkplaatsen.close_werkplaats(_werkplaats(DEMO_WERKPLAATS))

    result = runner.invoke(args=["seed-demo"])

    assert result.exit_code == 0, result.output
    state, rounds = _demo_state()["demo"]
    assert state == WerkplaatsState.OPEN
    assert rounds[0] == RoundState.OPEN


@needs_data
def test_seed_demo_data_dir_option_and_environment(runner, tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)

    missing = runner.invoke(args=["seed-demo", "--data-dir", str(tmp_path / "leeg")])
    assert missing.exit_code == 1
    assert "Demobestand ontbreekt" in missing.stderr
    assert _count(Programme) == 0

    from_env = runner.invoke(args=["seed-demo"], env={"NOVIWERK_DEMO_DATA": str(copy)})
    assert from_env.exit_code == 0, from_env.output
    assert _count(Werkplaats) == 40


@needs_data
def test_seed_demo_warns_beside_real_accounts(runner, world):
    world.user("echt@example.test", role="beheerder")

    result = runner.invoke(args=["seed-demo"])

    assert result.exit_code == 0, result.output
    assert "Let op: deze database heeft ook andere accounts" in result.stderr
    assert "Let op" not in runner.invoke(args=["seed-demo"]).stderr  # nothing new created


def test_seed_demo_fails_whole_on_a_bad_file(runner, tmp_path):
    (tmp_path / DEMO_PROGRAMME_FILE).write_text(HEADER + "1,Landschap,26-1-2016,vaag,,,\n")
    (tmp_path / DEMO_SAMPLE_FILE).write_text('{"werkplaatsen": []}')

    result = runner.invoke(args=["seed-demo", "--data-dir", str(tmp_path)])

    assert result.exit_code == 1
    assert "regel 2: soort 'vaag' is onbekend" in result.stderr
    assert (_count(Programme), _count(User)) == (0, 0)


def test_default_demo_data_is_beside_the_repository():
    import noviwerk

    root = Path(noviwerk.__file__).resolve().parents[2]
    assert default_demo_data_dir() == root / "shared" / "data"


def test_export_bouwstenen_writes_every_format_for_a_programme(app, runner, tmp_path):
    from docx import Document as Docx

    from noviwerk.services import demo

    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "bouwstenen"
    result = runner.invoke(
        args=["export-bouwstenen", demo.DEMO_PROGRAMME, "-o", str(out), "--format", "docx",
              "--format", "md"]
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 4  # the two sample werkplaatsen with contributions, two formats each
    assert any("water-verbindt" in n and n.endswith(".md") for n in names)
    docx = next(out.glob("*water-verbindt*.docx"))
    assert any(p.style.name.startswith("Heading") for p in Docx(docx).paragraphs)
    bad = runner.invoke(args=["export-bouwstenen", "Bestaat niet", "-o", str(out)])
    assert bad.exit_code != 0 and "bestaat niet" in bad.output


def test_export_bouwstenen_exits_cleanly_from_the_command_line(runner, database_url, tmp_path):
    """Through a real ``flask`` process, whose exit shuts the export child down: on a fresh
    database the command makes each draft (version 1) and then leaves."""
    import os
    import subprocess
    import sys

    from noviwerk.services import demo

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    instance, out = tmp_path / "instance", tmp_path / "bouwstenen"
    env = {**os.environ, "DATABASE_URL": database_url, "NOVIWERK_INSTANCE_PATH": str(instance),
           "NOVIWERK_EXPORT_PRERENDER": "1", "NOVIWERK_EXPORT_IN_CHILD": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "noviwerk:create_app", "export-bouwstenen",
         demo.DEMO_PROGRAMME, "-o", str(out), "--format", "md"],
        cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True, text=True,
        timeout=300,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "Traceback" not in output and "RuntimeError" not in output, output
    assert len(list(out.glob("*.md"))) == 2
    # only what was asked for was made: no PDF or docx printed ahead for the new drafts
    assert not (instance / "exports").exists()
