"""Roll-up time over 40 werkplaatsen × 750 contributions: ``.venv/bin/python -m tests.bench.bench_rollup``.

The roll-up (``synthesis.rollup``: numbering, clustering, the rode-draden engine over every
werkplaats together, the verbindingen and the document) of one kernvraag, with the
contributions of 40 generated werkplaatsen (tests/factories.generate, 750 each, so 30,000 in
all and about 6,000 at each kernvraag). The budget: under 3 s of CPU. Median of ``--runs``
runs (default 3) at kernvraag 2; ``--all`` times every kernvraag once as well.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from dataclasses import replace

from noviwerk.domain import DEFAULT_KERNVRAGEN
from noviwerk.synthesis.rollup import RollupWerkplaats, rollup
from tests.bench.bench_bouwsteen import machine_line
from tests.factories import generate

WERKPLAATSEN = 40
PER_WERKPLAATS = 750
RUNS = 3
BUDGET_S = 3.0
THEMES = ("Natuur", "Klimaat", "Energie", "Welvaart", "Samen Werken", "Beleidsverkenning",
          "MIRT", "Strategie")  # fmt: skip


def werkplaatsen(n: int = WERKPLAATSEN, per: int = PER_WERKPLAATS) -> list[RollupWerkplaats]:
    """``n`` generated werkplaatsen; ids and participants made unique across them."""
    out = []
    for w in range(n):
        record, records = generate(per, seed=w + 1)
        shift = (w + 1) * 1_000_000
        records = [
            replace(r, id=r.id + shift, participant_key=f"w{w}-{r.participant_key}",
                    merged_into=r.merged_into + shift if r.merged_into else None)
            for r in records
        ]  # fmt: skip
        out.append(RollupWerkplaats(w + 1, f"{record.title} ({w + 1})", tuple(records),
                                    THEMES[w % len(THEMES)], record.starts_on))  # fmt: skip
    return out


def once(ws: list[RollupWerkplaats], kernvraag: int):
    c0, w0 = time.process_time(), time.perf_counter()
    result = rollup("Werkplaatsen NOVI", kernvraag, DEFAULT_KERNVRAGEN[kernvraag - 1], ws,
                    themes=THEMES)  # fmt: skip
    return time.process_time() - c0, time.perf_counter() - w0, result


def main(argv: list[str]) -> None:
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else RUNS
    before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(machine_line())
    ws = werkplaatsen()
    total = sum(len(w.records) for w in ws)
    once(ws[:2], 2)  # warm up: imports and first-call costs are not the job
    cpus, walls, result = [], [], None
    for _ in range(runs):
        cpu, wall, result = once(ws, 2)
        cpus.append(cpu)
        walls.append(wall)
    assert result is not None
    print(f"{WERKPLAATSEN} werkplaatsen × {PER_WERKPLAATS} = {total:,} contributions; "
          f"kernvraag 2: {len(result.records):,} rolled up")  # fmt: skip
    print(f"median of {runs}: cpu {statistics.median(cpus):.3f} s, wall "
          f"{statistics.median(walls):.3f} s; {len(result.gedeeld)} shared rode draden, "
          f"{len(result.eigen)} of one werkplaats, {len(result.verbindingen)} verbindingen")
    if "--all" in argv:
        for k in range(1, len(DEFAULT_KERNVRAGEN) + 1):
            cpu, wall, r = once(ws, k)
            print(f"  kernvraag {k}: {len(r.records):,} contributions, cpu {cpu:.3f} s, wall {wall:.3f} s")
    print(f"load average (1, 5, 15 min): before {before} · after "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    cpu = statistics.median(cpus)
    print(f"budget: < {BUDGET_S:g} s CPU — {cpu:.3f} s: {'met' if cpu < BUDGET_S else 'NOT met'}")


if __name__ == "__main__":
    main(sys.argv[1:])
