"""Running the room: open and close the werkplaats and its rounds, the join QR, the live wall,
and the harvest downloads."""

from __future__ import annotations

import io

import segno
from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from ..domain import RoundKind, WerkplaatsState
from ..forms import ActionForm
from ..services import harvest, room, voting, wall, werkplaatsen
from .decorators import werkplaats_access
from .htmx import redirect_after_post, retarget

bp = Blueprint("room", __name__, url_prefix="/f/werkplaatsen/<int:wid>")


def _back(anchor: str = ""):
    target = request.form.get("next")
    if target not in ("wall",):
        return redirect_after_post(url_for("facilitator.werkplaats", wid=g.werkplaats.id) + anchor)
    return redirect_after_post(url_for(".wall_page", wid=g.werkplaats.id))


@bp.post("/openen")
@werkplaats_access(control=True)
def open_werkplaats(wid: int):
    if ActionForm().validate_on_submit():
        werkplaatsen.open_werkplaats(g.werkplaats, new_code=request.form.get("nieuwe_code") == "1")
        flash(_("De werkplaats is open. Deelnemers kunnen meedoen met de code."), "success")
    return _back()


@bp.post("/sluiten")
@werkplaats_access(control=True)
def close_werkplaats(wid: int):
    if ActionForm().validate_on_submit():
        werkplaatsen.close_werkplaats(g.werkplaats)
        flash(_("De werkplaats is gesloten. De code werkt niet meer; de oogst blijft."), "info")
    return _back()


@bp.post("/rondes/<int:rid>/<any(openen, sluiten):action>")
@werkplaats_access(control=True)
def round_state(wid: int, rid: int, action: str):
    if ActionForm().validate_on_submit():
        rnd = werkplaatsen.get_round(g.werkplaats, rid)
        if action == "openen":
            werkplaatsen.open_round(rnd)
            flash(_("Ronde %(n)d is open.", n=rnd.position), "success")
        else:
            werkplaatsen.close_round(rnd)
            flash(_("Ronde %(n)d is gesloten.", n=rnd.position), "info")
    return _back("#rondes")


def join_url(code: str) -> str:
    base = current_app.config["NOVIWERK_PUBLIC_URL"].rstrip("/")
    path = url_for("participant.qr_entry", code=code)
    return (base + path) if base else url_for("participant.qr_entry", code=code, _external=True)


@bp.get("/qr.svg")
@werkplaats_access(control=False)
def qr(wid: int):
    if g.werkplaats.join_code is None:
        return Response(status=404)
    out = io.BytesIO()
    segno.make_qr(join_url(g.werkplaats.join_code), error="m").save(
        out,
        kind="svg",
        scale=8,
        border=2,
        xmldecl=False,
        title=_("QR-code om mee te doen met %(t)s", t=g.werkplaats.title),
    )
    return Response(out.getvalue(), mimetype="image/svg+xml")


# --- the wall ---------------------------------------------------------------------------


def _wall_context() -> dict:
    werkplaats = g.werkplaats
    # The cursor first: a post committed while the cards are read is then fetched again
    # (harmless, cards are placed by id) instead of skipped (under READ COMMITTED).
    cursor = wall.current_seq(werkplaats.id)
    participants, contributions = wall.counts(werkplaats.id)
    shown = werkplaats.beamer_round
    return {
        "shown_round": shown,
        "seconds_left": room.seconds_left(shown),
        "results": voting.results(shown) if shown and shown.kind == RoundKind.VOTING else [],
        "votes_cast": voting.votes_cast(shown)
        if shown and shown.kind == RoundKind.VOTING
        else (0, 0),
        "werkplaats": werkplaats,
        "by_round": wall.visible_by_round(werkplaats),
        "cursor": cursor,
        "participants": participants,
        "contributions": contributions,
        "join_url": join_url(werkplaats.join_code) if werkplaats.join_code else None,
        "poll_ms": current_app.config["NOVIWERK_WALL_POLL_MS"],
        "action_form": ActionForm(),
        "is_open": werkplaats.state == WerkplaatsState.OPEN,
    }


@bp.get("/wall")
@werkplaats_access(control=True)
def wall_page(wid: int):
    return render_template("room/wall.html", **_wall_context())


@bp.get("/beamer")
@werkplaats_access(control=True)
def beamer(wid: int):
    """Full screen for the projector: code, QR, the round, its timer and its cards."""
    return render_template("room/beamer.html", **_wall_context())


@bp.get("/wall/wijzigingen")
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
        response = current_app.make_response(
            render_template(f"room/_{view}.html", **_wall_context())
        )
        return retarget(response, f"#{view}", "outerHTML")
    if werkplaats.last_seq <= after:
        return "", 204
    shown = werkplaats.beamer_round
    if view == "beamer" and shown is not None and shown.kind == RoundKind.VOTING:
        # Dots moved the cursor: redraw the bars (or the "n stemmen uitgebracht" line).
        response = current_app.make_response(
            render_template("room/_beamer.html", **_wall_context())
        )
        return retarget(response, "#beamer", "outerHTML")
    changes = wall.changes_after(werkplaats.id, after)
    if view == "beamer" and werkplaats.beamer_round is not None:
        # The beamer shows one round; the cursor still moves past the others.
        shown = werkplaats.beamer_round.id
        changes_shown = [c for c in changes if c.contribution.round_id == shown]
    else:
        changes_shown = changes
    participants, contributions = wall.counts(werkplaats.id)
    return render_template(
        "room/_wall_changes.html",
        changes=changes_shown,
        cursor=changes[-1].contribution.seq if changes else werkplaats.last_seq,
        new_count=sum(1 for c in changes_shown if c.is_new and c.contribution.is_on_wall),
        participants=participants,
        contributions=contributions,
        werkplaats=werkplaats,
    )


# --- harvest downloads ------------------------------------------------------------------


@bp.get("/oogst.<any(md, csv, json):fmt>")
@werkplaats_access(control=False)
def download(wid: int, fmt: str):
    body, mimetype, filename = harvest.export_werkplaats(g.werkplaats, fmt)
    return Response(
        body,
        content_type=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
