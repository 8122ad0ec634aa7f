"""Load benchmark of the live room: phones join, poll and post; walls watch.

    .venv/bin/python -m tests.bench.bench_load                       # SQLite, then PostgreSQL
    .venv/bin/python -m tests.bench.bench_load --db sqlite --quick   # a 2-minute smoke run

Per database it starts everything on 127.0.0.1 and stops it again: a throwaway PostgreSQL
(initdb/pg_ctl, fsync on), a database with ``flask db upgrade`` + ``flask seed-demo``, and
gunicorn with gunicorn.conf.py (SQLite: 1 process; PostgreSQL: NOVIWERK_WORKERS processes).
Then, in this order:

1. bare baseline: tests/bench/bare_app.py (one INSERT per POST) under the same gunicorn
   settings, closed-loop posting for ``--saturation-seconds``;
2. join storm: ``--participants`` phones join from one IP, spread over ``--join-seconds``
   (start page, code, notice, phone page: 6 requests each); each then polls its round state
   every NOVIWERK_PHONE_POLL_SECONDS like the page does;
3. steady round: Poisson posts at ``--steady-rate``/s for ``--steady-seconds`` while every
   phone polls and ``--walls`` walls poll ``wijzigingen?after=`` twice a second;
4. burst: every phone posts once, at a random moment within ``--burst-seconds``;
5. saturation: polls and walls off, ``--saturation-concurrency`` phones post back to back
   for ``--saturation-seconds``: noviwerk's posts/s against the bare baseline's.

POST latency counts from the moment the post was due (client-side queueing included);
post->wall counts from that same moment until a wall's answer holding the post's text
arrived. Server CPU and RSS come from psutil on gunicorn's processes (and PostgreSQL's),
client CPU from this process. Load generator and server share the machine: see client CPU.
Everything is bounded: each phase has a deadline and the run stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import httpx

from .harness import (
    CLIENTS,
    Gate,
    Phone,
    ProcSampler,
    Server,
    Tally,
    Wall,
    acknowledged,
    app_env,
    count_rows,
    machine_facts,
    make_client,
    new_text,
    prepare_room,
    summary_ms,
    throwaway_database,
    usage_between,
    use_client,
)

PHASE_DEADLINE = 240.0  # seconds: no phase runs longer than this, whatever happens


class Run:
    def __init__(self, args, db: str):
        self.args = args
        self.db = db
        self.rng = random.Random(args.seed)
        self.results: dict = {"db": db}
        self.sent: dict[str, float] = {}  # marker -> when the post was due (perf_counter)
        self.acked: set[str] = set()

    # -- helpers -------------------------------------------------------------------------

    def usage(self, a, b) -> dict:
        out = {k: usage_between(a, b, self.sampler.samples, k) for k in [*self.groups, "machine"]}
        ours = sum(out[k]["cpu_pct_of_one_core"] or 0 for k in self.groups)
        out["others_cpu_pct"] = round((out["machine"]["cpu_pct_of_one_core"] or 0) - ours, 1)
        return out

    def wall_latencies(self, markers: set[str]) -> list[float]:
        lat = []
        for wall in self.walls:
            for m in markers:
                if m in wall.seen and m in self.sent:
                    lat.append(wall.seen[m] - self.sent[m])
        return lat

    async def post_once(self, phone: Phone, due: float, tally: Tally, lags: list[float],
                        lat: list[float], markers: set[str]) -> None:
        marker, text = new_text(self.rng)
        self.sent[marker] = due
        markers.add(marker)
        lags.append(time.perf_counter() - due)
        try:
            r = await phone.post(text, marker)
        except httpx.HTTPError:
            return
        lat.append(time.perf_counter() - due)
        if acknowledged(r):
            self.acked.add(marker)

    async def wait_walls(self, markers: set[str], timeout: float) -> None:
        want = markers & self.acked
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(want <= wall.seen.keys() for wall in self.walls):
                return
            await asyncio.sleep(0.1)

    # -- phases --------------------------------------------------------------------------

    async def saturate(self, post, label: str, tally: Tally, kind: str) -> dict:
        """Closed loop: ``concurrency`` posters back to back for ``seconds``."""
        seconds, conc = self.args.saturation_seconds, self.args.saturation_concurrency
        before = dict(tally.statuses[kind])
        before_err = dict(tally.errors[kind])
        ok = 0
        lat: list[float] = []
        stop_at = time.monotonic() + seconds

        async def worker(i: int):
            nonlocal ok
            n = 0
            while time.monotonic() < stop_at:
                t = time.perf_counter()
                n += 1
                try:
                    r = await post(i, n)
                except httpx.HTTPError:
                    continue
                lat.append(time.perf_counter() - t)
                if acknowledged(r):
                    ok += 1

        a = self.sampler.snapshot()
        t0 = time.monotonic()
        await asyncio.wait_for(asyncio.gather(*(worker(i) for i in range(conc))), PHASE_DEADLINE)
        dt = time.monotonic() - t0
        b = self.sampler.snapshot()
        statuses = {str(k): v - before.get(k, 0) for k, v in tally.statuses[kind].items()}
        errors = {k: v - before_err.get(k, 0) for k, v in tally.errors[kind].items()}
        return {
            "label": label,
            "seconds": round(dt, 1),
            "concurrency": conc,
            "acknowledged": ok,
            "posts_per_s": round(ok / dt, 1),
            "latency_ms": summary_ms(lat),
            "statuses": {k: v for k, v in statuses.items() if v},
            "errors": {k: v for k, v in errors.items() if v},
            "usage": self.usage(a, b),
        }

    async def bare_baseline(self, url: str, instance: Path) -> dict:
        server = Server(app_env(url, instance), app="tests.bench.bare_app:app",
                        workers=self.args.workers_for(self.db), threads=self.args.threads,
                        log=self.tmp / "bare-gunicorn.log").start()
        self.server_pids = lambda s=server: [s.master_pid]
        clients = [make_client(server.url) for _ in range(self.args.saturation_concurrency)]
        tally = Tally()

        async def post(i, n):
            t = time.perf_counter()
            try:
                r = await clients[i].post("/post", data={"text": f"bare {i} {n} " + "x" * 80,
                                                     "client_key": f"b{i}x{n}"})
            except httpx.HTTPError as e:
                tally.record("POST", t, error=e)
                raise
            tally.record("POST", t, r)
            return r

        try:
            return await self.saturate(post, "bare baseline", tally, "POST")
        finally:
            for c in clients:
                await c.aclose()
            server.stop()

    async def join_storm(self, phones: list[Phone], poll_tasks: list, stop_polls) -> dict:
        n = len(phones)
        spacing = self.args.join_seconds / n
        durations: list[float] = []
        failed: list[str] = []
        done_at: list[float] = []
        started: list[float] = []  # seconds into the storm, per join that got in

        async def one(i: int, phone: Phone):
            await asyncio.sleep(i * spacing)
            t = time.perf_counter()
            try:
                await phone.join()
            except (httpx.HTTPError, RuntimeError, AttributeError) as e:
                failed.append(f"{type(e).__name__}: {e}"[:200])
                return
            durations.append(time.perf_counter() - t)
            done_at.append(time.monotonic())
            started.append(i * spacing)
            poll_tasks.append(asyncio.create_task(self.poll_loop(phone, stop_polls)))

        a = self.sampler.snapshot()
        t0 = time.monotonic()
        began_utc = time.strftime("%H:%M:%S", time.gmtime())
        await asyncio.wait_for(asyncio.gather(*(one(i, p) for i, p in enumerate(phones))),
                               PHASE_DEADLINE)
        dt = (max(done_at) if done_at else time.monotonic()) - t0
        b = self.sampler.snapshot()
        statuses = {
            kind: {str(k): v for k, v in c.items()}
            for kind, c in self.tally.statuses.items() if kind.startswith("join")
        }
        return {
            "participants": n,
            "seconds": round(dt, 1),
            "joined": len(durations),
            "failed": len(failed),
            "failures_sample": failed[:5],
            "joins_per_s": round(len(durations) / dt, 1) if dt else None,
            "join_latency_ms": summary_ms(durations),
            # when in the storm the slow joins were (to set beside the database's log)
            "began_utc": began_utc,
            "join_p95_ms_per_10s": [
                summary_ms([d for d, at in zip(durations, started, strict=True) if w <= at < w + 10])["p95"]
                for w in range(0, int(self.args.join_seconds), 10)
            ],
            "rate_limited_429": sum(int(c.get("429", 0)) for c in statuses.values()),
            "statuses": statuses,
            "errors": {k: dict(v) for k, v in self.tally.errors.items() if k.startswith("join")},
            "usage": self.usage(a, b),
        }

    async def poll_loop(self, phone: Phone, stop: asyncio.Event) -> None:
        period = self.args.phone_poll_seconds
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), self.rng.uniform(0, period))
        while not stop.is_set():
            t = time.monotonic()
            with contextlib.suppress(httpx.HTTPError):
                await phone.poll_state()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), max(0.0, period - (time.monotonic() - t)))

    async def open_loop(self, name: str, schedule: list[tuple[float, Phone]],
                        drain: float) -> dict:
        """Send posts at the given offsets (seconds from now), then wait for the walls."""
        tally = self.tally
        before = {k: dict(v) for k, v in tally.statuses.items()}
        before_err = {k: dict(v) for k, v in tally.errors.items()}
        lags: list[float] = []
        lat: list[float] = []
        markers: set[str] = set()
        a = self.sampler.snapshot()
        start = time.perf_counter()
        tasks = []
        for offset, phone in schedule:
            delay = start + offset - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(
                self.post_once(phone, start + offset, tally, lags, lat, markers)))
        await asyncio.wait_for(asyncio.gather(*tasks), PHASE_DEADLINE)
        sent_done = time.perf_counter()
        b = self.sampler.snapshot()
        await self.wait_walls(markers, drain)
        acked = markers & self.acked
        statuses = {str(k): v - before.get("POST bijdragen", {}).get(k, 0)
                    for k, v in tally.statuses["POST bijdragen"].items()}
        errors = {k: v - before_err.get("POST bijdragen", {}).get(k, 0)
                  for k, v in tally.errors["POST bijdragen"].items()}
        polls = {str(k): v - before.get("GET status", {}).get(k, 0)
                 for k, v in tally.statuses["GET status"].items()}
        wall_polls = {str(k): v - before.get("GET wall wijzigingen", {}).get(k, 0)
                      for k, v in tally.statuses["GET wall wijzigingen"].items()}
        missing_on_walls = sum(len(acked - w.seen.keys()) for w in self.walls)
        return {
            "scenario": name,
            "posts": len(markers),
            "acknowledged": len(acked),
            "seconds_to_last_answer": round(sent_done - start, 1),
            "posts_per_s": round(len(acked) / (sent_done - start), 1),
            "post_latency_ms": summary_ms(lat),
            "post_to_wall_ms": summary_ms(self.wall_latencies(acked)),
            "client_send_lag_ms": summary_ms(lags),
            "post_statuses": {k: v for k, v in statuses.items() if v},
            "post_errors": {k: v for k, v in errors.items() if v},
            "state_poll_statuses": {k: v for k, v in polls.items() if v},
            "wall_poll_statuses": {k: v for k, v in wall_polls.items() if v},
            "acked_missing_on_walls": missing_on_walls,
            "usage": self.usage(a, b),
        }

    # -- the whole run -------------------------------------------------------------------

    async def main(self) -> dict:
        args = self.args
        self.tmp = Path(tempfile.mkdtemp(prefix=f"noviwerk-load-{self.db}-"))
        (url, bare_url), pg = throwaway_database(self.db, self.tmp, "noviwerk", "bare")
        self.groups = {
            "server": lambda: self.server_pids(),
            "client": lambda: [os.getpid()],
        }
        if pg:
            self.groups["postgres"] = pg.pids
        self.server_pids = lambda: []
        self.sampler = ProcSampler(self.groups, interval=1.0, recursive={"client": False})
        self.sampler.start()
        server = None
        try:
            room = prepare_room(url, self.tmp / "instance")
            self.results["bare"] = await self.bare_baseline(bare_url, self.tmp / "instance")
            print(f"[{self.db}] bare baseline: {self.results['bare']['posts_per_s']} posts/s",
                  flush=True)

            workers = args.workers_for(self.db)
            server = Server(app_env(url, room.instance,
                                    NOVIWERK_PHONE_POLL_SECONDS=str(args.phone_poll_seconds)),
                            workers=workers, threads=args.threads,
                            active_threads=args.active_threads,
                            log=self.tmp / "gunicorn.log").start()
            self.server_pids = lambda s=server: [s.master_pid]
            self.results["server"] = {"workers": workers, "threads": args.threads or 16,
                                      "active_threads": args.active_threads}
            gate = Gate(args.max_in_flight)
            self.tally = Tally()
            self.walls = [Wall(server.url, room.werkplaats_id, self.tally, f"wall{i}", gate)
                          for i in range(args.walls)]
            for wall in self.walls:
                await wall.login()
            stop_walls = asyncio.Event()
            wall_tasks = [asyncio.create_task(w.run(stop_walls, push=not args.poll)) for w in self.walls]
            stop_polls = asyncio.Event()
            poll_tasks: list = []
            phones = [Phone(server.url, room.code, self.tally, i, gate)
                      for i in range(args.participants)]

            self.results["join_storm"] = await self.join_storm(phones, poll_tasks, stop_polls)
            storm = self.results["join_storm"]
            print(f"[{self.db}] join storm from {storm['began_utc']} UTC: {storm['joins_per_s']} "
                  f"joins/s, p95 per 10 s {storm['join_p95_ms_per_10s']} ms", flush=True)
            joined = [p for p in phones if p.csrf]

            # steady round: Poisson arrivals
            schedule, t = [], 0.0
            while True:
                t += self.rng.expovariate(args.steady_rate)
                if t >= args.steady_seconds:
                    break
                schedule.append((t, self.rng.choice(joined)))
            self.results["steady"] = await self.open_loop("steady", schedule, drain=15)
            print(f"[{self.db}] steady: {json.dumps(self.results['steady']['post_latency_ms'])}",
                  flush=True)

            # burst: every phone once within burst_seconds
            schedule = sorted(
                ((self.rng.uniform(0, args.burst_seconds), p) for p in joined[: args.burst_posts]),
                key=lambda x: x[0])
            self.results["burst"] = await self.open_loop("burst", schedule, drain=60)
            print(f"[{self.db}] burst: {json.dumps(self.results['burst']['post_latency_ms'])}",
                  flush=True)

            stop_polls.set()
            stop_walls.set()
            await asyncio.gather(*poll_tasks, *wall_tasks)
            self.results["walls"] = [{
                "name": w.name, "seen": len(w.seen), "duplicates": len(w.duplicates),
                "gaps": w.gaps[:5], "reloads": w.reloads, "failed_polls": w.failures,
                "wake_ups": dict(w.wake_ups), "gaps_said_ms": dict(w.gaps_said),
                "cursor_strictly_increasing": all(
                    x < y for x, y in zip(w.cursors, w.cursors[1:], strict=False)),
            } for w in self.walls]

            # saturation: post back to back, nothing else
            async def post(i, n):
                phone = joined[(i * 7919 + n * args.saturation_concurrency) % len(joined)]
                marker, text = new_text(self.rng)
                r = await phone.post(text, marker)
                if acknowledged(r):
                    self.acked.add(marker)
                return r

            self.results["saturation"] = await self.saturate(post, "noviwerk", self.tally,
                                                             "POST bijdragen")
            bare = self.results["bare"]["posts_per_s"]
            self.results["throughput_ratio_to_bare"] = (
                round(self.results["saturation"]["posts_per_s"] / bare, 2) if bare else None)
            print(f"[{self.db}] saturation: {self.results['saturation']['posts_per_s']} posts/s "
                  f"(ratio {self.results['throughput_ratio_to_bare']})", flush=True)
            for device in [*phones, *self.walls]:
                await device.aclose()

            # what the database holds
            rows = count_rows(url, room.werkplaats_id)
            seqs = rows["seqs"]
            self.results["database"] = {
                "acknowledged_posts": len(self.acked),
                "acknowledged_missing": len(self.acked - rows["markers"].keys()),
                "stored_more_than_once": sum(1 for c in rows["markers"].values() if c > 1),
                "seqs_distinct_and_complete": len(set(seqs)) == len(seqs)
                and (not seqs or max(seqs) == rows["last_seq"]),
            }
            self.results["bad_5xx_bodies"] = self.tally.bad_5xx[:5]
            self.results["server_log_errors"] = [
                line for line in server.log_text().splitlines()
                if "Traceback" in line or "ERROR" in line or "CRITICAL" in line][:10]
        finally:
            if server:
                server.stop()
            self.sampler.stop()
            if pg:
                if self.args.keep:
                    with contextlib.suppress(OSError):
                        shutil.copy(pg.dir / "log", self.tmp / "postgres.log")
                pg.destroy()
            if self.args.keep:
                print(f"[{self.db}] kept {self.tmp} (databases and gunicorn logs)", flush=True)
            else:
                shutil.rmtree(self.tmp, ignore_errors=True)
        return self.results


def workers_for(args, db: str) -> int:
    if db == "postgres":
        return args.pg_workers or min(4, max(2, os.cpu_count() or 1))
    return args.sqlite_workers


def render_markdown(report: dict) -> str:
    m = report["machine"]
    lines = [
        f"Machine: {m['nproc']} cores ({m['cpu_model']}), load average before "
        f"{m['loadavg']}, after {report.get('loadavg_after')}; Python {m['python']}.",
        f"Command: `{report['command']}`",
        "",
        "| | " + " | ".join(r["db"] for r in report["runs"]) + " |",
        "|---|" + "---|" * len(report["runs"]),
    ]

    def row(label, fn):
        cells = []
        for r in report["runs"]:
            try:
                cells.append(str(fn(r)))
            except (KeyError, TypeError):
                cells.append("–")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    def lat(d):
        return f"{d['p50']} / {d['p95']} / {d['p99']}"

    def cpu(u):
        return f"{u['cpu_pct_of_one_core']}"

    row("gunicorn processes × threads",
        lambda r: f"{r['server']['workers']} × {r['server']['threads']}")
    js = "join_storm"
    row("join storm: joined / failed / 429",
        lambda r: f"{r[js]['joined']} / {r[js]['failed']} / {r[js]['rate_limited_429']}")
    row("join storm: joins/s (offered: participants / join-seconds)",
        lambda r: r[js]["joins_per_s"])
    row("join storm: one join (6 requests) p50/p95/p99 ms", lambda r: lat(r[js]["join_latency_ms"]))
    for sc in ("steady", "burst"):
        row(f"{sc}: posts sent / acknowledged", lambda r, sc=sc: f"{r[sc]['posts']} / "
            f"{r[sc]['acknowledged']}")
        row(f"{sc}: posts/s", lambda r, sc=sc: r[sc]["posts_per_s"])
        row(f"{sc}: POST p50/p95/p99 ms", lambda r, sc=sc: lat(r[sc]["post_latency_ms"]))
        row(f"{sc}: post→wall p50/p95/p99 ms", lambda r, sc=sc: lat(r[sc]["post_to_wall_ms"]))
        row(f"{sc}: POST statuses / errors", lambda r, sc=sc: f"{r[sc]['post_statuses']} / "
            f"{r[sc]['post_errors'] or 0}")
        row(f"{sc}: state polls (204 = unchanged)", lambda r, sc=sc: r[sc]["state_poll_statuses"])
        row(f"{sc}: acknowledged but missing on a wall",
            lambda r, sc=sc: r[sc]["acked_missing_on_walls"])
        row(f"{sc}: client send lag p95 ms", lambda r, sc=sc: r[sc]["client_send_lag_ms"]["p95"])
        row(f"{sc}: server CPU % of one core", lambda r, sc=sc: cpu(r[sc]["usage"]["server"]))
        row(f"{sc}: PostgreSQL CPU %", lambda r, sc=sc: cpu(r[sc]["usage"]["postgres"]))
        row(f"{sc}: client CPU %", lambda r, sc=sc: cpu(r[sc]["usage"]["client"]))
        row(f"{sc}: other processes' CPU % (not this benchmark)",
            lambda r, sc=sc: r[sc]["usage"]["others_cpu_pct"])
        row(f"{sc}: server RSS peak MiB (all processes) / threads",
            lambda r, sc=sc: f"{r[sc]['usage']['server']['rss_peak_mib']} / "
            f"{r[sc]['usage']['server']['threads_peak']}")
    row("saturation: noviwerk posts/s", lambda r: r["saturation"]["posts_per_s"])
    row("saturation: bare baseline posts/s", lambda r: r["bare"]["posts_per_s"])
    row("**noviwerk ÷ bare**", lambda r: f"**{r['throughput_ratio_to_bare']}**")
    row("saturation: noviwerk POST p50/p95/p99 ms",
        lambda r: lat(r["saturation"]["latency_ms"]))
    row("saturation: server / client CPU %",
        lambda r: f"{cpu(r['saturation']['usage']['server'])} / "
        f"{cpu(r['saturation']['usage']['client'])}")
    row("bare: server / client CPU %",
        lambda r: f"{cpu(r['bare']['usage']['server'])} / {cpu(r['bare']['usage']['client'])}")
    row("DB: acknowledged / missing / stored twice",
        lambda r: f"{r['database']['acknowledged_posts']} / "
        f"{r['database']['acknowledged_missing']} / {r['database']['stored_more_than_once']}")
    row("DB: seqs distinct and complete", lambda r: r["database"]["seqs_distinct_and_complete"])
    row("walls: duplicates / gaps / cursor increasing",
        lambda r: "; ".join(f"{w['duplicates']}/{len(w['gaps'])}/{w['cursor_strictly_increasing']}"
                            for w in r["walls"]))
    row("5xx without the Dutch error page", lambda r: len(r["bad_5xx_bodies"]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    p.add_argument("--participants", type=int, default=1000)
    p.add_argument("--join-seconds", type=float, default=60)
    p.add_argument("--steady-seconds", type=float, default=120)
    p.add_argument("--steady-rate", type=float, default=15, help="posts per second")
    p.add_argument("--burst-posts", type=int, default=1000)
    p.add_argument("--burst-seconds", type=float, default=10)
    p.add_argument("--saturation-seconds", type=float, default=15)
    p.add_argument("--saturation-concurrency", type=int, default=32)
    p.add_argument("--walls", type=int, default=3)
    p.add_argument("--phone-poll-seconds", type=int, default=5,
                   help="the app's NOVIWERK_PHONE_POLL_SECONDS (the phones poll this often)")
    p.add_argument("--sqlite-workers", type=int, default=1)
    p.add_argument("--pg-workers", type=int, default=0, help="0: gunicorn.conf.py's default")
    p.add_argument("--threads", type=int, default=0, help="0: gunicorn.conf.py's default")
    p.add_argument("--active-threads", type=int, default=None,
                   help="of those, how many run the app at once (NOVIWERK_ACTIVE_THREADS; "
                        "0: all); not given: gunicorn.conf.py's default")
    p.add_argument("--max-in-flight", type=int, default=400,
                   help="bound on requests in flight (each device has one connection)")
    p.add_argument("--poll", action="store_true",
                   help="walls poll every 500 ms instead of waiting for push (live.js)")
    p.add_argument("--seed", type=int, default=20261122)
    p.add_argument("--quick", action="store_true",
                   help="200 participants, 20 s join, 30 s steady, 200-post burst, 8 s saturation")
    p.add_argument("--out", type=Path, help="also write the figures as JSON (and .md) here")
    p.add_argument("--keep", action="store_true", help="keep the temporary databases and logs")
    p.add_argument("--client", choices=CLIENTS, default="aiohttp",
                   help="the simulated devices' HTTP client: aiohttp takes a fifth of httpx's "
                        "CPU per request (tests/bench/aio_client.py); runs before 2026-12-03 "
                        "used httpx")
    args = p.parse_args(argv)
    use_client(args.client)
    if args.quick:
        args.participants, args.join_seconds, args.steady_seconds = 200, 20, 30
        args.burst_posts, args.saturation_seconds = 200, 8
    args.workers_for = lambda db: workers_for(args, db)
    if not args.threads:
        args.threads = None

    report = {
        "command": " ".join([".venv/bin/python -m tests.bench.bench_load", *(argv or sys.argv[1:])]),
        "machine": machine_facts(),
        "runs": [],
    }
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    for db in dbs:
        report["runs"].append(asyncio.run(Run(args, db).main()))
    report["machine_after"] = machine_facts()
    report["loadavg_after"] = report["machine_after"]["loadavg"]
    text = render_markdown(report)
    print(text)
    if args.out:
        args.out.write_text(json.dumps(report, indent=2, default=str))
        args.out.with_suffix(".md").write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
