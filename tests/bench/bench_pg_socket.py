"""What one round trip to PostgreSQL costs in CPU over TCP and over the Unix socket.

    .venv/bin/python -m tests.bench.bench_pg_socket [--round-trips 5000]

A throwaway cluster (as bench_room starts); one connection per way, alternating, each
reading one row by key and committing, ``--round-trips`` times; twice, so that the two
ways take turns on a noisy machine. Reports the client's CPU (this thread) and the
cluster's CPU (all its processes, from /proc) per round trip, and the wall time.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import psycopg

from tests.bench.harness import PgCluster, machine_facts


def _cluster_cpu(root: int) -> float:
    """Seconds of CPU of the cluster's postmaster and its children."""
    ticks = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(pid) == root or int(fields[1]) == root:  # fields[1]: the parent
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _measure(dsn: str, n: int, root: int) -> tuple[float, float, float]:
    with psycopg.connect(dsn) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS t (id int PRIMARY KEY, v text)")
        conn.execute("INSERT INTO t SELECT g, 'x' FROM generate_series(1, 100) g "
                     "ON CONFLICT DO NOTHING")
        conn.commit()
        cpu, wall, server = time.thread_time(), time.perf_counter(), _cluster_cpu(root)
        for i in range(n):
            conn.execute("SELECT id, v FROM t WHERE id = %s", (i % 100 + 1,)).fetchall()
            conn.commit()
        trips = 2 * n  # the statement and the commit
        return ((time.thread_time() - cpu) / trips * 1e6,
                (_cluster_cpu(root) - server) / trips * 1e6,
                (time.perf_counter() - wall) / trips * 1e6)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--round-trips", type=int, default=5000)
    args = p.parse_args(argv)
    pg = PgCluster().init()
    pg.start()
    try:
        root = pg.pids()[0]
        ways = {
            "TCP 127.0.0.1": f"host=127.0.0.1 port={pg.port} user=postgres dbname=postgres",
            "Unix socket": f"host={pg.dir} port={pg.port} user=postgres dbname=postgres",
        }
        facts = machine_facts()
        print(f"CPU: {facts['cpu_model']} · nproc {facts['nproc']} · load average "
              f"{facts['loadavg']}")
        print("| way | client CPU µs | PostgreSQL CPU µs | wall µs (per round trip) |")
        print("|---|---|---|---|")
        for _ in range(2):
            for name, dsn in ways.items():
                client, server, wall = _measure(dsn, args.round_trips, root)
                print(f"| {name} | {client:.0f} | {server:.0f} | {wall:.0f} |")
    finally:
        pg.destroy()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
