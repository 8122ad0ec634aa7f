"""The phone's lists and the poll that keeps them: its own contributions (on top), what
others brought in (to +1), the vote, and the round panel's "did anything change?".

The poll asks with the state version it shows (``v``) and its cursor (``s``, the last change
number it has seen). Nothing new: 204, mostly from a per-process cache without touching the
database. A new round state: the whole panel and lists again. Only contributions changed:
the panel (with the new cursor) and just the changed items, which phone.js places into the
lists by id (services/phone_lists.py) — in a big room every phone asks every few seconds,
and rendering up to 200 of others' items for each would be the heaviest thing it does.
"""

from __future__ import annotations

import time

from flask import current_app, g, render_template, request, url_for

from .. import serving
from ..extensions import limiter
from ..services import phone_lists, rounds, voting, werkplaatsen
from ..services.permissions import Policy
from ..services.support import toggle_support
from . import limits, vote_panel
from .decorators import policy
from .htmx import is_htmx, redirect_after_post, retarget
from .participant import bp, may_hold_token, participant_required, with_werkplaats
from .phone_page import extra_context, panel_context, poll_seconds, state_context


@bp.get("/w/<code>/status")
@policy(Policy.PARTICIPANT)
def state(code: str):
    """Round panel for the phone's poll: 204 while nothing changed, so nothing is swapped.

    The common answer, 204 to a phone of an open werkplaats whose version and cursor are
    current, comes from a per-process cache without touching the database (every phone asks
    every few seconds); anything else takes the full path below. In a big room the lists
    may lag a little (``list_lag``), and more while the process is behind (``BEHIND_SECONDS``):
    a phone whose lists are younger than that hears only of a new state, and gets what others
    sent at a later poll (its cursor stays, so nothing is skipped).
    """
    version = request.args.get("v", type=int)
    cursor = request.args.get("s", type=int)
    if version is not None and "g" not in request.args:
        max_age = current_app.config["NOVIWERK_STATE_CACHE_SECONDS"]
        current = werkplaatsen.open_state_version(code, max_age)
        if current is not None and may_hold_token(current.id) and version == current.state_version:
            if cursor is None or cursor >= current.last_seq:
                return "", 204
            age = time.time() - request.args.get("a", type=float, default=0.0)
            if 0 <= age < list_lag(current.phones) or serving.poll_waited() >= BEHIND_SECONDS:
                return "", 204
    return _state(code=code)


# A poll that waited this long for a thread finds its process behind the room: it hears only
# of a new state, and the lists follow at a later poll (its cursor stays, nothing is skipped).
# Else every late poll would carry more, and a server that fell behind would stay behind.
BEHIND_SECONDS = 1.0


def list_lag(phones: int) -> float:
    """Seconds a phone's lists may lag behind the room: none in a room whose polls are few,
    up to ``NOVIWERK_PHONE_LIST_LAG_MAX`` in a room where the phones' list refreshes would
    pass ``NOVIWERK_PHONE_LIST_REFRESHES`` a second (each costs the server a few ms of CPU;
    a new state, such as a round opening, is never held back)."""
    config = current_app.config
    rate = config["NOVIWERK_PHONE_LIST_REFRESHES"]
    lag = phones / rate if rate > 0 else 0.0
    if lag <= poll_seconds(phones):  # no poll comes sooner: nothing to hold
        return 0.0
    return min(config["NOVIWERK_PHONE_LIST_LAG_MAX"], lag)


@with_werkplaats
@participant_required
def _state(code: str):
    """``g`` names the round whose grace the phone shows: when that grace runs out, the panel
    changes without any state change. A closed werkplaats' panel has no poll: it ends here.
    """
    werkplaats = g.werkplaats
    cursor = request.args.get("s", type=int)
    if not g.werkplaats_closed and request.args.get("v", type=int) == werkplaats.state_version:
        grace_id = request.args.get("g", type=int)
        if grace_id is None or rounds.still_in_grace(werkplaats, grace_id):
            if cursor is None or cursor >= werkplaats.last_seq:
                return "", 204  # a page from before the cursor sends none: state alone
            return _changes(cursor, with_own=False)
    if not g.werkplaats_closed and cursor is not None:
        # A new state in the round whose others the phone lists already (a timer extended,
        # the beamer moved on): the panel and its own list anew, others' by cursor only.
        rnd = werkplaats.open_round
        if phone_lists.shows_others(rnd) and request.args.get("o", type=int) == rnd.id:
            return _changes(cursor, with_own=True)
    return render_template("participant/_state.html", **state_context())


def _changes(cursor: int, with_own: bool):
    """The round panel with the contributions changed after the phone's cursor, for
    phone.js to place; ``with_own``: the phone's own list whole (its round's state may have
    changed what its items offer)."""
    panel = panel_context()
    changes = phone_lists.changes_after(g.participant, panel["round"], cursor, panel["cursor"])
    if changes is None:  # too many to place one by one: the whole lists again
        return render_template("participant/_state.html", **state_context())
    own = {"own": phone_lists.own_contributions(g.participant)} if with_own else {}
    return render_template("participant/_state.html", changes=changes, **panel, **own)


@bp.get("/w/<code>/anderen")
@with_werkplaats
@participant_required
def others(code: str):
    """ "Lijst verversen": others' contributions again, in order (most supported first)."""
    return render_template("participant/_extra.html", **extra_context())


@bp.post("/w/<code>/steun/<int:cid>")
@with_werkplaats
@participant_required
@limiter.limit(limits.SUPPORT_LIMIT, key_func=limits.participant_key)
def support(code: str, cid: int):
    wish = request.form.get("on")  # what the button showed; an old page sends none: toggle
    contribution, on = toggle_support(
        g.participant, cid, on=None if wish not in ("0", "1") else wish == "1"
    )
    if is_htmx():  # the pressed item alone (see _other_item.html)
        return render_template(
            "participant/_other_item.html",
            c=contribution,
            supported={contribution.id} if on else set(),
            werkplaats=g.werkplaats,
        )
    return redirect_after_post(url_for("participant.phone", code=code) + "#round-extra")


@bp.post("/w/<code>/stem/<int:cid>")
@with_werkplaats
@participant_required
@limiter.limit(limits.SUPPORT_LIMIT, key_func=limits.participant_key)
def vote(code: str, cid: int):
    delta = 1 if request.form.get("delta") != "-1" else -1
    dot = voting.vote(g.participant, None, cid, delta)  # in the open round
    rnd = dot.round
    if is_htmx():
        # The option alone (when a vote opens, the whole room taps), unless this dot spent
        # the last one or freed it: then every "+" changes, and the whole vote comes back.
        used, budget = sum(dot.mine.values()), rnd.votes_per_participant
        if (used >= budget) == (used - delta >= budget):
            return vote_panel.vote_dot(rnd, cid, dot.text, dot.mine)
        page = vote_panel.vote_panel(rnd, voting.ballot(g.participant, rnd).options, dot.mine)
        return retarget(current_app.make_response(page), "#round-extra", "outerHTML")
    return redirect_after_post(url_for("participant.phone", code=code) + "#round-extra")
