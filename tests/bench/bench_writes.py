"""Writes a second while other threads run Python: how much the GIL slows SQLite's writers.

Run: ``.venv/bin/python -m tests.bench.bench_writes [--seconds 5] [--writers 8]``
(about a minute; not part of ``make test``).

In-process, one server process' worth: a fresh SQLite database with the demo werkplaats
(round 1 open), ``--writers`` threads that post contributions through the service
(``participation.post_contribution``, each write under ``database.WriterLock``) for
``--seconds``, beside 0, 1 or 2 threads that run pure Python without pause (as a thread
rendering a page does). Printed per case: posts a second, and what that leaves each post of
the lock (the writers always wait for it, so the lock is never idle by lack of demand). The
baseline is the case without busy threads, in the same run; each case with each GIL switch
interval of ``--intervals`` (Python's default is 5 ms).

The busy plenary's profile (docs/benchmarks.md, run X14) found a dozen writers per process
waiting for a lock that was held half the time: this measures how far the GIL explains it.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--intervals", default="5,1",
                        help="GIL switch intervals to try, in ms (5 is Python's default)")
    args = parser.parse_args()
    import sqlalchemy as sa

    from noviwerk.extensions import db
    from noviwerk.models import Participant, Round, Werkplaats
    from noviwerk.services import participation
    from tests.bench.bench_room_pages import demo_app
    from tests.bench.harness import machine_facts

    app, demo = demo_app()
    with app.app_context():
        werkplaats = db.session.get(Werkplaats, demo.werkplaats_id)
        round_id = db.session.scalars(
            sa.select(Round.id).where(Round.werkplaats_id == werkplaats.id,
                                      Round.state == "open")
        ).first()
        phones = [participation.join(werkplaats, f"Schrijver {i}").id
                  for i in range(args.writers)]

    def case(busy: int, interval: float) -> float:
        stop = threading.Event()
        posted = [0] * args.writers

        def writer(i: int) -> None:
            with app.app_context():
                phone = db.session.get(Participant, phones[i])
                while not stop.is_set():
                    participation.post_contribution(
                        phone, round_id, f"Bijdrage {posted[i]} van schrijver {i}",
                        uuid.uuid4().hex)
                    posted[i] += 1
                db.session.remove()

        def spin() -> None:
            while not stop.is_set():
                sum(i * i for i in range(2000))

        sys.setswitchinterval(interval)
        threads = [threading.Thread(target=spin) for _ in range(busy)]
        threads += [threading.Thread(target=writer, args=(i,)) for i in range(args.writers)]
        for t in threads:
            t.start()
        time.sleep(0.5)  # warm: connections opened, statements cached
        before, t0 = sum(posted), time.perf_counter()
        time.sleep(args.seconds)
        rate = (sum(posted) - before) / (time.perf_counter() - t0)
        stop.set()
        for t in threads:
            t.join()
        return rate

    facts = machine_facts()
    print(f"CPU: {facts['cpu_model']} · nproc {facts['nproc']} · Python {facts['python']} · "
          f"load average {facts['loadavg']}")
    print(f"{args.writers} writer threads posting for {args.seconds:g} s per case")
    baseline = None
    for interval in (float(ms) / 1000 for ms in args.intervals.split(",")):
        for busy in (0, 1, 2):
            rate = case(busy, interval)
            baseline = baseline or rate
            print(f"  switch interval {interval * 1000:g} ms, {busy} busy thread(s): "
                  f"{rate:7.1f} posts/s, {1000 / rate:6.2f} ms of the lock per post, "
                  f"{rate / baseline:5.2f} × the baseline")
    sys.setswitchinterval(0.005)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
