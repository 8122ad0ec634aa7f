"""What the phone page shows: the open round (or the one still taking late text), the form,
one's own contributions, and others' to +1 or vote on. Shared by the phone's views
(participant.py, phone_lists.py)."""

from __future__ import annotations

import math
import time
import uuid

from flask import current_app, g, make_response, render_template, request
from flask_babel import gettext as _

from ..domain import Label, RoundKind
from ..forms import ContributionForm
from ..services import phone_lists, rounds, support, tafels, voting, werkplaatsen
from . import limits
from .errors import too_many
from .htmx import is_htmx

# The soorten a participant picks from in a labelled round (a citaat has its own round kind).
LABEL_CHOICES = tuple(label.value for label in Label if label != Label.CITAAT)
# "Ingetrokken · Ongedaan maken": how long the phone waits before it sends a withdrawal
# (phone.js). Nothing is taken back before then, so an undo needs no copy of the text.
WITHDRAW_UNDO_SECONDS = 6


def new_form(text: str = "") -> ContributionForm:
    form = ContributionForm(formdata=None)
    form.text.data = text
    form.client_key.data = uuid.uuid4().hex
    return form


def chosen_label(form: ContributionForm) -> str:
    """The soort picked for a text that was refused, so the re-rendered form keeps it."""
    label = request.form.get("label", "") if form.text.errors else ""
    return label if label in LABEL_CHOICES else ""


def panel_context() -> dict:
    """The round panel's part of the phone: the round, its grace, and the poll's cursor.

    The cursor is read before any list is (the werkplaats was loaded first): a change made
    meanwhile then comes again at the next poll, where it replaces its item, never skipped.
    """
    werkplaats = g.werkplaats
    closed = g.get("werkplaats_closed", False)
    rnd = None if closed else werkplaats.open_round
    # With no round open, the form posts into the round closed last while it takes late text.
    grace = None if closed or rnd is not None else rounds.round_in_grace(werkplaats)
    input_round = grace if rnd is None else (rnd if rnd.kind != RoundKind.VOTING else None)
    return {
        "werkplaats": werkplaats,
        "closed": closed,
        "round": rnd,
        "grace_round": grace,
        "input_round": input_round,
        "cursor": werkplaats.last_seq,
        # What the poll sends as its cursor: none during a vote. Every dot moves the
        # werkplaats' cursor (for the beamer's bars) while the phone lists nothing new; it
        # follows the vote by the state version, and its own list comes anew with the next.
        "poll_cursor": None
        if rnd is not None and rnd.kind == RoundKind.VOTING
        else werkplaats.last_seq,
        # When the lists were brought up to the cursor (the poll's ``a``; phone_lists.list_lag).
        "listed_at": int(time.time()),
        # The round whose others' list the phone shows: a new state in the same round then
        # brings that list by cursor, not whole (phone_lists._state).
        "others_round_id": rnd.id if phone_lists.shows_others(rnd) else None,
        "poll_seconds": poll_seconds(_phones(werkplaats)),
    }


def poll_seconds(phones: int) -> int:
    """Seconds between a phone's polls: ``NOVIWERK_PHONE_POLL_SECONDS``, longer in a room
    whose polls would pass ``NOVIWERK_PHONE_POLLS`` a second, up to
    ``NOVIWERK_PHONE_POLL_MAX`` (1,000 phones: every 10 s). Every poll costs the server a
    request even when nothing changed; in a plenary that fills a core beside the posts."""
    config = current_app.config
    base, rate = config["NOVIWERK_PHONE_POLL_SECONDS"], config["NOVIWERK_PHONE_POLLS"]
    if rate <= 0:
        return base
    return max(base, min(config["NOVIWERK_PHONE_POLL_MAX"], math.ceil(phones / rate)))


def _phones(werkplaats) -> int:
    """Phones joined to an open werkplaats, from the per-process cache the polls read."""
    found = werkplaatsen.open_state_version(
        werkplaats.join_code, current_app.config["NOVIWERK_STATE_CACHE_SECONDS"]
    )
    return found.phones if found is not None else 0


def phone_context(form: ContributionForm | None = None) -> dict:
    form = form or new_form()
    my_tafel, has_tafels = tafels.seat_of(g.participant)
    return {
        **state_context(),
        "my_tafel": my_tafel,
        "has_tafels": has_tafels,
        "chosen_label": chosen_label(form),
        "form": form,
    }


def state_context() -> dict:
    """What ``participant/_state.html`` needs: the round panel, the part below the form and
    the phone's own list. No form and no seat: a poll brings neither (when a vote opens,
    every phone of the room asks for this within seconds)."""
    panel = panel_context()
    return {
        **panel,
        **round_extra(panel["round"]),
        "own": phone_lists.own_contributions(g.participant),
    }


def extra_context() -> dict:
    """What ``participant/_extra.html`` alone needs (the vote, or others' list): "Lijst
    verversen" asks for that part only, so it builds no form and reads no own list."""
    panel = panel_context()
    return {**panel, **round_extra(panel["round"])}


def round_extra(rnd) -> dict:
    """The part below the form: the vote's options and dots, or others' contributions."""
    extra: dict = {"others": [], "others_tafel": None, "supported": set(), "vote_options": [],
                   "my_votes": {}}  # fmt: skip
    if rnd is not None and rnd.kind == RoundKind.VOTING:
        extra["vote_options"], extra["my_votes"] = voting.ballot(g.participant, rnd)
    elif phone_lists.shows_others(rnd):
        extra["others_tafel"] = tafel = tafels.tafel_listed(g.participant, rnd)
        extra["others"] = support.others_in_round(g.participant, rnd, tafel and tafel.id)
        extra["supported"] = support.supported_ids(g.participant)
    return extra


def slow_down(e):
    """429 to a phone that sends faster than a person types. A plain POST of a contribution
    gets its page back with the text still in the form; htmx keeps it in the outbox
    (outbox.js), which sends it again after Retry-After. Nothing was said to be
    "Ontvangen", so nothing is lost. Anything else gets the usual 429."""
    if request.endpoint != "participant.post" or is_htmx() or g.get("participant") is None:
        return too_many(e)
    seconds = limits.retry_after(e)
    form = ContributionForm()
    form.text.errors = [
        _(
            "Even wachten: je stuurt veel achter elkaar. Je tekst staat hier nog; verstuur hem "
            "over %(wait)s opnieuw.",
            wait=limits.wait_text(seconds),
        )
    ]
    page = render_template("participant/phone.html", **phone_context(form))
    return make_response(page, 429, {"Retry-After": str(seconds)})
