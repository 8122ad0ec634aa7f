"""Soak: one long steady round, sampled every ``--sample-seconds`` for slow leaks.

    .venv/bin/python -m tests.bench.soak --db postgres --minutes 30    # the full soak
    .venv/bin/python -m tests.bench.soak --db sqlite --minutes 5       # a short one

It starts a throwaway PostgreSQL (or a SQLite file), ``flask db upgrade`` + ``flask
seed-demo`` and gunicorn with gunicorn.conf.py on 127.0.0.1, lets ``--participants`` phones
join, poll every NOVIWERK_PHONE_POLL_SECONDS and post (Poisson, ``--post-rate``/s) while
``--walls`` walls poll twice a second, and samples:

- gunicorn: RSS per process and in total, threads, open file descriptors;
- PostgreSQL: connections of the app's database in pg_stat_activity, and how many are
  "idle in transaction" (a leaked session would show here);
- SQLite: the -wal file's size (a reader that never lets go stops checkpoints; it grows);
- the interval's posts, errors, POST p95 and post->wall p95.

At the end it checks that nothing acknowledged is missing or doubled and that the walls saw
every post once, and compares the first and last thirds of the samples. It stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import tempfile
import time
from pathlib import Path

import httpx

from .harness import (
    Gate,
    Phone,
    Server,
    Tally,
    Wall,
    acknowledged,
    app_env,
    count_rows,
    machine_facts,
    new_text,
    percentile,
    prepare_room,
    throwaway_database,
)


def gunicorn_sample(server: Server) -> dict:
    import psutil

    procs = []
    for pid in server.pids():
        with contextlib.suppress(psutil.Error):
            procs.append(psutil.Process(pid))
    rss, threads, fds = [], 0, 0
    for p in procs:
        with contextlib.suppress(psutil.Error), p.oneshot():
            rss.append(round(p.memory_info().rss / 2**20, 1))
            threads += p.num_threads()
            fds += p.num_fds()
    return {"rss_mib": rss, "rss_total_mib": round(sum(rss), 1), "threads": threads, "fds": fds}


async def soak(args) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix=f"noviwerk-soak-{args.db}-"))
    (url,), pg = throwaway_database(args.db, tmp)
    rng = random.Random(args.seed)
    server = None
    report: dict = {"db": args.db, "machine": machine_facts(), "args": vars(args) | {"out": None}}
    try:
        room = prepare_room(url, tmp / "instance")
        server = Server(app_env(url, room.instance,
                                NOVIWERK_PHONE_POLL_SECONDS=str(args.phone_poll_seconds)),
                        workers=args.workers or None, log=tmp / "gunicorn.log").start()
        tally = Tally()
        gate = Gate(400)
        walls = [Wall(server.url, room.werkplaats_id, tally, f"wall{i}", gate)
                 for i in range(args.walls)]
        for w in walls:
            await w.login()
        phones = [Phone(server.url, room.code, tally, i, gate) for i in range(args.participants)]
        stop = asyncio.Event()
        wall_tasks = [asyncio.create_task(w.run(stop)) for w in walls]

        async def poll_loop(phone: Phone):
            period = args.phone_poll_seconds
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), rng.uniform(0, period))
            while not stop.is_set():
                t = time.monotonic()
                with contextlib.suppress(httpx.HTTPError):
                    await phone.poll_state()
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(stop.wait(), max(0.0, period - (time.monotonic() - t)))

        async def join(i: int, phone: Phone):
            await asyncio.sleep(i * args.join_seconds / len(phones))
            with contextlib.suppress(httpx.HTTPError, RuntimeError, AttributeError):
                await phone.join()

        await asyncio.gather(*(join(i, p) for i, p in enumerate(phones)))
        joined = [p for p in phones if p.csrf]
        report["joined"] = len(joined)
        poll_tasks = [asyncio.create_task(poll_loop(p)) for p in joined]

        sent: dict[str, float] = {}
        acked: set[str] = set()
        interval_lat: list[float] = []
        post_tasks: set = set()

        async def post(phone: Phone, due: float):
            marker, text = new_text(rng)
            sent[marker] = due
            with contextlib.suppress(httpx.HTTPError):
                r = await phone.post(text, marker)
                interval_lat.append(time.perf_counter() - due)
                if acknowledged(r):
                    acked.add(marker)

        samples = []
        start = time.perf_counter()
        end = start + args.minutes * 60
        next_sample = start
        t = start
        last_posts, last_err = 0, 0
        while True:
            t += rng.expovariate(args.post_rate)
            now = time.perf_counter()
            while next_sample <= min(t, end):
                # sample (may lag a little behind its due time under load)
                g = gunicorn_sample(server)
                s = {"minute": round((time.perf_counter() - start) / 60, 2), **g}
                if pg:
                    row = pg.execute(
                        "SELECT count(*), count(*) FILTER (WHERE state = 'idle in transaction')"
                        " FROM pg_stat_activity WHERE datname = 'noviwerk'")[0]
                    s["pg_connections"], s["pg_idle_in_transaction"] = row
                else:
                    wal = Path(str(room.database_url.removeprefix("sqlite:///")) + "-wal")
                    s["sqlite_wal_kib"] = round(wal.stat().st_size / 1024, 1) if wal.exists() else 0
                errors = sum(sum(c.values()) for c in tally.errors.values()) + sum(
                    n for c in tally.statuses.values() for code, n in c.items() if code >= 500)
                s["posts_acked"] = len(acked) - last_posts
                s["errors_and_5xx"] = errors - last_err
                last_posts, last_err = len(acked), errors
                s["post_p95_ms"] = _ms(percentile(interval_lat, 95))
                recent = [m for m in acked if sent[m] >= next_sample - args.sample_seconds]
                s["wall_p95_ms"] = _ms(percentile(
                    [w.seen[m] - sent[m] for w in walls for m in recent if m in w.seen], 95))
                interval_lat.clear()
                samples.append(s)
                print(json.dumps(s), flush=True)
                next_sample += args.sample_seconds
            if t >= end:
                break
            if t > now:
                await asyncio.sleep(t - now)
            task = asyncio.create_task(post(rng.choice(joined), t))
            post_tasks.add(task)
            task.add_done_callback(post_tasks.discard)
        await asyncio.gather(*post_tasks)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not all(acked <= w.seen.keys() for w in walls):
            await asyncio.sleep(0.2)
        stop.set()
        await asyncio.gather(*wall_tasks, *poll_tasks)
        for device in [*phones, *walls]:
            await device.aclose()

        rows = count_rows(url, room.werkplaats_id)
        report["samples"] = samples
        report["totals"] = {
            "posts_sent": len(sent),
            "acknowledged": len(acked),
            "acknowledged_missing_in_db": len(acked - rows["markers"].keys()),
            "stored_more_than_once": sum(1 for c in rows["markers"].values() if c > 1),
            "acknowledged_missing_on_a_wall": sum(len(acked - w.seen.keys()) for w in walls),
            "wall_duplicates": sum(len(w.duplicates) for w in walls),
            "wall_gaps": sum(len(w.gaps) for w in walls),
            "statuses": {k: dict(v) for k, v in tally.statuses.items()},
            "errors": {k: dict(v) for k, v in tally.errors.items() if v},
            "bad_5xx": tally.bad_5xx[:5],
        }
        report["trend"] = trend(samples)
        report["machine_after"] = machine_facts()
    finally:
        if server:
            server.stop()
        if pg:
            pg.destroy()
        shutil.rmtree(tmp, ignore_errors=True)
    return report


def _ms(v):
    return None if v is None else round(v * 1000, 1)


def trend(samples: list[dict]) -> dict:
    """Median of the first third against the last third, per measure."""
    if len(samples) < 3:
        return {}
    third = max(1, len(samples) // 3)
    out = {}
    for key in ("rss_total_mib", "threads", "fds", "pg_connections", "pg_idle_in_transaction",
                "sqlite_wal_kib", "post_p95_ms", "wall_p95_ms"):
        vals = [s.get(key) for s in samples if s.get(key) is not None]
        if len(vals) < 3:
            continue
        first, last = sorted(vals[:third]), sorted(vals[-third:])
        out[key] = {"first_third": first[len(first) // 2], "last_third": last[len(last) // 2],
                    "max": max(vals)}
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    p.add_argument("--participants", type=int, default=300)
    p.add_argument("--minutes", type=float, default=30)
    p.add_argument("--sample-seconds", type=float, default=30)
    p.add_argument("--post-rate", type=float, default=4.0, help="posts per second")
    p.add_argument("--walls", type=int, default=2)
    p.add_argument("--join-seconds", type=float, default=30)
    p.add_argument("--phone-poll-seconds", type=int, default=5)
    p.add_argument("--workers", type=int, default=0, help="0: gunicorn.conf.py's default")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out", type=Path)
    args = p.parse_args(argv)
    report = asyncio.run(soak(args))
    print(json.dumps({"totals": report["totals"], "trend": report["trend"]}, indent=2))
    if args.out:
        args.out.write_text(json.dumps(report, indent=2, default=str))
    t = report["totals"]
    ok = not (t["acknowledged_missing_in_db"] or t["stored_more_than_once"]
              or t["acknowledged_missing_on_a_wall"] or t["wall_duplicates"] or t["wall_gaps"])
    return 0 if ok else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    raise SystemExit(main())
