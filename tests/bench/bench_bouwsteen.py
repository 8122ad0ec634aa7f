"""Time the draft bouwsteen: assembly and every export, at 200 and 2,000 contributions.

Run: ``.venv/bin/python tests/bench/bench_bouwsteen.py`` (add ``--quick`` to skip the PDF
at 2,000). Prints wall-clock and CPU seconds (the median of a few runs; CPU time is the
steadier figure on a shared machine) and the machine it ran on. The budget for assembly
is 1 s at 2,000 contributions on a 2-core machine.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from noviwerk.export import (  # noqa: E402
    bouwsteen_csv,
    bouwsteen_docx,
    bouwsteen_json,
    bouwsteen_markdown,
    bouwsteen_pdf,
)
from noviwerk.synthesis.bouwsteen import assemble  # noqa: E402
from noviwerk.synthesis.demo import generate  # noqa: E402
from noviwerk.synthesis.text import analyse  # noqa: E402

SIZES = (200, 2000)
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def _seed_werkplaats(n: int):
    """A harder case than ``generate``: n long, mostly distinct sentences from the seeds."""
    import random
    import re

    from noviwerk.domain import DEFAULT_KERNVRAGEN, ContributionRecord
    from noviwerk.synthesis.demo import generate as make

    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    text = re.sub(r"https?://\S+", " ", " ".join(text.split()))
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if 30 < len(s) < 400]
    rng = random.Random(1)  # noqa: S311 - benchmark data
    werkplaats, _ = make(1)
    records = []
    for i in range(n):
        k = 1 + i * 5 // n
        spec = DEFAULT_KERNVRAGEN[k - 1]
        records.append(ContributionRecord(
            id=i + 1, number=i + 1, round_position=k, round_prompt=spec.question,
            kernvraag_position=k, kernvraag_title=spec.title,
            text=sentences[i] if i < len(sentences) else rng.choice(sentences),
            participant_key=f"p{rng.randrange(n // 5)}", support=rng.choice((0, 0, 1, 2)),
        ))
    return werkplaats, records


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _time(fn: Callable[[], object], runs: int) -> tuple[float, float, object]:
    walls, cpus, result = [], [], None
    for _ in range(runs):
        analyse.cache_clear()  # no credit for texts seen in the previous run
        w0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus), result


def main(quick: bool = False) -> None:
    print(f"CPU: {_cpu_model()} · nproc {os.cpu_count()} · Python {platform.python_version()}")
    try:
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    except OSError:
        pass
    rows: list[tuple[str, int, float, float, str]] = []
    for n in SIZES:
        werkplaats, records = generate(n)
        assemble(werkplaats, records)  # warm caches (stemmer, stop words) as a server would
        wall, cpu, document = _time(lambda w=werkplaats, rs=records: assemble(w, rs), 5)
        clusters = sum(1 for _ in document.clusters())
        rows.append(("assemble", n, wall, cpu, f"{clusters} clusters"))
        exports = [("markdown", bouwsteen_markdown.render, 3), ("json", bouwsteen_json.render, 3),
                   ("csv", bouwsteen_csv.render, 3), ("docx", bouwsteen_docx.render, 3),
                   ("pdf", bouwsteen_pdf.render, 1 if n > 200 else 2)]
        for name, render, runs in exports:
            if quick and name == "pdf" and n > 200:
                continue
            wall, cpu, out = _time(lambda r=render, doc=document: r(doc), runs)
            size = len(out.encode("utf-8") if isinstance(out, str) else out)
            rows.append((name, n, wall, cpu, f"{size / 1024:.0f} KiB"))
    if SEEDS.is_dir():
        werkplaats, records = _seed_werkplaats(2000)
        assemble(werkplaats, records)
        wall, cpu, document = _time(lambda w=werkplaats, rs=records: assemble(w, rs), 5)
        clusters = sum(1 for _ in document.clusters())
        rows.append(("assemble*", 2000, wall, cpu, f"{clusters} clusters (seed sentences)"))
    print()
    print(f"{'step':<10} {'n':>6} {'wall s':>8} {'cpu s':>8}  output")
    print(f"{'-' * 10} {'-' * 6} {'-' * 8} {'-' * 8}  {'-' * 14}")
    for name, n, wall, cpu, note in rows:
        print(f"{name:<10} {n:>6} {wall:>8.3f} {cpu:>8.3f}  {note}")
    if SEEDS.is_dir():
        print("* 2,000 long, mostly distinct sentences from shared/seeds: the hard case")


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
