"""What the room's pages cost the server when one round holds thousands of contributions.

Run: ``.venv/bin/python -m tests.bench.bench_room_pages [--contributions 2500] [--runs 5]
[--db postgres]`` (about a minute; not part of ``make test``).

In-process (Flask test client, a fresh SQLite or PostgreSQL database with the demo
werkplaats; ``--db postgres`` starts a throwaway cluster as bench_room does): round 1
allows +1s and gets ``--contributions`` posts from a third as many participants, through the
service, as a room of 1,000 phones posting 2 or 3 texts each would leave it. The texts are
alike (one sentence with a number in it), which is the hard case for the regie's repeat
signal. Then, per request, the median CPU time of ``--runs`` and the answer's size:

* ``GET status 204``  a phone's poll with nothing new for it (answered from the process'
  cache);
* ``GET status 400 behind``  a phone's poll 400 changes behind (10 s of a busy room): the
  newest of others' items and its panel;
* ``GET anderen``  a phone's "Wat anderen inbrachten" (htmx), up to 200 items;
* ``POST steun``   a phone's +1 (htmx);
* ``POST bijdragen``  a phone's post (htmx);
* ``GET regie``    the facilitator's control view of the round;
* ``GET wall``     the wall page, whole (walls then follow by cursor);
* ``GET beamer``   the beamer page;
* ``POST stem``    a phone's first dot in a vote over the eight most supported (htmx),
  measured after the others: its first call closes round 1 and opens the vote;
* ``GET status vote``  the poll by which a phone first sees that vote: the whole panel.

With ``--db postgres`` each line also gives the CPU the cluster's processes spent per request
(from /proc, in clock ticks of 10 ms: take 40 runs or more for a figure to go by).

Each server process tunes Python's garbage collector once its app is loaded (``serve.tune_gc``);
so does this script before it measures (``--default-gc``: not), and it prints the collector's
share of the CPU measured. Figures go into docs/benchmarks.md with the machine line printed.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
HX = {"HX-Request": "true"}


def demo_app(database_url: str, tmp: Path):
    """A fresh in-process app on ``database_url`` (a new SQLite file or an empty PostgreSQL
    database), rate limits off, with the demo programme; and ``seed_demo``'s answer (its
    werkplaats' id and join code)."""
    os.environ["NOVIWERK_INSTANCE_PATH"] = str(tmp)
    os.environ["DATABASE_URL"] = database_url  # config.load sizes PostgreSQL's pool from it
    os.environ["NOVIWERK_PARTICIPANT_LIMIT"] = "100000"  # 833 phones: above the default 100
    import logging

    from flask_migrate import upgrade

    from noviwerk import create_app
    from noviwerk.services.demo import seed_demo

    logging.disable(logging.WARNING)  # alembic's progress lines
    app = create_app({
        "RATELIMIT_ENABLED": False,
        "SECRET_KEY": "bench",
    })
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        return app, seed_demo()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--contributions", type=int, default=2500)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite",
                   help="postgres: a throwaway cluster (initdb), as bench_room starts")
    p.add_argument("--sql", action="store_true", help="print each request's SQL statements")
    p.add_argument("--default-gc", action="store_true",
                   help="Python's garbage collector as it comes, not as the server tunes it")
    p.add_argument("--profile", metavar="REQUEST",
                   help='print cProfile of 20 of one request (e.g. "GET anderen") instead')
    args = p.parse_args(argv)
    from tests.bench.harness import throwaway_database

    tmp = Path(tempfile.mkdtemp(prefix="noviwerk-bench-"))
    (database_url,), pg = throwaway_database(args.db, tmp)
    try:
        return _measure(args, *demo_app(database_url, tmp), pg=pg)
    finally:
        if pg:
            pg.destroy()


def _measure(args, app, demo, pg=None) -> int:
    import sqlalchemy as sa

    from noviwerk.extensions import db
    from noviwerk.models import Round, Werkplaats
    from noviwerk.services import participation
    from tests.bench.harness import machine_facts

    with app.app_context():
        code, wid = demo.join_code, demo.werkplaats_id
        rnd = db.session.scalars(
            sa.select(Round).where(Round.werkplaats_id == wid, Round.state == "open")
        ).first()
        rnd.is_support_allowed = True
        rnd_id = rnd.id
        db.session.commit()
        werkplaats = db.session.get(Werkplaats, wid)
        phones = [participation.join(werkplaats, f"Deelnemer {i}")
                  for i in range(max(1, args.contributions // 3))]
        for i in range(args.contributions):
            participation.post_contribution(
                phones[i % len(phones)], rnd.id,
                f"Bijdrage {i}: meer groen in de wijk en betere fietspaden", uuid.uuid4().hex)

    def joined(name: str):
        client = app.test_client()
        client.get(f"/w/{code}")
        token = CSRF.search(client.get(f"/w/{code}/welkom").get_data(as_text=True)).group(1)
        client.post(f"/w/{code}/welkom", data={"csrf_token": token, "display_name": name})
        return client, token

    phone, token = joined("Bench")
    voters = iter([joined(f"Stemmer {i}") for i in range(args.runs + 1)])
    listed = phone.get(f"/w/{code}/anderen", headers=HX).get_data(as_text=True)
    others = [int(x) for x in re.findall(r'id="steun-(\d+)"', listed)]
    facilitator = app.test_client()
    login = facilitator.get("/login").get_data(as_text=True)
    facilitator.post("/login", data={"csrf_token": CSRF.search(login).group(1),
                                     "email": "facilitator@noviwerk.test",
                                     "password": "noviwerk-demo"})
    pressed = iter(others * 4)
    posted = itertools.count()

    def post():
        return phone.post(f"/w/{code}/bijdragen", headers=HX, data={
            "csrf_token": token, "round_id": rnd_id, "client_key": uuid.uuid4().hex,
            "text": f"Nog een bijdrage {next(posted)}: meer bomen langs de dijk"})

    def support():
        return phone.post(f"/w/{code}/steun/{next(pressed)}", headers=HX,
                          data={"csrf_token": token, "on": "1"})

    with app.app_context():
        w = db.session.get(Werkplaats, wid)
        version, last_seq = w.state_version, w.last_seq
    vote_options: list[itertools.cycle] = []  # the vote's options, by turns

    def dot():
        """A phone's first dot in a vote over the 8 most supported, after round 1 closed (set
        up by the first call: the requests above need round 1 open); a phone of its own each
        time, so every dot is spent (not taken back) and answered with its option alone."""
        if not vote_options:
            from noviwerk.services import rounds

            with app.app_context():
                w = db.session.get(Werkplaats, wid)
                rounds.close_round(w, rnd_id)
                vote_round = rounds.save_round(w, None, prompt="Verdeel je stippen.",
                                               kernvraag_id=None, planned_minutes=10,
                                               kind="stemmen", votes_per_participant=3)
                vote_id = vote_round.id
                rounds.set_vote_options(w, vote_id, others[:8])
                rounds.open_round(w, vote_id)
            vote_options.append(itertools.cycle(others[:8]))
        voter, voter_token = next(voters)
        return voter.post(f"/w/{code}/stem/{next(vote_options[0])}", headers=HX,
                          data={"csrf_token": voter_token, "delta": "1"})

    behind = f"/w/{code}/status?v={version}&s={max(0, last_seq - 400)}&o={rnd_id}"

    requests = {
        "GET status 204": lambda: phone.get(f"/w/{code}/status?v={version}&s={last_seq}",
                                            headers=HX),
        "GET status 400 behind": lambda: phone.get(behind, headers=HX),
        "GET anderen": lambda: phone.get(f"/w/{code}/anderen", headers=HX),
        "POST steun": support,
        "POST bijdragen": post,
        "GET regie": lambda: facilitator.get(f"/f/werkplaatsen/{wid}/regie"),
        "GET wall": lambda: facilitator.get(f"/f/werkplaatsen/{wid}/wall"),
        "GET beamer": lambda: facilitator.get(f"/f/werkplaatsen/{wid}/beamer"),
        "POST stem": dot,  # after the others: it closes round 1
        # The vote as each phone first sees it: its poll with the state it showed before.
        "GET status vote": lambda: phone.get(f"/w/{code}/status?v={version}&s={last_seq}",
                                             headers=HX),
    }
    facts = machine_facts()
    collector = _GcClock()
    if not args.default_gc:  # as each server process is, once its app is loaded
        import gc

        import serve

        gc.collect()
        serve.tune_gc()
    print(f"CPU: {facts['cpu_model']} · nproc {facts['nproc']} · Python {facts['python']} · "
          f"load average {facts['loadavg']}")
    print(f"{args.db}: {args.contributions} contributions in one round, {len(phones)} participants; "
          f"median CPU of {args.runs} requests")
    if args.profile:  # where one request's time goes, instead of the figures
        import cProfile
        import pstats

        want = requests[args.profile]
        if args.profile == "GET status vote":
            dot()  # the vote this poll shows is opened by the first dot
        want()
        prof = cProfile.Profile(time.process_time)  # CPU, not waiting for the database
        prof.enable()
        for _ in range(20):
            want()
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(45)
        return 0
    statements: list[str] = []
    with app.app_context():  # SQL statements per request: each costs ORM and driver time
        sa.event.listen(db.engine, "before_cursor_execute",
                        lambda _c, _cur, sql, *_a: statements.append(sql))
    started = time.process_time()
    collector.start()
    for name, request in requests.items():
        request()  # warm: templates compiled, caches filled
        cpu, own, size = [], [], 0
        database = _database_cpu(pg)
        for _ in range(args.runs):
            statements.clear()
            t, o = time.process_time(), time.thread_time()
            response = request()
            cpu.append(time.process_time() - t)
            own.append(time.thread_time() - o)
            assert response.status_code in (200, 204), (name, response.status_code)
            size = len(response.get_data())
        database = (_database_cpu(pg) - database) / args.runs * 1000 if pg else None
        print(f"  {name:12} {statistics.median(cpu) * 1000:8.1f} ms CPU "
              f"({statistics.median(own) * 1000:.1f} in the request's thread)  {size / 1000:8.1f} kB"
              f"  {len(statements):3} SQL"
              + (f"  PostgreSQL {database:.2f} ms" if pg else ""))
        if args.sql:
            print("\n".join("      " + " ".join(q.split())[:150] for q in statements))
    spent = time.process_time() - started
    print(f"  garbage collector ({'default' if args.default_gc else 'as the server tunes it'}):"
          f" {collector.cpu:.2f} s CPU of {spent:.1f} s measured ({collector.cpu / spent:.0%})")
    return 0


def _database_cpu(pg) -> float:
    """CPU seconds the PostgreSQL cluster's processes have spent so far (0 on SQLite)."""
    if pg is None:
        return 0.0
    from tests.bench.bench_pg_socket import _cluster_cpu

    return _cluster_cpu(pg.pids()[0])


class _GcClock:
    """CPU time spent in Python's cyclic garbage collector from ``start()`` on."""

    def __init__(self):
        self.cpu, self._began = 0.0, None

    def start(self) -> None:
        import gc

        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, _info: dict) -> None:
        if phase == "start":
            self._began = time.process_time()
        elif self._began is not None:
            self.cpu += time.process_time() - self._began
            self._began = None


if __name__ == "__main__":
    raise SystemExit(main())
