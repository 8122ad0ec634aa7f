"""Tafels, for the facilitator: set them up (name, focus, tafelvoorzitter), close or delete
them, print a QR per tafel that seats a phone there, and the plenary on the beamer.

The tafel's own screen (a link with its secret, no account) is ``tafel_screen``; a phone
picks or changes its tafel in ``phone_tafel``."""

from __future__ import annotations

import io

import segno
from flask import Blueprint, Response, flash, g, make_response, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from ..forms.tafels import TafelForm
from ..services import tafel_plenary, tafels
from ..services.errors import Invalid, ServiceError
from .decorators import werkplaats_access
from .errors import refused
from .htmx import is_htmx, redirect_after_post, vary
from .links import public_url

bp = Blueprint("tafels", __name__, url_prefix="/f/werkplaatsen/<int:wid>/tafels")


def tafel_join_url(code: str, tafel_id: int) -> str:
    """What a tafel's QR code opens: the join link that seats the phone at that tafel."""
    return public_url("participant.qr_entry", code=code, tafel=tafel_id)


def screen_url(tafel) -> str:
    return public_url("tafel_screen.screen", token=tafel.token)


def _form(tafel=None) -> TafelForm:
    form = TafelForm(obj=tafel if request.method == "GET" else None)
    programme = g.werkplaats.programme
    form.focus.choices = [SelectChoice("", _("(geen focus)"))]
    form.focus.choices += [
        SelectChoice(f"thema:{t.id}", _("Thema: %(n)s", n=t.name)) for t in programme.themes
    ]
    form.focus.choices += [
        SelectChoice(f"kernvraag:{k.id}", _("Kernvraag %(p)d: %(n)s", p=k.position, n=k.title))
        for k in programme.kernvragen
    ]
    people = {s.user.id: s.user for s in g.werkplaats.staff}
    people |= {m.user.id: m.user for m in programme.members}
    form.voorzitter_id.choices = [SelectChoice("", _("(geen account)"))] + [
        SelectChoice(str(u.id), f"{u.name} ({u.email})")
        for u in sorted(people.values(), key=lambda u: u.name)
    ]
    if request.method == "GET" and tafel is not None:
        form.focus.data = (
            f"thema:{tafel.theme_id}" if tafel.theme_id
            else f"kernvraag:{tafel.kernvraag_id}" if tafel.kernvraag_id else ""
        )  # fmt: skip
        form.voorzitter_id.data = str(tafel.voorzitter_id or "")
    return form


def _save(form: TafelForm, tafel=None):
    return tafels.save_tafel(
        g.werkplaats, form.name.data or "", focus=form.focus.data or "",
        voorzitter_name=form.voorzitter_name.data or "", voorzitter_id=form.voorzitter_id.data,
        tafel=tafel,
    )  # fmt: skip


def _page(form: TafelForm, status: int = 200):
    werkplaats = g.werkplaats
    return render_template(
        "tafels/tafels.html", werkplaats=werkplaats, form=form,
        tafels=tafels.tafels_of(werkplaats), stats=tafel_plenary.tafel_stats(werkplaats),
        unseated=tafels.unseated(werkplaats), screen_url=screen_url,
    ), status  # fmt: skip


@bp.errorhandler(ServiceError)
def _refused_here(e: ServiceError):
    """A refused action (deleting a tafel that heard something): back on the tafels page
    with the message."""
    if is_htmx() or request.method != "POST" or g.get("werkplaats") is None:
        return refused(e)
    flash(e.message, "error")
    return redirect_after_post(url_for(".setup", wid=g.werkplaats.id))


@bp.route("", methods=["GET", "POST"])
@werkplaats_access(control=True)
def setup(wid: int):
    form = _form()
    if form.validate_on_submit():
        try:
            tafel = _save(form)
        except Invalid as e:
            getattr(form, e.field or "name").errors.append(e.message)
            return _page(form, 422)
        flash(_("Tafel ‘%(n)s’ toegevoegd.", n=tafel.name), "success")
        return redirect_after_post(url_for(".setup", wid=wid))
    return _page(form, 422 if request.method == "POST" else 200)


@bp.post("/toewijzen")
@werkplaats_access(control=True)
def assign(wid: int):
    """Seat a participant who has not chosen (or move one) at a tafel."""
    p = tafels.assign(g.werkplaats, request.form.get("deelnemer"), request.form.get("tafel"))
    tafel = tafels.get_tafel(g.werkplaats, p.tafel_id)
    flash(_("Deelnemer aan %(t)s gezet.", t=tafel.name), "success")
    return redirect_after_post(url_for(".setup", wid=wid) + "#toewijzen")


@bp.post("/rondes")
@werkplaats_access(control=True)
def rounds_at_tafels(wid: int):
    """Which rounds are held at the tafels; the others are plenary."""
    tafels.set_rounds_at_tafels(g.werkplaats, request.form.getlist("ronde"))
    flash(_("Rondes aan tafels opgeslagen."), "success")
    return redirect_after_post(url_for(".setup", wid=wid) + "#rondes-aan-tafels")


@bp.route("/<int:tid>/bewerken", methods=["GET", "POST"])
@werkplaats_access(control=True)
def edit(wid: int, tid: int):
    tafel = tafels.get_tafel(g.werkplaats, tid)
    form = _form(tafel)
    if form.validate_on_submit():
        try:
            _save(form, tafel)
        except Invalid as e:
            getattr(form, e.field or "name").errors.append(e.message)
        else:
            flash(_("Tafel opgeslagen."), "success")
            return redirect_after_post(url_for(".setup", wid=wid))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "tafels/edit.html", werkplaats=g.werkplaats, form=form, tafel=tafel
    ), status


@bp.post("/<int:tid>/<any(sluiten, openen):action>")
@werkplaats_access(control=True)
def close(wid: int, tid: int, action: str):
    tafel = tafels.close_tafel(tafels.get_tafel(g.werkplaats, tid), action == "sluiten")
    message = _("Tafel ‘%(n)s’ gesloten.") if tafel.is_closed else _("Tafel ‘%(n)s’ weer open.")
    flash(message % {"n": tafel.name}, "success")
    return redirect_after_post(url_for(".setup", wid=wid))


@bp.post("/<int:tid>/nieuwe-link")
@werkplaats_access(control=True)
def new_link(wid: int, tid: int):
    """Replace the tafel screen's link; the old one stops working."""
    tafel = tafels.new_screen_link(tafels.get_tafel(g.werkplaats, tid))
    flash(
        _("Nieuwe link voor het scherm van %(t)s; de oude werkt niet meer.", t=tafel.name),
        "success",
    )
    return redirect_after_post(url_for(".setup", wid=wid) + f"#tafel-{tid}")


@bp.post("/<int:tid>/verwijderen")
@werkplaats_access(control=True)
def delete(wid: int, tid: int):
    tafel = tafels.get_tafel(g.werkplaats, tid)
    name = tafel.name
    tafels.delete_tafel(tafel)
    flash(_("Tafel ‘%(n)s’ verwijderd.", n=name), "success")
    return redirect_after_post(url_for(".setup", wid=wid))


@bp.get("/<int:tid>/qr.svg")
@werkplaats_access(control=False)
def qr(wid: int, tid: int):
    tafel = tafels.get_tafel(g.werkplaats, tid)
    if g.werkplaats.join_code is None:
        return Response(status=404)
    out = io.BytesIO()
    segno.make_qr(tafel_join_url(g.werkplaats.join_code, tafel.id), error="m").save(
        out, kind="svg", scale=8, border=2, xmldecl=False,
        title=_("QR-code om mee te doen aan %(t)s", t=tafel.name),
    )  # fmt: skip
    return Response(out.getvalue(), mimetype="image/svg+xml")


@bp.get("/plenair")
@werkplaats_access(control=True)
def plenary(wid: int):
    """The beamer back in the plenary: each tafel's rode draden and three points side by
    side, then what the tafels share and what only one raised."""
    rid = request.args.get("ronde", type=int)
    result = tafel_plenary.plenary(g.werkplaats, round_id=rid)
    return render_template(
        "tafels/plenary.html", werkplaats=g.werkplaats, plenary=result, round_id=rid
    )


@bp.get("/regie")
@werkplaats_access(control=True)
def regie(wid: int):
    """The regie's tafels card, for its own poll: per tafel joined, active, velden heard."""
    stats = tafel_plenary.tafel_stats(g.werkplaats)
    return vary(
        make_response(
            render_template("tafels/_regie.html", werkplaats=g.werkplaats, tafel_stats=stats)
        )
    )
