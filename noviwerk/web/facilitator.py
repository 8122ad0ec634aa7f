"""Scheduling: programmes, werkplaatsen and the design of their rounds."""

from __future__ import annotations

import io
from datetime import datetime, time

import segno
from flask import (
    Blueprint,
    Response,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ..display import shown
from ..domain import AuditAction
from ..forms import RoundForm, WerkplaatsForm
from ..services import (
    accounts,
    contributions,
    oogst,
    permissions,
    programmes,
    rounds,
    werkplaatsen,
)
from ..services.errors import Invalid, ServiceError
from ..services.permissions import Policy
from .decorators import policy, programme_access, werkplaats_access
from .errors import refused
from .files import recorded_download
from .htmx import is_htmx, redirect_after_post
from .links import join_url

bp = Blueprint("facilitator", __name__, url_prefix="/f")


@bp.get("/")
@policy(Policy.ACCOUNT)
def home():
    return render_template(
        "facilitator/home.html",
        werkplaatsen=werkplaatsen.werkplaatsen_for(current_user),
        programmes=programmes.programmes_for(current_user),
        can_schedule=permissions.can_schedule(current_user),
    )


def _field_error(form, e: Invalid) -> None:
    field = getattr(form, e.field, None) if e.field else None
    if field is not None and hasattr(field, "errors") and isinstance(field.errors, list):
        field.errors.append(e.message)
    else:
        flash(e.message, "error")


# --- werkplaatsen -----------------------------------------------------------------------


def _werkplaats_form(prog, werkplaats=None) -> WerkplaatsForm:
    form = WerkplaatsForm(obj=werkplaats if request.method == "GET" else None)
    form.theme_id.choices = [SelectChoice(0, _("(geen thema)"))] + [
        SelectChoice(t.id, t.name) for t in prog.themes
    ]
    users = accounts.staff_candidates()
    people = [SelectChoice(u.id, f"{u.name} ({shown(u.role)})") for u in users]
    form.facilitator_ids.choices = people
    form.trekker_ids.choices = list(people)
    if request.method == "GET":
        if werkplaats is not None:
            form.theme_id.data = werkplaats.theme_id or 0
            form.kind.data = werkplaats.kind.value
            form.facilitator_ids.data = [u.id for u in werkplaats.facilitators]
            form.trekker_ids.data = [u.id for u in werkplaats.trekkers]
            if werkplaats.starts_at:
                form.date.data = werkplaats.starts_at.date()
                form.time.data = werkplaats.starts_at.time()
        else:
            form.facilitator_ids.data = [current_user.id]
    return form


def _save(form: WerkplaatsForm, prog, werkplaats=None):
    starts_at = None
    if form.date.data:
        starts_at = datetime.combine(form.date.data, form.time.data or time(0, 0))
    return werkplaatsen.save_werkplaats(
        prog,
        werkplaats=werkplaats,
        title=form.title.data,
        starts_at=starts_at,
        place=form.place.data or "",
        kind=form.kind.data,
        theme_id=form.theme_id.data or None,
        organisation=form.organisation.data or "",
        trekker_name=form.trekker_name.data or "",
        facilitator_ids=form.facilitator_ids.data or [],
        trekker_ids=form.trekker_ids.data or [],
    )


@bp.route("/programmas/<int:pid>/werkplaatsen/nieuw", methods=["GET", "POST"])
@programme_access(manage=True)
def new_werkplaats(pid: int):
    prog = g.programme
    form = _werkplaats_form(prog)
    if form.validate_on_submit():
        try:
            werkplaats = _save(form, prog)
        except Invalid as e:
            _field_error(form, e)
        else:
            flash(_("Werkplaats ingepland."), "success")
            return redirect_after_post(url_for(".werkplaats", wid=werkplaats.id))
    return render_template(
        "facilitator/werkplaats_form.html", form=form, programme=prog, werkplaats=None
    ), (422 if request.method == "POST" else 200)


@bp.get("/werkplaatsen/<int:wid>")
@werkplaats_access(control=False)
def werkplaats(wid: int):
    rows = oogst.oogst_rows(g.werkplaats.programme, oogst.OogstFilter(), werkplaats_id=wid)
    return render_template(
        "facilitator/werkplaats.html",
        werkplaats=g.werkplaats,
        harvest=rows[0] if rows else None,
        can_control=g.can_control,
        rounds_with_input=rounds.rounds_with_input(g.werkplaats) if g.can_control else set(),
    )


@bp.route("/werkplaatsen/<int:wid>/bewerken", methods=["GET", "POST"])
@werkplaats_access(control=True)
def edit_werkplaats(wid: int):
    prog = g.werkplaats.programme
    form = _werkplaats_form(prog, g.werkplaats)
    if form.validate_on_submit():
        try:
            _save(form, prog, g.werkplaats)
        except Invalid as e:
            _field_error(form, e)
        else:
            flash(_("Werkplaats opgeslagen."), "success")
            return redirect_after_post(url_for(".werkplaats", wid=wid))
    return render_template(
        "facilitator/werkplaats_form.html", form=form, programme=prog, werkplaats=g.werkplaats
    ), (422 if request.method == "POST" else 200)


# --- designing rounds -------------------------------------------------------------------


def _round_form(werkplaats, rnd=None) -> RoundForm:
    form = RoundForm(obj=rnd if request.method == "GET" else None)
    form.kernvraag_id.choices = [SelectChoice(0, _("(geen kernvraag)"))] + [
        SelectChoice(k.id, f"{k.position}. {k.title}") for k in werkplaats.programme.kernvragen
    ]
    if request.method == "GET" and rnd is not None:
        form.kernvraag_id.data = rnd.kernvraag_id or 0
        form.kind.data = rnd.kind.value
    return form


def _back():
    return redirect_after_post(url_for(".werkplaats", wid=g.werkplaats.id) + "#rondes")


@bp.errorhandler(ServiceError)
def _refused_here(e: ServiceError):
    """A refused action on a werkplaats (deleting a round that holds contributions, moving
    one that is gone): back on the werkplaats page with the message, not left on the
    action's address. Forms with fields catch their own errors and show them in place."""
    if is_htmx() or request.method != "POST" or g.get("werkplaats") is None:
        return refused(e)
    flash(e.message, "error")
    return _back()


@bp.post("/werkplaatsen/<int:wid>/rondes/sjabloon")
@werkplaats_access(control=True)
def rounds_template(wid: int):
    rounds.rounds_from_template(g.werkplaats)
    flash(_("Rondes aangemaakt: één per kernvraag."), "success")
    return _back()


@bp.route("/werkplaatsen/<int:wid>/rondes/nieuw", methods=["GET", "POST"])
@bp.route("/werkplaatsen/<int:wid>/rondes/<int:rid>/bewerken", methods=["GET", "POST"])
@werkplaats_access(control=True)
def round_form(wid: int, rid: int | None = None):
    rnd = rounds.get_round(g.werkplaats, rid) if rid else None
    form = _round_form(g.werkplaats, rnd)
    if form.validate_on_submit():
        kv = form.kernvraag_id.data or None
        try:
            rounds.save_round(
                g.werkplaats,
                rid,
                prompt=form.prompt.data,
                kernvraag_id=kv,
                planned_minutes=form.planned_minutes.data,
                kind=form.kind.data,
                is_support_allowed=form.is_support_allowed.data,
                is_premoderated=form.is_premoderated.data,
                votes_per_participant=form.votes_per_participant.data,
                grace_seconds=form.grace_seconds.data,
            )
        except Invalid as e:
            _field_error(form, e)
        else:
            flash(_("Ronde opgeslagen."), "success")
            return _back()
    return render_template(
        "facilitator/round_form.html", form=form, werkplaats=g.werkplaats, round=rnd
    ), (422 if request.method == "POST" else 200)


@bp.post("/werkplaatsen/<int:wid>/rondes/<int:rid>/<any(omhoog, omlaag):direction>")
@werkplaats_access(control=True)
def move_round(wid: int, rid: int, direction: str):
    rounds.move_round(g.werkplaats, rid, -1 if direction == "omhoog" else 1)
    return _back()


@bp.post("/werkplaatsen/<int:wid>/rondes/<int:rid>/verwijderen")
@werkplaats_access(control=True)
def delete_round(wid: int, rid: int):
    rounds.delete_round(g.werkplaats, rid)
    flash(_("Ronde verwijderd."), "info")
    return _back()


# --- opening the werkplaats and its rounds ----------------------------------------------


@bp.post("/werkplaatsen/<int:wid>/openen")
@werkplaats_access(control=True)
def open_werkplaats(wid: int):
    werkplaatsen.open_werkplaats(g.werkplaats, new_code=request.form.get("nieuwe_code") == "1")
    flash(_("De werkplaats is open. Deelnemers kunnen meedoen met de code."), "success")
    return redirect_after_post(url_for(".werkplaats", wid=wid))


@bp.post("/werkplaatsen/<int:wid>/sluiten")
@werkplaats_access(control=True)
def close_werkplaats(wid: int):
    werkplaatsen.close_werkplaats(g.werkplaats)
    flash(_("De werkplaats is gesloten. De code werkt niet meer; de bijdragen blijven."), "info")
    return redirect_after_post(url_for(".werkplaats", wid=wid))


@bp.post("/werkplaatsen/<int:wid>/rondes/<int:rid>/<any(openen, sluiten):action>")
@werkplaats_access(control=True)
def old_round_state(wid: int, rid: int, action: str):
    """The werkplaats page's own address for this before the regie's became the only one:
    a page still open from before is sent on, with its form (307), and comes back here."""
    url = url_for("regie.round_state", wid=wid, rid=rid, action=action, next="werkplaats")
    return redirect(url, 307)


@bp.get("/werkplaatsen/<int:wid>/qr.svg")
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


# --- the werkplaats' contributions as a file ---------------------------------------------


@bp.get("/werkplaatsen/<int:wid>/bijdragen.<any(md, csv, json):fmt>")
@werkplaats_access(control=False)
def download(wid: int, fmt: str):
    body = contributions.export_werkplaats(g.werkplaats, fmt)
    return recorded_download(AuditAction.BIJDRAGEN_DOWNLOAD, g.werkplaats, *body)


@bp.get("/werkplaatsen/<int:wid>/oogst.<any(md, csv, json):fmt>")
@werkplaats_access(control=False)
def old_download(wid: int, fmt: str):
    """The address before the download was named for what it holds."""
    return redirect(url_for(".download", wid=wid, fmt=fmt), 301)


# The programme's own pages live beside this module and register their views on ``bp``.
from . import programme  # noqa: E402, F401
