"""Nothing lost, across processes and through faults.

Phones post the way the outbox does: each text has its own client key and is re-sent with
that key until the server acknowledges it (200 "Ontvangen"). A wall polls
"everything after cursor N". While they work, a fault strikes. Afterwards:

- every text is stored exactly once, acknowledged ones included (client keys de-duplicate
  the re-sends of posts whose answer was lost);
- the wall saw every post exactly once, its cursor only went up, and each answer held
  exactly the cards for the seqs it moved over (no gap, no double);
- every 5xx was the Dutch error page, never a traceback (a refused connection is the phone
  script's to explain).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import time
from pathlib import Path

import pytest

from tests.bench.harness import (
    Phone,
    Server,
    Tally,
    Wall,
    app_env,
    count_rows,
    new_text,
)

from .conftest import BACKEND

pytestmark = pytest.mark.fault

WORKERS = 2  # as gunicorn.conf.py starts them on two cores, for SQLite and PostgreSQL

def _run_isolated(coro):
    """asyncio.run in a thread of its own: Playwright's sync API (the browser tests) leaves
    an event loop on the main thread, where asyncio.run refuses to start another."""
    import threading

    box: dict = {}

    def target():
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as e:  # re-raised in the test's thread
            box["error"] = e

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]



def cpu_ticks(pid: int) -> int:
    """utime + stime of a process, from /proc (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0
    return int(fields[11]) + int(fields[12])


def server_for(room, threads: int = 8, extra_env: dict | None = None, **kw) -> Server:
    # The log sits in the test's tmp_path (pytest keeps the last few runs' for a post-mortem).
    log = room.instance.parent / f"gunicorn-{len(list(room.instance.parent.glob('gunicorn-*')))}.log"
    env = app_env(room.database_url, room.instance, **(extra_env or {}))
    return Server(env, workers=WORKERS, threads=threads, log=log, **kw)


def start_server(room, **kw) -> Server:
    return server_for(room, **kw).start()


async def phones_and_wall(url: str, room, n: int, tally: Tally, wall_url: str | None = None):
    phones = []
    for i in range(n):
        phones.append(Phone(url, room.code, tally, i))
        # Each client builds a TLS context (~40 ms of CPU, synchronous): let the loop's other
        # tasks run between them, or slow clients that dribble a byte a second go quiet for
        # seconds and are cut as idle (test_slow_clients).
        await asyncio.sleep(0)
    await asyncio.gather(*(p.join(via_code_form=False) for p in phones))
    wall = Wall(wall_url or url, room.werkplaats_id, tally)
    await wall.login()
    return phones, wall


async def round_with_fault(url: str, room, fault, *, phones_n=16, posts_each=4, pause=0.0,
                           budget=35.0) -> dict:
    """Phones post (outbox-style) while ``fault(progress)`` runs; returns what happened."""
    tally = Tally()
    rng = random.Random(7)
    phones, wall = await phones_and_wall(url, room, phones_n, tally)
    stop_wall = asyncio.Event()
    wall_task = asyncio.create_task(wall.run(stop_wall, interval=0.2))
    deadline = time.monotonic() + budget
    texts: dict[str, dict] = {}

    async def phone_round(phone: Phone):
        for _ in range(posts_each):
            marker, text = new_text(rng)
            texts[marker] = {"acked": False}
            ok, attempts = await phone.post_until_acknowledged(text, marker, deadline, 0.25)
            texts[marker] = {"acked": ok, "attempts": attempts}
            if pause:
                await asyncio.sleep(rng.uniform(0, 2 * pause))

    def progress() -> int:
        return sum(1 for t in texts.values() if t["acked"])

    fault_task = asyncio.create_task(fault(progress))
    try:
        await asyncio.gather(*(phone_round(p) for p in phones))
        fault_info = await asyncio.wait_for(fault_task, 30)
        # Let the wall catch up with the database, then stop it.
        last_seq = count_rows(room.database_url, room.werkplaats_id)["last_seq"]
        catch_up = time.monotonic() + 10
        while wall.cursor < last_seq and time.monotonic() < catch_up:
            await asyncio.sleep(0.1)
    finally:
        stop_wall.set()
        await wall_task
        for device in [*phones, wall]:
            await device.aclose()
        if not fault_task.done():
            fault_task.cancel()
    return {"tally": tally, "texts": texts, "wall": wall, "fault": fault_info}


GUNICORN_500 = "<title>Internal Server Error</title>"


def assert_nothing_lost(result: dict, room, *, known_bare_500: bool = False) -> None:
    texts, wall, tally = result["texts"], result["wall"], result["tally"]
    unacked = [m for m, t in texts.items() if not t["acked"]]
    assert not unacked, f"{len(unacked)} posts never acknowledged; statuses {tally.statuses}"
    rows = count_rows(room.database_url, room.werkplaats_id)
    stored = rows["markers"]
    assert {m: stored.get(m, 0) for m in texts if stored.get(m, 0) != 1} == {}
    assert set(stored) == set(texts)  # nothing stored that no phone sent
    seqs = rows["seqs"]
    assert sorted(seqs) == list(range(1, len(seqs) + 1)) and rows["last_seq"] == len(seqs)
    # The wall: every post once, cursor only up, each answer exactly the seqs it covered.
    assert wall.gaps == []
    assert wall.duplicates == []
    assert all(a < b for a, b in zip(wall.cursors, wall.cursors[1:], strict=False))
    assert wall.cursor == rows["last_seq"]
    assert set(texts) <= set(wall.seen)
    assert not [b for b in tally.bad_5xx if "Traceback" in b], tally.bad_5xx[:3]
    if known_bare_500 and tally.bad_5xx and all(GUNICORN_500 in b for b in tally.bad_5xx):
        pytest.xfail(
            f"known bug: {len(tally.bad_5xx)} answers were gunicorn's bare 'Internal Server "
            "Error' page, not the Dutch one: an exception escaped Flask (the session teardown's "
            "ROLLBACK on a connection PostgreSQL ended, or the 500 handler loading the "
            "logged-in user from the database)"
        )
    assert tally.bad_5xx == [], tally.bad_5xx[:3]


def resent(result: dict) -> int:
    return sum(t["attempts"] - 1 for t in result["texts"].values())


# --- across processes ------------------------------------------------------------------


def test_post_accepted_by_one_server_shows_on_a_wall_of_another(room):
    """Two gunicorn servers on one database (PostgreSQL: 2 processes each): posts through
    either show on walls served by the other, by the database cursor alone. How soon is
    printed, not asserted: on a shared machine a time limit fails for reasons of its own."""
    a, b = server_for(room).launch(), server_for(room).launch()
    try:
        a.wait_ready()
        b.wait_ready()

        async def scenario():
            tally = Tally()
            rng = random.Random(3)
            phones_a, wall_on_b = await phones_and_wall(a.url, room, 4, tally, wall_url=b.url)
            phones_b, wall_on_a = await phones_and_wall(b.url, room, 4, tally, wall_url=a.url)
            stop = asyncio.Event()
            walls = [wall_on_a, wall_on_b]
            tasks = [asyncio.create_task(w.run(stop, interval=0.5)) for w in walls]
            sent: dict[str, tuple[float, Wall]] = {}

            async def post(phone, other_wall):
                marker, text = new_text(rng)
                t0 = time.perf_counter()
                r = await phone.post(text, marker)
                assert r.status_code == 200 and "Ontvangen" in r.text
                sent[marker] = (t0, other_wall)

            pairs = [(p, wall_on_b) for p in phones_a] + [(p, wall_on_a) for p in phones_b]
            for _ in range(3):
                await asyncio.gather(*(post(p, w) for p, w in pairs))
                await asyncio.sleep(0.4)
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and not all(
                m in w.seen for m, (_t, w) in sent.items()
            ):
                await asyncio.sleep(0.05)
            stop.set()
            await asyncio.gather(*tasks)
            for device in [*phones_a, *phones_b, *walls]:
                await device.aclose()
            return sent, walls

        sent, walls = _run_isolated(scenario())
        delays = sorted(w.seen[m] - t0 for m, (t0, w) in sent.items() if m in w.seen)
        assert len(delays) == len(sent), "a post never showed on the other server's wall"
        # The wall asks twice a second: a post shows within ~0.5 s plus one request.
        print(f"\non the other server's wall after {delays[len(delays) // 2]:.2f} s (median), "
              f"{delays[-1]:.2f} s (slowest)")
        for w in walls:
            assert w.gaps == [] and w.duplicates == []
            assert set(sent) <= set(w.seen)  # each wall has all 24, from both servers
    finally:
        a.stop()
        b.stop()


# --- faults ------------------------------------------------------------------------------


def test_kill_9_of_a_worker_during_a_burst_loses_and_doubles_nothing(room):
    server = start_server(room)
    try:
        victim: dict = {}

        async def kill_a_worker(progress):
            while progress() < 20:
                await asyncio.sleep(0.01)
            # The worker busy right now (most CPU in the last 0.2 s): with several workers,
            # the phones' kept-alive connections may all sit on one of them.
            before = {pid: cpu_ticks(pid) for pid in server.worker_pids()}
            await asyncio.sleep(0.2)
            pid = max(before, key=lambda p: cpu_ticks(p) - before[p])
            os.kill(pid, signal.SIGKILL)
            victim["pid"] = pid
            victim["at"] = progress()
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:  # gunicorn's master forks a new one
                pids = server.worker_pids()
                if len(pids) == WORKERS and pid not in pids:
                    return victim
                await asyncio.sleep(0.05)
            return victim

        # 12 posts a phone: on a fast machine 16 phones sent their 4 each within the 0.2 s the
        # victim is chosen in, and the kill hit no request in flight.
        result = _run_isolated(round_with_fault(server.url, room, kill_a_worker, posts_each=12))
        assert result["fault"]["pid"] not in server.worker_pids()
        tally = result["tally"]
        felt = sum(sum(c.values()) for c in tally.errors.values()) + sum(
            n for c in tally.statuses.values() for code, n in c.items() if code >= 500)
        assert felt >= 1, "the kill hit no request in flight; the test proves nothing"
        assert_nothing_lost(result, room)
        print(f"\nkill -9 after {result['fault']['at']} acks: {felt} failed requests, "
              f"{resent(result)} re-sends, errors {dict(tally.errors)}")
    finally:
        server.stop()


def test_restart_of_the_whole_server_during_a_round(room):
    server = start_server(room)
    try:

        async def restart(progress):
            while progress() < 20:
                await asyncio.sleep(0.01)
            t0 = time.monotonic()
            await asyncio.to_thread(server.stop, signal.SIGTERM)  # what a deploy does
            stopped = time.monotonic()
            await asyncio.to_thread(server.start)  # same port, same secret key: phones go on
            return {"stop_s": stopped - t0, "down_s": time.monotonic() - t0, "at": progress()}

        result = _run_isolated(round_with_fault(server.url, room, restart, pause=0.15))
        assert_nothing_lost(result, room)
        print(f"\nrestart after {result['fault']['at']} acks, stop {result['fault']['stop_s']:.1f} s, "
              f"down {result['fault']['down_s']:.1f}"
              f" s: {resent(result)} re-sends, errors {dict(result['tally'].errors)}")
    finally:
        server.stop()


@pytest.mark.skipif(BACKEND != "postgres", reason="PostgreSQL mode only")
def test_postgresql_stopped_and_started_during_a_round(room, pg_cluster):
    server = start_server(room)
    try:

        async def bounce_postgres(progress):
            while progress() < 20:
                await asyncio.sleep(0.01)
            at = progress()
            await asyncio.to_thread(pg_cluster.stop, "fast")  # ends every session
            await asyncio.sleep(2.0)
            during = progress()
            await asyncio.to_thread(pg_cluster.start)
            return {"at": at, "acked_while_down": during - at}

        result = _run_isolated(round_with_fault(server.url, room, bounce_postgres, pause=0.15))
        tally = result["tally"]
        fivexx = sum(n for c in tally.statuses.values() for code, n in c.items() if code >= 500)
        assert fivexx >= 1, "no request met the outage; the test proves nothing"
        print(f"\nPostgreSQL down 2 s after {result['fault']['at']} acks: {fivexx} answers 5xx "
              f"({len(tally.bad_5xx)} not the Dutch page), {resent(result)} re-sends")
        assert_nothing_lost(result, room, known_bare_500=True)  # and every 5xx the Dutch page
    finally:
        server.stop()
        if not pg_cluster.pids():
            pg_cluster.start()
