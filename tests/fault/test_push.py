"""Push across processes: a post accepted by one server process wakes a wall waiting on
another, within a fraction of a second, on the database the suite runs on (two gunicorn
servers on one database: SQLite file or PostgreSQL). The wall then fetches the post by
cursor, as the page does. And a process whose waits are all taken refuses the next at once
(the screen polls), instead of leaving it without an answer."""

from __future__ import annotations

import asyncio
import random
import time

import pytest

from tests.bench.harness import Phone, Server, Tally, Wall, app_env, new_text

from .test_faults import _run_isolated

pytestmark = pytest.mark.fault


def _server(room, name: str, **env: str) -> Server:
    """One gunicorn master with one worker process, its log in the test's tmp_path."""
    log = room.instance.parent / f"gunicorn-{name}.log"
    return Server(app_env(room.database_url, room.instance, **env), workers=1, threads=8,
                  log=log).start()


def test_a_post_accepted_by_one_process_wakes_a_wall_waiting_on_another(room):
    a = _server(room, "a", NOVIWERK_PUSH_HOLD_SECONDS="20")
    b = _server(room, "b", NOVIWERK_PUSH_HOLD_SECONDS="20")
    try:
        assert set(a.pids()).isdisjoint(b.pids())

        async def scenario():
            tally = Tally()
            wall = Wall(b.url, room.werkplaats_id, tally)
            phone = Phone(a.url, room.code, tally)
            await wall.login()
            await phone.join()
            await wall.poll_once()  # the wall is up to date before it waits
            delays = []
            for k in range(3):
                marker, text = new_text(random.Random(k))
                waiting = asyncio.ensure_future(wall.wait_moved())
                await asyncio.sleep(0.5)
                assert not waiting.done(), "the wait was answered before anything happened"
                r = await phone.post(text, f"push-{k}")
                assert r.status_code == 200 and "Ontvangen" in r.text
                acknowledged = time.monotonic()
                assert await asyncio.wait_for(waiting, 5) == "moved"
                delays.append(time.monotonic() - acknowledged)
                assert await wall.poll_once() == 200
                assert marker in wall.seen
            await wall.aclose()
            await phone.aclose()
            return delays

        delays = _run_isolated(scenario())
        # The other process looks every 50 ms; a second leaves room for a busy machine.
        assert max(delays) < 1.0, delays
    finally:
        a.stop()
        b.stop()


def test_a_process_with_all_its_waits_taken_answers_the_next_at_once(room):
    server = _server(room, "capped", NOVIWERK_PUSH_MAX="2", NOVIWERK_PUSH_HOLD_SECONDS="4")
    try:

        async def scenario():
            tally = Tally()
            walls = [Wall(server.url, room.werkplaats_id, tally, f"w{i}") for i in range(3)]
            for wall in walls:
                await wall.login()
            held = [asyncio.ensure_future(w.wait_moved()) for w in walls[:2]]
            await asyncio.sleep(0.5)
            started = time.monotonic()
            third = await walls[2].wait_moved()
            quick = time.monotonic() - started
            rest = await asyncio.gather(*held)
            for wall in walls:
                await wall.aclose()
            return third, quick, rest

        third, quick, rest = _run_isolated(scenario())
        assert third == "busy" and quick < 1.0
        assert rest == ["moved", "moved"]  # ended by their hold: they fetch once and wait again
    finally:
        server.stop()
