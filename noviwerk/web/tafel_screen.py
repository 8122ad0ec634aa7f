"""A tafel's own screen: a laptop or tablet on the table, opened by a link that holds the
tafel's secret (no account, like a bouwsteen's read-only link). It shows the tafel's input
live: the wall's cursor poll on the werkplaats' change counter, filtered to this tafel. The
tafelvoorzitter types in the flip-chart or what was said, and marks the three main points.
Like the wall it waits for push (``live``, the wall's held wait) and polls when push is off.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, render_template, request, url_for
from flask_babel import gettext as _

from ..database import reads_without_transaction
from ..domain import WerkplaatsState
from ..extensions import limiter
from ..forms import NoteForm
from ..services import tafel_plenary, tafels, wall
from ..services.errors import Invalid
from ..services.permissions import Policy
from .decorators import policy
from .htmx import redirect_after_post, retarget
from .wall import held_wait, live_url

bp = Blueprint("tafel_screen", __name__, url_prefix="/tafel/<token>")


def _per_tafel() -> str:
    """Rate limits count per tafel, not per IP: a venue's tafels share one address."""
    return f"tafel:{g.tafel.id}"


@bp.url_value_preprocessor
def _load(endpoint, values):
    if endpoint in ("tafel_screen.changes", "tafel_screen.live_wait"):
        reads_without_transaction()  # the screen's hot reads (see decorators.reads_alone)
    g.tafel = tafels.by_token(values["token"])  # unknown: 404
    g.werkplaats = g.tafel.werkplaats


def _is_open() -> bool:
    """Whether the screen still writes (notes, main points): see ``tafels._taking_input``."""
    return g.werkplaats.state == WerkplaatsState.OPEN and not g.tafel.is_closed


def _context(form: NoteForm | None = None) -> dict:
    tafel, werkplaats = g.tafel, g.werkplaats
    cursor = wall.current_seq(werkplaats.id)  # first: see wall._wall_context
    shown = werkplaats.beamer_round
    return {
        "tafel": tafel,
        "werkplaats": werkplaats,
        "form": form or NoteForm(),
        "cards": tafel_plenary.on_screen(tafel),
        "points": tafels.main_points(tafel),
        "max_points": tafels.MAIN_POINTS,
        "cursor": cursor,
        "shown_round": shown,
        "is_open": _is_open(),
        "is_plenary": shown is not None and not shown.is_at_tafels,
        "plenary_message": tafels.plenary_round_message(),
        "poll_ms": current_app.config["NOVIWERK_WALL_POLL_MS"],
        "live_url": url_for(".live_wait", token=tafel.token) if live_url(werkplaats.id) else None,
        "staff_styles": True,  # a laptop on the table, without an account: the wall's styles
    }


@bp.get("")
@policy(Policy.SHARED)
def screen(token: str):
    return render_template("tafels/screen.html", **_context())


@bp.get("/wijzigingen")
@policy(Policy.SHARED)
def changes(token: str):
    """The tafel's cards changed after the screen's cursor; 204 when none. A new round state
    (opened, closed) redraws the whole screen, as the wall does."""
    after = request.args.get("after", type=int, default=0)
    version = request.args.get("v", type=int, default=-1)
    if version != g.werkplaats.state_version:
        page = render_template("tafels/_screen.html", **_context())
        return retarget(current_app.make_response(page), "#tafel-screen", "outerHTML")
    if g.werkplaats.last_seq <= after:
        return "", 204
    found, cursor = tafel_plenary.changes_after(g.tafel, after)
    return render_template(
        "tafels/_screen_changes.html", changes=found, cursor=cursor, tafel=g.tafel,
        points=tafels.main_points(g.tafel) if found else None, max_points=tafels.MAIN_POINTS,
        count=tafel_plenary.on_screen_count(g.tafel) if found else None, is_open=_is_open(),
    )  # fmt: skip


@bp.get("/live")
@policy(Policy.SHARED)
def live_wait(token: str):
    """Answers once this tafel's input moved (see ``wall.held_wait``); live.js then fetches."""
    return held_wait(g.werkplaats, tafel_id=g.tafel.id)


@bp.post("/notitie")
@policy(Policy.SHARED)
@limiter.limit("60/minute", key_func=_per_tafel)
def note(token: str):
    form = NoteForm()
    if not form.validate_on_submit():
        raise Invalid(_("Ongeldig formulier. Herlaad de pagina en probeer het opnieuw."))
    try:
        tafels.add_note(g.tafel, form.text.data or "", form.source.data, form.label.data or None)
    except Invalid as e:
        field = e.field if e.field in ("text", "source", "label") else "text"
        getattr(form, field).errors = [e.message]
        return render_template("tafels/screen.html", **_context(form)), e.status
    flash(_("Toegevoegd aan de tafel."), "success")
    return redirect_after_post(url_for(".screen", token=token) + "#invoer")


@bp.post("/hoofdpunten/<int:cid>")
@policy(Policy.SHARED)
@limiter.limit("60/minute", key_func=_per_tafel)
def point(token: str, cid: int):
    on = request.form.get("on") == "1"
    try:
        tafels.mark_point(g.tafel, cid, on)
    except Invalid as e:
        flash(e.message, "error")
    else:
        flash(_("Hoofdpunt gemarkeerd.") if on else _("Hoofdpunt weggehaald."), "success")
    return redirect_after_post(url_for(".screen", token=token) + "#hoofdpunten")
