"""The live wall and the beamer: every visible contribution as it arrives, for the room's
screens."""

from __future__ import annotations

import time

from flask import Blueprint, current_app, g, jsonify, render_template, request, url_for

from .. import serving
from ..domain import RoundKind, WerkplaatsState
from ..extensions import db
from ..services import live, recent_changes, rounds, voting, wall
from .decorators import reads_alone, werkplaats_access
from .htmx import retarget
from .links import join_url

bp = Blueprint("wall", __name__, url_prefix="/f/werkplaatsen/<int:wid>")
bp.record_once(lambda _state: live.listen())


def watcher() -> live.Watcher:
    """This app's watcher (services/live.py), made at its first wait."""
    found = current_app.extensions.get("noviwerk_live")
    if found is None:
        config = current_app.config
        made = live.Watcher(
            db.engine, config["NOVIWERK_PUSH_WATCH_SECONDS"], config["NOVIWERK_PUSH_MAX"]
        )
        found = current_app.extensions.setdefault("noviwerk_live", made)
    return found

BEAMER_CARDS = 300  # the newest cards of a round the beamer pages through; beyond, a note


def live_url(wid: int) -> str | None:
    """Where live.js waits for the werkplaats to move; None: push is off, screens poll."""
    if current_app.config["NOVIWERK_PUSH_MAX"] <= 0:
        return None
    return url_for("wall.live_wait", wid=wid)


def _wall_context(view: str) -> dict:
    """What the wall or the beamer (``view``) shows. The beamer shows one round's cards, and
    none while it shows a vote (whose every dot redraws it)."""
    werkplaats = g.werkplaats
    # The cursor first: a post committed while the cards are read is then fetched again
    # (harmless, cards are placed by id) instead of skipped (under READ COMMITTED).
    cursor = wall.current_seq(werkplaats.id)
    participants, contributions = wall.counts(werkplaats.id)
    shown = werkplaats.beamer_round
    if view == "wall":
        by_round = wall.visible_by_round(werkplaats)
    elif shown is not None and shown.kind != RoundKind.VOTING:
        by_round = wall.visible_by_round(werkplaats, only=shown)
    else:
        by_round = {}
    return {
        "shown_round": shown,
        "seconds_left": rounds.seconds_left(shown),
        "results": voting.results(shown) if shown and shown.kind == RoundKind.VOTING else [],
        "votes_cast": voting.votes_cast(shown)
        if shown and shown.kind == RoundKind.VOTING
        else (0, 0),
        "werkplaats": werkplaats,
        "by_round": by_round,
        "cursor": cursor,
        "participants": participants,
        "contributions": contributions,
        "join_url": join_url(werkplaats.join_code) if werkplaats.join_code else None,
        "poll_ms": current_app.config["NOVIWERK_WALL_POLL_MS"],
        "live_url": live_url(werkplaats.id),
        "page_seconds": current_app.config["NOVIWERK_BEAMER_PAGE_SECONDS"],
        "beamer_cards": BEAMER_CARDS,
        "is_open": werkplaats.state == WerkplaatsState.OPEN,
    }


@bp.get("/wall")
@werkplaats_access(control=True)
def wall_page(wid: int):
    return render_template("wall/wall.html", **_wall_context("wall"))


@bp.get("/beamer")
@werkplaats_access(control=True)
def beamer(wid: int):
    """Full screen for the projector: code, QR, the round, its timer and its cards."""
    return render_template("wall/beamer.html", **_wall_context("beamer"))


def _redraw(view: str):
    """The whole wall or beamer, swapped in for the one on the screen."""
    page = render_template(f"wall/_{view}.html", **_wall_context(view))
    return retarget(current_app.make_response(page), f"#{view}", "outerHTML")


@bp.get("/wall/wijzigingen")
@reads_alone
@werkplaats_access(control=True)
def wall_changes(wid: int):
    """Everything after the wall's cursor; 204 when nothing changed.

    A change in rounds (opened, closed, added) re-renders the whole wall; new, edited and
    withdrawn contributions travel as out-of-band swaps for the cards concerned.
    """
    after = request.args.get("after", type=int, default=0)
    version = request.args.get("v", type=int, default=-1)
    werkplaats = g.werkplaats
    view = "beamer" if request.args.get("view") == "beamer" else "wall"
    if version != werkplaats.state_version:
        return _redraw(view)
    if werkplaats.last_seq <= after:
        return "", 204
    shown = werkplaats.beamer_round
    extra = {}
    if view == "beamer" and shown is not None and shown.kind == RoundKind.VOTING:
        # Dots moved the cursor: redraw the bars; before they are revealed only the
        # "n stemmen uitgebracht" line changes (a whole room taps at once).
        if shown.is_result_revealed:
            return _redraw(view)
        changes, changes_shown = [], []
        extra["votes_cast"] = voting.votes_cast(shown)
    else:
        changes = wall.changes_after(werkplaats.id, after)
        # The beamer shows one round; the cursor still moves past the others.
        changes_shown = changes if view == "wall" or shown is None else [
            c for c in changes if c.contribution.round_id == shown.id]
    participants, contributions = wall.counts(werkplaats.id)
    return render_template(
        "wall/_wall_changes.html",
        changes=changes_shown,
        cursor=changes[-1].contribution.seq if changes else werkplaats.last_seq,
        new_count=sum(1 for c in changes_shown if c.is_new and c.contribution.is_on_wall),
        participants=participants,
        contributions=contributions,
        werkplaats=werkplaats,
        **extra,
    )


@bp.get("/live")
@reads_alone
@werkplaats_access(control=True)
def live_wait(wid: int):
    """Answers once the werkplaats moved past ``after`` (last seq) or ``v`` (state version),
    or after NOVIWERK_PUSH_HOLD_SECONDS: ``{"seq", "v", "gap"}``; live.js then fetches what
    changed by cursor, and waits again ``gap`` ms after that fetch at the earliest.
    ``{"busy": true}`` at once when this process holds all its waits: poll."""
    return held_wait(g.werkplaats)


def held_wait(werkplaats, tafel_id: int | None = None):
    """The wait of ``live_wait`` for any screen of ``werkplaats``, its cursor and version in
    the request's ``after`` and ``v``. A tafel's screen (``tafel_id``) is woken only by a
    change at its own tafel (or a new state): with 20 tafels, each post would otherwise
    send all 20 screens to fetch, 19 of them for nothing."""
    after = request.args.get("after", type=int, default=0)
    version = request.args.get("v", type=int, default=-1)
    wid = werkplaats.id
    state = (werkplaats.last_seq, werkplaats.state_version)
    deadline = time.monotonic() + current_app.config["NOVIWERK_PUSH_HOLD_SECONDS"]
    after = _past_other_tafels(wid, state, after, version, tafel_id)
    # Read now, while the session is open (nothing is read after the wait): a wait that
    # ends with a new state is not held back by it.
    voting_then = (state[1], voting.vote_open(wid, werkplaats.join_code, state[1]))
    # Held without a database connection or transaction (SQLite's checkpoints, PostgreSQL's
    # pool); the watcher reads for every waiter at once.
    db.session.close()
    if state[0] > after or state[1] != version:
        return _woken(voting_then, state)
    waiting = watcher()
    if not waiting.take_slot():
        return _woken(voting_then, state, busy=True)
    # Our server (serve.py) serves the phones' polls only while no other request is being
    # served, and lets only a few requests at work at once; a held wait sleeps, it does
    # neither.
    try:
        with serving.waiting():
            while True:
                state = waiting.wait(wid, state, after, version, deadline - time.monotonic())
                moved_past = _past_other_tafels(wid, state, after, version, tafel_id)
                db.session.close()
                if moved_past == after or time.monotonic() >= deadline:
                    break
                after = moved_past  # only other tafels moved: wait on
    finally:
        waiting.give_slot()
    return _woken(voting_then, state)


def _past_other_tafels(
    wid: int, state: tuple[int, int], after: int, version: int, tafel_id: int | None
) -> int:
    """The cursor to wait from: ``state``'s seq when every change after ``after`` was at
    another tafel (``recent_changes``, read once per process), else ``after`` as it was."""
    if tafel_id is None or state[1] != version or state[0] <= after:
        return after
    rows = recent_changes.after(wid, state[0], after, recent_changes.KEEP)
    if rows is None or any(r.tafel_id == tafel_id for r in rows):
        return after
    return state[0]


def _woken(voting_then: tuple[int, bool], state: tuple[int, int], busy: bool = False):
    """``gap``: milliseconds the screen leaves from its fetch to its next one (live.js);
    longer while people wait in this process' queue, and while a vote is open (in the state
    version of ``voting_then``, still current): each dot wakes every screen, and a thousand
    phones tap within seconds of each other."""
    config = current_app.config
    behind = serving.backlog() >= config["NOVIWERK_PUSH_BUSY_BACKLOG"]
    gap = config["NOVIWERK_PUSH_BUSY_GAP_MS" if behind else "NOVIWERK_PUSH_GAP_MS"]
    if voting_then == (state[1], True):
        gap = max(gap, config["NOVIWERK_PUSH_VOTE_GAP_MS"])
    answer = {"seq": state[0], "v": state[1], "gap": gap}
    if busy:
        answer["busy"] = True
    return jsonify(answer)
