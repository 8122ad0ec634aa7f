"""No slow client stalls the room (issue 16 §1).

200 connections that send half a request line and then nothing, and 50 uploads that trickle
their body one byte a second, hold on (each reconnects when it is cut off) while 100 phones
join and post. The phones' posts stay fast and nothing is lost, and every slow client is cut
off after the stated timeout: an idle one after NOVIWERK_KEEPALIVE seconds of silence, a
trickling one when its request has not arrived whole after NOVIWERK_REQUEST_TIMEOUT.

With gunicorn's gthread worker (16 threads) the half-open connections held every thread and
posts waited for them; see docs/benchmarks.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time

import pytest

from tests.bench.harness import Tally, count_rows, new_text, percentile

from .test_faults import _run_isolated, assert_nothing_lost, phones_and_wall, server_for

pytestmark = pytest.mark.fault

IDLE, TRICKLING, PHONES, POSTS_EACH = 200, 50, 100, 3
KEEPALIVE, REQUEST_TIMEOUT = 6, 10  # seconds, short so the test stays short
# The server checks its deadlines once a second; on a busy machine this process notices a
# closed connection late, so the upper bound has room (without the cut: 120 s and 500 s).
SLACK = 5.0
P95_LIMIT = 1.0  # seconds, for a post while the slow clients hold on


async def slow_client(port: int, code: str, trickle: bool, stop: asyncio.Event,
                      lifetimes: list[float]) -> None:
    """One slow client that reconnects after each cut until ``stop``; records how long each
    of its connections lived."""
    while True:
        # Timed from before the connect: on a busy machine this process may resume late, and
        # a clock started after the first write could make a cut look early.
        since = time.monotonic()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        if trickle:
            writer.write((f"POST /w/{code}/bijdragen HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Content-Type: application/x-www-form-urlencoded\r\n"
                          "Content-Length: 500\r\n\r\n").encode())
        else:
            writer.write(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Ag")
        await writer.drain()

        async def dribble(writer=writer):
            while True:
                await asyncio.sleep(1.0)
                writer.write(b"x")
                await writer.drain()

        dribbler = asyncio.create_task(dribble()) if trickle else None
        try:
            await reader.read()  # until the server closes the connection
        except OSError:
            pass
        finally:
            if dribbler:
                dribbler.cancel()
                with contextlib.suppress(asyncio.CancelledError, OSError):
                    await dribbler
            writer.close()
        lifetimes.append(time.monotonic() - since)
        if stop.is_set():
            return


async def attack_while_phones_post(server, room) -> dict:
    port = int(server.url.rsplit(":", 1)[1])
    stop = asyncio.Event()
    idle_lives: list[float] = []
    trickle_lives: list[float] = []
    slow = [asyncio.create_task(slow_client(port, room.code, False, stop, idle_lives))
            for _ in range(IDLE)]
    slow += [asyncio.create_task(slow_client(port, room.code, True, stop, trickle_lives))
             for _ in range(TRICKLING)]
    await asyncio.sleep(1.0)  # all 250 connected and waiting

    tally = Tally()
    rng = random.Random(11)
    phones, wall = await phones_and_wall(server.url, room, PHONES, tally)
    stop_wall = asyncio.Event()
    wall_task = asyncio.create_task(wall.run(stop_wall, interval=0.5))
    texts: dict[str, dict] = {}
    deadline = time.monotonic() + 40

    async def phone_round(phone):
        # A busy round: about 35 posts a second for 8 s, spread as people type.
        for _ in range(POSTS_EACH):
            await asyncio.sleep(rng.uniform(0.5, 4.5))
            marker, text = new_text(rng)
            ok, attempts = await phone.post_until_acknowledged(text, marker, deadline)
            texts[marker] = {"acked": ok, "attempts": attempts}

    try:
        await asyncio.gather(*(phone_round(p) for p in phones))
        stop.set()
        last_seq = count_rows(room.database_url, room.werkplaats_id)["last_seq"]
        catch_up = time.monotonic() + 10
        while wall.cursor < last_seq and time.monotonic() < catch_up:
            await asyncio.sleep(0.1)
        # Every slow client's last connection is cut too (within its timeout + SLACK).
        await asyncio.wait_for(asyncio.gather(*slow), REQUEST_TIMEOUT + SLACK + 5)
    finally:
        stop.set()
        stop_wall.set()
        await wall_task
        for task in slow:
            task.cancel()
        for device in [*phones, wall]:
            await device.aclose()
    return {"tally": tally, "texts": texts, "wall": wall, "fault": None,
            "idle": idle_lives, "trickle": trickle_lives}


def test_slow_clients_neither_stall_the_posts_nor_stay_for_ever(room):
    server = server_for(room, threads=16, extra_env={
        "NOVIWERK_KEEPALIVE": str(KEEPALIVE), "NOVIWERK_REQUEST_TIMEOUT": str(REQUEST_TIMEOUT)})
    server.start()
    try:
        result = _run_isolated(attack_while_phones_post(server, room))
    finally:
        server.stop()
    posts = result["tally"].latencies["POST bijdragen"]
    p95 = percentile(posts, 95)
    idle, trickle = result["idle"], result["trickle"]
    print(f"\n{len(posts)} posts under {IDLE} idle + {TRICKLING} trickling clients: "
          f"p50 {percentile(posts, 50):.3f} s, p95 {p95:.3f} s, max {max(posts):.3f} s; "
          f"idle cut after {min(idle):.1f}-{max(idle):.1f} s ({len(idle)} connections), "
          f"trickling after {min(trickle):.1f}-{max(trickle):.1f} s ({len(trickle)})")
    assert_nothing_lost(result, room)
    assert p95 < P95_LIMIT, f"posts p95 {p95:.2f} s with slow clients connected"
    assert len(idle) >= IDLE and len(trickle) >= TRICKLING
    # Cut off after the stated timeout: not before it, and not much after.
    assert KEEPALIVE - 0.5 <= min(idle) and max(idle) <= KEEPALIVE + SLACK, sorted(idle)[-5:]
    assert REQUEST_TIMEOUT - 0.5 <= min(trickle) and max(trickle) <= REQUEST_TIMEOUT + SLACK, (
        sorted(trickle)[-5:])
