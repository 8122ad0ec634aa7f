"""Live-room load benchmark of tafels: 20 tafels × 50 phones, a tafel screen at each.

    .venv/bin/python -m tests.bench.bench_tafels_live --db sqlite          # 1,000 phones
    .venv/bin/python -m tests.bench.bench_tafels_live --db both --out /tmp/tafels.json
    .venv/bin/python -m tests.bench.bench_tafels_live --quick              # a 1-minute smoke run

Per database it starts everything on 127.0.0.1 and stops it again (tests/bench/harness.py):
a fresh SQLite file or a throwaway PostgreSQL, ``flask db upgrade`` + ``flask seed-demo``, then
``--tafels`` tafels made for the demo werkplaats through the services (``tafels.save_tafel``)
with its open round held at the tafels (``tafels.set_rounds_at_tafels``), and gunicorn with
gunicorn.conf.py. Then:

1. the tafel screens: one per tafel opens ``/tafel/<secret>`` and does what the page does.
   A page with ``data-live`` (static/js/live.js): a held wait ``…/live?after=&v=`` that the
   server answers once the werkplaats moved, then ``…/wijzigingen?after=&v=`` by cursor, at
   most one fetch per 100 ms, and the plain poll for 30 s after a failed or refused wait.
   Without it: that poll every NOVIWERK_WALL_POLL_MS (a tick is dropped while one is out, as
   ``hx-sync="this:drop"``). Either way the cursor comes from each answer;
2. joining: ``--participants`` phones, dealt round-robin over the tafels, spread evenly over
   ``--join-seconds``; half by the tafel's QR link (``/j/<code>?tafel=<id>``, the welcome
   page, "Doe mee"), half by the start page's code and the tafel picker on the welcome page
   (``--via``). Each joined phone then polls like the phone page: the round panel's
   ``hx-get`` URL every NOVIWERK_PHONE_POLL_SECONDS, following the URL of every answer
   (its cursor ``s`` makes the phone fetch the others' new items);
3. steady round: Poisson posts at ``--rate``/s for ``--steady-seconds``, each from a random
   joined phone, while everything polls; then up to 15 s for the screens to catch up.

Measured: post→screen, from when the post was due until its own tafel's screen got an answer
holding the text (p50/p95/p99; target: within a second); POST latency from when it was due;
each acknowledged post on its own tafel's screen exactly once and on no other tafel's screen;
each stored once, at the phone's tafel (the database); every 5xx; server CPU (psutil on
gunicorn's processes, PostgreSQL's too), client CPU, and the other processes on the machine.
The load generator shares the machine with the server: see client CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import html
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

from .harness import (
    BIN,
    CARD_TEXT,
    CLIENTS,
    CSRF_FORM,
    MARKER,
    ROOT,
    Gate,
    Phone,
    ProcSampler,
    Server,
    Tally,
    acknowledged,
    app_env,
    count_rows,
    machine_facts,
    make_client,
    new_text,
    prepare_room,
    summary_ms,
    throwaway_database,
    usage_between,
    use_client,
)

PHASE_DEADLINE = 240.0  # seconds: no phase runs longer than this, whatever happens
STATE_URL = re.compile(r'hx-get="([^"]*/status\?[^"]*)"')
TAFEL_CURSOR = re.compile(r'id="tafel-cursor" name="after" value="(\d+)"')
TAFEL_VERSION = re.compile(r'id="tafel-version" name="v" value="(\d+)"')
TAFEL_CHOICE = re.compile(r'name="tafel" id="tafel-(\d+)" value="\d+"')
LIVE_URL = re.compile(r'data-live="([^"]+)"')  # static/js/live.js: the held wait's URL

# Made through the services, in the app's own process environment (DATABASE_URL etc.).
SETUP = """
import json, sys
from noviwerk import create_app
from noviwerk.extensions import db
from noviwerk.models import Werkplaats
from noviwerk.services import tafels
app = create_app()
with app.app_context():
    w = db.session.get(Werkplaats, int(sys.argv[1]))
    made = [tafels.save_tafel(w, f"Tafel {i + 1}") for i in range(int(sys.argv[2]))]
    rnd = w.open_round
    tafels.set_rounds_at_tafels(w, [str(rnd.id)])  # as the form sends it
    print(json.dumps({"round": rnd.id, "kind": rnd.kind.value,
                      "tafels": [[t.id, t.token, t.name] for t in made]}))
"""


def make_tafels(env: dict, werkplaats_id: int, n: int) -> dict:
    done = subprocess.run([str(BIN / "python"), "-c", SETUP, str(werkplaats_id), str(n)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    if done.returncode:
        raise RuntimeError(f"making tafels failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


class TafelPhone(Phone):
    """A phone seated at one tafel, polling the round panel's own URL like the page."""

    def __init__(self, *a, tafel_id: int, via: str, **kw):
        super().__init__(*a, **kw)
        self.tafel_id = tafel_id
        self.via = via
        self.state_url = ""

    def _read_phone_page(self, page: str) -> None:
        super()._read_phone_page(page)
        self.state_url = html.unescape(STATE_URL.search(page).group(1))

    async def join_tafel(self) -> None:
        if self.via == "qr":  # the tafel's QR code: straight to the welcome page for it
            r = await self._req("join GET /j", "GET", f"/j/{self.code}?tafel={self.tafel_id}")
            if r.status_code not in (302, 303):
                raise RuntimeError(f"GET /j answered {r.status_code}")
            welcome = r.headers["location"]
        else:  # the code typed on the start page, then the tafel picked from the list
            page = (await self._req("join GET /", "GET", "/")).text
            r = await self._req("join POST /join", "POST", "/join", data={
                "csrf_token": CSRF_FORM.search(page).group(1), "code": self.code})
            if r.status_code != 303:
                raise RuntimeError(f"POST /join answered {r.status_code}")
            r = await self._req("join GET phone", "GET", r.headers["location"])
            if r.status_code not in (302, 303):
                raise RuntimeError(f"GET phone before joining answered {r.status_code}")
            welcome = r.headers["location"]
        r = await self._req("join GET welkom", "GET", welcome)
        page = r.text
        listed = {int(x) for x in TAFEL_CHOICE.findall(page)}
        if self.tafel_id not in listed:
            raise RuntimeError(f"tafel {self.tafel_id} not among the welcome page's {listed}")
        r = await self._req("join POST welkom", "POST", welcome, data={
            "csrf_token": CSRF_FORM.search(page).group(1), "display_name": f"Deelnemer {self.n}",
            "tafel": str(self.tafel_id)})
        if r.status_code != 303:
            raise RuntimeError(f"POST welkom answered {r.status_code}")
        r = await self._req("join GET phone", "GET", f"/w/{self.code}")
        if r.status_code != 200:
            raise RuntimeError(f"GET phone answered {r.status_code}")
        self._read_phone_page(r.text)

    async def poll_state(self) -> int:
        r = await self._req("GET status", "GET", self.state_url, headers={"HX-Request": "true"})
        if r.status_code == 200:
            m = STATE_URL.search(r.text)
            if m:  # hx-swap="outerHTML": the next poll asks what the new panel says
                self.state_url = html.unescape(m.group(1))
        return r.status_code


class TafelScreen:
    """A tafel's screen (a laptop on the table), polling its cursor like the page."""

    def __init__(self, base: str, tafel_id: int, token: str, tally: Tally,
                 gate: Gate | None = None):
        self.client = make_client(base)
        self.tafel_id = tafel_id
        self.url = f"/tafel/{token}"
        self.tally = tally
        self.gate = gate
        self.cursor = 0
        self.v = 0
        self.seen: dict[str, float] = {}  # marker -> perf_counter when it first showed
        self.duplicates: list[str] = []
        self.backwards = 0  # answers whose cursor did not move forward
        self.reloads = 0
        self.failures = 0
        self.live_url = ""  # the page's data-live: it waits for push (live.js); "": it polls
        self.wake_ups: Counter = Counter()  # held waits: moved / busy / failed
        self.server_gap = 0.0  # seconds, as the last wake-up said (its "gap")

    def _take(self, body: str, now: float, whole: bool) -> None:
        for text in CARD_TEXT.findall(body):
            for m in MARKER.findall(html.unescape(text)):
                if m in self.seen:
                    if not whole:
                        self.duplicates.append(m)
                else:
                    self.seen[m] = now

    async def load(self) -> None:
        r = await self.client.get(self.url)
        if r.status_code != 200:
            raise RuntimeError(f"tafel screen answered {r.status_code}")
        self.cursor = int(TAFEL_CURSOR.search(r.text).group(1))
        self.v = int(TAFEL_VERSION.search(r.text).group(1))
        live = LIVE_URL.search(r.text)
        self.live_url = html.unescape(live.group(1)) if live else ""
        self._take(r.text, time.perf_counter(), whole=True)

    async def poll_once(self) -> int:
        kind = "GET tafel wijzigingen"
        async with self.gate.sem if self.gate else contextlib.nullcontext():
            started = time.perf_counter()
            try:
                r = await self.client.get(self.url + "/wijzigingen",
                                          params={"after": self.cursor, "v": self.v},
                                          headers={"HX-Request": "true"})
            except httpx.HTTPError as e:
                self.tally.record(kind, started, error=e)
                self.failures += 1
                return -1
            self.tally.record(kind, started, r)
        now = time.perf_counter()
        if r.status_code == 204:
            return 204
        if r.status_code != 200:
            self.failures += 1
            return r.status_code
        body = r.text
        if r.headers.get("HX-Retarget") == "#tafel-screen":  # a new round state: all again
            self.reloads += 1
            self.v = int(TAFEL_VERSION.search(body).group(1))
            self.cursor = int(TAFEL_CURSOR.search(body).group(1))
            self._take(body, now, whole=True)
            return 200
        cursor = int(TAFEL_CURSOR.search(body).group(1))
        if cursor <= self.cursor:
            self.backwards += 1
        self._take(body, now, whole=False)
        self.cursor = max(cursor, self.cursor)
        return 200

    async def wait_moved(self) -> str:
        """live.js's held wait with the screen's cursor: "moved", "busy" or "failed"."""
        kind = "GET live (held)"
        started = time.perf_counter()
        try:
            r = await self.client.get(self.live_url, params={"after": self.cursor, "v": self.v},
                                      headers={"Accept": "application/json"}, timeout=60)
        except httpx.HTTPError as e:
            self.tally.record(kind, started, error=e)
            return "failed"
        self.tally.record(kind, started, r)
        try:
            state = r.json() if r.status_code == 200 else None
        except ValueError:
            state = None
        if not isinstance(state, dict):
            return "failed"
        self.server_gap = (state.get("gap") or 0) / 1000  # live.js: the wake-up's "gap"
        return "busy" if state.get("busy") else "moved"

    async def run(self, stop: asyncio.Event, interval: float, gap: float = 0.1,
                  retry: float = 30.0) -> None:
        """What the page does. A page with data-live (static/js/live.js): a held wait, then
        a fetch by cursor, at most one fetch per ``gap`` (or the longer one the wake-up
        says); after a failed or refused wait the
        plain poll for ``retry`` seconds. Without: ``hx-trigger="every 500ms"`` with
        ``hx-sync="this:drop"`` (a tick that comes while a request is out is dropped)."""
        push_off_until = 0.0
        start = time.monotonic()
        k = 0
        while not stop.is_set():
            fetched = time.monotonic()
            if not self.live_url:
                await self.poll_once()
                k = max(k + 1, int((time.monotonic() - start) / interval) + 1)
                pause = start + k * interval - time.monotonic()
            elif fetched < push_off_until:
                await self.poll_once()
                pause = fetched + interval - time.monotonic()
            else:
                waiting = asyncio.ensure_future(self.wait_moved())
                stopping = asyncio.ensure_future(stop.wait())
                await asyncio.wait({waiting, stopping}, return_when=asyncio.FIRST_COMPLETED)
                stopping.cancel()
                if not waiting.done():
                    waiting.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await waiting
                    return
                outcome = waiting.result()
                self.wake_ups[outcome] += 1
                if outcome != "moved":
                    push_off_until = time.monotonic() + retry
                fetched = time.monotonic()
                await self.poll_once()
                pause = fetched + max(gap, self.server_gap) - time.monotonic()
            if pause > 0:
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(stop.wait(), pause)

    async def aclose(self) -> None:
        await self.client.aclose()


class Run:
    def __init__(self, args, db: str):
        self.args = args
        self.db = db
        self.rng = random.Random(args.seed)
        self.results: dict = {"db": db}
        self.sent: dict[str, tuple[float, int]] = {}  # marker -> (due, the phone's tafel)
        self.acked: set[str] = set()

    def usage(self, a, b) -> dict:
        out = {k: usage_between(a, b, self.sampler.samples, k) for k in [*self.groups, "machine"]}
        ours = sum(out[k]["cpu_pct_of_one_core"] or 0 for k in self.groups)
        out["others_cpu_pct"] = round((out["machine"]["cpu_pct_of_one_core"] or 0) - ours, 1)
        return out

    async def poll_loop(self, phone: TafelPhone, stop: asyncio.Event) -> None:
        period = self.args.phone_poll_seconds
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), self.rng.uniform(0, period))
        while not stop.is_set():
            t = time.monotonic()
            with contextlib.suppress(httpx.HTTPError):
                await phone.poll_state()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), max(0.0, period - (time.monotonic() - t)))

    async def join(self, phones: list[TafelPhone], polls: list, stop: asyncio.Event) -> dict:
        spacing = self.args.join_seconds / len(phones)
        took: list[float] = []
        failed: list[str] = []
        by: Counter = Counter()  # joined by the QR link or the picker

        async def one(i: int, phone: TafelPhone):
            await asyncio.sleep(i * spacing)
            t = time.perf_counter()
            try:
                await phone.join_tafel()
            except (httpx.HTTPError, RuntimeError, AttributeError, KeyError) as e:
                failed.append(f"{phone.via}: {type(e).__name__}: {e}"[:200])
                return
            took.append(time.perf_counter() - t)
            by[phone.via] += 1
            polls.append(asyncio.create_task(self.poll_loop(phone, stop)))

        a = self.sampler.snapshot()
        t0 = time.monotonic()
        await asyncio.wait_for(asyncio.gather(*(one(i, p) for i, p in enumerate(phones))),
                               PHASE_DEADLINE)
        b = self.sampler.snapshot()
        return {
            "participants": len(phones),
            "seconds": round(time.monotonic() - t0, 1),
            "joined": len(took),
            "failed": len(failed),
            "joined_by": dict(by),
            "failures_sample": failed[:5],
            "join_latency_ms": summary_ms(took),
            "usage": self.usage(a, b),
        }

    async def post_once(self, phone: TafelPhone, due: float, lat: list[float],
                        markers: set[str]) -> None:
        marker, text = new_text(self.rng)
        self.sent[marker] = (due, phone.tafel_id)
        markers.add(marker)
        try:
            r = await phone.post(text, marker)
        except httpx.HTTPError:
            return
        lat.append(time.perf_counter() - due)
        if acknowledged(r):
            self.acked.add(marker)

    async def steady(self, joined: list[TafelPhone]) -> dict:
        schedule, t = [], 0.0
        while True:
            t += self.rng.expovariate(self.args.rate)
            if t >= self.args.steady_seconds:
                break
            schedule.append((t, self.rng.choice(joined)))
        before = {k: Counter(v) for k, v in self.tally.statuses.items()}
        lat: list[float] = []
        markers: set[str] = set()
        a = self.sampler.snapshot()
        start = time.perf_counter()
        tasks = []
        for offset, phone in schedule:
            delay = start + offset - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(self.post_once(phone, start + offset, lat,
                                                            markers)))
        await asyncio.wait_for(asyncio.gather(*tasks), PHASE_DEADLINE)
        sent_done = time.perf_counter()
        b = self.sampler.snapshot()
        screen_of = {s.tafel_id: s for s in self.screens}
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(
                m not in screen_of[self.sent[m][1]].seen for m in markers & self.acked):
            await asyncio.sleep(0.1)
        acked = markers & self.acked
        to_screen, missing, elsewhere = [], 0, 0
        for m in acked:
            due, tid = self.sent[m]
            own = screen_of[tid]
            if m in own.seen:
                to_screen.append(own.seen[m] - due)
            else:
                missing += 1
            elsewhere += sum(1 for s in self.screens if s is not own and m in s.seen)
        delta = {k: {str(c): n - before.get(k, Counter())[c] for c, n in v.items()
                     if n - before.get(k, Counter())[c]}
                 for k, v in self.tally.statuses.items()}
        within = sum(1 for x in to_screen if x <= 1.0)
        return {
            "posts": len(markers),
            "acknowledged": len(acked),
            "offered_rate": self.args.rate,
            "posts_per_s": round(len(acked) / (sent_done - start), 2),
            "post_latency_ms": summary_ms(lat),
            "post_to_screen_ms": summary_ms(to_screen),
            "within_1s_pct": round(100 * within / len(to_screen), 1) if to_screen else None,
            "missing_on_own_screen": missing,
            "shown_on_another_screen": elsewhere,
            "statuses": {k: v for k, v in delta.items() if v},
            "usage": self.usage(a, b),
        }

    def database_check(self, url: str, wid: int) -> dict:
        import sqlalchemy as sa

        rows = count_rows(url, wid)
        engine = sa.create_engine(url)
        try:
            with engine.connect() as conn:
                stored = conn.execute(sa.text(
                    "SELECT text, tafel_id, seq FROM contribution WHERE werkplaats_id = :w"),
                    {"w": wid}).all()
        finally:
            engine.dispose()
        at, seq_of = {}, {}
        for text, tid, seq in stored:
            for m in MARKER.findall(text):
                at[m], seq_of[m] = tid, seq
        screen_of = {s.tafel_id: s for s in self.screens}
        # A post its screen never showed: was it under the screen's cursor (skipped), or not?
        missed = [(seq_of.get(m), screen_of[self.sent[m][1]].cursor) for m in self.acked
                  if m in self.sent and m not in screen_of[self.sent[m][1]].seen]
        return {
            "acknowledged": len(self.acked),
            "acknowledged_missing": len(self.acked - rows["markers"].keys()),
            "stored_more_than_once": sum(1 for c in rows["markers"].values() if c > 1),
            "missed_on_screen_seq_and_screen_cursor": sorted(missed, key=str)[:20],
            "stored_at_another_tafel": sum(1 for m in self.acked if m in at
                                           and at[m] != self.sent[m][1]),
            "seqs_distinct_and_complete": len(set(rows["seqs"])) == len(rows["seqs"])
            and (not rows["seqs"] or max(rows["seqs"]) == rows["last_seq"]),
        }

    async def main(self) -> dict:
        args = self.args
        self.tmp = Path(tempfile.mkdtemp(prefix=f"noviwerk-tafels-{self.db}-"))
        (url,), pg = throwaway_database(self.db, self.tmp)
        server = None
        self.server_pids = lambda: []
        self.groups = {"server": lambda: self.server_pids(), "client": lambda: [os.getpid()]}
        if pg:
            self.groups["postgres"] = pg.pids
        self.sampler = ProcSampler(self.groups, interval=1.0, recursive={"client": False})
        self.sampler.start()
        try:
            room = prepare_room(url, self.tmp / "instance")
            env = app_env(url, room.instance,
                          NOVIWERK_PHONE_POLL_SECONDS=str(args.phone_poll_seconds),
                          NOVIWERK_WALL_POLL_MS=str(args.screen_poll_ms))
            made = make_tafels(env, room.werkplaats_id, args.tafels)
            self.results["round"] = {"id": made["round"], "kind": made["kind"]}
            workers = args.pg_workers if self.db == "postgres" else args.sqlite_workers
            server = Server(env, workers=workers or None, log=self.tmp / "gunicorn.log").start()
            self.server_pids = lambda s=server: [s.master_pid]
            self.results["server"] = {"workers": len(server.worker_pids()),
                                      "threads": int(env.get("NOVIWERK_THREADS", 32))}
            gate = Gate(args.max_in_flight)
            self.tally = Tally()
            self.screens = [TafelScreen(server.url, tid, token, self.tally, gate)
                            for tid, token, _name in made["tafels"]]
            for screen in self.screens:
                await screen.load()
            stop = asyncio.Event()
            interval = args.screen_poll_ms / 1000
            tasks = [asyncio.create_task(s.run(stop, interval)) for s in self.screens]
            vias = {"qr": ["qr"], "picker": ["picker"], "both": ["qr", "picker"]}[args.via]
            phones = [TafelPhone(server.url, room.code, self.tally, i, gate,
                                 tafel_id=made["tafels"][i % args.tafels][0],
                                 via=vias[(i // args.tafels) % len(vias)])
                      for i in range(args.participants)]
            self.results["join"] = await self.join(phones, tasks, stop)
            j = self.results["join"]
            print(f"[{self.db}] joined {j['joined']} of {j['participants']} in {j['seconds']} s"
                  f"{'; failed: ' + str(j['failures_sample']) if j['failed'] else ''}", flush=True)
            joined = [p for p in phones if p.state_url]
            self.results["steady"] = await self.steady(joined)
            s = self.results["steady"]
            print(f"[{self.db}] steady: POST {s['post_latency_ms']}; post→screen "
                  f"{s['post_to_screen_ms']}", flush=True)
            stop.set()
            await asyncio.gather(*tasks)
            self.results["screens"] = {
                "n": len(self.screens),
                "mode": "push" if any(s.live_url for s in self.screens) else "poll",
                "wake_ups": dict(sum((s.wake_ups for s in self.screens), Counter())),
                "duplicates": sum(len(s.duplicates) for s in self.screens),
                "cursor_not_forward": sum(s.backwards for s in self.screens),
                "reloads": sum(s.reloads for s in self.screens),
                "failed_polls": sum(s.failures for s in self.screens),
            }
            for device in [*phones, *self.screens]:
                await device.aclose()
            self.results["database"] = self.database_check(url, room.werkplaats_id)
            self.results["5xx"] = sum(n for c in self.tally.statuses.values()
                                      for code, n in c.items() if code >= 500)
            self.results["client_errors"] = {k: dict(v) for k, v in self.tally.errors.items()
                                             if v}
            self.results["bad_5xx_bodies"] = self.tally.bad_5xx[:5]
            self.results["server_log_errors"] = [
                line for line in server.log_text().splitlines()
                if "Traceback" in line or "ERROR" in line or "CRITICAL" in line][:10]
        finally:
            if server:
                server.stop()
            self.sampler.stop()
            if pg:
                pg.destroy()
            if args.keep:
                print(f"[{self.db}] kept {self.tmp}", flush=True)
            else:
                shutil.rmtree(self.tmp, ignore_errors=True)
        return self.results


def render(report: dict) -> str:
    m = report["machine"]
    runs = report["runs"]
    lines = [
        f"Machine: {m['nproc']} cores ({m['cpu_model']}), load average before {m['loadavg']}, "
        f"after {report['loadavg_after']}; Python {m['python']}; commit {report['commit']}.",
        f"Command: `{report['command']}`",
        "",
        "| | " + " | ".join(r["db"] for r in runs) + " |",
        "|---|" + "---|" * len(runs),
    ]

    def row(label, fn):
        cells = []
        for r in runs:
            try:
                cells.append(str(fn(r)))
            except (KeyError, TypeError, ZeroDivisionError):
                cells.append("–")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    def lat(d):
        return f"{d['p50']} / {d['p95']} / {d['p99']} (max {d['max']})"

    row("gunicorn processes × threads", lambda r: f"{r['server']['workers']} × "
        f"{r['server']['threads']}")
    row("tafels; phones joined (by QR link / picker) / failed", lambda r: (
        f"{r['screens']['n']}; {r['join']['joined']} ({r['join']['joined_by'].get('qr', 0)} / "
        f"{r['join']['joined_by'].get('picker', 0)}) / {r['join']['failed']}"))
    row("tafel screens follow by", lambda r: r["screens"]["mode"] + (
        f" (held waits: {r['screens']['wake_ups']})" if r["screens"]["wake_ups"] else ""))
    row("one join p50 / p95 / p99 ms", lambda r: lat(r["join"]["join_latency_ms"]))
    st = "steady"
    row("posts sent / acknowledged (posts/s)", lambda r: f"{r[st]['posts']} / "
        f"{r[st]['acknowledged']} ({r[st]['posts_per_s']})")
    row("POST p50 / p95 / p99 ms", lambda r: lat(r[st]["post_latency_ms"]))
    row("**post→own tafel screen p50 / p95 / p99 ms**",
        lambda r: lat(r[st]["post_to_screen_ms"]))
    row("posts on their screen within 1 s", lambda r: f"{r[st]['within_1s_pct']} %")
    row("missing on own screen / shown on another tafel's screen",
        lambda r: f"{r[st]['missing_on_own_screen']} / {r[st]['shown_on_another_screen']}")
    row("screens: duplicates / cursor not forward / failed polls", lambda r: (
        f"{r['screens']['duplicates']} / {r['screens']['cursor_not_forward']} / "
        f"{r['screens']['failed_polls']}"))
    row("DB: missing / stored twice / at another tafel", lambda r: (
        f"{r['database']['acknowledged_missing']} / {r['database']['stored_more_than_once']} / "
        f"{r['database']['stored_at_another_tafel']}"))
    row("5xx (all requests)", lambda r: r["5xx"])
    row("requests by kind: statuses (steady)", lambda r: "; ".join(
        f"{k} {v}" for k, v in sorted(r[st]["statuses"].items())))
    for name, phase in (("join", "join"), ("steady", st)):
        u = lambda r, p=phase: r[p]["usage"]  # noqa: E731
        row(f"{name}: server CPU % of one core (+ PostgreSQL)", lambda r, u=u: (
            f"{u(r)['server']['cpu_pct_of_one_core']}"
            + (f" (+ {u(r)['postgres']['cpu_pct_of_one_core']})" if "postgres" in u(r) else "")))
        row(f"{name}: client CPU % / other processes' %", lambda r, u=u: (
            f"{u(r)['client']['cpu_pct_of_one_core']} / {u(r)['others_cpu_pct']}"))
    row("steady: server RSS peak MiB", lambda r: r[st]["usage"]["server"]["rss_peak_mib"])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    p.add_argument("--tafels", type=int, default=20)
    p.add_argument("--participants", type=int, default=1000)
    p.add_argument("--join-seconds", type=float, default=60)
    p.add_argument("--via", choices=["qr", "picker", "both"], default="both",
                   help="how phones join: the tafel's QR link, the code + the picker, or both")
    p.add_argument("--steady-seconds", type=float, default=60)
    p.add_argument("--rate", type=float, default=5, help="posts per second (Poisson)")
    p.add_argument("--phone-poll-seconds", type=int, default=5,
                   help="the app's NOVIWERK_PHONE_POLL_SECONDS")
    p.add_argument("--screen-poll-ms", type=int, default=500,
                   help="how often a tafel screen polls (the app's NOVIWERK_WALL_POLL_MS)")
    p.add_argument("--sqlite-workers", type=int, default=0, help="0: gunicorn.conf.py's")
    p.add_argument("--pg-workers", type=int, default=0, help="0: gunicorn.conf.py's")
    p.add_argument("--max-in-flight", type=int, default=400)
    p.add_argument("--seed", type=int, default=20261202)
    p.add_argument("--quick", action="store_true",
                   help="smoke: 4 tafels, 40 phones joining over 10 s, 15 s at 2 posts/s")
    p.add_argument("--out", type=Path, help="write the figures as JSON (and .md beside it)")
    p.add_argument("--keep", action="store_true", help="keep the databases and server logs")
    p.add_argument("--client", choices=CLIENTS, default="aiohttp",
                   help="the simulated devices' HTTP client: aiohttp takes a fifth of httpx's "
                        "CPU per request (tests/bench/aio_client.py); runs before 2026-12-03 "
                        "used httpx")
    args = p.parse_args(argv)
    use_client(args.client)
    if args.quick:
        args.tafels, args.participants, args.join_seconds = 4, 40, 10
        args.steady_seconds, args.rate = 15, 2
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    report = {
        "command": " ".join([".venv/bin/python -m tests.bench.bench_tafels_live",
                             *(sys.argv[1:] if argv is None else argv)]),
        "commit": commit,
        "machine": machine_facts(),
        "runs": [],
    }
    for db in (["sqlite", "postgres"] if args.db == "both" else [args.db]):
        report["runs"].append(asyncio.run(Run(args, db).main()))
    report["loadavg_after"] = machine_facts()["loadavg"]
    text = render(report)
    print(text)
    if args.out:
        args.out.write_text(json.dumps(report, indent=2, default=str))
        args.out.with_suffix(".md").write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
