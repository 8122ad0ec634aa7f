"""What a request costs the server when many arrive at once, by how many threads may run the app
at once (``NOVIWERK_ACTIVE_THREADS``).

Run: ``.venv/bin/python -m tests.bench.bench_threads [--active 0,1,2] [--concurrency 1,16,64]``
(about 5 minutes; not part of ``make test``).

One server process (gunicorn with gunicorn.conf.py, 32 threads) on a SQLite database with the
demo werkplaats, whose round 1 holds ``--contributions`` posts (as 1,000 phones posting 2 or 3
texts leave it). One joined phone's request is sent over and over for ``--seconds`` by
``--concurrency`` clients at once, each on its own keep-alive connection (asyncio streams:
the load generator costs little beside the server):

* ``anderen``  "Wat anderen inbrachten" (200 items, about 140 kB, not compressed);
* ``behind``   the round panel's poll 400 changes behind (the newest of others, the panel).

Per setting and concurrency: requests a second, the server's CPU per request (user + system,
from /proc) and its thread switches per request. The settings take turns (``--turns``), so a
machine whose speed drifts shows in every one of them; compare within a turn.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tests.bench.harness import (
    CSRF_FORM,
    ROOT,
    Server,
    app_env,
    machine_facts,
    prepare_room,
)

SEED = """
import uuid, sqlalchemy as sa
from noviwerk import create_app
from noviwerk.extensions import db
from noviwerk.models import Round, Werkplaats
from noviwerk.services import participation
app = create_app()
with app.app_context():
    rnd = db.session.scalars(sa.select(Round).where(
        Round.werkplaats_id == {wid}, Round.state == "open")).first()
    rnd.is_support_allowed = True
    db.session.commit()
    w = db.session.get(Werkplaats, {wid})
    phones = [participation.join(w, f"Deelnemer {{i}}") for i in range(max(1, {n} // 3))]
    for i in range({n}):
        participation.post_contribution(phones[i % len(phones)], rnd.id,
            f"Bijdrage {{i}}: meer groen in de wijk en betere fietspaden", uuid.uuid4().hex)
"""
POLL = re.compile(r'hx-get="([^"]*/status[^"]*)"')


def server_ticks(pids: list[int]) -> tuple[float, int]:
    """CPU seconds (user + system) and thread switches of ``pids`` and all their threads."""
    cpu, switches = 0.0, 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        cpu += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        for task in Path(f"/proc/{pid}/task").iterdir():
            status = (task / "status").read_text()
            switches += sum(int(x) for x in re.findall(r"ctxt_switches:\s+(\d+)", status))
    return cpu, switches


def join(base: str, code: str) -> tuple[str, dict[str, str]]:
    """A phone joined through the pages; its poll URL and its request headers."""
    with httpx.Client(base_url=base) as c:
        token = CSRF_FORM.search(c.get("/").text).group(1)
        c.post("/join", data={"csrf_token": token, "code": code})
        token = CSRF_FORM.search(c.get(f"/w/{code}/welkom").text).group(1)
        c.post(f"/w/{code}/welkom", data={"csrf_token": token, "display_name": "Bench"})
        poll = html.unescape(POLL.search(c.get(f"/w/{code}").text).group(1))
        cookie = "; ".join(f"{k}={v}" for k, v in c.cookies.items())
    return poll, {"Cookie": cookie, "HX-Request": "true", "Host": "127.0.0.1"}


async def hammer(port: int, path: str, headers: dict, clients: int, seconds: float) -> int:
    """``clients`` connections sending ``path`` again as soon as each answer is in."""
    head = f"GET {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    request = (head + "\r\n").encode()
    deadline = time.monotonic() + seconds
    done = 0

    async def client() -> None:
        nonlocal done
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.monotonic() < deadline:
                writer.write(request)
                raw = await reader.readuntil(b"\r\n\r\n")
                status = int(raw.split(b" ", 2)[1])
                length = re.search(rb"(?i)content-length:\s*(\d+)", raw)
                if length:
                    await reader.readexactly(int(length.group(1)))
                if status >= 400:
                    raise RuntimeError(f"{path} answered {status}")
                done += 1
        finally:
            writer.close()

    await asyncio.gather(*(client() for _ in range(clients)))
    return done


def measure(server: Server, path: str, headers: dict, clients: int, seconds: float) -> dict:
    pids = server.worker_pids()
    cpu0, sw0 = server_ticks(pids)
    started = time.monotonic()
    n = asyncio.run(hammer(server.port, path, headers, clients, seconds))
    took = time.monotonic() - started
    cpu1, sw1 = server_ticks(pids)
    return {"requests": n, "per_s": round(n / took, 1),
            "cpu_ms": round(1000 * (cpu1 - cpu0) / max(1, n), 2),
            "switches": round((sw1 - sw0) / max(1, n), 1)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--active", default="0,1,2",
                   help="NOVIWERK_ACTIVE_THREADS settings to compare (0: all 32 threads)")
    p.add_argument("--concurrency", default="1,16,64")
    p.add_argument("--requests", default="anderen,behind")
    p.add_argument("--contributions", type=int, default=2500)
    p.add_argument("--seconds", type=float, default=8.0)
    p.add_argument("--turns", type=int, default=2)
    args = p.parse_args(argv)
    settings = [int(x) for x in args.active.split(",")]
    levels = [int(x) for x in args.concurrency.split(",")]
    kinds = args.requests.split(",")

    tmp = Path(tempfile.mkdtemp(prefix="noviwerk-threads-"))
    room = prepare_room(f"sqlite:///{tmp}/noviwerk.sqlite", tmp)
    subprocess.run([sys.executable, "-c", SEED.format(wid=room.werkplaats_id,
                                                      n=args.contributions)],
                   cwd=ROOT, env=app_env(room.database_url, tmp), check=True)
    print(f"machine: {machine_facts()}", flush=True)
    results: dict = {}
    for turn in range(args.turns):
        for active in settings:
            server = Server(app_env(room.database_url, tmp, NOVIWERK_RATELIMIT="0"),
                            workers=1, threads=32, active_threads=active).start()
            try:
                poll, headers = join(server.url, room.code)
                last = int(re.search(r"[?&]s=(\d+)", poll).group(1))
                paths = {"anderen": f"/w/{room.code}/anderen",
                         "behind": re.sub(r"&a=[\d.]+", "",
                                          poll.replace(f"s={last}", f"s={last - 400}"))}
                for kind in kinds:
                    for clients in levels:
                        row = measure(server, paths[kind], headers, clients, args.seconds)
                        results.setdefault((kind, clients, active), []).append(row)
                        print(f"turn {turn + 1} active {active or 'all'} {kind} × {clients}: "
                              f"{row}", flush=True)
            finally:
                server.stop()
    print("\n| request × at once | " + " | ".join(
        f"active {a or 'all'}: req/s, CPU ms/req, switches/req" for a in settings) + " |")
    print("|---|" + "---|" * len(settings))
    for kind in kinds:
        for clients in levels:
            cells = []
            for active in settings:
                rows = results[(kind, clients, active)]
                cells.append(" / ".join(f"{r['per_s']:.0f}, {r['cpu_ms']:.2f}, {r['switches']:.0f}"
                                        for r in rows))
            print(f"| {kind} × {clients} | " + " | ".join(cells) + " |")
    print(f"\nmachine after: {machine_facts()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
