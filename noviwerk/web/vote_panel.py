"""The vote on the phones, and a dot's answer, each rendered once for every phone that sees
the same.

When a vote opens, every phone of the room asks for it within seconds (its poll finds a new
state) while the room taps its dots: in the busy plenary of bench_room, 1,000 polls that
each rendered the same options with the same "0 van je 3" and the same buttons, and 3,000
dots whose answers differ only in the option and the phone's count. Each phone's rendering
differs from the shared one only in its CSRF token, put in as in web/other_items.py. The
phones' dots are part of the key: with 8 options and 3 dots a vote has at most 165 ways to
be spent, and the dot that spends a phone's last one (or frees it) brings the whole vote.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import g, render_template, request
from flask_babel import get_locale
from markupsafe import Markup

from .other_items import STAND_IN, with_token

_MAX_ENTRIES = 2_000  # then the cache starts afresh (a process serves a few rooms at a time)
_cache: dict[tuple, str] = {}


def _shared(key: tuple, render) -> Markup:
    """What ``render`` gives with the stand-in for a token, once per ``key``, with this
    phone's token in it. ``key`` holds everything the template reads, apart from the
    language and the join code (in the buttons' addresses), which are added here."""
    key = (*key, str(get_locale()), g.werkplaats.join_code)
    html = _cache.get(key)
    if html is None:
        if len(_cache) >= _MAX_ENTRIES:
            _cache.clear()
        html = _cache[key] = render(csrf_token=lambda: STAND_IN)
    return with_token(html)


def _render(rnd, options: Sequence, my_votes: dict[int, int], **extra) -> str:
    return render_template("participant/_vote.html", round=rnd, vote_options=options,
                           my_votes=my_votes, werkplaats=g.werkplaats, **extra)  # fmt: skip


def vote_panel(rnd, options: Sequence, my_votes: dict[int, int]) -> Markup:
    """``participant/_vote.html`` as this phone sees it: for the templates, and for a dot
    that spent the phone's last one or freed it."""
    # The options, the round's dots, the phone's, and the view (the poll swaps it out of
    # band, a dot's answer tells what it did).
    key = ("vote", rnd.id, rnd.votes_per_participant, tuple(options),
           tuple(sorted(my_votes.items())), request.endpoint)  # fmt: skip
    return _shared(key, lambda **token: _render(rnd, options, my_votes, **token))


def vote_dot(rnd, cid: int, text: str, my_votes: dict[int, int]) -> Markup:
    """``participant/_vote_dot.html``: a dot's answer, the option it went to (or came from)
    with the phone's dots on it and its budget."""
    mine, used = my_votes.get(cid, 0), sum(my_votes.values())
    key = ("dot", rnd.id, rnd.votes_per_participant, cid, text, mine, used)
    return _shared(key, lambda **token: render_template(
        "participant/_vote_dot.html", round=rnd, cid=cid, text=text, mine=mine, used=used,
        werkplaats=g.werkplaats, **token))  # fmt: skip
