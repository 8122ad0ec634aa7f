"""Shared machinery for the load benchmark, the soak and the fault tests.

Everything here talks to servers it starts itself on 127.0.0.1: a throwaway PostgreSQL
cluster (initdb/pg_ctl), a database prepared with ``flask db upgrade`` and
``flask seed-demo``, and gunicorn with the repository's gunicorn.conf.py. The clients are
asyncio + httpx: phones that join, poll and post the way the real pages do (including the
outbox's re-send with the same client key), and walls that poll "everything after cursor N"
and time when each post's text shows up, on the same clock as the post was sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
FACILITATOR = ("facilitator@noviwerk.test", "noviwerk-demo")

CSRF_FORM = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
CSRF_HEADER = re.compile(r'"X-CSRFToken": "([^"]+)"')
ROUND_ID = re.compile(r'id="round-id" value="(\d*)"')
STATE_V = re.compile(r'/status\?v=(\d+)[&"]')  # v first; the phone's cursor (s=, o=) may follow
WALL_CURSOR = re.compile(r'id="wall-cursor" name="after" value="(\d+)"')
WALL_VERSION = re.compile(r'id="wall-version" name="v" value="(\d+)"')
LIVE_URL = re.compile(r'data-live="([^"]+)"')  # static/js/live.js: where the page waits
CARD_TEXT = re.compile(r'<p class="wall-card-text">(.*?)</p>', re.S)
# One entry per contribution that changed after the cursor: a card, or a removal.
CHANGE = re.compile(r'<li id="c-\d+"|<li data-remove="c-\d+"')
MARKER = re.compile(r"\blt[0-9a-f]{16}\b")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


# --- PostgreSQL -------------------------------------------------------------------------


def pg_bindir() -> Path:
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not candidates:
        raise RuntimeError("PostgreSQL is not installed (Debian: apt-get install postgresql)")
    return candidates[-1].parent


class PgCluster:
    """A throwaway PostgreSQL on 127.0.0.1 that a test can stop and start at will."""

    def __init__(self, base: Path | None = None, *, fsync: bool = True, max_connections=200):
        self.bindir = pg_bindir()
        self.dir = Path(base or tempfile.mkdtemp(prefix="noviwerk-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.fsync = fsync
        self.max_connections = max_connections
        self._root = os.geteuid() == 0

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self._root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, check=check, capture_output=True, text=True, timeout=120)

    def init(self) -> PgCluster:
        if self._root:
            shutil.chown(self.dir, "postgres")
        # --no-sync: a throwaway cluster need not fsync its template files (saves seconds).
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        return self

    def start(self) -> None:
        opts = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} "
            f"-c max_connections={self.max_connections} -c fsync={'on' if self.fsync else 'off'} "
            # In the log (kept with --keep): what else wrote to the disk while a phase ran.
            "-c log_checkpoints=on -c log_autovacuum_min_duration=0 "
            "-c log_line_prefix='%m [%p] '"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "log"), "-w", "-t", "60",
                  "-o", opts, "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop",
                  check=False)

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"

    def execute(self, sql: str, dbname: str = "postgres") -> list[tuple]:
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname={dbname}", autocommit=True
        ) as conn:
            cur = conn.execute(sql)
            return cur.fetchall() if cur.description else []

    def pids(self) -> list[int]:
        pidfile = self.data / "postmaster.pid"
        try:
            master = int(pidfile.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return []
        return [master]

    def destroy(self) -> None:
        self.stop("fast")
        shutil.rmtree(self.dir, ignore_errors=True)


# --- the database and the server --------------------------------------------------------


def throwaway_database(db: str, tmp: Path, *names: str) -> tuple[list[str], PgCluster | None]:
    """URLs of fresh databases ``names`` (default: "noviwerk"): SQLite files in ``tmp``, or
    databases in a throwaway PostgreSQL cluster, started here, which the caller destroys."""
    names = names or ("noviwerk",)
    if db != "postgres":
        return [f"sqlite:///{tmp / (name + '.sqlite')}" for name in names], None
    pg = PgCluster().init()
    pg.start()
    for name in names:
        pg.execute(f"CREATE DATABASE {name}")
    return [pg.url(name) for name in names], pg


@dataclass
class Room:
    """The open demo werkplaats that seed-demo made."""

    database_url: str
    instance: Path
    werkplaats_id: int
    code: str


def app_env(database_url: str, instance: Path, **extra: str) -> dict[str, str]:
    keep = ("NOVIWERK_DEMO_DATA",)
    env = {k: v for k, v in os.environ.items()
           if k in keep or not k.startswith(("NOVIWERK_", "PYTEST"))}
    env.pop("DATABASE_URL", None)
    env.update(
        FLASK_APP="noviwerk",
        DATABASE_URL=database_url,
        NOVIWERK_INSTANCE_PATH=str(instance),
        SECRET_KEY="load-test-secret-key",
        PYTHONDONTWRITEBYTECODE="1",
        # Rooms of 1,000 and more phones: above the default participant limit (100).
        NOVIWERK_PARTICIPANT_LIMIT="100000",
    )
    if not database_url.startswith("sqlite"):
        env.pop("NOVIWERK_DB_POOL_SIZE", None)
    env.update(extra)
    return env


def prepare_room(database_url: str, instance: Path) -> Room:
    """Build the schema and the demo world; returns the demo werkplaats (open, round 1 open)."""
    instance.mkdir(parents=True, exist_ok=True)
    env = app_env(database_url, instance)
    flask = str(BIN / "flask")
    for cmd in (["db", "upgrade"], ["seed-demo"]):
        done = subprocess.run([flask, *cmd], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=300)
        if done.returncode:
            raise RuntimeError(f"flask {' '.join(cmd)} failed:\n{done.stderr[-2000:]}")
    out = done.stdout
    wid = int(re.search(r"\(id (\d+)\)", out).group(1))
    code = re.sub(r"[\s-]", "", re.search(r"Code om mee te doen: (.+)", out).group(1)).upper()
    return Room(database_url, instance, wid, code)


def default_workers(env: dict[str, str]) -> int:
    """The processes gunicorn.conf.py starts when NOVIWERK_WORKERS is not set."""
    cores = os.cpu_count() or 1
    url = env.get("DATABASE_URL") or env.get("NOVIWERK_DATABASE_URL") or ""
    return min(4, max(2, cores)) if url.startswith(("postgres://", "postgresql")) else min(2, cores)


class Server:
    """gunicorn with the repository's gunicorn.conf.py, in its own process group."""

    def __init__(self, env: dict[str, str], *, app: str = "wsgi:app", port: int | None = None,
                 workers: int | None = None, threads: int | None = None,
                 active_threads: int | None = None, log: Path | None = None):
        """``workers``, ``threads``, ``active_threads`` (0: all): gunicorn.conf.py's defaults
        where not given."""
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = dict(env, NOVIWERK_BIND=f"127.0.0.1:{self.port}")
        if workers:
            self.env["NOVIWERK_WORKERS"] = str(workers)
        if threads:
            self.env["NOVIWERK_THREADS"] = str(threads)
        if active_threads is not None:
            self.env["NOVIWERK_ACTIVE_THREADS"] = str(active_threads)
        self.app = app
        self.log = log or Path(tempfile.mkstemp(prefix="noviwerk-gunicorn-", suffix=".log")[1])
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60.0) -> Server:
        return self.launch().wait_ready(timeout)

    def launch(self) -> Server:
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(
                [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), self.app],
                cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def wait_ready(self, timeout: float = 60.0) -> Server:
        deadline = time.monotonic() + timeout
        while True:  # until it listens; a master that died (app failed to load) fails at once
            if self.proc is None or self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited; its log ends:\n{self.log_text()[-3000:]}")
            try:
                wait_port(self.port, 0.5)
                break
            except TimeoutError:
                if time.monotonic() > deadline:
                    raise TimeoutError(
                        f"gunicorn does not listen; log:\n{self.log_text()[-3000:]}"
                    ) from None
        want = int(self.env.get("NOVIWERK_WORKERS") or default_workers(self.env))
        while len(self.worker_pids()) < want and time.monotonic() < deadline:
            time.sleep(0.05)
        # A first request through every worker would be nicer; one answer means it is up.
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/", timeout=5).status_code < 500:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"gunicorn did not answer; see {self.log}")

    @property
    def master_pid(self) -> int:
        return self.proc.pid if self.proc is not None else -1

    def worker_pids(self) -> list[int]:
        """gunicorn's workers: the master's children (from /proc, so the fault tests need no
        psutil)."""
        if self.proc is None:
            return []
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.master_pid and fields[0] != "Z":
                    pids.append(int(stat.parent.name))
        return sorted(pids)

    def pids(self) -> list[int]:
        return [self.master_pid, *self.worker_pids()] if self.proc is not None else []

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20.0) -> int | None:
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.proc.pid, sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        # Workers are gone with the master on SIGTERM; after a SIGKILL make sure of it.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        code = self.proc.returncode
        self.proc = None
        return code

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""


# --- measuring ----------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    s = sorted(values)
    k = (len(s) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def summary_ms(values: list[float]) -> dict:
    return {
        "n": len(values),
        "p50": _ms(percentile(values, 50)),
        "p95": _ms(percentile(values, 95)),
        "p99": _ms(percentile(values, 99)),
        "max": _ms(max(values) if values else None),
    }


def _ms(v: float | None) -> float | None:
    return None if v is None else round(v * 1000, 1)


class ProcSampler:
    """Samples CPU time and RSS of some process trees every ``interval`` seconds, in a thread
    of its own so a busy event loop does not skew it."""

    def __init__(self, groups: dict[str, callable], interval: float = 1.0,
                 recursive: dict[str, bool] | None = None):
        import psutil

        self.recursive = recursive or {}
        self.psutil = psutil
        self.groups = groups  # name -> function returning root pids (their children count too)
        self.interval = interval
        self.samples: list[dict] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._procs: dict[int, object] = {}

    def _tree(self, roots: list[int], recursive: bool = True) -> list:
        procs = {}
        for pid in roots:
            if pid <= 0:
                continue
            try:
                p = self._procs.get(pid) or self.psutil.Process(pid)
                self._procs[pid] = p
                procs[pid] = p
                for c in p.children(recursive=True) if recursive else ():
                    procs[c.pid] = self._procs.setdefault(c.pid, c)
            except self.psutil.Error:
                continue
        return list(procs.values())

    def snapshot(self) -> dict:
        out = {"t": time.monotonic()}
        for name, roots in self.groups.items():
            cpu = rss = threads = 0.0
            n = 0
            for p in self._tree(roots(), self.recursive.get(name, True)):
                try:
                    with p.oneshot():
                        t = p.cpu_times()
                        cpu += t.user + t.system
                        rss += p.memory_info().rss
                        threads += p.num_threads()
                        n += 1
                except self.psutil.Error:
                    continue
            out[name] = {"cpu": cpu, "rss": rss, "threads": threads, "procs": n}
        t = self.psutil.cpu_times()  # the whole machine, every process of every user
        busy = sum(t) - t.idle - getattr(t, "iowait", 0.0)
        out["machine"] = {"cpu": busy, "rss": 0, "threads": 0, "procs": 0}
        return out

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append(self.snapshot())
            self._stop.wait(self.interval)

    def start(self) -> ProcSampler:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)


def usage_between(a: dict, b: dict, samples: list[dict], name: str) -> dict:
    """CPU (% of one core) between snapshots a and b, and peak RSS (MiB) in between."""
    dt = b["t"] - a["t"]
    cpu = (b[name]["cpu"] - a[name]["cpu"]) / dt * 100 if dt > 0 else None
    window = [s[name] for s in samples if a["t"] <= s["t"] <= b["t"] and name in s]
    window += [a[name], b[name]]
    return {
        "cpu_pct_of_one_core": None if cpu is None else round(cpu, 1),
        "rss_peak_mib": round(max(w["rss"] for w in window) / 2**20, 1),
        "threads_peak": int(max(w["threads"] for w in window)),
        "procs": int(b[name]["procs"]),
    }


# --- clients ------------------------------------------------------------------------------

FILLER = (
    "meer ruimte voor water in de stad, groene daken en minder verharding in de wijk",
    "laat boeren en natuurorganisaties samen de bodem beheren, met een eerlijke prijs",
    "bouw woningen bij stations en houd het buitengebied open voor landschap en recreatie",
    "maak de energietransitie zichtbaar: zonnevelden langs de snelweg, niet op goede grond",
)


def new_text(rng: random.Random) -> tuple[str, str]:
    marker = "lt" + uuid.uuid4().hex[:16]
    return marker, f"{marker} {rng.choice(FILLER)}"


@dataclass
class Tally:
    """Latencies (seconds) and outcomes per kind of request."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    answered_at: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    errors: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    bad_5xx: list[str] = field(default_factory=list)  # 5xx bodies that are no Dutch error page

    def record(self, kind: str, started: float, response: httpx.Response | None = None,
               error: BaseException | None = None) -> None:
        if response is not None:
            self.statuses[kind][response.status_code] += 1
            now = time.perf_counter()
            self.latencies[kind].append(now - started)
            self.answered_at[kind].append(now)
            if response.status_code >= 500:
                body = response.text
                if "Er ging iets mis" not in body or "Traceback" in body:
                    self.bad_5xx.append(f"{kind} {response.status_code}: {body[:300]!r}")
        else:
            self.errors[kind][type(error).__name__] += 1

    def count(self, kind: str, *codes: int) -> int:
        return sum(n for c, n in self.statuses[kind].items() if not codes or c in codes)


CLIENTS = ("aiohttp", "httpx")
_client_kind = "httpx"  # the fault tests' client; the benchmarks choose (--client)


def use_client(kind: str) -> None:
    """Which client the simulated devices use from now on: "aiohttp" (aio_client.py, a
    fifth of httpx's CPU per request, so the load generator leaves the server the cores) or
    "httpx"."""
    global _client_kind
    if kind not in CLIENTS:
        raise ValueError(f"no client {kind!r}; one of {CLIENTS}")
    _client_kind = kind


def make_client(base: str, timeout: float = 30.0, connections: int = 1):
    """A simulated device's client (``use_client``), with ``connections`` of its own, like a real phone or browser tab (a browser opens a
    second connection when a request waits while the first is busy, such as a post sent
    while the page's poll is still out).

    (httpx's pool gets expensive per request when one pool holds many connections: on this
    machine about 1 ms of client CPU per request with one connection per client, 3-11 ms with
    200 requests sharing one pool, so every simulated device gets its own.)
    """
    if _client_kind == "aiohttp":
        from . import aio_client  # only the benchmarks need aiohttp

        return aio_client.Client(base, timeout=timeout, connections=connections)
    transport = httpx.AsyncHTTPTransport(
        limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections,
                            keepalive_expiry=2.0),
        retries=0,
    )
    return httpx.AsyncClient(transport=transport, base_url=base, follow_redirects=False,
                             timeout=httpx.Timeout(timeout, connect=timeout))


class Gate:
    """Bounds the requests in flight across all simulated devices."""

    def __init__(self, limit: int):
        self.sem = asyncio.Semaphore(limit)
        self.limit = limit


class Phone:
    """One participant's phone: a cookie jar, the CSRF token of its page, the open round."""

    connections = 1  # at once to the server (make_client)

    def __init__(self, base: str, code: str, tally: Tally, n: int = 0,
                 gate: Gate | None = None):
        self.client = make_client(base, connections=self.connections)
        self.gate = gate
        self.code = code
        self.tally = tally
        self.n = n
        self.csrf = ""
        self.round_id = ""
        self.v = 0

    async def _req(self, kind: str, method: str, url: str, **kw) -> httpx.Response:
        async with self.gate.sem if self.gate else contextlib.nullcontext():
            started = time.perf_counter()
            try:
                r = await self.client.request(method, url, **kw)
            except httpx.HTTPError as e:
                self.tally.record(kind, started, error=e)
                raise
            self.tally.record(kind, started, r)
            return r

    def _read_phone_page(self, page: str) -> None:
        self.csrf = CSRF_HEADER.search(page).group(1)
        self.round_id = ROUND_ID.search(page).group(1)
        self.v = int(STATE_V.search(page).group(1))

    async def join(self, via_code_form: bool = True) -> None:
        """Type the code on the start page, accept the notice, land on the phone page."""
        if via_code_form:
            page = (await self._req("join GET /", "GET", "/")).text
            r = await self._req("join POST /join", "POST", "/join", data={
                "csrf_token": CSRF_FORM.search(page).group(1), "code": self.code})
            if r.status_code != 303:
                raise RuntimeError(f"POST /join answered {r.status_code}")
        page = (await self._req("join GET welkom", "GET", f"/w/{self.code}/welkom")).text
        r = await self._req("join POST welkom", "POST", f"/w/{self.code}/welkom", data={
            "csrf_token": CSRF_FORM.search(page).group(1), "display_name": f"Deelnemer {self.n}"})
        if r.status_code != 303:
            raise RuntimeError(f"POST welkom answered {r.status_code}")
        r = await self._req("join GET phone", "GET", f"/w/{self.code}")
        if r.status_code != 200:
            raise RuntimeError(f"GET phone answered {r.status_code}")
        self._read_phone_page(r.text)

    async def poll_state(self) -> int:
        r = await self._req("GET status", "GET", f"/w/{self.code}/status",
                            params={"v": self.v}, headers={"HX-Request": "true"})
        if r.status_code == 200:
            m = STATE_V.search(r.text)
            if m:
                self.v = int(m.group(1))
        return r.status_code

    async def post(self, text: str, client_key: str) -> httpx.Response:
        return await self._req("POST bijdragen", "POST", f"/w/{self.code}/bijdragen", data={
            "csrf_token": self.csrf, "round_id": self.round_id, "text": text,
            "client_key": client_key}, headers={"HX-Request": "true"})

    async def post_until_acknowledged(self, text: str, client_key: str, deadline: float,
                                      retry_delay: float = 0.3) -> tuple[bool, int]:
        """Like the phone outbox: re-send with the same key until the server says "Ontvangen"
        (200) or refuses (other 4xx); returns (acknowledged, attempts)."""
        attempts = 0
        while time.monotonic() < deadline:
            attempts += 1
            try:
                r = await self.post(text, client_key)
            except httpx.HTTPError:
                r = None
            if r is not None and acknowledged(r):
                return True, attempts
            if r is not None and 400 <= r.status_code < 500 and r.status_code not in (408, 429):
                return False, attempts
            await asyncio.sleep(retry_delay * (0.5 + random.random()))  # noqa: S311
        return False, attempts

    async def aclose(self) -> None:
        await self.client.aclose()


def acknowledged(r: httpx.Response) -> bool:
    """What the phone takes as "stored": a 200 saying Ontvangen, or a plain form's 303."""
    return (r.status_code == 200 and "Ontvangen" in r.text) or r.status_code == 303


class Wall:
    """A beamer wall: logged in as the facilitator, polling the cursor like the htmx page."""

    def __init__(self, base: str, werkplaats_id: int, tally: Tally, name="wall",
                 gate: Gate | None = None):
        self.client = make_client(base)
        self.gate = gate
        self.wid = werkplaats_id
        self.tally = tally
        self.name = name
        self.cursor = 0
        self.v = 0
        self.seen: dict[str, float] = {}  # marker -> perf_counter when it first showed
        self.duplicates: list[str] = []
        self.cursors: list[int] = []  # every cursor a change answer moved to
        self.gaps: list[str] = []  # answers whose number of cards != the cursor's step
        self.reloads = 0
        self.failures = 0
        self.wake_ups: Counter[str] = Counter()  # held waits: moved / busy / failed
        self.live = f"/f/werkplaatsen/{werkplaats_id}/live"  # as the page says (see_live_url)
        self.server_gap = 0.0  # seconds, as the last wake-up said (its "gap")
        self.gaps_said: Counter[int] = Counter()  # wake-ups per "gap" (ms) they said

    async def login(self, email: str = FACILITATOR[0], password: str = FACILITATOR[1]) -> None:
        page = (await self.client.get("/login")).text
        r = await self.client.post("/login", data={
            "csrf_token": CSRF_FORM.search(page).group(1), "email": email, "password": password})
        if r.status_code != 303:
            raise RuntimeError(f"login answered {r.status_code}")
        page = (await self.client.get(f"/f/werkplaatsen/{self.wid}/wall")).text
        self.see_live_url(page)
        self.cursor = int(WALL_CURSOR.search(page).group(1))
        self.v = int(WALL_VERSION.search(page).group(1))
        self.cursors.append(self.cursor)
        for text in CARD_TEXT.findall(page):
            for m in MARKER.findall(html.unescape(text)):
                self.seen.setdefault(m, time.perf_counter())

    async def poll_once(self) -> int:
        kind = "GET wall wijzigingen"
        async with self.gate.sem if self.gate else contextlib.nullcontext():
            started = time.perf_counter()
            try:
                r = await self.client.get(
                    f"/f/werkplaatsen/{self.wid}/wall/wijzigingen",
                    params={"after": self.cursor, "v": self.v}, headers={"HX-Request": "true"})
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
        if r.headers.get("HX-Retarget") == "#wall":  # rounds changed: the whole wall again
            self.reloads += 1
            self.v = int(WALL_VERSION.search(body).group(1))
            self.cursor = int(WALL_CURSOR.search(body).group(1))
            for text in CARD_TEXT.findall(body):
                for m in MARKER.findall(html.unescape(text)):
                    self.seen.setdefault(m, now)
            return 200
        new_cursor = int(WALL_CURSOR.search(body).group(1))
        cards = CARD_TEXT.findall(body)
        if new_cursor <= self.cursor:
            self.gaps.append(f"cursor went from {self.cursor} to {new_cursor}")
        elif len(CHANGE.findall(body)) != new_cursor - self.cursor:
            # Only new posts in these runs: each seq is one card, so a mismatch is a gap.
            self.gaps.append(
                f"{len(CHANGE.findall(body))} cards for seq {self.cursor + 1}..{new_cursor}")
        for text in cards:
            for m in MARKER.findall(html.unescape(text)):
                if m in self.seen:
                    self.duplicates.append(m)
                else:
                    self.seen[m] = now
        self.cursor = new_cursor
        self.cursors.append(new_cursor)
        return 200

    def see_live_url(self, page: str) -> None:
        """Wait where the page says (its ``data-live``), as live.js does."""
        if found := LIVE_URL.search(page):
            self.live = html.unescape(found.group(1))

    async def wait_moved(self) -> str:
        """live.js's held wait (``/live?after=&v=``): "moved", "busy" or "failed"."""
        kind = "GET live (held)"
        started = time.perf_counter()
        sep = "&" if "?" in self.live else "?"
        try:
            r = await self.client.get(f"{self.live}{sep}after={self.cursor}&v={self.v}",
                                      timeout=60)
        except httpx.HTTPError as e:
            self.tally.record(kind, started, error=e)
            return "failed"
        self.tally.record(kind, started, r)
        try:
            state = r.json() if r.status_code == 200 else None
        except ValueError:
            state = None
        if state is None:
            return "failed"
        self.server_gap = (state.get("gap") or 0) / 1000  # live.js: the wake-up's "gap"
        self.gaps_said[int(state.get("gap") or 0)] += 1
        return "busy" if state.get("busy") else "moved"

    async def run(self, stop: asyncio.Event, interval: float = 0.5, push: bool = False,
                  gap: float = 0.1, retry: float = 30.0) -> None:
        """The page's loop (static/js/live.js). With ``push``: a held wait, then a fetch by
        cursor, at most one fetch per ``gap``; after a failed or refused wait, the plain poll
        for ``retry`` seconds. Without: ``every 500ms`` with ``hx-sync="this:drop"``."""
        if not push:
            await self._poll_loop(stop, interval)
            return
        push_off_until = 0.0
        while not stop.is_set():
            fetched = time.monotonic()
            if fetched < push_off_until:
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

    async def _poll_loop(self, stop: asyncio.Event, interval: float) -> None:
        start = time.monotonic()
        k = 0
        while not stop.is_set():
            await self.poll_once()
            k = max(k + 1, int((time.monotonic() - start) / interval) + 1)
            delay = start + k * interval - time.monotonic()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), max(0.0, delay))

    async def aclose(self) -> None:
        await self.client.aclose()


def machine_facts() -> dict:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "nproc": os.cpu_count(),
        "cpu_model": model,
        "loadavg": [round(x, 2) for x in os.getloadavg()],
        "python": sys.version.split()[0],
    }


def count_rows(database_url: str, werkplaats_id: int) -> dict:
    """What the database holds for a werkplaats: texts with their counts, and the seqs."""
    import sqlalchemy as sa

    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT text, seq FROM contribution WHERE werkplaats_id = :w ORDER BY seq"),
                {"w": werkplaats_id}).all()
            last_seq = conn.execute(sa.text("SELECT last_seq FROM werkplaats WHERE id = :w"),
                                    {"w": werkplaats_id}).scalar_one()
    finally:
        engine.dispose()
    markers = Counter()
    for text, _seq in rows:
        for m in MARKER.findall(text):
            markers[m] += 1
    return {"markers": markers, "seqs": [s for _t, s in rows], "last_seq": last_seq}
