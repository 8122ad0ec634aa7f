"""What a phone's two hot requests cost the server: the state poll (answered 204) and a post.

Run: ``.venv/bin/python -m tests.bench.bench_phone_paths`` (about a minute; ``--gunicorn``
adds the same two requests over real HTTP against gunicorn, with the load harness's bare
baseline beside them).

In-process (Flask test client, a fresh SQLite database with the demo werkplaats): CPU time per
request (median of ``--rounds`` rounds) and SQL statements per request, for

* ``poll``  ``GET /w/<code>/status?v=<current>`` with HX-Request: nothing changed, 204;
* ``post``  ``POST /w/<code>/bijdragen`` with HX-Request, each with a new client key, all from
  one phone (so its own list grows, as in a long round);
* ``floor`` ``tests/bench/floor_app.py``: a post with the same guarantees (session, CSRF,
  werkplaats and participant, client key, gap-free seq, a rendered answer) written as Core
  statements built once, with no ORM or WTForms: how low such a post can go on this stack;
* ``bare``  the load benchmark's bare app (``tests/bench/bare_app.py``: one INSERT per POST into
  its own SQLite file, same pragmas, a string as answer) in the same process: the ratio to it
  survives a busy machine.

With ``--gunicorn``: gunicorn with ``gunicorn.conf.py`` (1 process × 16 threads), 8 phones in
a closed loop for 8 s per request kind, server CPU (psutil, master and worker) per request;
then ``tests/bench/floor_app.py`` and ``tests/bench/bare_app.py`` the same way. Rate limits are
off for this, so one phone may
post back to back.

Not part of ``make test``; figures go into docs/benchmarks.md with the machine line printed.
"""

from __future__ import annotations

import argparse
import asyncio
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

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
HX = {"HX-Request": "true"}


def _machine() -> str:
    from tests.bench.harness import machine_facts

    m = machine_facts()
    return (
        f"CPU: {m['cpu_model']} · nproc {m['nproc']} · Python {m['python']} · "
        f"load average {m['loadavg']}"
    )


def _bare_in_process(tmp: Path):
    """The load benchmark's bare app (tests/bench/bare_app.py), in this process."""
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bare.sqlite"
    from tests.bench import bare_app

    client = bare_app.app.test_client()

    def one():
        r = client.post("/post", data={"text": "Meer groen in de wijk", "client_key": uuid.uuid4().hex})
        assert r.status_code == 200

    return one


def _floor_in_process(tmp: Path):
    """``tests/bench/floor_app.py``: a post with noviwerk's guarantees, Core only, in this process."""
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/floor.sqlite"
    from tests.bench import floor_app

    client = floor_app.app.test_client()
    token = client.get("/join").get_data(as_text=True)

    def one():
        r = client.post(
            f"/w/{floor_app.CODE}/bijdragen",
            data={"csrf_token": token, "text": "Meer groen " + uuid.uuid4().hex[:6],
                  "client_key": uuid.uuid4().hex},
        )
        assert r.status_code == 200, r.status_code

    return one


def in_process(rounds: int, per_round: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="noviwerk-bench-"))
    os.environ["NOVIWERK_INSTANCE_PATH"] = str(tmp)
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from noviwerk import create_app
    from noviwerk.extensions import db
    from noviwerk.services.demo import seed_demo

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/noviwerk.sqlite",
            "RATELIMIT_ENABLED": False,
            "SECRET_KEY": "bench",
        }
    )
    statements = [0]
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        code = seed_demo().join_code
        sa.event.listen(
            db.engine, "before_cursor_execute", lambda *a: statements.__setitem__(0, statements[0] + 1)
        )
    phone = app.test_client()
    phone.get(f"/w/{code}")
    token = CSRF.search(phone.get(f"/w/{code}/welkom").get_data(as_text=True)).group(1)
    r = phone.post(f"/w/{code}/welkom", data={"csrf_token": token, "display_name": "Bench"})
    assert r.status_code == 303, r.status_code
    page = phone.get(f"/w/{code}").get_data(as_text=True)
    round_id = re.search(r'id="round-id" value="(\d*)"', page).group(1)
    version = re.search(r"status\?v=(\d+)", page).group(1)

    def poll():
        r = phone.get(f"/w/{code}/status?v={version}", headers=HX)
        assert r.status_code == 204, r.status_code

    def post():
        r = phone.post(
            f"/w/{code}/bijdragen",
            headers=HX,
            data={
                "csrf_token": token,
                "text": "Meer groen in de wijk " + uuid.uuid4().hex[:6],
                "client_key": uuid.uuid4().hex,
                "round_id": round_id,
            },
        )
        assert r.status_code == 200, r.status_code

    jobs = {
        "poll": poll,
        "post": post,
        "floor": _floor_in_process(tmp),
        "bare": _bare_in_process(tmp),
    }
    cpu: dict[str, list[float]] = {k: [] for k in jobs}
    sql: dict[str, int] = dict.fromkeys(jobs, 0)
    for job in jobs.values():  # warm up
        for _ in range(5):
            job()
    for _ in range(rounds):  # interleaved, so a busy spell hits every job alike
        for name, job in jobs.items():
            statements[0] = 0
            t = time.process_time()
            for _ in range(per_round):
                job()
            cpu[name].append((time.process_time() - t) / per_round * 1000)
            sql[name] = statements[0] // per_round
    print(_machine())
    print(f"in-process, {rounds} rounds × {per_round} requests, median CPU ms per request")
    bare = statistics.median(cpu["bare"])
    for name in jobs:
        ms = statistics.median(cpu[name])
        statements_shown = sql[name] if name in ("poll", "post") else "–"
        print(f"  {name:5} {ms:6.2f} ms   SQL {statements_shown}   × bare {ms / bare:4.1f}")


def over_gunicorn(seconds: float, clients: int) -> None:
    import httpx
    import psutil

    from tests.bench import harness as h

    def cpu(pids):
        total = 0.0
        for pid in pids:
            try:
                t = psutil.Process(pid).cpu_times()
            except psutil.Error:
                continue
            total += t.user + t.system
        return total

    async def loop(server, send) -> tuple[float, float]:
        stop = time.monotonic() + seconds
        done = [0]

        async def one(i):
            while time.monotonic() < stop:
                await send(i)
                done[0] += 1

        pids = server.pids()
        c0, t0 = cpu(pids), time.monotonic()
        await asyncio.gather(*(one(i) for i in range(clients)))
        return done[0] / (time.monotonic() - t0), (cpu(pids) - c0) / done[0] * 1000

    async def noviwerk(server, room, kind):
        tally = h.Tally()
        phones = [h.Phone(server.url, room.code, tally, n=i) for i in range(clients)]
        for p in phones:
            await p.join()

        async def send(i):
            if kind == "poll":
                assert await phones[i].poll_state() == 204
            else:
                r = await phones[i].post("Meer groen " + uuid.uuid4().hex[:6], uuid.uuid4().hex)
                assert r.status_code == 200, r.status_code

        try:
            return await loop(server, send)
        finally:
            for p in phones:
                await p.aclose()

    async def plain(server, path: str, joins: bool):
        """Closed-loop POSTs to ``path`` of the bare or floor app; ``joins``: each client
        first joins (floor_app: a session and a CSRF token)."""
        posters = [httpx.AsyncClient(base_url=server.url) for _ in range(clients)]
        tokens = [(await c.get("/join")).text if joins else "" for c in posters]

        async def send(i):
            data = {"csrf_token": tokens[i], "text": "Meer groen", "client_key": uuid.uuid4().hex}
            r = await posters[i].post(path, data=data)
            assert r.status_code == 200, r.status_code

        try:
            return await loop(server, send)
        finally:
            for c in posters:
                await c.aclose()

    tmp = Path(tempfile.mkdtemp(prefix="noviwerk-bench-"))
    url = f"sqlite:///{tmp}/noviwerk.sqlite"
    room = h.prepare_room(url, tmp)
    print(f"gunicorn (1 × 16 threads), {clients} clients closed-loop, {seconds:g} s per row")
    server = h.Server(h.app_env(url, tmp, NOVIWERK_RATELIMIT="0"), workers=1).start()
    try:
        for kind in ("poll", "post"):
            rate, ms = asyncio.run(noviwerk(server, room, kind))
            print(f"  {kind:5} {rate:6.0f}/s   server CPU {ms:5.2f} ms per request")
    finally:
        server.stop()
    for name, app, path, joins in (
        ("floor", "tests.bench.floor_app:app", "/w/FLOOR123/bijdragen", True),
        ("bare", "tests.bench.bare_app:app", "/post", False),
    ):
        own_url = f"sqlite:///{tmp}/{name}.sqlite"
        server = h.Server(h.app_env(own_url, tmp), app=app, workers=1).start()
        try:
            rate, ms = asyncio.run(plain(server, path, joins))
            print(f"  {name:5} {rate:6.0f}/s   server CPU {ms:5.2f} ms per request")
        finally:
            server.stop()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--per-round", type=int, default=40)
    p.add_argument("--gunicorn", action="store_true", help="also measure over real HTTP")
    p.add_argument("--seconds", type=float, default=8)
    p.add_argument("--clients", type=int, default=8)
    args = p.parse_args(argv)
    in_process(args.rounds, args.per_round)
    if args.gunicorn:
        over_gunicorn(args.seconds, args.clients)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
