"""The trekker's PDF download at 2,000 contributions, and what it costs the rest of the process.

Run: ``.venv/bin/python tests/bench/bench_export_download.py`` (about two minutes here;
``--runs N`` sets the runs per step, 3 by default).

In-process (Flask test client, a fresh SQLite database with one werkplaats of 2,000
contributions posted through the services, ``tests.factories.generate``'s texts), wall time of
``GET .../bouwsteen.pdf``:

* ``in-process``  printed in the web process (``NOVIWERK_EXPORT_IN_CHILD`` off), no cache:
                  what every download cost before services/export_jobs.py;
* ``first``       the very first download: no cache, and the export child is started for it;
* ``cold``        no cache, printed in one piece in the (running) child;
* ``save``        ``POST`` of a section edit (a new version), printing ahead on;
* ``ahead``       from that save until its PDF and docx are printed and kept;
* ``cached``      the download after that: a file read.

And what a cheap request in the same process suffers meanwhile: a second thread that calls
``GET /healthz`` (one ``SELECT 1``, a JSON answer) back to back, alone and during a PDF
printed in-process and in the child. Reported: the median and the slowest of its answers,
how many it got through per second, and how long the download beside it took (an
in-process print shares the GIL with that thread, and WeasyPrint lets go of the GIL for
every call into Pango: each time it must wait for the other thread to hand it back).

Not part of ``make test``; figures go into docs/benchmarks.md with the machine line printed.
"""

from __future__ import annotations

import argparse
import contextvars
import dataclasses
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

N = 2000
PASSWORD = "bench-wachtwoord-1"  # noqa: S105 - a throwaway database


def _machine() -> str:
    model = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )
    return f"CPU: {model} · nproc {os.cpu_count()} · Python {platform.python_version()}"


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def build(tmp: Path):
    """An app on a migrated SQLite file, and a werkplaats of N contributions with its draft."""
    os.environ["NOVIWERK_INSTANCE_PATH"] = str(tmp / "instance")
    from flask.testing import FlaskClient
    from flask_migrate import upgrade

    from noviwerk import create_app
    from noviwerk.services import accounts, participation, programmes, werkplaatsen
    from noviwerk.services.rounds import open_round, rounds_from_template
    from tests.factories import generate

    class Client(FlaskClient):  # each request its own app context and session, as in a server
        def open(self, *args, **kwargs):
            return contextvars.Context().run(super().open, *args, **kwargs)

    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.sqlite'}",
        "RATELIMIT_ENABLED": False,
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "bench-secret",
        "NOVIWERK_EXPORT_PRERENDER": False,
    })
    app.test_client_class = Client
    with app.app_context():
        upgrade()
        user = accounts.create_user("trek@example.test", "Trekker", PASSWORD, "facilitator")
        programme = programmes.create_programme("Bench", themes=("Klimaat",))
        from datetime import datetime

        w = werkplaatsen.save_werkplaats(
            programme, title="Proefwerkplaats", starts_at=datetime(2026, 3, 10, 10, 0),
            place="Utrecht", theme_id=programme.themes[0].id, organisation="IenM",
            facilitator_ids=[user.id], trekker_ids=[],
        )
        rounds_from_template(w)
        werkplaatsen.open_werkplaats(w)
        _werkplaats, records = generate(N)
        rounds = {r.position: r for r in w.rounds}
        phones = {}  # one phone per participant of the generated werkplaats
        for record in records:
            if record.participant_key not in phones:
                phones[record.participant_key] = participation.join(w, veld=record.veld)
        for position in sorted({r.round_position for r in records}):
            open_round(w, rounds[position].id)
            for i, record in enumerate(r for r in records if r.round_position == position):
                participation.post_contribution(
                    phones[record.participant_key], rounds[position].id, record.text,
                    client_key=f"{position}-{i}", label=record.label,
                )
        wid = w.id
    client = app.test_client()
    r = client.post("/login", data={"email": "trek@example.test", "password": PASSWORD})
    assert r.status_code in (302, 303), r.status_code
    assert client.get(f"/f/werkplaatsen/{wid}/bouwsteen").status_code == 200  # version 1
    return app, client, wid


class Neighbour:
    """A thread that calls a cheap page back to back and keeps every answer's wall time."""

    def __init__(self, app):
        self.client = app.test_client()
        self.times: list[float] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        while not self.stop.is_set():
            t = time.perf_counter()
            assert self.client.get("/healthz").status_code == 200
            self.times.append(time.perf_counter() - t)

    def __enter__(self):
        self.started = time.perf_counter()
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        self.elapsed = time.perf_counter() - self.started

    def summary(self) -> str:
        ms = sorted(t * 1000 for t in self.times)
        return (f"{len(ms) / self.elapsed:7.0f}/s  median {statistics.median(ms):6.2f} ms  "
                f"slowest {ms[-1]:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from noviwerk.services import export_jobs

    print(_machine())
    print(f"load average before: {_load()}")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        t = time.perf_counter()
        app, client, wid = build(tmp)
        print(f"set-up: {N} contributions posted in {time.perf_counter() - t:.0f} s")
        url = f"/f/werkplaatsen/{wid}/bouwsteen"
        assert client.post(url + "/maken").status_code == 303  # the draft, version 1
        rows: list[tuple[str, list[float]]] = []
        cpu: dict[str, list[float]] = {}  # this process's CPU (all threads) per download
        caches = iter(range(1000))

        def setting(**changes) -> None:
            export_jobs.configure(dataclasses.replace(export_jobs.settings(), **changes))

        def fresh_cache() -> None:
            setting(cache_dir=tmp / f"exports-{next(caches)}")

        def download(step: str = "") -> float:
            t, c = time.perf_counter(), time.process_time()
            r = client.get(url + ".pdf")
            assert r.status_code == 200 and r.data.startswith(b"%PDF"), r.status_code
            if step:
                cpu.setdefault(step, []).append(time.process_time() - c)
            return time.perf_counter() - t

        def beside_a_download() -> str:
            fresh_cache()
            with Neighbour(app) as neighbour:
                took = download()
            return f"{neighbour.summary()}  (the download: {took:.1f} s)"

        with Neighbour(app) as idle:
            time.sleep(3)
        neighbours = [("alone", idle.summary())]

        setting(in_child=False)
        runs = []
        for _ in range(args.runs):
            fresh_cache()
            runs.append(download("in-process"))
        rows.append(("in-process", runs))
        neighbours.append(("PDF in-process", beside_a_download()))
        setting(in_child=True)

        fresh_cache()
        rows.append(("first", [download("first")]))
        runs = []
        for _ in range(args.runs):
            fresh_cache()
            runs.append(download("cold"))
        rows.append(("cold", runs))
        neighbours.append(("PDF in child", beside_a_download()))

        saves, ahead, cached = [], [], []
        setting(prerender=True)
        for i in range(args.runs):
            fresh_cache()
            t = time.perf_counter()
            r = client.post(url + "/secties/samenvatting", data={"text": f"Samenvatting {i}. [1]"})
            assert r.status_code == 303, r.status_code
            saves.append(time.perf_counter() - t)
            assert export_jobs.settle(120)
            ahead.append(time.perf_counter() - t)
            before = export_jobs.rendered()
            cached.append(download("cached"))
            assert export_jobs.rendered() == before, "the download after printing ahead printed"
        rows += [("save", saves), ("ahead", ahead), ("cached", cached)]
        print(f"renders begun in this process: {dict(export_jobs.rendered())}")
        child = export_jobs.child_pids()
        if child:
            status = Path(f"/proc/{child[0]}/status").read_text().splitlines()
            print("export child:", " ".join(s.replace("\t", " ") for s in status
                                             if s.startswith(("VmHWM", "VmRSS"))))

    print(f"load average after: {_load()}")
    print()
    print(f"{'step':<12} {'n':>5}  {'wall s':>7} {'min s':>7} {'max s':>7}  {'web cpu s':>9}")
    for step, times in rows:
        used = f"{statistics.median(cpu[step]):9.3f}" if step in cpu else ""
        print(f"{step:<12} {N:>5}  {statistics.median(times):7.3f} {min(times):7.3f} "
              f"{max(times):7.3f}  {used}")
    print()
    print("GET /healthz from a second thread, back to back:")
    for when, summary in neighbours:
        print(f"  {when:<16} {summary}")


if __name__ == "__main__":
    main()
