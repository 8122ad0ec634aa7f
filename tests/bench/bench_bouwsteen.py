"""Time the draft bouwsteen: assembly and every export, at 200 and 2,000 contributions.

Run: ``.venv/bin/python tests/bench/bench_bouwsteen.py`` (``--quick`` skips the PDF at
2,000; ``--runs N`` sets the runs per step, 3 by default). For every step it
prints the median wall-clock and CPU (process) time of N runs, the output size, and for the
PDF the page count. CPU time is the steadier figure, but on a shared machine both move: so each
step is interleaved with a bare baseline in the same process, and its ratio to that
baseline is printed too. The ratios survive a busy machine; the seconds do not.

Baselines (each the same tiny job every time):

* ``python``      a fixed pure-Python workload, for assembly and the text exports;
* ``weasyprint``  WeasyPrint printing a one-line HTML page to PDF (tagged, like ours);
* ``python-docx`` python-docx saving an empty document.

A baseline run repeats its job a few times (about 50 ms in all, so the timer and a
passing hiccup weigh less) and reports the time per job.

At 2,000 contributions one more row, ``pdf-floor``: the same text as the PDF, printed as
bare paragraphs in DejaVu Sans 8.8 pt (no styling, no lists, no footer; still A4 and
tagged). It is about the least WeasyPrint spends on that much text set plainly, so it
shows how much of the PDF's time is the stylesheet and how much is the amount of text.
The fonts embedded in the PDF at 2,000 are listed: without fonts-dejavu-extra the bijlage
falls back from DejaVu Sans Condensed to DejaVu Sans, and the PDF gets longer and slower.

The ``pdf`` row is the one print the app's export child makes (``bouwsteen_pdf.render``),
here in this process.

Budgets (on a 2-core machine, at 2,000 contributions): assembly under 1 s, docx under 3 s,
the PDF about 4 s (issue 13 withdrew the earlier 3 s for a cold print: after every save the
PDF is printed ahead, so a download is a file read). The verdict is given on CPU time and
on wall time.
"""

from __future__ import annotations

import gc
import io
import os
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from noviwerk.export.bouwsteen import csv as bouwsteen_csv  # noqa: E402
from noviwerk.export.bouwsteen import docx as bouwsteen_docx
from noviwerk.export.bouwsteen import json as bouwsteen_json
from noviwerk.export.bouwsteen import markdown as bouwsteen_markdown
from noviwerk.export.bouwsteen import pdf as bouwsteen_pdf
from noviwerk.synthesis.bouwsteen import assemble  # noqa: E402
from noviwerk.synthesis.text import analyse  # noqa: E402
from tests.factories import generate  # noqa: E402

SIZES = (200, 2000)
RUNS = 3
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
BUDGETS = {("assemble", 2000): 1.0, ("docx", 2000): 3.0, ("pdf", 2000): 4.0}
FONTS: dict[int, str] = {}  # fonts embedded in the PDF, by number of contributions


@dataclass
class Timing:
    wall: float
    cpu: float
    base_wall: float | None = None  # the baseline's medians, measured alongside
    base_cpu: float | None = None


@dataclass
class Row:
    step: str
    n: int
    timing: Timing
    size: str
    pages: str = ""
    baseline: str = ""


# --- baselines -------------------------------------------------------------------------

def python_baseline() -> int:
    """A fixed pure-Python job of some 50 ms here: dicts, strings, sorting."""
    counts: dict[str, int] = {}
    for i in range(200_000):
        word = f"w{i * 7919 % 5003}"
        counts[word] = counts.get(word, 0) + 1
    return len(sorted(counts, key=counts.__getitem__))


def weasyprint_baseline() -> bytes:
    from weasyprint import HTML

    html = "<!doctype html><html lang='nl'><title>x</title><p>Eén regel tekst.</p></html>"
    return HTML(string=html, url_fetcher=bouwsteen_pdf.deny_all).write_pdf(pdf_tags=True)


def docx_baseline() -> bytes:
    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    return buffer.getvalue()


def _repeated(fn: Callable[[], object], times: int) -> Callable[[], object]:
    def job() -> object:
        result = None
        for _ in range(times):
            result = fn()
        return result
    job.times = times  # type: ignore[attr-defined]
    return job


BASELINES: dict[str, Callable[[], object]] = {
    "python": _repeated(python_baseline, 1),
    "weasyprint": _repeated(weasyprint_baseline, 4),
    "python-docx": _repeated(docx_baseline, 4),
}


# --- measuring -------------------------------------------------------------------------

def _once(fn: Callable[[], object]) -> tuple[float, float, object]:
    """Wall and CPU seconds of one call (per job, for a repeated baseline)."""
    times = getattr(fn, "times", 1)
    w0, c0 = time.perf_counter(), time.process_time()
    result = fn()
    cpu = time.process_time() - c0
    return (time.perf_counter() - w0) / times, cpu / times, result


def measure(fn: Callable[[], object], runs: int,
            baseline: Callable[[], object] | None = None) -> tuple[Timing, object]:
    """Median wall and CPU seconds of ``runs`` runs, each preceded by one baseline run."""
    walls, cpus, base_walls, base_cpus, result = [], [], [], [], None
    for _ in range(runs):
        if baseline is not None:
            bw, bc, _ = _once(baseline)
            base_walls.append(bw)
            base_cpus.append(bc)
        analyse.cache_clear()  # no credit for texts seen in the previous run
        w, c, result = _once(fn)
        walls.append(w)
        cpus.append(c)
    timing = Timing(statistics.median(walls), statistics.median(cpus))
    if baseline is not None:
        timing.base_wall = statistics.median(base_walls)
        timing.base_cpu = statistics.median(base_cpus)
    return timing, result


def floor_html(document) -> str:
    """The PDF's text as bare paragraphs, one per block or list item."""
    html = bouwsteen_pdf.render_html(document)
    body = html[html.index("<body>"):html.index("</body>")]
    body = re.sub(r"<(?:li|p|h[1-3]|tr|figure|caption|blockquote)\b[^>]*>", "\n", body)
    text = re.sub(r"<[^>]+>", " ", body)  # still escaped: entities stay entities
    paragraphs = (" ".join(line.split()) for line in text.split("\n"))
    return ("<!doctype html><html lang='nl'><title>floor</title><style>"
            "@page { size: A4; margin: 22mm 20mm 24mm 22mm }"
            "html { font: 8.8pt/1.42 'DejaVu Sans', sans-serif } p { margin: 0 0 0.8mm }"
            "</style>" + "".join(f"<p>{p}</p>" for p in paragraphs if p) + "</html>")


def render_floor(html: str) -> bytes:
    from weasyprint import HTML

    gc.disable()  # as bouwsteen_pdf.render does: no collections during the render ...
    try:
        return HTML(string=html, url_fetcher=bouwsteen_pdf.deny_all).write_pdf(pdf_tags=True)
    finally:
        gc.enable()
        gc.collect(0)  # ... and one at the end


def _pages(pdf: bytes) -> str:
    try:
        from pypdf import PdfReader
    except ImportError:  # pypdf is a test dependency; the count is a nicety
        return "?"
    return str(len(PdfReader(io.BytesIO(pdf)).pages))


def _fonts(pdf: bytes) -> str:
    """The embedded fonts, subset prefix dropped: the bijlage's condensed face needs
    fonts-dejavu-extra, and without it the PDF is longer and slower."""
    try:
        from pypdf import PdfReader
    except ImportError:
        return "?"
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
    return ", ".join(sorted(names))


def _size(out: object) -> str:
    data = out.encode("utf-8") if isinstance(out, str) else out
    assert isinstance(data, bytes)
    return f"{len(data) / 1024:.0f} KiB"


# --- the machine -----------------------------------------------------------------------

def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def machine_line() -> str:
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (f"CPU: {_cpu_model()} · nproc {nproc} · Python {platform.python_version()} · "
            f"WeasyPrint {_version('weasyprint')} · python-docx {_version('python-docx')}")


# --- the benchmark ---------------------------------------------------------------------

EXPORTS: tuple[tuple[str, Callable, str], ...] = (
    ("markdown", bouwsteen_markdown.render, "python"),
    ("json", bouwsteen_json.render, "python"),
    ("csv", bouwsteen_csv.render, "python"),
    ("docx", bouwsteen_docx.render, "python-docx"),
    ("pdf", bouwsteen_pdf.render, "weasyprint"),
)


def _seed_werkplaats(n: int):
    """A harder case than ``generate``: n long, mostly distinct sentences from the seeds."""
    import random
    import re

    from noviwerk.domain import DEFAULT_KERNVRAGEN, ContributionRecord
    from tests.factories import generate as make

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


def warm_up() -> None:
    """Import and first-use costs (fontconfig, hyphenation and stemmer tables) paid once,
    as a long-running server pays them once."""
    for fn in BASELINES.values():
        fn()
    werkplaats, records = generate(20)
    document = assemble(werkplaats, records)
    for _, render, _ in EXPORTS:
        render(document)


def run(quick: bool = False, runs: int = RUNS) -> list[Row]:
    rows: list[Row] = []
    for name, fn in BASELINES.items():
        timing, out = measure(fn, max(runs, 5))
        rows.append(Row(f"[{name}]", 0, timing, _size(out) if not isinstance(out, int) else "",
                        _pages(out) if name == "weasyprint" else ""))
    for n in SIZES:
        werkplaats, records = generate(n)
        assemble(werkplaats, records)  # warm caches (stemmer, stop words) as a server would
        timing, document = measure(lambda w=werkplaats, rs=records: assemble(w, rs),
                                   max(runs, 5), python_baseline)
        clusters = sum(1 for _ in document.clusters())
        rows.append(Row("assemble", n, timing, f"{clusters} clusters", baseline="python"))
        for name, render, base in EXPORTS:
            if quick and name == "pdf" and n > SIZES[0]:
                continue
            timing, out = measure(lambda r=render, doc=document: r(doc), runs, BASELINES[base])
            rows.append(Row(name, n, timing, _size(out), _pages(out) if name == "pdf" else "",
                            base))
            if name == "pdf" and n == SIZES[-1]:
                FONTS[n] = _fonts(out)
        if n == SIZES[-1] and not quick:
            html = floor_html(document)
            timing, out = measure(lambda h=html: render_floor(h), runs, BASELINES["weasyprint"])
            rows.append(Row("pdf-floor", n, timing, _size(out), _pages(out), "weasyprint"))
    if SEEDS.is_dir():
        werkplaats, records = _seed_werkplaats(2000)
        assemble(werkplaats, records)
        timing, document = measure(lambda w=werkplaats, rs=records: assemble(w, rs),
                                   max(runs, 5), python_baseline)
        clusters = sum(1 for _ in document.clusters())
        rows.append(Row("assemble*", 2000, timing, f"{clusters} clusters (seed sentences)",
                        baseline="python"))
    return rows


def _ratio(t: Timing) -> str:
    if not t.base_cpu or not t.base_wall:
        return ""
    return f"{t.cpu / t.base_cpu:>7.1f} {t.wall / t.base_wall:>7.1f}"


def report(rows: list[Row], runs: int, load_before: str, load_after: str) -> str:
    lines = [machine_line(), f"load average (1, 5, 15 min): before {load_before} · "
             f"after {load_after}", f"median of {runs} runs per step (5 for assembly and "
             "baselines); ratio = step / its baseline, both measured in the same runs", ""]
    head = (f"{'step':<13} {'n':>5} {'wall s':>8} {'cpu s':>8}  {'output':<32} {'pages':>5}  "
            f"{'baseline':<11} {'×cpu':>7} {'×wall':>7}")
    lines += [head, "-" * len(head)]
    for r in rows:
        n = str(r.n) if r.n else ""
        lines.append(f"{r.step:<13} {n:>5} {r.timing.wall:>8.3f} {r.timing.cpu:>8.3f}  "
                     f"{r.size:<32} {r.pages:>5}  {r.baseline:<11} {_ratio(r.timing)}")
    if any(r.step == "pdf-floor" for r in rows):
        lines.append("pdf-floor: the PDF's text as bare paragraphs in DejaVu Sans, about the "
                     "least WeasyPrint spends on it")
    for n, fonts in FONTS.items():
        lines.append(f"fonts in the PDF at {n:,}: {fonts}")
    if any(r.step == "assemble*" for r in rows):
        lines.append("* 2,000 long, mostly distinct sentences from shared/seeds: the hard case")
    lines.append("")
    for (step, n), budget in BUDGETS.items():
        found = next((r for r in rows if (r.step, r.n) == (step, n)), None)
        if found is None:
            continue
        t = found.timing
        verdict = ("met" if t.cpu < budget and t.wall < budget
                   else "met on CPU, not on wall" if t.cpu < budget else "NOT met")
        lines.append(f"budget {step} at {n:,}: < {budget:g} s — cpu {t.cpu:.2f} s, "
                     f"wall {t.wall:.2f} s: {verdict}")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    quick = "--quick" in argv
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else RUNS
    load_before = _load()  # before we add our own load (and before warm-up)
    print(f"running ({runs} runs per step; load average before: {load_before}) ...", flush=True)
    warm_up()
    rows = run(quick=quick, runs=runs)
    print()
    print(report(rows, runs, load_before, _load()))


if __name__ == "__main__":
    main(sys.argv[1:])
