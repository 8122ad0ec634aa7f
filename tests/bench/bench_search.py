"""Search time at 30,000 contributions on SQLite (FTS5): ``.venv/bin/python -m tests.bench.bench_search``.

Builds a throwaway migrated database: one programme of 30 werkplaatsen with 1,000 generated
contributions each (tests/factories.generate, so real-sounding Dutch), written through the
ORM so the FTS5 rows are made as a service's write makes them. Then times ``search.search``
(the service the page calls: permissions, FTS5 match, filters, page of hits, highlighting
and the bouwsteen passages) for a few queries, as a beheerder (every werkplaats) and as a
facilitator of three. The budget: under 200 ms. ``--per-werkplaats N`` makes it smaller.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

WERKPLAATSEN = 30
PER_WERKPLAATS = 1_000
RUNS = 5
BUDGET_MS = 200
QUERIES = (
    ("water", {}),  # common: thousands of hits, one page shown
    ("boeren", {}),
    ('"ruimte voor water"', {}),
    ("energie", {"soort": "opgave"}),
    ("zeespiegel bodemdaling", {}),  # rare
)


def build(per_werkplaats: int):
    from flask_migrate import upgrade

    from noviwerk import create_app
    from noviwerk.domain import Label, Veld
    from noviwerk.extensions import db
    from noviwerk.models import Contribution
    from noviwerk.services import accounts, programmes, werkplaatsen
    from noviwerk.services.rounds import rounds_from_template
    from tests.factories import generate

    folder = Path(tempfile.mkdtemp(prefix="noviwerk-bench-search-"))
    os.environ.setdefault("NOVIWERK_INSTANCE_PATH", str(folder))
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
            "NOVIWERK_EXPORT_PRERENDER": False,
        }
    )
    ctx = app.app_context()
    ctx.push()
    upgrade()
    admin = accounts.create_user("beheer@bench.test", "Beheer", "geheim-wachtwoord-1", "beheerder")
    fac = accounts.create_user("fac@bench.test", "Fac", "geheim-wachtwoord-1", "facilitator")
    programme = programmes.create_programme("Bench", themes=("Klimaat", "Natuur", "Energie"))
    started = time.perf_counter()
    for n in range(WERKPLAATSEN):
        w = werkplaatsen.save_werkplaats(
            programme,
            title=f"Werkplaats {n + 1}",
            starts_at=datetime(2016, 1, 1) + timedelta(days=n),
            theme_id=programme.themes[n % 3].id,
            facilitator_ids=[fac.id] if n < 3 else [],
        )
        rounds_from_template(w)
        _head, records = generate(per_werkplaats, seed=n + 1)
        rounds = {r.position: r.id for r in w.rounds}
        db.session.add_all(
            Contribution(
                werkplaats_id=w.id,
                round_id=rounds[r.round_position],
                seq=i,
                first_seq=i,
                text=r.text,
                label=Label(r.label) if r.label else None,
                veld=Veld(r.veld) if r.veld else None,
            )
            for i, r in enumerate(records, 1)
        )
        db.session.commit()
    took = time.perf_counter() - started
    return app, programme, admin, fac, took


def main(argv: list[str]) -> None:
    per = (
        int(argv[argv.index("--per-werkplaats") + 1])
        if "--per-werkplaats" in argv
        else PER_WERKPLAATS
    )
    from noviwerk.services import search

    app, programme, admin, fac, took = build(per)
    total = WERKPLAATSEN * per
    print(
        f"{total:,} contributions in {WERKPLAATSEN} werkplaatsen written (with their FTS5 rows) "
        f"in {took:.1f} s; median of {RUNS} runs per query, after one warm-up"
    )
    worst = 0.0
    with app.test_request_context():
        for user, who in ((admin, "beheerder"), (fac, "facilitator of 3")):
            for q, extra in QUERIES:
                werkplaatsen = search.viewable(programme, user)
                f = search.parse_filter({"q": q, **extra}, programme, werkplaatsen)
                search.search(programme, user, f)
                times = []
                for _ in range(RUNS):
                    t = time.perf_counter()
                    result = search.search(programme, user, f)
                    times.append((time.perf_counter() - t) * 1000)
                median = statistics.median(times)
                worst = max(worst, median)
                label = q + (f" {extra}" if extra else "")
                print(
                    f"{who:>17}  {label:<32} {result.contribution_count:>6} hits  {median:7.1f} ms"
                )
    verdict = "met" if worst < BUDGET_MS else "NOT met"
    print(
        f"\nbudget: every query under {BUDGET_MS} ms at {total:,} — worst {worst:.1f} ms: {verdict}"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
