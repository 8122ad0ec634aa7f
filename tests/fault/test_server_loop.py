"""The server's I/O loop (serving.Poller) answers every client as waitress's own loop would,
and its threads (serving.Dispatcher) take a post before the phones' polls and let only so many
run the app at once; all as the worker builds them (serve.make_server).

It keeps its epoll set from turn to turn and asks only the connections something happened
to, so these cover what could be missed that way: a new connection on the number of a closed
one, requests sent back to back on one connection, a "100 Continue" sent by a worker thread,
an answer bigger than waitress buffers before a worker waits for the loop to send, idle
connections cut after their timeout, and many idle connections beside busy ones.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest
from waitress import wasyncore
from waitress.server import BaseWSGIServer

from noviwerk.serving import backlog, waiting
from serve import make_server

MB = 1024 * 1024
BIG = 20 * MB  # sent in chunks of 1 MB, above the high watermark set below


POLLS_MAY_GO = threading.Event()  # the polls' answers wait for it
HELD_MAY_GO = threading.Event()  # "/held": a screen's held wait
BUSY_MAY_GO = threading.Event()  # "/busy": a request at work
TURNS = threading.Semaphore(0)  # "/turn": a request at work until given a turn
ENTERED: list[str] = []  # the paths of requests the app began, in order
ANSWERED: list[str] = []  # ... and finished


def app(environ, start_response):
    path = environ["PATH_INFO"]
    ENTERED.append(path)
    try:
        return _app(environ, start_response, path)
    finally:
        ANSWERED.append(path)


def _app(environ, start_response, path):
    if path.endswith("/status"):  # a phone's poll, held so it keeps its thread
        POLLS_MAY_GO.wait(10)
    if path == "/held":  # as web/wall.py's held wait
        with waiting():
            HELD_MAY_GO.wait(10)
    if path == "/busy":
        BUSY_MAY_GO.wait(10)
    if path == "/turn":
        TURNS.acquire(timeout=10)
    if environ.get("QUERY_STRING") == "backlog":  # what a screen's wake-up reads
        body = str(backlog()).encode()
        start_response("200 OK", [("Content-Length", str(len(body)))])
        return [body]
    if path == "/big":  # the worker thread waits for the loop to send what it buffered
        start_response("200 OK", [("Content-Length", str(BIG))])
        return (b"x" * MB for _ in range(BIG // MB))
    if environ["REQUEST_METHOD"] == "POST":
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    else:
        body = path.encode()
    start_response("200 OK", [("Content-Length", str(len(body)))])
    return [body]


@pytest.fixture
def server(request):
    """A new connection to a waitress server with the Poller's loop and the Dispatcher's
    threads; ``@pytest.mark.parametrize("server", [{...}], indirect=True)`` sets when idle
    connections are cut (``idle_timeout``, 30 s), the polls' ``patience`` (30 s) and how many
    of the four threads may be at work at once (``active_threads``, all)."""
    socket_map: dict = {}
    param = getattr(request, "param", {})
    idle_timeout = param.get("idle_timeout", 30)
    upkeep = idle_timeout < 30
    ENTERED.clear()
    ANSWERED.clear()
    poller, dispatcher = make_server(
        app, socket_map, threads=4, poll_threads=1, poll_patience=param.get("patience", 30),
        active_threads=param.get("active_threads", 0),
        host="127.0.0.1", port=0, connection_limit=1000, outbuf_high_watermark=2 * MB,
        channel_timeout=idle_timeout, cleanup_interval=1)
    srv = next(s for s in socket_map.values() if isinstance(s, BaseWSGIServer))
    stop = threading.Event()

    def loop():
        tick = time.monotonic() + 1.0
        while not stop.is_set():
            poller.turn(0.2)
            # serve.WaitressWorker asks every connection once a second, after its upkeep;
            # here only where upkeep is tested, so a connection the turns forget hangs.
            if upkeep and time.monotonic() >= tick:
                tick = time.monotonic() + 1.0
                poller.everything = True

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    clients: list[socket.socket] = []
    yield lambda: clients.append(connect(srv.socket.getsockname()[1])) or clients[-1]
    POLLS_MAY_GO.set()  # for the next test: cleared where a test holds them
    HELD_MAY_GO.set()
    BUSY_MAY_GO.set()
    for c in clients:
        c.close()
    stop.set()
    thread.join(5)
    poller.close()
    dispatcher.shutdown(timeout=1)
    wasyncore.close_all(socket_map)


def connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=10)


def read_responses(s: socket.socket, n: int = 1) -> list[bytes]:
    """The bodies of the next ``n`` answers on ``s`` (each with a Content-Length)."""
    data, bodies = b"", []
    while len(bodies) < n:
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            assert chunk, "connection closed before an answer"
            data += chunk
        head, _, data = data.partition(b"\r\n\r\n")
        length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length")))
        while len(data) < length:
            chunk = s.recv(1 << 20)
            assert chunk, "connection closed in the middle of an answer"
            data += chunk
        bodies.append(data[:length])
        data = data[length:]
    assert not data, "more was sent than was asked for"
    return bodies


def get(s: socket.socket, path: str) -> bytes:
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    return read_responses(s)[0]


def test_every_client_is_answered_beside_many_idle_ones_and_on_reused_numbers(server):
    idle = [server() for _ in range(300)]
    for round_ in range(3):
        # Connections closed and opened again get the numbers of the ones just closed.
        busy = [server() for _ in range(20)]
        for i, s in enumerate(busy):
            assert get(s, f"/r{round_}/{i}") == f"/r{round_}/{i}".encode()
            assert get(s, "/again") == b"/again"  # keep-alive: a second request
        for s in busy:
            s.close()
    for s in idle[::30]:
        assert get(s, "/late") == b"/late"


def test_requests_sent_back_to_back_are_all_answered(server):
    s = server()
    s.sendall(b"".join(f"GET /p{i} HTTP/1.1\r\nHost: x\r\n\r\n".encode() for i in range(5)))
    assert read_responses(s, 5) == [f"/p{i}".encode() for i in range(5)]


def test_an_upload_that_waits_for_100_continue_gets_it_and_its_answer(server):
    s = server()
    s.sendall(b"POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
              b"Expect: 100-continue\r\n\r\n")
    assert s.recv(100).startswith(b"HTTP/1.1 100 Continue")
    s.sendall(b"hello")
    assert read_responses(s) == [b"hello"]


def test_an_answer_bigger_than_the_buffers_arrives_whole(server):
    s = server()
    assert len(get(s, "/big")) == BIG
    assert get(s, "/after") == b"/after"


@pytest.mark.parametrize("server", [{"idle_timeout": 2}], indirect=True)
def test_an_idle_connection_is_cut_after_its_timeout(server):
    s = server()
    assert get(s, "/x") == b"/x"
    started = time.monotonic()
    s.settimeout(10)
    assert s.recv(10) == b""  # closed by the server
    assert 1.5 < time.monotonic() - started < 5.0  # channel_timeout 2 s, checked each second


def test_a_post_is_served_while_polls_wait_for_threads(server):
    """Four threads, at most one on a poll: six polls held in the app leave three threads
    free, so a post and a page are answered before any poll is (with one queue in order
    of arrival the polls would hold all four threads, and the post would wait for them)."""
    POLLS_MAY_GO.clear()
    polls = [server() for _ in range(6)]
    for i, s in enumerate(polls):
        s.sendall(f"GET /w/ABC{i}/status HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    time.sleep(0.3)  # the polls are in: one served (held), five queued
    post = server()
    post.settimeout(5)  # the polls are held for 10 s: an answer within 5 s did not wait
    post.sendall(b"POST /w/ABC/bijdragen HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi")
    assert read_responses(post) == [b"hi"]
    page = server()
    page.settimeout(5)
    assert get(page, "/w/ABC") == b"/w/ABC"
    POLLS_MAY_GO.set()
    assert [read_responses(s) for s in polls] == [[f"/w/ABC{i}/status".encode()] for i in range(6)]


def test_a_poll_waits_while_a_request_is_served_but_not_for_a_held_wait(server):
    POLLS_MAY_GO.set()
    BUSY_MAY_GO.clear()
    HELD_MAY_GO.clear()
    busy, held, poll = server(), server(), server()
    busy.sendall(b"GET /busy HTTP/1.1\r\nHost: x\r\n\r\n")
    held.sendall(b"GET /held HTTP/1.1\r\nHost: x\r\n\r\n")
    time.sleep(0.3)
    poll.settimeout(1)
    poll.sendall(b"GET /w/ABC/status HTTP/1.1\r\nHost: x\r\n\r\n")
    with pytest.raises(TimeoutError):  # a request at work: the poll waits for it
        read_responses(poll)
    BUSY_MAY_GO.set()
    assert read_responses(busy) == [b"/busy"]
    poll.settimeout(5)  # the held wait goes on for 10 s: the poll did not wait for it
    assert read_responses(poll) == [b"/w/ABC/status"]
    HELD_MAY_GO.set()
    held.settimeout(5)
    assert read_responses(held) == [b"/held"]


@pytest.mark.parametrize("server", [{"patience": 1}], indirect=True)
def test_a_poll_is_served_once_its_patience_runs_out_while_requests_are_served(server):
    POLLS_MAY_GO.set()
    BUSY_MAY_GO.clear()
    busy, poll = server(), server()
    busy.sendall(b"GET /busy HTTP/1.1\r\nHost: x\r\n\r\n")
    time.sleep(0.3)
    poll.settimeout(5)  # /busy holds its thread for 10 s
    poll.sendall(b"GET /w/ABC/status HTTP/1.1\r\nHost: x\r\n\r\n")
    assert read_responses(poll) == [b"/w/ABC/status"]
    BUSY_MAY_GO.set()
    assert read_responses(busy) == [b"/busy"]


@pytest.mark.parametrize("server", [{"patience": 1}], indirect=True)
def test_an_overdue_poll_goes_before_requests_queued_for_a_thread(server):
    """All four threads at work and two more requests queued: the first thread set free
    takes the poll whose patience ran out, not the next in the other queue."""
    POLLS_MAY_GO.set()
    working = [server() for _ in range(6)]
    for s in working:
        s.sendall(b"GET /turn HTTP/1.1\r\nHost: x\r\n\r\n")
    time.sleep(0.3)
    poll = server()
    poll.settimeout(5)  # the queued requests would each hold their thread for 10 s
    poll.sendall(b"GET /w/ABC/status HTTP/1.1\r\nHost: x\r\n\r\n")
    time.sleep(1.5)
    TURNS.release()
    assert read_responses(poll) == [b"/w/ABC/status"]
    for _ in working:
        TURNS.release()
    assert [read_responses(s) for s in working] == [[b"/turn"]] * 6


@pytest.mark.parametrize("server", [{"active_threads": 2}], indirect=True)
def test_no_more_requests_are_at_work_than_may_be_and_the_rest_follow(server):
    """Four threads, two at work at once: a third request waits until one of the two is
    done, and is then answered like the others."""
    BUSY_MAY_GO.clear()
    clients = [server() for _ in range(3)]
    for s in clients:
        s.sendall(b"GET /busy HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(0.1)
    time.sleep(0.3)
    assert ENTERED == ["/busy", "/busy"]
    BUSY_MAY_GO.set()
    assert [read_responses(s) for s in clients] == [[b"/busy"]] * 3
    assert len(ENTERED) == 3


@pytest.mark.parametrize("server", [{"active_threads": 1}], indirect=True)
def test_a_held_wait_gives_up_its_turn_and_waits_for_one_when_it_ends(server):
    """One at work at once: a screen's held wait lets a post be served meanwhile; when the
    wait ends while another request is at work, it goes on only once that one is done."""
    HELD_MAY_GO.clear()
    BUSY_MAY_GO.clear()
    held, post, busy = server(), server(), server()
    held.sendall(b"GET /held HTTP/1.1\r\nHost: x\r\n\r\n")
    time.sleep(0.3)
    post.settimeout(5)  # the held wait goes on for 10 s: the post did not wait for it
    post.sendall(b"POST /w/ABC/bijdragen HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi")
    assert read_responses(post) == [b"hi"]
    busy.sendall(b"GET /busy HTTP/1.1\r\nHost: x\r\n\r\n")
    time.sleep(0.3)
    HELD_MAY_GO.set()  # the wait ends while /busy has the one turn
    time.sleep(0.5)
    assert "/held" not in ANSWERED
    BUSY_MAY_GO.set()
    held.settimeout(5)
    assert read_responses(busy) == [b"/busy"]
    assert read_responses(held) == [b"/held"]
    assert ANSWERED[-2:] == ["/busy", "/held"]


@pytest.mark.parametrize("server", [{"active_threads": 1}], indirect=True)
def test_a_screens_fetch_of_changes_goes_before_the_requests_queued_for_a_turn(server):
    """One at work at once, a post and a list queued behind it: a wall's and a tafel screen's
    fetch of what changed and a screen's held wait, sent after them, are served first when
    the turn comes free."""
    BUSY_MAY_GO.clear()
    busy = server()
    busy.sendall(b"GET /busy HTTP/1.1\r\nHost: x\r\n\r\n")
    time.sleep(0.2)
    queued = [server() for _ in range(5)]
    paths = ["/w/ABC/bijdragen", "/w/ABC/anderen", "/f/werkplaatsen/7/wall/wijzigingen",
             "/tafel/t0k3n/wijzigingen", "/f/werkplaatsen/7/live"]
    for s, path in zip(queued, paths, strict=True):
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        time.sleep(0.1)
    assert ENTERED == ["/busy"]
    BUSY_MAY_GO.set()
    assert [read_responses(s) for s in [busy, *queued]] == [[p.encode()] for p in
                                                            ["/busy", *paths]]
    assert set(ENTERED[1:4]) == set(paths[2:])
    assert ENTERED[4:] == paths[:2]


@pytest.mark.parametrize("server", [{"active_threads": 1}], indirect=True)
def test_the_backlog_counts_the_requests_queued_for_a_turn_but_not_the_polls(server):
    """What a screen's wake-up reads (serving.backlog): 0 with nothing queued; with one
    request at work, three posts and a poll queued, a screen served first counts the three."""
    screen = server()
    assert get(screen, "/f/werkplaatsen/7/live?backlog") == b"0"
    POLLS_MAY_GO.set()
    BUSY_MAY_GO.clear()
    busy = server()
    busy.sendall(b"GET /busy HTTP/1.1\r\nHost: x\r\n\r\n")
    time.sleep(0.2)
    queued = [server() for _ in range(4)]
    paths = ["/w/ABC/bijdragen", "/w/ABC/bijdragen", "/w/ABC/steun/1", "/w/ABC/status"]
    for s, path in zip(queued, paths, strict=True):
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        time.sleep(0.1)
    screen.sendall(b"GET /f/werkplaatsen/7/live?backlog HTTP/1.1\r\nHost: x\r\n\r\n")
    time.sleep(0.1)
    BUSY_MAY_GO.set()
    assert read_responses(screen) == [b"3"]
    assert [read_responses(s) for s in [busy, *queued]] == [[p.encode()] for p in
                                                            ["/busy", *paths]]
