"""Rate limits count across server processes on one SQLite machine (web/limit_storage.py):
with two processes a phone still gets each limit once, not once per process."""

from __future__ import annotations

import multiprocessing
import time

import limits
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from noviwerk.web import limit_storage  # noqa: F401  (registers the scheme)

SIX_PER_10_S = limits.parse("6 per 10 seconds")


def _uri(tmp_path) -> str:
    return f"noviwerk-sqlite:///{tmp_path / 'ratelimits.sqlite'}"


def _storage(tmp_path):
    return storage_from_string(_uri(tmp_path))


def _hit_three(uri: str, out) -> None:
    limiter = FixedWindowRateLimiter(storage_from_string(uri))
    out.send([limiter.hit(SIX_PER_10_S, "p:7") for _ in range(3)])


def test_a_limit_counts_the_hits_of_every_process(tmp_path):
    storage = _storage(tmp_path)
    limiter = FixedWindowRateLimiter(storage)
    assert all(limiter.hit(SIX_PER_10_S, "p:7") for _ in range(4))
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    other = ctx.Process(target=_hit_three, args=(_uri(tmp_path), send))
    other.start()
    other.join(10)
    # The other process had 2 of the 6 left: its third hit is refused.
    assert receive.recv() == [True, True, False]
    assert not limiter.hit(SIX_PER_10_S, "p:7")  # and here too
    assert limiter.hit(SIX_PER_10_S, "p:8")  # another phone counts on its own


def test_a_window_that_ended_starts_afresh(tmp_path):
    storage = _storage(tmp_path)
    assert storage.incr("k", 1) == 1
    assert storage.incr("k", 1, amount=2) == 3
    assert storage.get("k") == 3
    assert time.time() < storage.get_expiry("k") <= time.time() + 1
    time.sleep(1.1)
    assert storage.get("k") == 0  # ended: nothing counted
    assert storage.incr("k", 1) == 1  # and the next hit opens a new window


def test_clear_and_reset(tmp_path):
    storage = _storage(tmp_path)
    storage.incr("a", 60)
    storage.incr("b", 60)
    storage.clear("a")
    assert storage.get("a") == 0 and storage.get("b") == 1
    assert storage.check()
    storage.reset()
    assert storage.get("b") == 0
