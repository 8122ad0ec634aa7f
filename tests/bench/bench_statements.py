"""What one database statement costs the server's CPU, SQLite against PostgreSQL.

Run: ``.venv/bin/python -m tests.bench.bench_statements [--runs 2000]`` (about a minute; not
part of ``make test``).

In-process, on the demo werkplaats in a fresh SQLite file and in a throwaway PostgreSQL
cluster (initdb, as bench_room starts): the CPU time of this thread (``time.thread_time``,
so not the database's own) per statement, as the phone's requests run them through the ORM:
a werkplaats row, one column of it, its rounds, and a read in a transaction of its own with
BEGIN and COMMIT. Every request's CPU on PostgreSQL is this per statement and round trip,
times the statements it runs (``bench_room_pages --db postgres --sql`` lists them).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def measure(kind: str, runs: int) -> dict[str, float]:
    """Milliseconds of CPU per statement on database ``kind`` ("sqlite" or "postgres")."""
    import sqlalchemy as sa

    from tests.bench.bench_room_pages import demo_app
    from tests.bench.harness import throwaway_database

    tmp = Path(tempfile.mkdtemp(prefix="noviwerk-bench-"))
    (url,), pg = throwaway_database(kind, tmp)
    try:
        app, demo = demo_app(url, tmp)
        from noviwerk.extensions import db
        from noviwerk.models import Round, Werkplaats

        wid = {"w": demo.werkplaats_id}
        row = sa.select(Werkplaats).where(Werkplaats.id == sa.bindparam("w"))
        column = sa.select(Werkplaats.last_seq).where(Werkplaats.id == sa.bindparam("w"))
        rounds = sa.select(Round).where(Round.werkplaats_id == sa.bindparam("w"))
        cases = {
            "werkplaats row (ORM)": lambda: db.session.execute(row, wid).scalar_one(),
            "one column": lambda: db.session.execute(column, wid).scalar_one(),
            "its rounds (ORM, 5 rows)": lambda: db.session.execute(rounds, wid).scalars().all(),
            "one column in BEGIN … COMMIT": lambda: (
                db.session.execute(column, wid), db.session.commit()),
        }
        found = {}
        with app.app_context():
            for name, case in cases.items():
                for _ in range(runs // 10):  # warm: statements compiled, prepared
                    case()
                db.session.expunge_all()
                started = time.thread_time()
                for _ in range(runs):
                    case()
                    db.session.expunge_all()
                found[name] = (time.thread_time() - started) * 1000 / runs
            db.session.rollback()
            db.engine.dispose()
        return found
    finally:
        if pg:
            pg.destroy()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=2000)
    args = p.parse_args(argv)
    from tests.bench.harness import machine_facts

    facts = machine_facts()
    print(f"CPU: {facts['cpu_model']} · nproc {facts['nproc']} · Python {facts['python']} · "
          f"load average {facts['loadavg']}")
    sqlite, postgres = measure("sqlite", args.runs), measure("postgres", args.runs)
    print(f"ms of CPU per statement, mean of {args.runs} | SQLite | PostgreSQL")
    for name in sqlite:
        print(f"  {name:30} {sqlite[name]:6.3f} {postgres[name]:6.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
