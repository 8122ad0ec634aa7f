"""Others' contributions on the phones, each rendered once per version and shared by every
phone of the process.

In a busy room every phone that opens "Wat anderen inbrachten", and every poll that brings
the lists again, shows the same up to 200 items; rendering them per phone cost ~20 ms of CPU
a time (bench_room, 1,000 phones). An item's HTML depends only on the contribution's version
(its ``seq``: a new text, a +1 or a withdrawal each take a new one), the language and the
join code, besides two things per phone: its CSRF token (put in by one ``str.replace``
over the whole list) and whether it +1'd the item (both variants are kept).
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import g, render_template
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from ..models import Contribution
from ..services import support

STAND_IN = "csrf-token-of-this-phone"  # stands for the phone's own token in the cached HTML
_MAX_ITEMS = 20_000  # then the cache starts afresh (a process serves a few rooms at a time)
# (contribution id, seq, locale, join code) -> (HTML as not +1'd, HTML as +1'd)
_cache: dict[tuple, tuple[str, str]] = {}


def _variants(c: Contribution, werkplaats) -> tuple[str, str]:
    return tuple(  # type: ignore[return-value]
        render_template(
            "participant/_other_item.html",
            c=c,
            supported={c.id} if on else set(),
            werkplaats=werkplaats,
            csrf_token=lambda: STAND_IN,
        )
        for on in (False, True)
    )


def other_items(others: Sequence[support.Listed], supported: set[int]) -> Markup:
    """The ``<li>`` of each of ``others`` as this phone sees it (for the templates).

    ``others`` are ids and versions (``support.Listed``): the items not rendered yet are
    loaded, in one query, and rendered once for every phone."""
    werkplaats = g.werkplaats
    place = (str(get_locale()), werkplaats.join_code)
    pairs: dict[int, tuple[str, str]] = {}
    for o in others:
        if (pair := _cache.get((o.id, o.seq, *place))) is not None:
            pairs[o.id] = pair
    missing = [o for o in others if o.id not in pairs]
    if missing:
        if len(_cache) + len(missing) > _MAX_ITEMS:
            _cache.clear()
        loaded = {c.id: c for c in support.contributions([o.id for o in missing])}
        for o in missing:
            if (c := loaded.get(o.id)) is not None:  # else removed since: not listed
                # Kept under the version rendered, which this request's snapshot may hold
                # older than the list names (SQLite reads one snapshot per request): the
                # listed version is rendered when a request sees it.
                pairs[o.id] = _cache[(c.id, c.seq, *place)] = _variants(c, werkplaats)
    return with_token("".join(pairs[o.id][o.id in supported] for o in others if o.id in pairs))


def with_token(html: str) -> Markup:
    """HTML rendered once for every phone (with ``STAND_IN`` as its CSRF token), with this
    phone's own token in it."""
    # It is the output of autoescaping templates; the token is our own.
    return Markup(html.replace(STAND_IN, generate_csrf()))  # noqa: S704
