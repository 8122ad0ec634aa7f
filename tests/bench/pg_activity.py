"""What PostgreSQL's sessions are doing during a room benchmark's round.

Run beside ``bench_room --db postgres``, with the log it writes:

    .venv/bin/python -m tests.bench.bench_room --db postgres ... > /tmp/room.log 2>&1 &
    .venv/bin/python -m tests.bench.pg_activity /tmp/room.log

Once the log says every phone joined (``--phase vote``: that the round's posts are
counted, which is when the vote opens), it finds the throwaway cluster's port, then samples
``pg_stat_activity`` of the database ``noviwerk`` every 50 ms for ``--seconds`` and prints
how many sessions were, on average, in each state and wait, with the statement (the last one
of a session idle in a transaction): "idle in transaction" waits for the server's Python,
"Lock" for another transaction's row lock, "IO" for the disk.
"""

from __future__ import annotations

import argparse
import collections
import re
import subprocess
import time
from pathlib import Path

SAMPLE = (
    "SELECT state, coalesce(wait_event_type, ''), coalesce(wait_event, ''), "
    "CASE WHEN state = 'active' AND wait_event_type IS NULL THEN '' "
    "ELSE regexp_replace(left(query, 60), '\\s+', ' ', 'g') END "
    "FROM pg_stat_activity WHERE datname = 'noviwerk' AND pid <> pg_backend_pid()"
)


def _cluster_port() -> str:
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    ports = re.findall(r"postgres -D \S+ .*?-p (\d+)", ps)
    if not ports:
        raise SystemExit("no PostgreSQL cluster of a benchmark is running")
    return ports[0]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("log", type=Path, help="bench_room's output, as it is written")
    p.add_argument("--seconds", type=float, default=40.0)
    p.add_argument("--phase", choices=("round", "vote"), default="round",
                   help="sample the round (from 3 s after every phone joined) or the vote "
                        "(from when the round's posts are counted, as the vote opens)")
    args = p.parse_args(argv)
    import psycopg

    mark = "joined" if args.phase == "round" else "posts acknowledged"
    while mark not in (args.log.read_text() if args.log.exists() else ""):
        time.sleep(0.2)
    if args.phase == "round":
        time.sleep(3)  # into the round
    counts: collections.Counter = collections.Counter()
    samples = 0
    dsn = f"host=127.0.0.1 port={_cluster_port()} user=postgres dbname=noviwerk"
    with psycopg.connect(dsn, autocommit=True) as conn:
        ends = time.monotonic() + args.seconds
        while time.monotonic() < ends:
            counts.update(tuple(row) for row in conn.execute(SAMPLE))
            samples += 1
            time.sleep(0.05)
    print(f"{samples} samples; sessions on average: state, wait type, wait, statement (its last, "
          "when idle in a transaction or waiting)")
    for (state, kind, event, query), n in counts.most_common(25):
        print(f"  {n / samples:6.2f}  {state}, {kind or '-'}, {event or '-'}  {query}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
