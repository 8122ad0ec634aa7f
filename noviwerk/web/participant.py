"""The phone: join by code, post in the open round, edit or withdraw one's own contributions.

No account: the phone holds a random participant token per werkplaats in its session cookie.
Every form works as a plain POST (303 back to the page); htmx swaps fragments instead.
"""

from __future__ import annotations

import uuid
from functools import wraps

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from ..domain import RoundKind, RoundState, normalise_join_code
from ..extensions import limiter
from ..forms import ActionForm, ContributionForm, EditContributionForm, JoinForm, ProfileForm
from ..services import participation as svc
from ..services import voting
from ..services.errors import Invalid, NotFound, ServiceError
from .htmx import is_htmx, redirect_after_post, vary

bp = Blueprint("participant", __name__)
SESSION_KEY = "deelnemer"


def _participant_key() -> str:
    """Rate-limit key: the phone's participant token, not its IP (a venue shares one IP)."""
    tokens = session.get(SESSION_KEY) or {}
    code = (request.view_args or {}).get("code", "")
    return "p:" + str(tokens.get(code) or request.remote_addr)


def _remember(code: str, token: str) -> None:
    tokens = dict(session.get(SESSION_KEY) or {})
    tokens[code] = token
    session[SESSION_KEY] = tokens
    session.permanent = True


def with_werkplaats(view):
    """Resolve ``code`` to the open werkplaats and the phone's participant (may be None)."""

    @wraps(view)
    def wrapper(code: str, **kwargs):
        try:
            g.werkplaats = svc.werkplaats_for_code(code)
        except NotFound as e:
            if request.method == "GET" and not is_htmx():
                form = JoinForm(data={"code": code})
                form.code.errors = [e.message]
                return render_template("public/index.html", form=form), 404
            raise
        token = (session.get(SESSION_KEY) or {}).get(g.werkplaats.join_code)
        g.participant = svc.participant_by_token(g.werkplaats, token)
        return view(code=g.werkplaats.join_code, **kwargs)

    return wrapper


def participant_required(view):
    @wraps(view)
    def wrapper(code: str, **kwargs):
        if g.participant is None:
            if request.method == "GET":
                return redirect(url_for(".welcome", code=code))
            raise Invalid(_("Je doet nog niet mee aan deze werkplaats. Open de code opnieuw."))
        return view(code=code, **kwargs)

    return wrapper


@bp.post("/join")
@limiter.limit("20/minute;200/hour", deduct_when=lambda r: r.status_code != 303)
def join_by_code():
    form = JoinForm()
    if form.validate_on_submit():
        try:
            werkplaats = svc.werkplaats_for_code(form.code.data)
        except NotFound as e:
            form.code.errors.append(e.message)
        else:
            return redirect_after_post(url_for(".phone", code=werkplaats.join_code))
    return render_template("public/index.html", form=form), 422


@bp.get("/j/<code>")
def qr_entry(code: str):
    """The QR code's target: a typed code may have spaces or lower case; tidy and go on."""
    return redirect(url_for(".phone", code=normalise_join_code(code)))


@bp.route("/w/<code>/welkom", methods=["GET", "POST"])
@with_werkplaats
def welcome(code: str):
    form = ProfileForm()
    if g.participant is not None and request.method == "GET":
        return redirect(url_for(".phone", code=code))
    if form.validate_on_submit():
        try:
            participant = svc.join(
                g.werkplaats,
                form.display_name.data or "",
                form.organisation.data or "",
                form.veld.data or None,
            )
        except Invalid as e:
            getattr(form, e.field or "display_name").errors.append(e.message)
        else:
            _remember(code, participant.token)
            return redirect_after_post(url_for(".phone", code=code))
    status = 422 if request.method == "POST" else 200
    return render_template("participant/welcome.html", form=form, werkplaats=g.werkplaats), status


def _new_form(text: str = "") -> ContributionForm:
    form = ContributionForm(formdata=None)
    form.text.data = text
    form.client_key.data = uuid.uuid4().hex
    return form


def _phone_context(form: ContributionForm | None = None) -> dict:
    werkplaats = g.werkplaats
    rnd = werkplaats.open_round
    form = form or _new_form()
    if rnd is not None and not form.round_id.data:
        form.round_id.data = str(rnd.id)
    extra: dict = {"others": [], "supported": set(), "vote_options": [], "my_votes": {}}
    if rnd is not None and rnd.kind == RoundKind.VOTING:
        extra["vote_options"] = voting.options(rnd)
        extra["my_votes"] = voting.my_votes(g.participant, rnd)
    elif rnd is not None and rnd.is_support_allowed:
        extra["others"] = voting.others_in_round(g.participant, rnd)
        extra["supported"] = voting.supported_ids(g.participant)
    return {
        **extra,
        "chosen_label": request.form.get("label", ""),
        "werkplaats": werkplaats,
        "round": rnd,
        "form": form,
        "own": svc.own_contributions(g.participant),
        "action_form": ActionForm(),
        "poll_seconds": current_app.config["NOVIWERK_PHONE_POLL_SECONDS"],
    }


@bp.get("/w/<code>")
@with_werkplaats
@participant_required
def phone(code: str):
    return vary(make_response(render_template("participant/phone.html", **_phone_context())))


@bp.get("/w/<code>/status")
@with_werkplaats
@participant_required
def state(code: str):
    """Round panel for the phone's poll: 204 while nothing changed, so nothing is swapped."""
    if request.args.get("v", type=int) == g.werkplaats.state_version:
        return "", 204
    return render_template("participant/_state.html", **_phone_context())


@bp.post("/w/<code>/bijdragen")
@with_werkplaats
@participant_required
@limiter.limit("30/minute", key_func=_participant_key)
def post(code: str):
    form = ContributionForm()
    if not form.validate_on_submit():
        raise Invalid(_("Ongeldig formulier. Herlaad de pagina en probeer het opnieuw."))
    raw_round = form.round_id.data or ""
    try:
        if not raw_round.isdigit():
            raise Invalid(_("Er is nu geen ronde open. Wacht tot de facilitator een ronde opent."))
        contribution, _new = svc.post_contribution(
            g.participant,
            int(raw_round),
            form.text.data or "",
            form.client_key.data,
            label=request.form.get("label") or None,
        )
    except ServiceError as e:
        form.text.errors.append(e.message)
        if is_htmx():
            return render_template(
                "participant/_post_error.html", form=form, werkplaats=g.werkplaats
            ), e.status
        return render_template("participant/phone.html", **_phone_context(form)), e.status
    if is_htmx():
        ctx = _phone_context()
        return render_template("participant/_posted.html", contribution=contribution, **ctx)
    flash(_("Ontvangen. Dank je wel!"), "success")
    return redirect_after_post(url_for(".phone", code=code))


@bp.route("/w/<code>/bijdragen/<int:cid>/bewerken", methods=["GET", "POST"])
@with_werkplaats
@participant_required
def edit(code: str, cid: int):
    contribution = svc.own_contribution(g.participant, cid)
    form = EditContributionForm(data={"text": contribution.text})
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            svc.edit_contribution(g.participant, cid, form.text.data or "")
        except Invalid as e:
            form.text.errors.append(e.message)
        else:
            flash(_("Je bijdrage is aangepast."), "success")
            return redirect_after_post(url_for(".phone", code=code))
    status = 422 if form.text.errors else 200
    return render_template(
        "participant/edit.html",
        form=form,
        contribution=contribution,
        werkplaats=g.werkplaats,
        round_open=contribution.round.state == RoundState.OPEN,
    ), status


@bp.post("/w/<code>/bijdragen/<int:cid>/intrekken")
@with_werkplaats
@participant_required
def withdraw(code: str, cid: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    svc.withdraw_contribution(g.participant, cid)
    flash(_("Je bijdrage is ingetrokken."), "info")
    return redirect_after_post(url_for(".phone", code=code))


@bp.get("/w/<code>/anderen")
@with_werkplaats
@participant_required
def others(code: str):
    return render_template("participant/_extra.html", **_phone_context())


@bp.post("/w/<code>/steun/<int:cid>")
@with_werkplaats
@participant_required
@limiter.limit("60/minute", key_func=_participant_key)
def support(code: str, cid: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    voting.toggle_support(g.participant, cid)
    if is_htmx():
        return render_template("participant/_extra.html", **_phone_context())
    return redirect_after_post(url_for(".phone", code=code) + "#round-extra")


@bp.post("/w/<code>/stem/<int:cid>")
@with_werkplaats
@participant_required
@limiter.limit("60/minute", key_func=_participant_key)
def vote(code: str, cid: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    rnd = g.werkplaats.open_round
    if rnd is None:
        raise Invalid(_("Het stemmen is gesloten."))
    delta = 1 if request.form.get("delta") != "-1" else -1
    voting.vote(g.participant, rnd.id, cid, delta)
    if is_htmx():
        return render_template("participant/_extra.html", **_phone_context())
    return redirect_after_post(url_for(".phone", code=code) + "#round-extra")
