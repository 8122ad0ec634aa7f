"""SQLite takes one writer at a time; two server processes on one database file hand the
write over through a lock file (database.WriterLock), without SQLite's sleeping busy handler.
"""

from __future__ import annotations

import multiprocessing
import time

from noviwerk.database import WriterLock


def _take_and_report(lock: WriterLock, out) -> None:
    lock.acquire()
    out.send(time.monotonic())
    lock.release()


def test_a_second_process_waits_for_the_writer_and_gets_the_lock_as_it_is_released(tmp_path):
    lock = WriterLock(str(tmp_path / "noviwerk.sqlite-writer.lock"))
    lock.acquire()  # opened here before fork(): the child must not share it as its own
    receive, send = multiprocessing.get_context("fork").Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(target=_take_and_report, args=(lock, send))
    child.start()
    try:
        assert not receive.poll(0.5)  # the child waits while this process writes
        released = time.monotonic()
        lock.release()
        assert receive.poll(5)
        got = receive.recv()
        assert released <= got < released + 0.1  # at once, not after a busy handler's sleep
    finally:
        child.join(5)
    assert child.exitcode == 0
    lock.acquire()  # and this process can write again
    lock.release()


def test_threads_of_one_process_take_turns_on_the_same_lock(tmp_path):
    import threading

    lock = WriterLock(str(tmp_path / "w.lock"))
    inside, most = 0, 0
    guard = threading.Lock()

    def write():
        nonlocal inside, most
        for _ in range(50):
            lock.acquire()
            with guard:
                inside += 1
                most = max(most, inside)
            time.sleep(0.0005)
            with guard:
                inside -= 1
            lock.release()

    threads = [threading.Thread(target=write) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most == 1


def test_a_database_in_memory_has_no_lock_file():
    lock = WriterLock(None)
    lock.acquire()
    lock.release()
