"""Tafels at scale: 20 tafels × 50 participants (1,000 in all).

Run: ``.venv/bin/python -m tests.bench.bench_tafels [--tafels 20] [--per-tafel 50]
[--posts 2] [--runs 5] [--deal round-robin|varied]`` (a minute or two; not part of
``make test``).

In-process, on a fresh SQLite database (migrated): one open werkplaats with ``--tafels``
tafels, ``--per-tafel`` participants seated at each, every participant posting ``--posts``
texts in round 1 through the service. How the texts reach the tafels (``--deal``):

* ``round-robin``  texts from tests/factories.generate dealt over the tafels in turn, so
                   every rode draad comes from (nearly) every tafel;
* ``varied``       tafels that differ: each of the 20 themes of tests/factories is talked
                   about at a set of tafels of its own — six at several (12, 8, 6, 4, 3 and
                   2 tafels), the other fourteen at one tafel only — and a tafel's texts are
                   its themes' wordings, lightly framed. The bench knows each text's theme, so it also
                   checks the roll-up: the tafels each rode draad names against the tafels
                   its theme was dealt to, and which one-tafel themes the plenary keeps as
                   "raised at one tafel only".

Then the median of ``--runs``:

* ``plenary``       the plenary roll-up (services/tafel_plenary.plenary: the records read,
                    the rode-draden engine per tafel and over all tafels); target < 2 s;
* ``plenary page``  GET of the plenary page (the facilitator's beamer view), whole;
* ``changes query`` a tafel screen's change query (tafel_plenary.changes_after) with the
                    cursor 40 changes behind (two seconds of a busy room);
* ``changes GET``   the same through HTTP, the tafel screen's poll (every 500 ms), and
                    the 204 it gets when nothing changed;
* ``screen GET``    the tafel screen's page, whole.

Figures go into docs/benchmarks.md with the machine line printed.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def _median_ms(fn, runs: int) -> tuple[float, float, object]:
    cpus, walls, out = [], [], None
    for _ in range(runs):
        c0, w0 = time.process_time(), time.perf_counter()
        out = fn()
        cpus.append(time.process_time() - c0)
        walls.append(time.perf_counter() - w0)
    return statistics.median(cpus) * 1000, statistics.median(walls) * 1000, out


WIDE = (12, 8, 6, 4, 3, 2)  # the tafels each of the first six themes is talked about at


def deal_varied(n_tafels: int, per_tafel: int, seed: int = 7):
    """``per_tafel`` texts for each tafel from the themes dealt to it, and each theme's
    tafels: the first ``len(WIDE)`` themes at several tafels, every other at one."""
    import random

    from tests.factories import _TOPICS

    rng = random.Random(seed)  # noqa: S311 - bench data
    reach: dict[int, list[int]] = {}
    for t, n in enumerate(WIDE):
        reach[t] = sorted(rng.sample(range(n_tafels), min(n, n_tafels)))
    for j, t in enumerate(range(len(WIDE), len(_TOPICS))):
        reach[t] = [j % n_tafels]
    themes_at = {i: [t for t, at in reach.items() if i in at] for i in range(n_tafels)}
    for i, themes in themes_at.items():
        if not themes:  # a tafel no theme was dealt to talks about the widest one
            reach[0] = sorted({*reach[0], i})
            themes.append(0)
    # The theme's own words, lightly framed: the frames of tests/factories ("… neemt de
    # komende jaren sterk toe") would be one rode draad of every tafel by themselves.
    frames = ("{t}", "{t}", "{t}.", "Ik denk aan {t}", "Belangrijk: {t}", "Zorgen over {t}!")
    texts: list[tuple[int, int, str]] = []  # (tafel, theme, text)
    for i in range(n_tafels):
        for _ in range(per_tafel):
            t = rng.choice(themes_at[i])
            text = rng.choice(frames).format(t=rng.choice(_TOPICS[t]))
            texts.append((i, t, text[0].upper() + text[1:]))
    return texts, reach


def check_varied(result, theme_of: dict[int, int], reach: dict[int, list[int]], names):
    """Each rode draad over all tafels against the theme most of its members were dealt as:
    lines to print, and how many one-tafel themes the plenary lists as raised at one tafel."""
    from collections import Counter

    lines, kept = [], set()
    for kind, draden in (("shared", result.gedeeld), ("one tafel", result.eigen)):
        for d in draden:
            themes = Counter(theme_of[m] for m in d.draad.members if m in theme_of)
            theme, n = themes.most_common(1)[0]
            dealt = [names[i] for i in reach[theme]]
            ok = set(d.tafels) <= set(dealt)
            if kind == "one tafel" and len(dealt) == 1 and ok:
                kept.add(theme)
            lines.append(
                f"  {kind:9} {d.draad.label[:38]:38} at {len(d.tafels):2} tafels; its theme "
                f"dealt to {len(dealt):2} ({n}/{len(d.draad.members)} members){'' if ok else ' ← other tafels'}"
            )
    singles = [t for t, at in reach.items() if len(at) == 1]
    return lines, len(kept & set(singles)), len(singles)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tafels", type=int, default=20)
    p.add_argument("--per-tafel", type=int, default=50)
    p.add_argument("--posts", type=int, default=2)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--deal", choices=("round-robin", "varied"), default="round-robin")
    args = p.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="noviwerk-bench-"))
    os.environ["NOVIWERK_INSTANCE_PATH"] = str(tmp)
    from datetime import datetime

    from flask_migrate import upgrade

    from noviwerk import create_app
    from noviwerk.extensions import db
    from noviwerk.services import (
        accounts,
        participation,
        programmes,
        rounds,
        tafel_plenary,
        werkplaatsen,
    )
    from noviwerk.services import tafels as tafel_svc
    from tests.bench.bench_bouwsteen import machine_line
    from tests.factories import generate

    logging.disable(logging.WARNING)  # alembic's progress lines
    before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/noviwerk.sqlite",
        "RATELIMIT_ENABLED": False,
        "SECRET_KEY": "bench",
        "WTF_CSRF_ENABLED": False,
        "NOVIWERK_PARTICIPANT_LIMIT": 10_000,
    })  # fmt: skip
    n_people = args.tafels * args.per_tafel
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        fac = accounts.create_user("fac@example.test", "Fac", "geheim-wachtwoord", "facilitator")
        programme = programmes.create_programme("Bench", themes=("Klimaat",), owner=fac)
        w = werkplaatsen.save_werkplaats(
            programme, title="Water verbindt", starts_at=datetime(2026, 11, 22, 10),
            place="Utrecht", theme_id=None, organisation="", facilitator_ids=[fac.id],
            trekker_ids=[],
        )  # fmt: skip
        rounds.rounds_from_template(w)
        werkplaatsen.open_werkplaats(w)
        rounds.open_round(w, w.rounds[0].id)
        ts = [tafel_svc.save_tafel(w, f"Tafel {i + 1}") for i in range(args.tafels)]
        t0 = time.perf_counter()
        people = [
            participation.join(w, f"D{i}", tafel_id=ts[i % len(ts)].id) for i in range(n_people)
        ]
        theme_of: dict[int, int] = {}  # contribution id → the theme it was dealt as (varied)
        reach: dict[int, list[int]] = {}
        if args.deal == "varied":
            dealt, reach = deal_varied(args.tafels, args.per_tafel * args.posts)
            at = {i: [p for j, p in enumerate(people) if j % len(ts) == i] for i in range(len(ts))}
            texts = [text for _i, _t, text in dealt]
            for n, (i, theme, text) in enumerate(dealt):
                who = at[i][n % len(at[i])]
                c, _new = participation.post_contribution(
                    who, w.rounds[0].id, text, client_key=f"k{n}"
                )
                theme_of[c.id] = theme
        else:
            _record, generated = generate(n_people * args.posts, seed=7)
            texts = [r.text for r in generated]
            for i, text in enumerate(texts):
                participation.post_contribution(
                    people[i % n_people], w.rounds[0].id, text, client_key=f"k{i}"
                )
        setup = time.perf_counter() - t0
        names = [t.name for t in ts]
        db.session.expire_all()
        wid, rid = w.id, w.rounds[0].id
        tafel = ts[0]
        token, tid = tafel.token, tafel.id
        version = w.state_version
        last = w.last_seq
        db.session.remove()

    print(machine_line())
    print(f"{args.tafels} tafels × {args.per_tafel} participants = {n_people:,}; "
          f"{len(texts):,} contributions in round {rid}, dealt {args.deal} (set up in {setup:.0f} s)")  # fmt: skip
    client = app.test_client()
    client.post("/login", data={"email": "fac@example.test", "password": "geheim-wachtwoord"})
    rows = []
    with app.app_context():
        from noviwerk.models import Tafel, Werkplaats

        werkplaats = db.session.get(Werkplaats, wid)
        tafel_plenary.plenary(werkplaats)  # warm up: dictionaries load once per process
        cpu, wall, result = _median_ms(lambda: tafel_plenary.plenary(werkplaats), args.runs)
        rows.append(("plenary (service)", cpu, wall, ""))
        shared = ", ".join(f"{d.draad.label} ({len(d.tafels)})" for d in result.gedeeld[:4])
        t = db.session.get(Tafel, tid)
        cpu, wall, (found, _cursor) = _median_ms(
            lambda: tafel_plenary.changes_after(t, last - 40), args.runs * 4
        )
        rows.append(("changes query, 40 behind", cpu, wall, f"{len(found)} of this tafel"))
        db.session.remove()

    def get(url: str, status: int) -> object:
        r = client.get(url)
        assert r.status_code == status, (url, r.status_code)
        return r

    plenary_url = f"/f/werkplaatsen/{wid}/tafels/plenair"
    cases = [
        ("plenary page GET", plenary_url, 200, args.runs),
        ("changes GET, 40 behind", f"/tafel/{token}/wijzigingen?after={last - 40}&v={version}", 200, args.runs * 4),
        ("changes GET, nothing new (204)", f"/tafel/{token}/wijzigingen?after={last}&v={version}", 204, args.runs * 4),
        ("screen GET", f"/tafel/{token}", 200, args.runs),
    ]  # fmt: skip
    for name, url, status, runs in cases:
        cpu, wall, r = _median_ms(lambda u=url, s=status: get(u, s), runs)
        rows.append((name, cpu, wall, f"{len(r.data):,} bytes"))

    print(f"{'what':34} {'cpu ms':>9} {'wall ms':>9}  note")
    for name, cpu, wall, note in rows:
        print(f"{name:34} {cpu:9.1f} {wall:9.1f}  {note}")
    print(f"plenary: {len(result.gedeeld)} rode draden shared by several tafels ({shared} …), "
          f"{len(result.eigen)} of one tafel")  # fmt: skip
    if args.deal == "varied":
        lines, kept, singles = check_varied(result, theme_of, reach, names)
        print("\n".join(lines))
        print(
            f"one-tafel themes the plenary keeps as raised at one tafel only: {kept} of {singles}"
        )
    after = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average (1, 5, 15 min): before {before} · after {after}")
    plenary_ms = rows[0][2]
    print(f"target: plenary < 2 s — {plenary_ms / 1000:.2f} s wall: "
          f"{'met' if plenary_ms < 2000 else 'NOT met'}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
