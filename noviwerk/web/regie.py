"""The facilitator's control view (regie): rounds, timer, beamer, moderation, note-taking,
voting and live signals — on a laptop or tablet, apart from the beamer."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..domain import Label, ModerationAction, RoundKind, parse_id
from ..forms import NoteForm
from ..services import joining, moderation, rounds, signals, voting, wall
from ..services.errors import Invalid, ServiceError
from .decorators import werkplaats_access
from .errors import refused
from .htmx import is_htmx, redirect_after_post

bp = Blueprint("regie", __name__, url_prefix="/f/werkplaatsen/<int:wid>/regie")


def _selected_round():
    werkplaats = g.werkplaats
    rid = request.args.get("ronde", type=int) or request.form.get("ronde", type=int)
    if rid:
        return rounds.get_round(werkplaats, rid)
    return (
        werkplaats.open_round
        or werkplaats.beamer_round
        or (werkplaats.rounds[0] if werkplaats.rounds else None)
    )


def _back(rnd=None, anchor: str = ""):
    """Back to the page the action came from: the regie, or the werkplaats page (a
    ``next=werkplaats`` field; any other value is ignored, so no link leads elsewhere)."""
    if request.values.get("next") == "werkplaats":
        return redirect_after_post(url_for("facilitator.werkplaats", wid=g.werkplaats.id) + anchor)
    rnd = rnd or _selected_round()
    every = "1" if request.form.get("alle") == "1" else None  # back to the whole list
    url = url_for(".view", wid=g.werkplaats.id, ronde=rnd.id if rnd else None, alle=every)
    return redirect_after_post(url + anchor)


@bp.errorhandler(ServiceError)
def _refused_here(e: ServiceError):
    """A refused action (a merge number that is no contribution, a round that cannot open):
    the regie again with the message on top, rather than an error page with no way back.
    htmx requests and failures before the werkplaats is known get the usual answer."""
    if is_htmx() or request.method != "POST" or g.get("werkplaats") is None:
        return refused(e)
    flash(e.message, "error")
    if request.values.get("next") == "werkplaats":
        return _back(anchor="#rondes")
    try:
        return _render(status=e.status)
    except ServiceError:  # the round in the form is not this werkplaats' either
        return refused(e)


@bp.get("")
@werkplaats_access(control=True)
def view(wid: int):
    return _render()


REGIE_CARDS = 200  # cards the regie shows of a round; "Toon alle" shows the rest


def _render(note_form: NoteForm | None = None, status: int = 200):
    werkplaats = g.werkplaats
    rnd = _selected_round()
    note_form = note_form or NoteForm(formdata=None)
    participants, contributions = wall.counts(werkplaats.id)
    # The newest cards only, unless asked for all: at 2,500 in a round the whole list was
    # 8.7 MB and seconds of CPU per load, reloaded while the room is at its busiest.
    show_all = request.args.get("alle") == "1"
    shown = moderation.round_contributions(rnd, None if show_all else REGIE_CARDS) if rnd else []
    # Counted only when the list may be cut short: the regie reloads while the room is busiest.
    cut = rnd is not None and not show_all and len(shown) == REGIE_CARDS
    return render_template(
        "regie/regie.html",
        werkplaats=werkplaats,
        round=rnd,
        contributions=shown,
        in_round=moderation.round_contribution_count(rnd) if cut else len(shown),
        show_all=show_all,
        inbox=moderation.inbox(werkplaats),
        log=moderation.recent_log(werkplaats),
        signals=signals.for_round(rnd) if rnd and rnd.kind != RoundKind.VOTING else None,
        candidates=rounds.vote_candidates(werkplaats, rnd)
        if rnd and rnd.kind == RoundKind.VOTING
        else [],
        chosen={o.contribution_id for o in voting.options(rnd)} if rnd else set(),
        results=voting.results(rnd) if rnd and rnd.kind == RoundKind.VOTING else [],
        votes_cast=voting.votes_cast(rnd) if rnd and rnd.kind == RoundKind.VOTING else (0, 0),
        seconds_left=rounds.seconds_left(rnd),
        labels=Label.values(),
        note_form=note_form,
        cursor=werkplaats.last_seq,
        participants=participants,
        participant_limit=joining.participant_limit(
            werkplaats, current_app.config["NOVIWERK_PARTICIPANT_LIMIT"]
        ),
        total=contributions,
        poll_seconds=2,
    ), status


@bp.get("/status")
@werkplaats_access(control=True)
def status(wid: int):
    """How much changed since the page was loaded; 204 while nothing did."""
    after = request.args.get("after", type=int, default=0)
    version = request.args.get("v", type=int, default=-1)
    werkplaats = g.werkplaats
    changed = werkplaats.last_seq - after
    if changed <= 0 and version == werkplaats.state_version:
        return "", 204
    return render_template(
        "regie/_status.html",
        werkplaats=werkplaats,
        changed=max(changed, 0),
        round=_selected_round(),
        state_changed=version != werkplaats.state_version,
    )


@bp.post("/bijdragen/<int:cid>/<action>")
@werkplaats_access(control=True)
def moderate(wid: int, cid: int, action: str):
    if action not in ModerationAction.values():
        abort(404)
    moderation.moderate(g.werkplaats, cid, action, current_user, request.form.get("value", ""))
    return _back(anchor=f"#m-{cid}")


@bp.post("/notitie")
@werkplaats_access(control=True)
def note(wid: int):
    form = NoteForm()
    rnd = _selected_round()
    if not form.validate_on_submit() or rnd is None:
        raise Invalid(_("Ongeldig formulier. Herlaad de pagina en probeer het opnieuw."))
    try:
        moderation.add_note(
            g.werkplaats,
            rnd.id,
            form.text.data or "",
            form.source.data,
            current_user,
            form.label.data or None,
        )
    except Invalid as e:
        # Keep what the note-taker typed: the form again, with the message at its field.
        field = e.field if e.field in ("text", "source", "label") else "text"
        getattr(form, field).errors = [e.message]
        return _render(form, e.status)
    flash(_("Bijdrage toegevoegd."), "success")
    return _back(rnd, "#notulist")


@bp.post("/rondes/<int:rid>/timer")
@werkplaats_access(control=True)
def timer(wid: int, rid: int):
    minutes = request.form.get("minuten", type=int)
    rnd = rounds.timer(g.werkplaats, rid, request.form.get("actie", ""), minutes)
    return _back(rnd, "#timer")


@bp.post("/beamer")
@werkplaats_access(control=True)
def beamer(wid: int):
    rnd = rounds.show_on_beamer(g.werkplaats, request.form.get("ronde", type=int))
    flash(_("De beamer toont nu deze ronde."), "success")
    return _back(rnd, "#rondes")


@bp.post("/rondes/<int:rid>/keuzes")
@werkplaats_access(control=True)
def vote_options(wid: int, rid: int):
    ids = [i for i in map(parse_id, request.form.getlist("bijdrage")) if i is not None]
    rnd = rounds.set_vote_options(g.werkplaats, rid, ids)
    flash(_("Keuzes voor de stemronde opgeslagen."), "success")
    return _back(rnd, "#stemmen")


@bp.post("/rondes/<int:rid>/uitslag")
@werkplaats_access(control=True)
def reveal(wid: int, rid: int):
    rnd = rounds.reveal_results(g.werkplaats, rid, request.form.get("tonen") == "1")
    return _back(rnd, "#stemmen")


@bp.post("/rondes/<int:rid>/<any(openen, sluiten):action>")
@werkplaats_access(control=True)
def round_state(wid: int, rid: int, action: str):
    """Open or close a round: from the regie, and from the werkplaats page."""
    if action == "openen":
        rnd = rounds.open_round(g.werkplaats, rid)
        flash(_("Ronde %(n)d is open.", n=rnd.position), "success")
    else:
        rnd = rounds.close_round(g.werkplaats, rid)
        flash(_("Ronde %(n)d is gesloten.", n=rnd.position), "info")
    return _back(rnd, "#rondes")


@bp.post("/meedoen/aantal")
@werkplaats_access(control=True)
def participant_limit(wid: int):
    """How many phones may join; raised while the room fills, if need be."""
    joining.set_participant_limit(g.werkplaats, request.form.get("aantal", ""))
    flash(_("Het aantal deelnemers is opgeslagen."), "success")
    return _back(anchor="#meedoen")


@bp.post("/meedoen/<any(sluiten, openen):action>")
@werkplaats_access(control=True)
def lock_joining(wid: int, action: str):
    """Werkplaats sluiten voor nieuwe deelnemers (or open it to them again)."""
    joining.lock_joining(g.werkplaats, action == "sluiten")
    if action == "sluiten":
        flash(_("Nieuwe deelnemers kunnen niet meer meedoen; wie meedoet, kan verder."), "info")
    else:
        flash(_("Nieuwe deelnemers kunnen weer meedoen."), "success")
    return _back(anchor="#meedoen")
