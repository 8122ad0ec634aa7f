"""The phone: join by code, post in the open round, edit or withdraw one's own contributions.

No account: the phone's session cookie holds one random secret, its participant token in each
werkplaats derived from it and the werkplaats' id (``phone_access``): the cookie stays small
however many it joins, and "Nieuwe code maken" cuts nobody off. Tokens given before stay.
Every form works as a plain POST (303 back to the page); htmx swaps fragments instead.

A closed werkplaats answers like a wrong code, except to a phone that took part in it: that
phone gets a calm "gesloten" page with its own contributions, and what it still sends is
refused with the text kept.
"""

from __future__ import annotations

from functools import wraps

from flask import (
    Blueprint,
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

from ..domain import RoundState, WerkplaatsState, normalise_join_code, parse_id
from ..extensions import limiter
from ..forms import ContributionForm, EditContributionForm, JoinForm, ProfileForm
from ..services import joining, permissions, phone_access, tafels
from ..services import participation as svc
from ..services.errors import Forbidden, Invalid, NotFound, ServiceError
from ..services.permissions import Policy
from ..services.phone_lists import own_contributions
from . import limits, phone_page
from .decorators import policy
from .htmx import is_htmx, redirect_after_post, vary
from .phone_page import LABEL_CHOICES, WITHDRAW_UNDO_SECONDS
from .phone_page import chosen_label as _chosen_label
from .phone_page import new_form as _new_form
from .phone_page import phone_context as _phone_context

bp = Blueprint("participant", __name__)
SESSION_KEY = "deelnemer"  # tokens given before the phone's one secret; read, never grown
DEVICE_KEY = "telefoon"
# What a phone may still open in a closed werkplaats it took part in.
_CLOSED_VIEWS = frozenset(
    {"participant.phone", "participant.state", "participant.post", "participant.welcome"}
    | {"avg.mine", "avg.download_mine", "avg.forget_mine"}  # "Mijn gegevens" (web/avg.py)
)


@bp.context_processor
def _phone_constants() -> dict:
    return {"label_choices": LABEL_CHOICES, "undo_seconds": WITHDRAW_UNDO_SECONDS}


def _slot(werkplaats_id: int) -> str:
    return f"w:{werkplaats_id}"


def _tokens() -> dict:
    tokens = session.get(SESSION_KEY)
    return tokens if isinstance(tokens, dict) else {}


def _device(create: bool = False) -> str | None:
    """The phone's one secret (made on its first join)."""
    device = session.get(DEVICE_KEY)
    if create and not (isinstance(device, str) and device):
        session[DEVICE_KEY] = device = phone_access.new_device_secret()
        session.permanent = True
    return device if isinstance(device, str) and device else None


def _tokens_for(werkplaats_id: int) -> list:
    """The tokens the phone may hold in a werkplaats: the one derived from its secret, and
    one given before (keyed by werkplaats id, or, earlier still, by a join code)."""
    device = _device()
    mine = [phone_access.participant_token(device, werkplaats_id)] if device else []
    return [*mine, _tokens().get(_slot(werkplaats_id)), *_tokens().values()]


def may_hold_token(werkplaats_id: int) -> bool:
    """Whether this phone can be a participant of the werkplaats (its poll's cheap check)."""
    return bool(_device() or _tokens().get(_slot(werkplaats_id)))


def _remember(werkplaats, token: str) -> None:
    # A token given before, found under a join code: keep it under the werkplaats' id.
    tokens = {k: v for k, v in _tokens().items() if v != token}
    tokens[_slot(werkplaats.id)] = token
    if tokens != _tokens():
        session[SESSION_KEY] = tokens


def with_werkplaats(view):
    """Resolve ``code`` to the open werkplaats and the phone's participant (may be None).

    A closed werkplaats resolves only for a phone holding a participant of it; to any other
    phone its code looks like a wrong one (which codes exist is not told).
    """

    @wraps(view)
    def wrapper(code: str, **kwargs):
        try:
            try:
                werkplaats, participant = phone_access.werkplaats_for_phone(code, _tokens_for)
            except NotFound as e:
                limits.count_code_attempt(code, found=False)  # guessing by URL counts too
                if request.method == "GET" and not is_htmx():
                    return _join_page(JoinForm(data={"code": code}), e.message, 404)
                raise
            if participant is None:
                limits.count_code_attempt(code, found=True)
        except limits.TooManyCodeAttempts as e:
            if request.method == "GET" and not is_htmx():
                return _join_page(JoinForm(data={"code": code}), e.description, 429, e)
            raise
        if participant and participant.token in _tokens().values():
            # Phones that joined before tokens were keyed by werkplaats id hold them under
            # the join code they used, which may since have been replaced by a new one.
            _remember(werkplaats, participant.token)
        g.werkplaats, g.participant = werkplaats, participant
        g.werkplaats_closed = werkplaats.state != WerkplaatsState.OPEN
        if g.werkplaats_closed and request.endpoint not in _CLOSED_VIEWS:
            raise Invalid(_closed_thanks())
        return view(code=werkplaats.join_code, **kwargs)

    return wrapper


def _closed_thanks() -> str:
    if request.method == "GET":
        return _("Deze werkplaats is gesloten. Dank je wel; je bijdragen zijn bewaard.")
    return _(  # what was just sent (an edit, a +1, a vote) was not taken: not "bewaard"
        "Deze werkplaats is gesloten; dit is niet meer verwerkt. Wat je eerder instuurde, "
        "blijft bewaard."
    )


def participant_required(view):
    """Only the phone of a participant of this werkplaats; any other goes to its welcome."""

    @policy(Policy.PARTICIPANT)
    @wraps(view)
    def wrapper(code: str, **kwargs):
        if not permissions.is_participant(g.participant, g.werkplaats):
            if request.method == "GET":
                return redirect(url_for("participant.welcome", code=code))
            raise Invalid(_("Je doet nog niet mee aan deze werkplaats. Open de code opnieuw."))
        return view(code=code, **kwargs)

    return wrapper


def _join_page(form: JoinForm, message: str, status: int, too_many=None):
    """The start page again, the code as typed and why it did not work at the field."""
    form.code.errors = [*form.code.errors, message]
    response = make_response(render_template("public/index.html", form=form), status)
    if too_many is not None:
        response.headers["Retry-After"] = str(too_many.retry_after)
    return response


@bp.post("/join")
@policy(Policy.PUBLIC)
def join_by_code():
    """A typed code: wrong ones count against the IP's budget (``limits``), the right one
    never does, so one venue's typos lock nobody out of the right code."""
    form = JoinForm()
    if not form.validate_on_submit():
        return render_template("public/index.html", form=form), 422
    try:
        try:
            werkplaats, _nobody = phone_access.werkplaats_for_phone(form.code.data)
        except NotFound as e:
            limits.count_code_attempt(form.code.data, found=False)
            return _join_page(form, e.message, 422)
        limits.count_code_attempt(form.code.data, found=True)
    except limits.TooManyCodeAttempts as e:
        return _join_page(form, e.description, 429, e)
    return redirect_after_post(url_for(".phone", code=werkplaats.join_code))


@bp.get("/j/<code>")
@policy(Policy.PUBLIC)
def qr_entry(code: str):
    """The QR code's target: a typed code may have spaces or lower case; tidy and go on.
    A tafel's QR code names its tafel: the phone joins (or moves) straight there."""
    tafel = request.args.get("tafel", type=int)
    if tafel:
        return redirect(url_for(".welcome", code=normalise_join_code(code), tafel=tafel))
    return redirect(url_for(".phone", code=normalise_join_code(code)))


@bp.route("/w/<code>/welkom", methods=["GET", "POST"])
@policy(Policy.PUBLIC)
@with_werkplaats
def welcome(code: str):
    if g.werkplaats_closed:
        return redirect_after_post(url_for(".phone", code=code))
    form = ProfileForm()
    chosen = request.form.get("tafel", request.args.get("tafel", ""))
    tafel_error = None
    if g.participant is not None and request.method == "GET":
        if chosen:  # a tafel's QR code on a phone that joined: offer the move
            return redirect(url_for(".tafel", code=code, kies=chosen))
        return redirect(url_for(".phone", code=code))
    default_limit = current_app.config["NOVIWERK_PARTICIPANT_LIMIT"]
    if g.participant is None and request.method == "GET":
        why = joining.refusal(g.werkplaats, default_limit)
        if why is not None:
            return _room_closed(why)
        # The phone's secret before its first "Doe mee": two tabs (or a double tap) of
        # one phone then send the same token and find one participant, not two.
        _device(create=True)
    if form.validate_on_submit():
        name, organisation = form.display_name.data or "", form.organisation.data or ""
        veld = form.veld.data or None
        try:
            tafel_id = tafels.checked_choice(g.werkplaats, chosen)
            if g.participant is not None:
                # The same phone again (a second tab, the back button): one participant.
                svc.update_profile(g.participant, name, organisation, veld)
                tafels.seat(g.participant, tafel_id)
            else:
                token = phone_access.participant_token(_device(create=True), g.werkplaats.id)
                svc.join(
                    g.werkplaats, name, organisation, veld, token=token,
                    default_limit=default_limit, tafel_id=tafel_id,
                )  # fmt: skip
        except Forbidden as e:
            return _room_closed(e.message)
        except Invalid as e:
            if e.field == "tafel":
                tafel_error = e.message
            else:
                getattr(form, e.field or "display_name").errors.append(e.message)
        else:
            return redirect_after_post(url_for(".phone", code=code))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "participant/welcome.html", form=form, werkplaats=g.werkplaats,
        tafels=tafels.tafels_of(g.werkplaats, only_open=True), chosen=chosen,
        tafel_error=tafel_error,
    ), status  # fmt: skip


def _room_closed(why: str):
    """A full or locked werkplaats, to a phone that has not joined: a page that says so."""
    return render_template("participant/room_closed.html", werkplaats=g.werkplaats, why=why), 403


@bp.get("/w/<code>")
@with_werkplaats
@participant_required
def phone(code: str):
    return vary(make_response(render_template("participant/phone.html", **_phone_context())))


@bp.post("/w/<code>/bijdragen")
@with_werkplaats
@participant_required
@limiter.limit(limits.POST_LIMIT, key_func=limits.participant_key, deduct_when=limits.charged)
def post(code: str):
    form = ContributionForm()
    round_id = parse_id(form.round_id.data)
    try:
        if round_id is None:
            if not g.werkplaats_closed:
                raise Invalid(
                    _("Er is nu geen ronde open. Wacht tot de facilitator een ronde opent.")
                )
            round_id = 0  # the service says "gesloten" (or finds a retry it already stored)
        contribution, is_new = svc.post_contribution(
            g.participant,
            round_id,
            form.text.data or "",
            form.client_key.data,
            label=request.form.get("label") or None,
            from_picker=True,
        )
    except ServiceError as e:
        form.text.errors = [e.message]
        if is_htmx():
            return render_template(
                "participant/_post_error.html",
                form=form,
                werkplaats=g.werkplaats,
                chosen_label=_chosen_label(form),
            ), e.status
        return render_template("participant/phone.html", **_phone_context(form)), e.status
    if is_htmx():
        # Small on purpose: a fresh form and the new item, not the whole phone (see
        # _posted.html); a re-send whose first answer was lost gets the whole own list.
        extra = {} if is_new else {"own": own_contributions(g.participant)}
        return render_template(
            "participant/_posted.html",
            contribution=contribution,
            form=_new_form(),
            werkplaats=g.werkplaats,
            closed=g.werkplaats_closed,
            chosen_label="",
            **extra,
        )
    flash(_("Ontvangen. Dank je wel!"), "success")
    return redirect_after_post(url_for(".phone", code=code))


# A phone that sends faster than a person types: its text kept (phone_page.slow_down).
bp.register_error_handler(429, phone_page.slow_down)


@bp.route("/w/<code>/bijdragen/<int:cid>/bewerken", methods=["GET", "POST"])
@with_werkplaats
@participant_required
@limiter.limit(limits.EDIT_LIMIT, key_func=limits.participant_key, methods=["POST"])
def edit(code: str, cid: int):
    contribution = svc.own_contribution(g.participant, cid)
    form = EditContributionForm(data={"text": contribution.text})
    if request.method == "POST":
        try:
            svc.edit_contribution(g.participant, cid, form.text.data or "")
        except Invalid as e:
            form.text.errors = [e.message]
        else:
            flash(_("Je bijdrage is aangepast."), "success")
            return redirect_after_post(url_for(".phone", code=code))
    status = 422 if form.text.errors else 200
    return render_template(
        "participant/edit.html",
        form=form,
        werkplaats=g.werkplaats,
        round_open=contribution.round.state == RoundState.OPEN,
    ), status


@bp.post("/w/<code>/bijdragen/<int:cid>/intrekken")
@with_werkplaats
@participant_required
@limiter.limit(limits.EDIT_LIMIT, key_func=limits.participant_key)
def withdraw(code: str, cid: int):
    """A plain form withdraws at once; phone.js sends this only after its "Ingetrokken ·
    Ongedaan maken" has passed unused, and takes the item away itself."""
    svc.withdraw_contribution(g.participant, cid)
    if is_htmx():
        return "", 204
    flash(_("Je bijdrage is ingetrokken."), "info")
    return redirect_after_post(url_for(".phone", code=code))


# The phone's lists (its own, others', the vote) and the poll that keeps them: phone_lists.py;
# its tafel (chosen, changed): phone_tafel.py.
from . import phone_lists, phone_tafel  # noqa: E402, F401
