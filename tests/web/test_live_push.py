"""Push for the room's screens: a held wait at /f/werkplaatsen/<id>/live answers as soon as
the werkplaats moves (a post, a round change), at once when the screen is behind, after its
hold when nothing happens, and at once with "busy" when the process holds all its waits;
the wall, beamer and regie pages name it (and do not when push is switched off). Its answer
says how long the screen leaves before its next wait: longer while people wait."""

from __future__ import annotations

import re
import threading
import time

from noviwerk.services import participation, rounds
from tests.conftest import login


def _live(w, after, v):
    return f"/f/werkplaatsen/{w.id}/live?after={after}&v={v}"


def _state(client, w):
    page = client.get(f"/f/werkplaatsen/{w.id}/wall").get_data(as_text=True)
    after = int(re.search(r'id="wall-cursor" name="after" value="(\d+)"', page).group(1))
    v = int(re.search(r'id="wall-version" name="v" value="(\d+)"', page).group(1))
    return after, v


def _wait_in_thread(app, w, after, v):
    """A second screen, waiting in a thread of its own; returns (result box, thread)."""
    box: dict = {}

    def run():
        c = app.test_client()
        login(c)
        started = time.monotonic()
        r = c.get(_live(w, after, v))
        box.update(status=r.status_code, json=r.get_json(), seconds=time.monotonic() - started)

    thread = threading.Thread(target=run)
    thread.start()
    return box, thread


def _until_waiting(app, wid, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = app.extensions.get("noviwerk_live")
        if found is not None and found.waiting.get(wid):
            return
        time.sleep(0.01)
    raise AssertionError("nobody waits")


def test_a_screen_behind_is_answered_at_once(app, client, world):
    _fac, w = world.live()
    login(client)
    after, v = _state(client, w)
    r = client.get(_live(w, after - 1 if after else 0, v))
    assert r.status_code == 200
    assert r.get_json()["v"] == v
    r = client.get(_live(w, after, v - 1))
    assert r.get_json() == {"seq": after, "v": v, "gap": 100}


def test_a_screen_woken_while_people_wait_in_the_queue_is_told_to_fetch_less_often(
    app, client, world, monkeypatch
):
    """The wake-up's "gap" (ms from the screen's fetch to its next wait): the usual 100, and
    500 while its process has 4 or more requests queued for a thread (serving.backlog,
    whose count tests/fault/test_server_loop.py checks in the real server)."""
    from noviwerk import serving

    _fac, w = world.live()
    login(client)
    after, v = _state(client, w)
    queued = {"n": 3}
    monkeypatch.setattr(serving, "backlog", lambda: queued["n"])
    assert client.get(_live(w, after, v - 1)).get_json()["gap"] == 100
    queued["n"] = 4
    assert client.get(_live(w, after, v - 1)).get_json()["gap"] == 500


def test_while_a_vote_is_open_a_woken_screen_fetches_at_most_once_a_second(
    app, client, world
):
    """Every dot moves the cursor and wakes the screens, and a room taps its dots within
    seconds: while a voting round is open the wake-up's gap is 1,000 ms (the walls show no
    vote, the beamer "n stemmen uitgebracht"), and 100 again once it closes."""
    from noviwerk.domain import RoundKind
    from noviwerk.extensions import db

    _fac, w = world.live()
    login(client)
    after, v = _state(client, w)
    assert client.get(_live(w, after, v - 1)).get_json()["gap"] == 100
    vote_round = w.rounds[1]
    vote_round.kind = RoundKind.VOTING
    db.session.commit()
    rounds.open_round(w, vote_round.id)
    after, v = _state(client, w)
    assert client.get(_live(w, after, v - 1)).get_json()["gap"] == 1000
    rounds.close_round(w, vote_round.id)
    after, v = _state(client, w)
    assert client.get(_live(w, after, v - 1)).get_json()["gap"] == 100


def test_a_post_wakes_a_waiting_wall_at_once(app, client, world):
    _fac, w = world.live()
    app.config["NOVIWERK_PUSH_HOLD_SECONDS"] = 10
    login(client)
    after, v = _state(client, w)
    box, thread = _wait_in_thread(app, w, after, v)
    _until_waiting(app, w.id)
    p = participation.join(w, display_name="Anna")
    participation.post_contribution(p, w.rounds[0].id, "Meer groen op het plein")
    thread.join(10)
    assert box["status"] == 200
    assert box["json"]["seq"] > after
    assert box["seconds"] < 2  # not the 10 s hold


def test_a_round_change_wakes_a_waiting_wall(app, client, world):
    _fac, w = world.live()
    app.config["NOVIWERK_PUSH_HOLD_SECONDS"] = 10
    login(client)
    after, v = _state(client, w)
    box, thread = _wait_in_thread(app, w, after, v)
    _until_waiting(app, w.id)
    rounds.close_round(w, w.rounds[0].id)
    thread.join(10)
    assert box["json"]["v"] > v
    assert box["seconds"] < 2


def test_nothing_happens_the_wait_ends_after_its_hold(app, client, world):
    _fac, w = world.live()
    app.config["NOVIWERK_PUSH_HOLD_SECONDS"] = 0.4
    login(client)
    after, v = _state(client, w)
    started = time.monotonic()
    r = client.get(_live(w, after, v))
    assert 0.35 < time.monotonic() - started < 3
    assert r.get_json() == {"seq": after, "v": v, "gap": 100}


def test_past_the_cap_a_wait_is_refused_at_once_and_the_screen_polls(app, client, world):
    _fac, w = world.live()
    app.config["NOVIWERK_PUSH_HOLD_SECONDS"] = 3
    app.config["NOVIWERK_PUSH_MAX"] = 1
    login(client)
    after, v = _state(client, w)
    box, thread = _wait_in_thread(app, w, after, v)
    _until_waiting(app, w.id)
    started = time.monotonic()
    r = client.get(_live(w, after, v))
    assert time.monotonic() - started < 1
    assert r.get_json() == {"seq": after, "v": v, "gap": 100, "busy": True}
    thread.join(10)
    assert "busy" not in box["json"]


def test_wall_beamer_and_regie_name_their_wait_unless_push_is_off(app, client, world):
    _fac, w = world.live()
    login(client)
    for page in ("wall", "beamer", "regie"):
        html = client.get(f"/f/werkplaatsen/{w.id}/{page}").get_data(as_text=True)
        assert f'data-live="/f/werkplaatsen/{w.id}/live"' in html, page
        assert "js/live" in html
    app.config["NOVIWERK_PUSH_MAX"] = 0
    for page in ("wall", "beamer", "regie"):
        html = client.get(f"/f/werkplaatsen/{w.id}/{page}").get_data(as_text=True)
        assert "data-live=" not in html, page
        assert 'data-poll-ms="500"' in html


def test_a_participant_cannot_wait_on_the_room(app, client, world):
    _fac, w = world.live()
    from tests.conftest import join

    join(client, w.join_code)
    r = client.get(_live(w, 0, 0))
    assert r.status_code in (302, 303, 403)
    assert "seq" not in r.get_data(as_text=True)


def test_stopping_the_watcher_ends_every_wait_at_once(app, client, world):
    """An app going away (a test's, a worker's) does not leave waits reading its database."""
    from noviwerk.web.wall import watcher

    _fac, w = world.live()
    app.config["NOVIWERK_PUSH_HOLD_SECONDS"] = 10
    login(client)
    after, v = _state(client, w)
    box, thread = _wait_in_thread(app, w, after, v)
    _until_waiting(app, w.id)
    live = watcher()
    running = live.thread
    started = time.monotonic()
    live.stop()
    thread.join(5)
    assert box["status"] == 200 and box["json"] == {"seq": after, "v": v, "gap": 100}
    assert time.monotonic() - started < 2  # not the 10 s hold
    assert running is not None and not running.is_alive()
