"""Hold a benchmark and everything it starts to less than the machine's cores.

``hold_to(170)`` puts this process into a cgroup (v1 ``cpu`` controller) whose quota is 170 %
of one core, in periods of 10 ms; what it starts afterwards (the server, a throwaway
PostgreSQL, the load generator's threads) is held with it. It answers "how much headroom is
left?": a room that keeps its targets at 170 % of a 2-core machine would keep them on a
machine about 15 % slower. A quota stalls the whole group when a period's share is spent,
which is harsher than a slower core, so read the result as a bound. Needs root and
``/sys/fs/cgroup/cpu`` (a cgroup v1 hierarchy, as on this project's machines).
"""

from __future__ import annotations

import os
from pathlib import Path

GROUP = Path("/sys/fs/cgroup/cpu/noviwerk-bench")
PERIOD_US = 10_000


def hold_to(percent: int) -> None:
    """This process and its future children: at most ``percent`` % of one core in all."""
    if percent <= 0:
        raise SystemExit("--cpu-cap: a share of one core in per cent, above 0")
    if not GROUP.parent.is_dir():
        raise SystemExit(f"--cpu-cap needs the cgroup v1 cpu controller at {GROUP.parent}")
    try:
        GROUP.mkdir(exist_ok=True)
        (GROUP / "cpu.cfs_period_us").write_text(str(PERIOD_US))
        (GROUP / "cpu.cfs_quota_us").write_text(str(percent * PERIOD_US // 100))
        (GROUP / "cgroup.procs").write_text(str(os.getpid()))
    except OSError as error:
        raise SystemExit(f"--cpu-cap: could not set up {GROUP} ({error}); run as root") from error


def throttled() -> dict[str, int]:
    """How often the group was held back, and for how long (ns), so far."""
    lines = (GROUP / "cpu.stat").read_text().splitlines()
    return {key: int(value) for key, value in (line.split() for line in lines if line.strip())}
