"""Run the room: participants post, +1 and dot-vote through a round while walls watch.

    .venv/bin/python -m tests.bench.bench_room --db both --participants 150 --out /tmp/room.json

A benchmark, not a test: it reports figures and checks, and is not part of ``make test``.
Per database it starts everything on 127.0.0.1 and removes it again (the harness: a
throwaway PostgreSQL with fsync on, ``flask db upgrade`` + ``flask seed-demo``, gunicorn with
gunicorn.conf.py), then, all over real HTTP:

1. join: ``--participants`` phones join the demo werkplaats through start page, code, notice
   and phone page, spread over ``--join-seconds``; each then polls its round state as often as
   its page says (NOVIWERK_PHONE_POLL_SECONDS, longer in a big room: web/phone_page.py). Two walls and one beamer poll
   ``wall/wijzigingen?after=<cursor>`` every 500 ms; the facilitator's control view polls its
   status every 2 s and is reloaded every ``--regie-reload-seconds`` (10).
2. the facilitator (logged in, CSRF tokens from the pages) edits round 1 through the round
   form so that participants see each other's contributions and can +1 them, and puts round 1
   on the beamer.
3. open-input round, ``--round-seconds`` long: every phone posts 2 or 3 texts at uniformly
   random moments (so, given the count, Poisson arrivals); every phone also opens "Wat
   anderen inbrachten" twice at random moments and +1s one or two contributions not its own.
4. drain: until every wall shows every acknowledged post and every +1 count (deadline).
5. dot-voting: the facilitator adds a voting round with ``--votes`` dots through the round
   form, picks the ``--options`` most supported contributions in the control view, puts the
   round on the beamer and opens it. Phones see it by their poll and spend their dots, with
   a few seconds of thought before each. The facilitator closes the round and reveals the
   result; the beamer's next answer carries it.
6. checks against the database: every acknowledged post stored once, every +1 and every dot
   acknowledged stored (and nothing else), the revealed totals equal to the dots
   acknowledged, every post on every wall, no 5xx.

POST latency of a post counts from the moment it was due (any wait in the client included;
"client send lag" says how much); post->wall counts from that moment until a wall's answer
held the text. +1 and dot latencies count from when the request was started. Server CPU and
RSS come from psutil on gunicorn's master and workers, PostgreSQL's processes apart.
``--account`` also serves the app counted (tests/bench/accounted_app.py) and prints, for the
round and the vote, the server's CPU by kind of request.
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
import sys
import tempfile
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import httpx

from . import cpu_cap
from .harness import (
    CARD_TEXT,
    CLIENTS,
    CSRF_FORM,
    CSRF_HEADER,
    FACILITATOR,
    MARKER,
    ROUND_ID,
    STATE_V,
    WALL_CURSOR,
    WALL_VERSION,
    Gate,
    Phone,
    ProcSampler,
    Server,
    Tally,
    Wall,
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

PHASE_DEADLINE = 150.0  # seconds: no phase runs longer than this, whatever happens

CARD = re.compile(r'<li id="c-(\d+)"[^>]*>(.*?)</li>', re.S)
CARD_SUPPORT = re.compile(r'<span class="count">\+(\d+)</span>')
# The round panel's own poll, with the phone's cursor: what phone.js asks every 5 s.
PANEL_POLL = re.compile(r'<section id="round-panel"[^>]*?hx-get="([^"]+)"', re.S)
# ... and how often: a big room's phones poll less often (web/phone_page.poll_seconds).
PANEL_EVERY = re.compile(r'<section id="round-panel"[^>]*?hx-trigger="every (\d+)s"', re.S)
OTHER = re.compile(r'<li id="o-(\d+)"[^>]*>(.*?)</li>', re.S)
VOTE_URL = re.compile(r'/stem/(\d+)"')
VOTES_USED = re.compile(r'id="vote-budget">\D*(\d+)\D+(\d+)')
VOTE_BAR = re.compile(r'<li class="vote-bar">(.*?)</li>', re.S)
VOTE_TEXT = re.compile(r'<span class="vote-text">(.*?)</span>', re.S)
VOTE_COUNT = re.compile(r'<span class="vote-count">(\d+) stem')
REGIE_CURSOR = re.compile(r'id="regie-cursor" name="after" value="(\d+)"')
REGIE_VERSION = re.compile(r'id="regie-version" name="v" value="(\d+)"')
CANDIDATE = re.compile(
    r'name="bijdrage" value="(\d+)"[^>]*> <label[^>]*>(.*?) <span class="meta">\(([^)]*)\)', re.S)
ROUND_EDIT = re.compile(r'/rondes/(\d+)/bewerken"')


def marker_in(fragment: str) -> str | None:
    found = MARKER.findall(html.unescape(fragment))
    return found[0] if found else None


class _Forms(HTMLParser):
    """The fields of every form on a page, as a browser would submit them untouched."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, str]] = []
        self._select: str | None = None
        self._picked = False
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({})
            return
        if not self.forms:
            return
        fields = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields[name] = a.get("value", "on")
            elif kind not in ("submit", "button"):
                fields[name] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""
        elif tag == "select" and name:
            self._select, self._picked = name, False
        elif tag == "option" and self._select:
            if "selected" in a or not self._picked:
                fields[self._select] = a.get("value") or ""
                self._picked = self._picked or "selected" in a

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1][self._textarea] += data


def form_with(page: str, field: str) -> dict[str, str]:
    parser = _Forms()
    parser.feed(page)
    for fields in parser.forms:
        if field in fields:
            return fields
    raise RuntimeError(f"no form with a field {field!r} on the page")


# --- the devices ----------------------------------------------------------------------------


class Facilitator:
    """The facilitator's laptop: logged in, acting through the same forms as the browser."""

    def __init__(self, base: str, wid: int, tally: Tally):
        self.client = make_client(base)
        self.wid = wid
        self.tally = tally
        self.csrf = ""
        self.actions: list[dict] = []  # what was done, its status and time

    async def _req(self, kind: str, method: str, url: str, **kw) -> httpx.Response:
        started = time.perf_counter()
        try:
            r = await self.client.request(method, url, **kw)
        except httpx.HTTPError as e:
            self.tally.record(kind, started, error=e)
            raise
        self.tally.record(kind, started, r)
        return r

    async def login(self) -> None:
        page = (await self._req("facilitator GET", "GET", "/login")).text
        r = await self._req("facilitator POST", "POST", "/login", data={
            "csrf_token": CSRF_FORM.search(page).group(1),
            "email": FACILITATOR[0], "password": FACILITATOR[1]})
        if r.status_code != 303:
            raise RuntimeError(f"facilitator login answered {r.status_code}")
        page = await self.control()
        self.csrf = CSRF_HEADER.search(page).group(1)

    async def control(self, rid: int | None = None) -> str:
        r = await self._req("facilitator GET regie", "GET", f"/f/werkplaatsen/{self.wid}/regie",
                            params={"ronde": rid} if rid else None)
        if r.status_code != 200:
            raise RuntimeError(f"control view answered {r.status_code}")
        return r.text

    async def act(self, what: str, url: str, data: dict | list | None = None) -> httpx.Response:
        """POST a form like the button does; anything but the 303 back is an error."""
        body: dict[str, list[str]] = {"csrf_token": [self.csrf]}
        for k, v in (data.items() if isinstance(data, dict) else data or []):
            body.setdefault(k, []).append(v)  # a field may repeat (checkboxes)
        t = time.perf_counter()
        r = await self._req("facilitator POST", "POST", url, data=body)
        self.actions.append({"action": what, "status": r.status_code,
                             "ms": round((time.perf_counter() - t) * 1000, 1)})
        if r.status_code != 303:
            raise RuntimeError(f"facilitator {what}: answered {r.status_code}: {r.text[:300]!r}")
        return r

    async def save_round(self, rid: int | None, **changes) -> None:
        """Open the round form (new or existing), change some fields, save."""
        url = (f"/f/werkplaatsen/{self.wid}/rondes/{rid}/bewerken" if rid
               else f"/f/werkplaatsen/{self.wid}/rondes/nieuw")
        fields = form_with((await self._req("facilitator GET", "GET", url)).text, "prompt")
        for k, v in changes.items():
            if v is None or v is False:
                fields.pop(k, None)  # an unticked checkbox is not sent
            else:
                fields[k] = "y" if v is True else str(v)
        fields.pop("csrf_token", None)
        await self.act(f"save round {rid or 'new'}", url, fields)

    async def round_ids(self) -> list[int]:
        page = (await self._req("facilitator GET", "GET", f"/f/werkplaatsen/{self.wid}")).text
        return sorted({int(x) for x in ROUND_EDIT.findall(page)})

    async def candidates(self, rid: int) -> list[tuple[int, str | None, int]]:
        """(contribution id, marker, +1s) of what the control view offers for voting."""
        out = []
        for cid, text, meta in CANDIDATE.findall(await self.control(rid)):
            support = re.search(r"\+(\d+)", meta)
            out.append((int(cid), marker_in(text), int(support.group(1)) if support else 0))
        return out

    async def status_loop(self, stop: asyncio.Event, reload_every: float = 10.0) -> None:
        """The control view: its change poll (by cursor, as the page's own poller asks) every
        second, and a reload every ``reload_every`` s (0: loaded once, never reloaded)."""
        forever = float("inf")
        while not stop.is_set():
            try:
                page = await self.control()
            except (httpx.HTTPError, RuntimeError):  # counted by _req / as a non-200; retry
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(stop.wait(), 2.0)
                continue
            poll = re.search(r'hx-get="([^"]*/regie/wijzigingen[^"]*)"', page)
            cursor = REGIE_CURSOR.search(page)
            version = REGIE_VERSION.search(page)
            params = {"after": cursor.group(1) if cursor else "0",
                      "v": version.group(1) if version else "-1"}
            reloaded = time.monotonic()
            period = reload_every if reload_every > 0 else forever
            while poll and not stop.is_set() and time.monotonic() - reloaded < period:
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(stop.wait(), 1.0)
                if stop.is_set():
                    break
                try:
                    r = await self._req("facilitator GET changes", "GET",
                                        html.unescape(poll.group(1)), params=params)
                except httpx.HTTPError:
                    continue
                if r.status_code == 200:
                    if m := REGIE_CURSOR.search(r.text):
                        params["after"] = m.group(1)
                    if m := REGIE_VERSION.search(r.text):
                        params["v"] = m.group(1)
            if reload_every <= 0:
                await stop.wait()
                return
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(
                    stop.wait(), max(0.0, reload_every - (time.monotonic() - reloaded)))

    async def aclose(self) -> None:
        await self.client.aclose()


class RoomPhone(Phone):
    """A phone that also reads others' contributions, gives +1s and spends its dots."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.vote_options: list[int] = []
        self.vote_seen_at: float | None = None  # perf_counter of the poll that showed them
        self.supported: set[int] = set()

    cursor_polls = True  # as the page polls: with its cursor (s=) and others' round (o=)
    poll_every: int | None = None  # seconds, as the page says (hx-trigger)

    def _read_phone_page(self, page: str) -> None:
        super()._read_phone_page(page)
        self._read_poll_url(page)

    def _read_poll_url(self, body: str) -> None:
        if m := PANEL_POLL.search(body):
            self.poll_url = html.unescape(m.group(1))
        if m := PANEL_EVERY.search(body):
            self.poll_every = int(m.group(1))

    async def poll_state(self) -> int:
        if self.cursor_polls and getattr(self, "poll_url", None):
            r = await self._req("GET status", "GET", self.poll_url,
                                headers={"HX-Request": "true"})
        else:
            r = await self._req("GET status", "GET", f"/w/{self.code}/status",
                                params={"v": self.v}, headers={"HX-Request": "true"})
        if r.status_code == 200:
            body = r.text
            self._read_poll_url(body)
            if m := STATE_V.search(body):
                self.v = int(m.group(1))
            if m := ROUND_ID.search(body):
                self.round_id = m.group(1)
            if 'id="vote-title"' in body:
                options = [int(x) for x in dict.fromkeys(VOTE_URL.findall(body))]
                if options and not self.vote_options:
                    self.vote_seen_at = time.perf_counter()
                self.vote_options = options
        return r.status_code

    async def others(self) -> list[tuple[int, bool]]:
        """"Lijst verversen": (contribution id, already +1'd) of others' contributions."""
        r = await self._req("GET anderen", "GET", f"/w/{self.code}/anderen",
                            headers={"HX-Request": "true"})
        if r.status_code != 200:
            return []
        return [(int(cid), 'aria-pressed="true"' in body) for cid, body in OTHER.findall(r.text)]

    async def support(self, cid: int) -> httpx.Response:
        return await self._req("POST steun", "POST", f"/w/{self.code}/steun/{cid}",
                               data={"csrf_token": self.csrf}, headers={"HX-Request": "true"})

    async def vote(self, cid: int) -> httpx.Response:
        return await self._req("POST stem", "POST", f"/w/{self.code}/stem/{cid}",
                               data={"csrf_token": self.csrf, "delta": "1"},
                               headers={"HX-Request": "true"})


class RoomWall(Wall):
    """A wall (``view="wall"``) or the beamer (``view="beamer"``).

    Unlike the harness' wall it expects cards to come back: a +1 moves a card past the
    cursor again, and dots move the cursor with no card at all. So it checks that the cursor
    never goes back, that no answer holds a card twice or more cards than the cursor moved,
    and keeps the last +1 count it showed per card.
    """

    def __init__(self, *a, view: str = "wall", **kw):
        super().__init__(*a, **kw)
        self.view = view
        self.support: dict[int, int] = {}  # card id -> +1 count last shown
        self.card_marker: dict[int, str] = {}
        self.anomalies: list[str] = []
        self.results: dict[str, int] | None = None  # revealed dots per option (beamer)
        self.results_at: float | None = None

    async def login(self, email: str = FACILITATOR[0], password: str = FACILITATOR[1]) -> None:
        page = (await self.client.get("/login")).text
        r = await self.client.post("/login", data={
            "csrf_token": CSRF_FORM.search(page).group(1), "email": email, "password": password})
        if r.status_code != 303:
            raise RuntimeError(f"login answered {r.status_code}")
        page = (await self.client.get(f"/f/werkplaatsen/{self.wid}/{self.view}")).text
        self._whole(page, time.perf_counter())

    def _cards(self, body: str, now: float, whole: bool) -> int:
        ids = []
        for cid, inner in CARD.findall(body):
            cid = int(cid)
            ids.append(cid)
            m = CARD_TEXT.search(inner)
            marker = marker_in(m.group(1)) if m else None
            if marker:
                self.card_marker[cid] = marker
                self.seen.setdefault(marker, now)
            s = CARD_SUPPORT.search(inner)
            self.support[cid] = int(s.group(1)) if s else 0
        if len(ids) != len(set(ids)):
            self.anomalies.append(f"a card twice in one {'page' if whole else 'answer'}")
        return len(ids)

    def _whole(self, body: str, now: float) -> None:
        self.see_live_url(body)
        cursor = int(WALL_CURSOR.search(body).group(1))
        if cursor < self.cursor:
            self.anomalies.append(f"cursor went back from {self.cursor} to {cursor} (reload)")
        self.cursor = cursor
        self.cursors.append(cursor)
        self.v = int(WALL_VERSION.search(body).group(1))
        self._cards(body, now, whole=True)
        if 'class="vote-bars"' in body:
            results = {}
            for bar in VOTE_BAR.findall(body):
                marker = marker_in(VOTE_TEXT.search(bar).group(1))
                results[marker] = int(VOTE_COUNT.search(bar).group(1))
            if self.results is None:
                self.results_at = now
            self.results = results

    async def poll_once(self) -> int:
        kind = f"GET {self.view} wijzigingen"
        params = {"after": self.cursor, "v": self.v}
        if self.view == "beamer":
            params["view"] = "beamer"
        async with self.gate.sem if self.gate else contextlib.nullcontext():
            started = time.perf_counter()
            try:
                r = await self.client.get(f"/f/werkplaatsen/{self.wid}/wall/wijzigingen",
                                          params=params, headers={"HX-Request": "true"})
            except httpx.HTTPError as e:
                self.tally.record(kind, started, error=e)
                self.failures += 1
                return -1
            self.tally.record(kind, started, r)
        now = time.perf_counter()
        if r.status_code != 200:
            if r.status_code != 204:
                self.failures += 1
            return r.status_code
        if r.headers.get("HX-Retarget") in ("#wall", "#beamer"):
            self.reloads += 1
            self._whole(r.text, now)
            return 200
        new_cursor = int(WALL_CURSOR.search(r.text).group(1))
        if new_cursor < self.cursor:
            self.anomalies.append(f"cursor went back from {self.cursor} to {new_cursor}")
        cards = self._cards(r.text, now, whole=False)
        if cards > new_cursor - self.cursor:
            self.anomalies.append(f"{cards} cards for seq {self.cursor + 1}..{new_cursor}")
        self.cursor = new_cursor
        self.cursors.append(new_cursor)
        return 200


# --- one run --------------------------------------------------------------------------------


def read_accounts(directory: Path) -> dict[str, tuple[int, float]]:
    """accounted_app's totals of every server process added up: kind → (requests, CPU s)."""
    totals: dict[str, tuple[int, float]] = {}
    for path in directory.glob("*.json"):
        with contextlib.suppress(OSError, ValueError):
            for kind, (n, cpu) in json.loads(path.read_text()).items():
                n0, cpu0 = totals.get(kind, (0, 0.0))
                totals[kind] = (n0 + n, cpu0 + cpu)
    return totals


class RoomRun:
    def __init__(self, args, db: str):
        self.args = args
        self.db = db
        self.rng = random.Random(args.seed)
        self.results: dict = {"db": db}
        self.account: Path | None = None  # --account: where the server's totals are
        self.account_marks: dict[str, dict] = {}
        self.due: dict[str, float] = {}  # marker -> when its post was due (perf_counter)
        self.acked: set[str] = set()
        self.post_lat: list[float] = []
        self.post_answered: list[float] = []  # when each of post_lat's answers came
        self.post_lags: list[float] = []
        self.support_acked: Counter = Counter()  # contribution id -> +1s answered 200
        self.support_confirmed = 0  # of those, answers that showed the +1 pressed
        self.support_refused: Counter = Counter()
        self.vote_acked: Counter = Counter()  # contribution id -> dots answered 200
        self.vote_mismatch = 0  # 200 answers whose "x van je n" did not count the dot
        self.vote_refused: Counter = Counter()
        self.vote_seen_delay: list[float] = []

    def usage(self, a, b) -> dict:
        out = {k: usage_between(a, b, self.sampler.samples, k) for k in [*self.groups, "machine"]}
        ours = sum(out[k]["cpu_pct_of_one_core"] or 0 for k in self.groups)
        out["others_cpu_pct"] = round((out["machine"]["cpu_pct_of_one_core"] or 0) - ours, 1)
        out["seconds"] = round(b["t"] - a["t"], 1)
        return out

    def statuses(self, kind: str) -> dict:
        return {str(k): v for k, v in sorted(self.tally.statuses[kind].items())}

    def errors(self, kind: str) -> dict:
        return dict(self.tally.errors[kind])

    # -- phones ------------------------------------------------------------------------------

    async def poll_loop(self, phone: RoomPhone, stop: asyncio.Event) -> None:
        period = phone.poll_every or self.args.phone_poll_seconds
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), self.rng.uniform(0, period))
        while not stop.is_set():
            t = time.monotonic()
            with contextlib.suppress(httpx.HTTPError):
                await phone.poll_state()
            period = phone.poll_every or self.args.phone_poll_seconds  # as the page says
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), max(0.0, period - (time.monotonic() - t)))

    async def join(self, phones: list[RoomPhone], poll_tasks: list, stop: asyncio.Event) -> dict:
        spacing = self.args.join_seconds / len(phones)
        durations, failed = [], []

        async def one(i: int, phone: RoomPhone):
            await asyncio.sleep(i * spacing)
            t = time.perf_counter()
            try:
                await phone.join()
            except (httpx.HTTPError, RuntimeError, AttributeError) as e:
                failed.append(f"{type(e).__name__}: {e}"[:200])
                return
            durations.append(time.perf_counter() - t)
            poll_tasks.append(asyncio.create_task(self.poll_loop(phone, stop)))

        await asyncio.wait_for(asyncio.gather(*(one(i, p) for i, p in enumerate(phones))),
                               PHASE_DEADLINE)
        return {"joined": len(durations), "failed": len(failed), "failures": failed[:5],
                "join_ms": summary_ms(durations)}

    async def post_at(self, phone: RoomPhone, start: float, offset: float) -> None:
        due = start + offset
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        marker, text = new_text(self.rng)
        self.due[marker] = due
        self.post_lags.append(time.perf_counter() - due)
        try:
            r = await phone.post(text, marker)
        except httpx.HTTPError:
            return
        self.post_lat.append(time.perf_counter() - due)
        self.post_answered.append(time.perf_counter())
        if acknowledged(r):
            self.acked.add(marker)

    async def support_sessions(self, phone: RoomPhone, start: float,
                               offsets: list[float]) -> None:
        """Now and then open "Wat anderen inbrachten" and +1 one or two of them, thinking
        in between. One phone, one page: its sessions follow each other, and it never
        presses a +1 twice (the button toggles: a second press takes the +1 back)."""
        for offset in sorted(offsets):
            await asyncio.sleep(max(0.0, start + offset - time.perf_counter()))
            await self.support_session(phone)

    async def support_session(self, phone: RoomPhone) -> None:
        try:
            listed = await phone.others()
        except httpx.HTTPError:
            return
        choices = [cid for cid, pressed in listed if not pressed and cid not in phone.supported]
        for cid in self.rng.sample(choices, min(len(choices), self.rng.choice((1, 2)))):
            await asyncio.sleep(self.rng.uniform(1.0, 3.0))
            phone.supported.add(cid)
            try:
                r = await phone.support(cid)
            except httpx.HTTPError:
                continue
            if r.status_code == 200:
                self.support_acked[cid] += 1
                if re.search(rf'id="steun-{cid}" class="[^"]*primary[^"]*" aria-pressed="true"',
                             r.text):
                    self.support_confirmed += 1
            else:
                self.support_refused[r.status_code] += 1

    async def spend_dots(self, phone: RoomPhone, opened: float, deadline: float) -> None:
        """Wait until the poll shows the vote, then spend every dot, a few seconds apart."""
        while not phone.vote_options and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        if not phone.vote_options:
            return
        self.vote_seen_delay.append(phone.vote_seen_at - opened)
        used = 0
        for _dot in range(self.args.votes):
            await asyncio.sleep(self.rng.uniform(1.0, 5.0))
            if time.monotonic() > deadline:
                return
            cid = self.rng.choice(phone.vote_options)
            try:
                r = await phone.vote(cid)
            except httpx.HTTPError:
                continue
            if r.status_code != 200:
                self.vote_refused[r.status_code] += 1
                continue
            self.vote_acked[cid] += 1
            used += 1
            m = VOTES_USED.search(r.text)
            if not m or int(m.group(1)) != used:
                self.vote_mismatch += 1

    async def within(self, phase: str, aws: list) -> None:
        """Run ``aws`` together for at most PHASE_DEADLINE seconds. What is still running then
        is cancelled and counted under ``overran`` (a request cancelled in flight was never
        acknowledged), and the run goes on to its checks: an overloaded server is a result."""
        tasks = [asyncio.ensure_future(a) for a in aws]
        done, pending = await asyncio.wait(tasks, timeout=PHASE_DEADLINE)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        for task in done:
            task.result()  # a bug in the benchmark still stops it
        if pending:
            self.results.setdefault("overran", {})[phase] = {
                "unfinished_tasks": len(pending), "of": len(tasks), "after_s": PHASE_DEADLINE}
            print(f"[{self.db}] {phase}: {len(pending)} of {len(tasks)} tasks unfinished after "
                  f"{PHASE_DEADLINE:.0f} s, cancelled", flush=True)

    # -- waiting for the walls ---------------------------------------------------------------

    def walls_caught_up(self) -> bool:
        for wall in self.walls:
            if not self.acked <= wall.seen.keys():
                return False
            if any(wall.support.get(cid, 0) != n for cid, n in self.support_acked.items()):
                return False
        return True

    async def drain(self, timeout: float) -> float:
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout and not self.walls_caught_up():
            await asyncio.sleep(0.1)
        return round(time.monotonic() - t0, 1)

    # -- the run -----------------------------------------------------------------------------

    def timeline(self, start: float, end: float, step: float = 5.0) -> list[dict]:
        """Per ``step`` seconds from ``start``: how many answers of each busy kind came, and
        their p95 in ms (when a run falls behind, where it began)."""
        kinds = {"post": (self.post_answered, self.post_lat)}
        for kind in ("POST steun", "GET anderen", "GET status", "POST stem"):
            kinds[kind] = (self.tally.answered_at[kind], self.tally.latencies[kind])
        rows = []
        t = start
        while t < end:
            row: dict = {"t": round(t - start)}
            for kind, (at, lat) in kinds.items():
                here = [x for a, x in zip(at, lat, strict=False) if t <= a < t + step]
                if here:
                    row[kind] = (len(here), round(summary_ms(here)["p95"]))
            rows.append(row)
            t += step
        return rows

    def account_at(self, mark: str) -> None:
        """``--account``: the server's CPU by kind of request so far (accounted_app.py)."""
        if self.account:  # as each process wrote it, at most a second ago
            self.account_marks[mark] = read_accounts(self.account)

    def accounted(self, start: str, end: str) -> list | None:
        """``--account``: kinds of request between two marks, most CPU first: (kind,
        requests, CPU s, ms each)."""
        if not self.account:
            return None
        a, b = self.account_marks[start], self.account_marks[end]
        rows = []
        for kind, (n, cpu) in b.items():
            n0, cpu0 = a.get(kind, (0, 0.0))
            if n > n0:
                rows.append((kind, n - n0, round(cpu - cpu0, 2), round((cpu - cpu0) / (n - n0) * 1000, 2)))
        return sorted(rows, key=lambda r: -r[2])

    async def main(self) -> dict:
        args = self.args
        self.tmp = Path(tempfile.mkdtemp(prefix=f"noviwerk-room-{self.db}-"))
        (url,), pg = throwaway_database(self.db, self.tmp)
        self.server_pids = lambda: []
        self.groups = {"server": lambda: self.server_pids(), "client": lambda: [os.getpid()]}
        if pg:
            self.groups["postgres"] = pg.pids
        self.sampler = ProcSampler(self.groups, interval=1.0, recursive={"client": False})
        self.sampler.start()
        server = None
        devices: list = []
        try:
            room = prepare_room(url, self.tmp / "instance")
            workers = args.pg_workers if self.db == "postgres" else args.sqlite_workers
            self.account = self.tmp / "account" if args.account else None
            extra = {"NOVIWERK_ACCOUNT_DIR": str(self.account)} if self.account else {}
            server = Server(app_env(url, room.instance,
                                    NOVIWERK_PHONE_POLL_SECONDS=str(args.phone_poll_seconds),
                                    **extra),
                            app="tests.bench.accounted_app:app" if self.account else "wsgi:app",
                            workers=workers or None, threads=args.threads or None,
                            active_threads=args.active_threads,
                            log=self.tmp / "gunicorn.log").start()
            self.server_pids = lambda s=server: [s.master_pid]
            self.results["server"] = {
                "processes": len(server.worker_pids()),
                "threads": int(server.env.get("NOVIWERK_THREADS", "32")),
                "active_threads": args.active_threads,  # None: gunicorn.conf.py's default
            }
            self.results["machine_before"] = machine_facts()
            self.tally = Tally()
            gate = Gate(args.client_gate) if args.client_gate else None
            RoomPhone.connections = args.phone_connections
            self.results["client"] = {"phone_connections": args.phone_connections,
                                      "gate": args.client_gate or None}
            wid = room.werkplaats_id
            self.walls = [RoomWall(server.url, wid, self.tally, f"wall{i}", gate, view="wall")
                          for i in range(args.walls - 1)]
            self.walls.append(RoomWall(server.url, wid, self.tally, "beamer", gate,
                                       view="beamer"))
            fac = Facilitator(server.url, wid, self.tally)
            phones = [RoomPhone(server.url, room.code, self.tally, i, gate)
                      for i in range(args.participants)]
            for phone in phones:
                phone.cursor_polls = not args.state_only_polls
            devices = [*self.walls, fac, *phones]
            await fac.login()
            for wall in self.walls:
                await wall.login()
            stop_walls, stop_polls, stop_control = (asyncio.Event() for _ in range(3))
            wall_tasks = [asyncio.create_task(w.run(stop_walls, push=not args.poll)) for w in self.walls]
            poll_tasks: list = []
            marks = {"start": self.sampler.snapshot()}

            # 1. join
            self.results["join"] = await self.join(phones, poll_tasks, stop_polls)
            marks["joined"] = self.sampler.snapshot()
            joined = [p for p in phones if p.csrf]
            print(f"[{self.db}] joined {len(joined)}/{len(phones)}", flush=True)

            # 2. the facilitator allows +1s in round 1 and puts it on the beamer
            round1 = int(joined[0].round_id)
            await fac.save_round(round1, is_support_allowed=True)
            await fac.act("beamer: round 1", f"/f/werkplaatsen/{wid}/regie/beamer",
                          {"ronde": round1})
            control_task = asyncio.create_task(fac.status_loop(stop_control, args.regie_reload_seconds))
            # phones see the change by poll, at the interval their page names
            await asyncio.sleep(max(p.poll_every or args.phone_poll_seconds for p in joined) + 1)

            # 3. the open-input round
            posts = [(self.rng.uniform(0, args.round_seconds), p)
                     for p in joined for _ in range(self.rng.choice((2, 3)))]
            sessions = [(p, [self.rng.uniform(0.15, 1.0) * args.round_seconds
                             for _ in range(2)]) for p in joined]
            marks["round"] = self.sampler.snapshot()
            self.account_at("round")
            start = time.perf_counter()
            await self.within("round", [
                *(self.post_at(p, start, t) for t, p in posts),
                *(self.support_sessions(p, start, ts) for p, ts in sessions)])
            round_took = time.perf_counter() - start
            marks["round_done"] = self.sampler.snapshot()
            self.account_at("round_done")
            drained = await self.drain(30)
            print(f"[{self.db}] round: {len(self.acked)}/{len(posts)} posts acknowledged, "
                  f"{sum(self.support_acked.values())} +1s, walls caught up after {drained} s",
                  flush=True)
            post_to_wall = [w.seen[m] - self.due[m]
                            for w in self.walls for m in self.acked if m in w.seen]
            self.results["round"] = {
                "seconds": round(round_took, 1),
                "posts_offered": len(posts),
                "posts_sent": len(self.due),
                "posts_acknowledged": len(self.acked),
                "posts_per_s": round(len(self.acked) / round_took, 2),
                "post_ms": summary_ms(self.post_lat),
                "client_send_lag_ms": summary_ms(self.post_lags),
                "post_to_wall_ms": summary_ms(post_to_wall),
                "post_statuses": self.statuses("POST bijdragen"),
                "post_errors": self.errors("POST bijdragen"),
                "support_sent": sum(self.support_acked.values())
                + sum(self.support_refused.values()) + sum(self.errors("POST steun").values()),
                "support_acknowledged": sum(self.support_acked.values()),
                "support_confirmed_in_answer": self.support_confirmed,
                "support_refused": dict(self.support_refused),
                "support_ms": summary_ms(self.tally.latencies["POST steun"]),
                "support_statuses": self.statuses("POST steun"),
                "support_errors": self.errors("POST steun"),
                "others_list_ms": summary_ms(self.tally.latencies["GET anderen"]),
                "state_poll_ms": summary_ms(self.tally.latencies["GET status"]),
                "state_poll_statuses": self.statuses("GET status"),
                "walls_caught_up_after_s": drained,
                "usage": self.usage(marks["round"], marks["round_done"]),
                "timeline": self.timeline(start, start + round_took + drained),
                "cpu_by_request": self.accounted("round", "round_done"),
            }
            stop_control.set()
            await control_task

            # 4. dot-voting
            before = set(await fac.round_ids())
            await fac.save_round(None, prompt="Welke drie wegen het zwaarst? Verdeel je stippen.",
                                 kind="stemmen", votes_per_participant=args.votes,
                                 planned_minutes=10, grace_seconds=0, is_support_allowed=False)
            vote_round = max(set(await fac.round_ids()) - before)
            candidates = await fac.candidates(vote_round)
            ranked = sorted(candidates, key=lambda c: -c[2])[: args.options]
            option_markers = {cid: marker for cid, marker, _s in ranked}
            await fac.act("vote options", f"/f/werkplaatsen/{wid}/regie/rondes/{vote_round}/keuzes",
                          [("bijdrage", str(cid)) for cid, _m, _s in ranked])
            await fac.act("beamer: vote", f"/f/werkplaatsen/{wid}/regie/beamer",
                          {"ronde": vote_round})
            marks["vote"] = self.sampler.snapshot()
            self.account_at("vote")
            await fac.act("open vote", f"/f/werkplaatsen/{wid}/regie/rondes/{vote_round}/openen")
            opened = time.perf_counter()
            deadline = time.monotonic() + args.vote_deadline
            await self.within("vote", [self.spend_dots(p, opened, deadline) for p in joined])
            vote_took = time.perf_counter() - opened
            marks["vote_done"] = self.sampler.snapshot()
            self.account_at("vote_done")
            await fac.act("close vote", f"/f/werkplaatsen/{wid}/regie/rondes/{vote_round}/sluiten")
            revealed_at = time.perf_counter()
            await fac.act("reveal", f"/f/werkplaatsen/{wid}/regie/rondes/{vote_round}/uitslag",
                          {"tonen": "1"})
            beamer = self.walls[-1]
            t0 = time.monotonic()
            while beamer.results is None and time.monotonic() - t0 < 15:
                await asyncio.sleep(0.1)
            page = (await fac._req("facilitator GET beamer", "GET",
                                   f"/f/werkplaatsen/{wid}/beamer")).text
            page_results = {}
            for bar in VOTE_BAR.findall(page):
                page_results[marker_in(VOTE_TEXT.search(bar).group(1))] = int(
                    VOTE_COUNT.search(bar).group(1))
            acked_by_marker = {option_markers[cid]: n for cid, n in self.vote_acked.items()}
            acked_by_marker = {m: acked_by_marker.get(m, 0) for m in option_markers.values()}
            print(f"[{self.db}] vote: {sum(self.vote_acked.values())} dots acknowledged, "
                  f"beamer result {'seen' if beamer.results is not None else 'NOT seen'}",
                  flush=True)
            self.results["vote"] = {
                "options": len(ranked),
                "votes_per_participant": args.votes,
                "seconds_open": round(vote_took, 1),
                "phones_saw_vote": len(self.vote_seen_delay),
                "open_to_phone_sees_ms": summary_ms(self.vote_seen_delay),
                "dots_acknowledged": sum(self.vote_acked.values()),
                "dots_refused": dict(self.vote_refused),
                "dot_answers_not_counting_it": self.vote_mismatch,
                "dot_ms": summary_ms(self.tally.latencies["POST stem"]),
                "dot_statuses": self.statuses("POST stem"),
                "dot_errors": self.errors("POST stem"),
                "reveal_to_beamer_ms": None if beamer.results_at is None
                else round((beamer.results_at - revealed_at) * 1000, 1),
                "beamer_fragment_totals_equal_acknowledged": beamer.results == acked_by_marker,
                "beamer_page_totals_equal_acknowledged": page_results == acked_by_marker,
                "acknowledged_per_option": sorted(acked_by_marker.values(), reverse=True),
                "beamer_fragment_per_option": sorted((beamer.results or {}).values(),
                                                     reverse=True),
                "usage": self.usage(marks["vote"], marks["vote_done"]),
                "timeline": self.timeline(opened, opened + vote_took),
                "cpu_by_request": self.accounted("vote", "vote_done"),
            }

            stop_polls.set()
            stop_walls.set()
            await asyncio.gather(*poll_tasks, *wall_tasks)
            marks["end"] = self.sampler.snapshot()
            self.results["whole_run_usage"] = self.usage(marks["start"], marks["end"])
            self.results["join"]["usage"] = self.usage(marks["start"], marks["joined"])
            self.results["facilitator_actions"] = fac.actions
            self.results["facilitator_control_view_ms"] = summary_ms(
                self.tally.latencies["facilitator GET regie"])
            self.results["control_view_probe"] = await self.probe_control_view(fac, round1)
            self.results["wall_poll_ms"] = {
                view: summary_ms(self.tally.latencies[f"GET {view} wijzigingen"])
                for view in ("wall", "beamer")}
            self.results["walls"] = [{
                "name": w.name, "seen_acknowledged": len(self.acked & w.seen.keys()),
                "missing": len(self.acked - w.seen.keys()), "anomalies": w.anomalies[:5],
                "reloads": w.reloads, "failed_polls": w.failures, "wake_ups": dict(w.wake_ups),
                "gaps_said_ms": dict(w.gaps_said),
                "support_counts_equal_acknowledged": all(
                    w.support.get(cid, 0) == n for cid, n in self.support_acked.items()),
            } for w in self.walls]
            self.results["database"] = self.check_database(url, room.werkplaats_id, vote_round,
                                                           option_markers)
            self.results["http_5xx"] = sum(n for c in self.tally.statuses.values()
                                           for code, n in c.items() if code >= 500)
            self.results["transport_errors"] = {k: dict(v) for k, v in self.tally.errors.items()
                                                if v}
            self.results["bad_5xx_bodies"] = self.tally.bad_5xx[:5]
            self.results["server_log_errors"] = [
                line for line in server.log_text().splitlines()
                if "Traceback" in line or "ERROR" in line or "CRITICAL" in line][:10]
            self.results["machine_after"] = machine_facts()
        finally:
            for device in devices:
                with contextlib.suppress(Exception):
                    await device.aclose()
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

    async def probe_control_view(self, fac: Facilitator, round1: int, loads: int = 5) -> dict:
        """With phones and walls stopped: the server's CPU for one load of the control view
        of round 1 (its cards, signals and clustering), one load after the other."""
        lat = []
        a = self.sampler.snapshot()
        for _ in range(loads):
            t = time.perf_counter()
            size = len(await fac.control(round1))
            lat.append(time.perf_counter() - t)
        b = self.sampler.snapshot()
        return {"loads": loads, "latency_ms": summary_ms(lat), "characters": size,
                "server_cpu_ms_per_load": round((b["server"]["cpu"] - a["server"]["cpu"])
                                                / loads * 1000, 1)}

    def check_database(self, url: str, wid: int, vote_round: int, options: dict) -> dict:
        import sqlalchemy as sa

        rows = count_rows(url, wid)
        engine = sa.create_engine(url)
        try:
            with engine.connect() as conn:
                supports = Counter(dict(conn.execute(sa.text(
                    "SELECT contribution_id, count(*) FROM support GROUP BY contribution_id"))
                    .all()))
                support_column = dict(conn.execute(sa.text(
                    "SELECT id, support_count FROM contribution WHERE werkplaats_id = :w"),
                    {"w": wid}).all())
                votes = Counter(dict(conn.execute(sa.text(
                    "SELECT contribution_id, count(*) FROM vote WHERE round_id = :r "
                    "GROUP BY contribution_id"), {"r": vote_round}).all()))
        finally:
            engine.dispose()
        stored = rows["markers"]
        return {
            "posts_acknowledged": len(self.acked),
            "posts_acknowledged_missing": len(self.acked - stored.keys()),
            "posts_stored_twice": sum(1 for n in stored.values() if n > 1),
            "posts_stored_not_acknowledged": len(stored.keys() - self.acked),
            "supports_stored": sum(supports.values()),
            "supports_equal_acknowledged": supports == +self.support_acked,
            "support_count_column_equal": all(
                support_column.get(cid, 0) == n for cid, n in supports.items()),
            "dots_stored": sum(votes.values()),
            "dots_equal_acknowledged": votes == +self.vote_acked,
            "dots_only_on_options": set(votes) <= set(options),
        }


# --- report ---------------------------------------------------------------------------------


def render_markdown(report: dict) -> str:
    runs = report["runs"]
    m = report["machine"]
    lines = [
        f"Machine: nproc {m['nproc']}, {m['cpu_model']}; load average before {m['loadavg']}, "
        f"after {report['machine_after']['loadavg']}; Python {m['python']}.",
        *([f"Held to {cap['pct_of_one_core']} % of one core: throttled {cap['nr_throttled']} "
           f"times, {cap['throttled_time'] / 1e9:.1f} s in all."]
          if (cap := report.get("cpu_cap")) else []),
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
            except (KeyError, TypeError, AttributeError):
                cells.append("–")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    def lat(d):
        return f"{d['p50']} / {d['p95']} / {d['p99']} (n={d['n']})"

    def cpu(u, k):
        return u[k]["cpu_pct_of_one_core"]

    rd, vt = "round", "vote"
    row("gunicorn processes × threads (at work at once)",
        lambda r: "{} × {} ({})".format(r["server"]["processes"], r["server"]["threads"],
                                        r["server"].get("active_threads", "default")))
    row("load generator: connections per phone; requests in flight at most",
        lambda r: "{}; {}".format(r.get("client", {}).get("phone_connections", 1),
                                  r.get("client", {}).get("gate") or "no limit"))
    row("phases cut off after the deadline (unfinished tasks)",
        lambda r: "; ".join(f"{k}: {v['unfinished_tasks']} of {v['of']}"
                            for k, v in r.get("overran", {}).items()) or "none")
    row("joined / failed", lambda r: f"{r['join']['joined']} / {r['join']['failed']}")
    row("join (6 requests) p50 / p95 / p99 ms", lambda r: lat(r["join"]["join_ms"]))
    row("round: posts sent / acknowledged, posts/s",
        lambda r: f"{r[rd]['posts_sent']} / {r[rd]['posts_acknowledged']}, "
        f"{r[rd]['posts_per_s']}")
    row("**post: POST p50 / p95 / p99 ms**", lambda r: lat(r[rd]["post_ms"]))
    row("**post → wall p50 / p95 / p99 ms** (every wall)", lambda r: lat(r[rd]["post_to_wall_ms"]))
    row("post: client send lag p95 ms", lambda r: r[rd]["client_send_lag_ms"]["p95"])
    row("+1s sent / acknowledged", lambda r: f"{r[rd]['support_sent']} / "
        f"{r[rd]['support_acknowledged']}")
    row("**+1: POST p50 / p95 / p99 ms**", lambda r: lat(r[rd]["support_ms"]))
    row("others' list (GET anderen) p50 / p95 / p99 ms", lambda r: lat(r[rd]["others_list_ms"]))
    row("state poll p50 / p95 / p99 ms", lambda r: lat(r[rd]["state_poll_ms"]))
    row("control view (GET regie) p50 / p95 / p99 ms",
        lambda r: lat(r["facilitator_control_view_ms"]))
    row("wall / beamer poll p50 / p95 / p99 ms",
        lambda r: f"{lat(r['wall_poll_ms']['wall'])}; {lat(r['wall_poll_ms']['beamer'])}")
    row("control view of round 1 alone afterwards: server CPU ms per load / p50 ms / size",
        lambda r: f"{r['control_view_probe']['server_cpu_ms_per_load']} / "
        f"{r['control_view_probe']['latency_ms']['p50']} / "
        f"{r['control_view_probe']['characters'] / 1e6:.1f} M characters")
    row("round: server CPU % of one core", lambda r: cpu(r[rd]["usage"], "server"))
    row("round: PostgreSQL CPU %", lambda r: cpu(r[rd]["usage"], "postgres"))
    row("round: client CPU %", lambda r: cpu(r[rd]["usage"], "client"))
    row("round: other processes' CPU %", lambda r: r[rd]["usage"]["others_cpu_pct"])
    row("round: server RSS peak MiB / threads",
        lambda r: f"{r[rd]['usage']['server']['rss_peak_mib']} / "
        f"{r[rd]['usage']['server']['threads_peak']}")
    row("vote: phones that saw it / open → phone saw it p50 / p95 ms",
        lambda r: f"{r[vt]['phones_saw_vote']} / {r[vt]['open_to_phone_sees_ms']['p50']} / "
        f"{r[vt]['open_to_phone_sees_ms']['p95']}")
    row("vote: dots acknowledged (of participants × votes)",
        lambda r: f"{r[vt]['dots_acknowledged']} (of {r['join']['joined'] * r[vt]['votes_per_participant']})")
    row("**dot: POST p50 / p95 / p99 ms**", lambda r: lat(r[vt]["dot_ms"]))
    row("vote: server CPU %", lambda r: cpu(r[vt]["usage"], "server"))
    row("vote: PostgreSQL CPU %", lambda r: cpu(r[vt]["usage"], "postgres"))
    row("vote: other processes' CPU %", lambda r: r[vt]["usage"]["others_cpu_pct"])
    row("revealed totals = dots acknowledged (beamer fragment / beamer page / DB)",
        lambda r: f"{r[vt]['beamer_fragment_totals_equal_acknowledged']} / "
        f"{r[vt]['beamer_page_totals_equal_acknowledged']} / "
        f"{r['database']['dots_equal_acknowledged']}")
    row("reveal → on the beamer ms", lambda r: r[vt]["reveal_to_beamer_ms"])
    row("whole run: server CPU % / RSS peak MiB",
        lambda r: f"{cpu(r['whole_run_usage'], 'server')} / "
        f"{r['whole_run_usage']['server']['rss_peak_mib']}")
    row("DB: posts acknowledged / missing / stored twice",
        lambda r: f"{r['database']['posts_acknowledged']} / "
        f"{r['database']['posts_acknowledged_missing']} / {r['database']['posts_stored_twice']}")
    row("DB: +1s stored = acknowledged; support_count column right",
        lambda r: f"{r['database']['supports_equal_acknowledged']}; "
        f"{r['database']['support_count_column_equal']}")
    row("walls: posts missing / anomalies / +1 counts right",
        lambda r: "; ".join(f"{w['missing']}/{len(w['anomalies'])}/"
                            f"{w['support_counts_equal_acknowledged']}" for w in r["walls"]))
    row("5xx / transport errors", lambda r: f"{r['http_5xx']} / "
        f"{sum(sum(v.values()) for v in r['transport_errors'].values())}")
    for r in runs:  # where a run fell behind: answers and p95 ms per 5 s
        for phase in ("round", "vote"):
            rows = r[phase].get("timeline") or []
            kinds = sorted({k for row in rows for k in row if k != "t"})
            lines += ["", f"{r['db']}, {phase} by 5 s: answers / p95 ms", "",
                      "| s | " + " | ".join(kinds) + " |", "|---" * (len(kinds) + 1) + "|"]
            lines += ["| " + " | ".join([str(row["t"])] + [
                f"{row[k][0]} / {row[k][1]}" if k in row else "" for k in kinds]) + " |"
                for row in rows]
    for r in runs:  # --account: where the server's CPU went, by kind of request
        for phase in ("round", "vote"):
            rows = r[phase].get("cpu_by_request")
            if not rows:
                continue
            spent = sum(cpu for _k, _n, cpu, _e in rows)
            lines += ["", f"{r['db']}, {phase}: server CPU in the app by kind of request "
                      f"({spent:.1f} s in all; waitress' loop and hand-over not counted)", "",
                      "| request | count | CPU s | share | ms each |", "|---|---|---|---|---|"]
            lines += [f"| `{kind}` | {n} | {cpu:.2f} | {cpu / spent:.0%} | {each} |"
                      for kind, n, cpu, each in rows[:15]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    p.add_argument("--participants", type=int, default=150)
    p.add_argument("--join-seconds", type=float, default=15)
    p.add_argument("--round-seconds", type=float, default=60)
    p.add_argument("--votes", type=int, default=3, help="dots per participant")
    p.add_argument("--options", type=int, default=8, help="contributions up for the vote")
    p.add_argument("--vote-deadline", type=float, default=60)
    p.add_argument("--walls", type=int, default=3, help="walls, the last of them the beamer")
    p.add_argument("--phone-poll-seconds", type=int, default=5)
    p.add_argument("--regie-reload-seconds", type=float, default=10,
                   help="the facilitator reloads the control view this often (0: never)")
    p.add_argument("--sqlite-workers", type=int, default=0,
                   help="0: gunicorn.conf.py's default (two on two cores)")
    p.add_argument("--pg-workers", type=int, default=0, help="0: gunicorn.conf.py's default")
    p.add_argument("--threads", type=int, default=0,
                   help="threads per server process; 0: gunicorn.conf.py's default")
    p.add_argument("--active-threads", type=int, default=None,
                   help="of those, how many run the app at once (NOVIWERK_ACTIVE_THREADS; "
                        "0: all); not given: gunicorn.conf.py's default")
    p.add_argument("--state-only-polls", action="store_true",
                   help="phones poll with their state version alone (runs C and D did), not "
                        "with their cursor as the page does")
    p.add_argument("--poll", action="store_true",
                   help="walls poll every 500 ms instead of waiting for push (live.js)")
    p.add_argument("--phone-connections", type=int, default=2,
                   help="connections a phone may open at once, as a browser does when its "
                        "post goes out while its poll is still waiting (runs up to N: 1)")
    p.add_argument("--client-gate", type=int, default=0,
                   help="requests in flight across all devices of the load generator; 0: no "
                        "such queue, as 1,000 real phones have none (runs up to N: 400)")
    p.add_argument("--seed", type=int, default=20261123)
    p.add_argument("--out", type=Path, help="also write the figures as JSON (and .md) here")
    p.add_argument("--keep", action="store_true", help="keep the temporary databases and logs")
    p.add_argument("--client", choices=CLIENTS, default="aiohttp",
                   help="the simulated devices' HTTP client: aiohttp takes a fifth of httpx's "
                        "CPU per request (tests/bench/aio_client.py); runs before 2026-12-03 "
                        "used httpx")
    p.add_argument("--account", action="store_true",
                   help="count the server's CPU by kind of request (tests/bench/accounted_app.py) "
                        "and print where the round's and the vote's went")
    p.add_argument("--cpu-cap", type=int, default=0, metavar="PCT",
                   help="hold the whole room (server, database, load generator) to PCT %% of "
                        "one core, to see how much headroom is left (tests/bench/cpu_cap.py)")
    args = p.parse_args(argv)
    use_client(args.client)
    if args.cpu_cap:
        cpu_cap.hold_to(args.cpu_cap)

    report = {
        "command": " ".join([".venv/bin/python -m tests.bench.bench_room",
                             *(sys.argv[1:] if argv is None else argv)]),
        "machine": machine_facts(),
        "runs": [],
    }
    for db in (["sqlite", "postgres"] if args.db == "both" else [args.db]):
        report["runs"].append(asyncio.run(RoomRun(args, db).main()))
        if args.out:  # each database's figures as soon as they are in
            args.out.write_text(json.dumps(report, indent=2, default=str))
    report["machine_after"] = machine_facts()
    if args.cpu_cap:
        report["cpu_cap"] = {"pct_of_one_core": args.cpu_cap, **cpu_cap.throttled()}
    text = render_markdown(report)
    print(text)
    if args.out:
        args.out.write_text(json.dumps(report, indent=2, default=str))
        args.out.with_suffix(".md").write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
