"""Server time of the oogst's pages at programme scale: ``.venv/bin/python -m tests.bench.bench_oogst``.

Issue 15's budget: the oogst page, each chart and a search answer in under 200 ms of server
time at 40 werkplaatsen × 30,000 contributions × 1,500 participants, on both databases.

Builds a throwaway migrated database (SQLite file, and a throwaway PostgreSQL cluster, or the
one ``scripts/with-postgres`` started: ``PG_URL``) with one programme: 40 werkplaatsen over a
year, the eight NOVI themes and three soorten, 750 generated contributions each
(tests/factories.generate) from 37 or 38 participants with their veld and organisation (546
organisations, typed as people type them), some hidden or withdrawn, about 2 % tagged with a
nationaal belang; ``--bouwstenen`` (30) of them drafted by the service, a third each concept,
verslag and gereed, every gereed and verslag one with its ansichtkaart and a tagged rode draad;
some of the others with an imported history note. Then, in-process through the real app (Flask
test client, logged in through the login form), as a beheerder (every werkplaats) and as a
programme lid who facilitates five: one warm-up, then ``--runs`` requests of each page, each
run beside one of the baseline (``/toegankelijkheid``, a page with the base template and no
query), so the ratio holds on a busy machine. Per page: median wall ms, × baseline, SQL
statements, answer kB. "first read" rows empty this process's kept bouwsteen parts first
(``services/bouwsteen_parts``), as after a start. ``--profile SUBSTRING`` prints cProfile's
top of the matching pages; ``--keep DIR`` measures the same SQLite database again without
building; ``--vacuum`` measures PostgreSQL after VACUUM (GIN pending lists merged).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import logging
import os
import pstats
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

BUDGET_MS = 200
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
BASELINE = "/toegankelijkheid"
PASSWORD = "bench-wachtwoord-1"  # noqa: S105 - a throwaway database's account
KINDS = ("inhoudelijk", "strategisch", "regionaal")
NOTES = ("Verslag op viadesk", "Volgt", "gereed", "")


def organisations(n: int = 546) -> list[str]:
    kinds = ("Gemeente", "Provincie", "Waterschap", "Ministerie van", "Stichting", "Adviesbureau",
             "Universiteit", "Vereniging")  # fmt: skip
    return [f"{kinds[i % len(kinds)]} {chr(65 + i % 26)}{i}" for i in range(n)]


def typed(name: str, rng: random.Random) -> str:
    """As a person types it: now and then in other case or with extra spaces."""
    r = rng.random()
    return name.upper() if r < 0.05 else name.replace(" ", "  ") if r < 0.1 else name


def config(database_url: str) -> dict:
    """The app as served, but for what would run beside the measurements: no background
    thread warming the dictionaries or removing names past the retention period (the
    werkplaatsen are of 2015-2016: the clean-up would empty every organisation)."""
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "bench",
        "RATELIMIT_ENABLED": False,
        "NOVIWERK_EXPORT_PRERENDER": False,
        "WARM_DICTIONARIES": False,
        "NOVIWERK_AVG_DAILY": False,
    }


def build(args, database_url: str, instance: Path):
    """The app and the programme; returns (app, programme id, facts)."""
    from flask_migrate import upgrade

    from noviwerk import create_app
    from noviwerk.domain import NOVI_THEMES, ContributionState, Label, ProgrammeRole, Veld
    from noviwerk.extensions import db
    from noviwerk.models import Contribution, ContributionTag, Participant, Werkplaats
    from noviwerk.services import (
        accounts,
        ansichtkaart_edits,
        bouwsteen,
        bouwsteen_draden,
        programmes,
        werkplaatsen,
    )
    from noviwerk.services.rounds import rounds_from_template
    from noviwerk.tags import TAGS
    from tests.factories import generate

    app = create_app(config(database_url))
    rng = random.Random(15)  # noqa: S311 - generated data, nothing secret
    started = time.perf_counter()
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        accounts.create_user("beheer@bench.test", "Beheer", PASSWORD, "beheerder")
        lid = accounts.create_user("lid@bench.test", "Lid", PASSWORD, "facilitator")
        trekkers = [accounts.create_user(f"trekker{i}@bench.test", f"Trekker {i}", PASSWORD,
                                         "trekker") for i in range(8)]  # fmt: skip
        programme = programmes.create_programme("Bench oogst", themes=NOVI_THEMES)
        programmes.change_member(programme, lid.id, ProgrammeRole.LID, by=None)
        orgs = organisations()
        velden = list(Veld)
        per_w = [args.participants // args.werkplaatsen + (w < args.participants % args.werkplaatsen)
                 for w in range(args.werkplaatsen)]  # fmt: skip
        made = []
        for n in range(args.werkplaatsen):
            w = werkplaatsen.save_werkplaats(
                programme,
                title=f"Werkplaats {n + 1}: {rng.choice(['Water', 'Energie', 'Stad', 'Land'])}",
                starts_at=datetime(2015, 6, 1, 10) + timedelta(days=n * 9),
                place=f"Plaats {n % 12}",
                kind=KINDS[n % 3],
                theme_id=programme.themes[n % len(programme.themes)].id,
                organisation=orgs[n],
                trekker_ids=[trekkers[n % 8].id],
                facilitator_ids=[lid.id] if n % 8 == 0 else [],
                nr=n + 1,
                history_note=NOTES[n % 4] if n >= args.bouwstenen else "",
            )
            rounds_from_template(w)
            people = [
                Participant(werkplaats_id=w.id, token=secrets.token_urlsafe(24),
                            display_name=f"Deelnemer {i}", organisation=typed(rng.choice(orgs), rng),
                            veld=None if i % 11 == 0 else velden[i % 4])  # fmt: skip
                for i in range(per_w[n])
            ]
            db.session.add_all(people)
            db.session.flush()
            _head, records = generate(args.per_werkplaats, seed=n + 1)
            rounds = {r.position: r.id for r in w.rounds}
            contributions = []
            for i, r in enumerate(records, 1):
                p = people[int(r.participant_key[1:]) % len(people)]
                state = (ContributionState.HIDDEN if i % 97 == 0 else
                         ContributionState.WITHDRAWN if i % 89 == 0 else ContributionState.VISIBLE)
                contributions.append(Contribution(
                    werkplaats_id=w.id, round_id=rounds[r.round_position], participant_id=p.id,
                    seq=i, first_seq=i, text=r.text, label=Label(r.label) if r.label else None,
                    veld=p.veld, organisation=p.organisation, state=state,
                    support_count=r.support))  # fmt: skip
            db.session.add_all(contributions)
            w.last_seq = len(records)
            db.session.flush()
            db.session.add_all(
                ContributionTag(contribution_id=c.id, tag=rng.choice(TAGS).key)
                for c in contributions if rng.random() < 0.02
            )
            db.session.commit()
            made.append(w.id)
        written = time.perf_counter() - started
        for n, wid in enumerate(made[: args.bouwstenen]):
            w = db.session.get(Werkplaats, wid)
            trekker = trekkers[n % 8]
            b = bouwsteen.open_draft(w, trekker)
            if n % 3 == 0:
                continue  # concept
            shown = bouwsteen_draden.draden(b)
            if shown:
                bouwsteen_draden.tag_draad(b, shown[0].key, [TAGS[n % len(TAGS)].key], trekker)
            ansichtkaart_edits.generate(w, trekker, lambda token: f"https://bench.test/b/{token}")
            b = bouwsteen.find(w)
            bouwsteen.set_status(b, "verslag", trekker)
            if n % 3 == 2:
                bouwsteen.set_status(b, "gereed", trekker)
        facts = {"written_s": written, "drafted_s": time.perf_counter() - started - written}
        facts.update(_facts(programme))
    return app, facts


def _facts(programme) -> dict:
    return {
        "programme": programme.id,
        "themes": [t.id for t in programme.themes],
        "kernvragen": [k.id for k in programme.kernvragen],
    }


def _built(database_url: str) -> bool:
    """Whether the database (``PG_URL``) holds the programme of an earlier run already."""
    import sqlalchemy as sa

    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            return bool(sa.inspect(conn).has_table("programme")) and bool(conn.execute(
                sa.text("SELECT count(*) FROM programme WHERE name = 'Bench oogst'")).scalar())
    finally:
        engine.dispose()


def reuse(database_url: str):
    """The app on a database an earlier run kept (``--keep``): no building."""
    import sqlalchemy as sa

    from noviwerk import create_app
    from noviwerk.extensions import db
    from noviwerk.models import Programme

    app = create_app(config(database_url))
    with app.app_context():
        programme = db.session.scalar(sa.select(Programme).where(Programme.name == "Bench oogst"))
        return app, {"written_s": 0.0, "drafted_s": 0.0, **_facts(programme)}


def pages(pid: int, facts: dict) -> list[tuple[str, str]]:
    from noviwerk.services.feiten_charts import CHART_IDS

    theme = facts["themes"][1]
    base = f"/f/programmas/{pid}"
    out = [
        ("oogst", f"{base}/oogst"),
        ("oogst, thema + soort + status", f"{base}/oogst?thema={theme}&soort=strategisch&status=verslag"),
        ("oogst, sorted by bijdragen", f"{base}/oogst?sorteer=bijdragen&richting=af"),
        ("feiten (6 charts)", f"{base}/feiten"),
        ("feiten, period filter", f"{base}/feiten?van=2015-09-01&tot=2016-02-29"),
        *((f"chart {c[8:]}.svg", f"{base}/feiten/{c}.svg") for c in CHART_IDS),
        ("opgaven", f"{base}/opgaven"),
        ("opgaven, first read (parts not kept)", f"{base}/opgaven"),
        ("opgaven, alleen kans", f"{base}/opgaven?alleen=kans"),
        ("belangen", f"{base}/oogst/belangen"),
        ("belangen, first read (parts not kept)", f"{base}/oogst/belangen"),
        ("belangen, one tag", f"{base}/oogst/belangen?tag=belang-3"),
        ("zoeken water", f"{base}/zoeken?q=water"),
        ("zoeken water, page 5", f"{base}/zoeken?q=water&pagina=5"),
        ("zoeken boeren", f"{base}/zoeken?q=boeren"),
        ('zoeken "ruimte voor water"', f"{base}/zoeken?q=%22ruimte+voor+water%22"),
        ("zoeken energie, soort opgave", f"{base}/zoeken?q=energie&soort=opgave"),
        ("zoeken water, thema+kernvraag+veld",
         f"{base}/zoeken?q=water&thema={theme}&kernvraag={facts['kernvragen'][1]}&veld=maatschappelijk"),
        ("zoeken zeespiegel bodemdaling", f"{base}/zoeken?q=zeespiegel+bodemdaling"),
    ]  # fmt: skip
    return out


def login(app, email: str):
    client = app.test_client()
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    r = client.post("/login", data={"csrf_token": token, "email": email, "password": PASSWORD})
    assert r.status_code == 303, r.status_code
    return client


def measure(app, facts, args, label: str) -> float:
    import sqlalchemy as sa

    from noviwerk.extensions import db
    from noviwerk.services import bouwsteen_parts

    statements = [0]
    with app.app_context():
        engine = db.engine

    def count(*_a):
        statements[0] += 1

    sa.event.listen(engine, "before_cursor_execute", count)
    worst = 0.0
    print(f"\n{label}: median of {args.runs} after a warm-up; × baseline = ÷ the median of "
          f"{BASELINE} in the same runs")  # fmt: skip
    print(f"  {'who':<9} {'page':<38} {'ms':>7} {'min–max':>13} {'× base':>7} {'SQL':>4} {'kB':>7}")
    for who, email in (("beheerder", "beheer@bench.test"), ("lid", "lid@bench.test")):
        client = login(app, email)
        for name, url in pages(facts["programme"], facts):
            if args.only and args.only not in name:
                continue
            client.get(url)
            client.get(BASELINE)
            walls, bases = [], []
            for _ in range(args.runs):
                t = time.perf_counter()
                client.get(BASELINE)
                bases.append(time.perf_counter() - t)
                if "first read" in name:  # as after a start: no part read yet
                    bouwsteen_parts.forget_all()
                statements[0] = 0
                t = time.perf_counter()
                r = client.get(url)
                walls.append(time.perf_counter() - t)
                assert r.status_code == 200, (url, r.status_code)
            n_sql, size = statements[0], len(r.get_data())
            ms = statistics.median(walls) * 1000
            worst = max(worst, ms)
            ratio = statistics.median(walls) / statistics.median(bases)
            flag = "" if ms < BUDGET_MS else "  OVER"
            print(f"  {who:<9} {name[:38]:<38} {ms:7.1f} {min(walls) * 1000:6.1f}–"
                  f"{max(walls) * 1000:<6.1f} {ratio:7.1f} {n_sql:4d} {size / 1000:7.1f}{flag}")  # fmt: skip
            if args.profile and args.profile in name:
                if "first read" in name:
                    bouwsteen_parts.forget_all()
                profile = cProfile.Profile()
                profile.runcall(client.get, url)
                pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)
    base_ms = statistics.median(_times(login(app, "beheer@bench.test"), BASELINE, args.runs)) * 1000
    health = statistics.median(_times(app.test_client(), "/healthz", args.runs)) * 1000
    print(f"  baseline {BASELINE} {base_ms:.1f} ms, /healthz {health:.1f} ms")
    sa.event.remove(engine, "before_cursor_execute", count)
    return worst


def _times(client, url: str, runs: int) -> list[float]:
    client.get(url)
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        client.get(url)
        out.append(time.perf_counter() - t)
    return out


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run(db_kind: str, args) -> float:
    from tests.bench.harness import PgCluster

    tmp = Path(args.keep or tempfile.mkdtemp(prefix="noviwerk-bench-oogst-"))
    tmp.mkdir(parents=True, exist_ok=True)
    os.environ["NOVIWERK_INSTANCE_PATH"] = str(tmp)
    cluster = None
    if db_kind == "sqlite":
        url = f"sqlite:///{tmp / 'bench.sqlite'}"
    elif os.environ.get("PG_URL"):
        url = os.environ["PG_URL"]
    else:
        cluster = PgCluster(fsync=False).init()
        cluster.start()
        cluster.execute("CREATE DATABASE bench")
        url = cluster.url("bench")
    try:
        kept = (tmp / "bench.sqlite").exists() if db_kind == "sqlite" else _built(url)
        app, facts = reuse(url) if kept else build(args, url, tmp)
        if db_kind == "postgres":
            import sqlalchemy as sa

            # ANALYZE as autovacuum soon would; --vacuum also merges the GIN indexes' pending
            # lists (fastupdate), which searches otherwise scan row by row.
            engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
            with engine.connect() as conn:
                conn.execute(sa.text("VACUUM ANALYZE" if args.vacuum else "ANALYZE"))
            engine.dispose()
        print(f"\n{db_kind}: {args.werkplaatsen} werkplaatsen × {args.per_werkplaats} = "
              f"{args.werkplaatsen * args.per_werkplaats:,} contributions, {args.participants:,} "
              f"participants written in {facts['written_s']:.1f} s; {args.bouwstenen} bouwstenen "
              f"drafted in {facts['drafted_s']:.1f} s; load average {load()}")  # fmt: skip
        return measure(app, facts, args, db_kind)
    finally:
        with contextlib.suppress(Exception):
            from noviwerk.extensions import db

            with app.app_context():
                db.session.remove()
                db.engine.dispose()
        if cluster is not None:
            cluster.destroy()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--werkplaatsen", type=int, default=40)
    p.add_argument("--per-werkplaats", type=int, default=750)
    p.add_argument("--participants", type=int, default=1500)
    p.add_argument("--bouwstenen", type=int, default=30)
    p.add_argument("--keep", default="", help="SQLite: keep the database in this folder, and "
                   "measure the one kept there on the next run (no building); PostgreSQL: "
                   "a database at PG_URL built by an earlier run is measured as it is")
    p.add_argument("--vacuum", action="store_true", help="PostgreSQL: VACUUM before measuring")
    p.add_argument("--only", default="", help="measure only the pages whose name contains this")
    p.add_argument("--profile", default="", help="cProfile the pages whose name contains this")
    p.add_argument("--sort", default="cumulative", help="cProfile order (cumulative, tottime)")
    p.add_argument("--top", type=int, default=40, help="lines of cProfile shown")
    args = p.parse_args(argv)
    logging.disable(logging.WARNING)  # alembic's progress lines
    from tests.bench.bench_bouwsteen import machine_line

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()  # fmt: skip
    print(f"{machine_line().split(' · WeasyPrint')[0]} · at {commit} · "
          f"{datetime.now().astimezone():%Y-%m-%d %H:%M %Z} · load average before {load()}")
    worst = {}
    for kind in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        worst[kind] = run(kind, args)
    print(f"\nload average after {load()}")
    for kind, ms in worst.items():
        verdict = "met" if ms < BUDGET_MS else "NOT met"
        print(f"budget: every page under {BUDGET_MS} ms on {kind} — worst {ms:.1f} ms: {verdict}")
    return 0 if all(ms < BUDGET_MS for ms in worst.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
