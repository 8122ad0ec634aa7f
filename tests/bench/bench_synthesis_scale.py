"""Assembly time of a draft bouwsteen, 250–2,000 contributions, against a pure-Python baseline: ``.venv/bin/python -m tests.bench.bench_synthesis_scale``."""

# The ratio to the baseline, measured in the same runs, survives a busy machine; the seconds do
# not. Growth compares each size with the one before (twice as many contributions): about 2 is
# linear, 4 quadratic. The budget (under 1 s at 2,000 on 2 cores) was an assert in
# tests/synthesis/test_scale.py; a timed assert does not belong in the suite.

from __future__ import annotations

import os
import sys

from noviwerk.synthesis.bouwsteen import assemble
from tests.bench.bench_bouwsteen import BUDGETS, machine_line, measure, python_baseline
from tests.factories import generate

SIZES = (250, 500, 1000, 2000)
RUNS = 5
SEED = 3  # the werkplaats test_scale.py checks for completeness


def run(runs: int) -> list[str]:
    budget = BUDGETS["assemble", SIZES[-1]]
    head = (f"{'n':>5} {'cpu s':>8} {'wall s':>8} {'base cpu s':>10} {'×cpu':>7} {'×wall':>7} "
            f"{'growth':>7}  clusters")
    lines = [head, "-" * len(head)]
    previous = None
    timing = None
    for n in SIZES:
        werkplaats, records = generate(n, seed=SEED)
        assemble(werkplaats, records)  # warm up: imports and first-call costs are not the job
        timing, document = measure(lambda w=werkplaats, rs=records: assemble(w, rs), runs,
                                   python_baseline)
        ratio_cpu = timing.cpu / timing.base_cpu
        growth = f"{ratio_cpu / previous:>7.2f}" if previous else f"{'':>7}"
        previous = ratio_cpu
        lines.append(f"{n:>5} {timing.cpu:>8.3f} {timing.wall:>8.3f} {timing.base_cpu:>10.3f} "
                     f"{ratio_cpu:>7.1f} {timing.wall / timing.base_wall:>7.1f} {growth}  "
                     f"{sum(1 for _ in document.clusters())}")
    assert timing is not None
    verdict = "met" if timing.cpu < budget else "NOT met"
    lines += ["", f"budget assemble at {SIZES[-1]:,}: < {budget:g} s CPU — cpu {timing.cpu:.3f} s "
              f"({timing.cpu / timing.base_cpu:.1f}× the baseline): {verdict}"]
    return lines


def main(argv: list[str]) -> None:
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else RUNS
    before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(machine_line())
    print(f"median of {runs} runs per size, each after one baseline run (a fixed pure-Python "
          "job); ×cpu, ×wall = assembly / baseline; growth = ×cpu / ×cpu of the size before")
    lines = run(runs)
    print(f"load average (1, 5, 15 min): before {before} · after "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1:])
