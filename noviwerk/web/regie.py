"""The facilitator's control view (regie): rounds, timer, beamer, moderation, note-taking,
voting and live signals — on a laptop or tablet, apart from the beamer."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    make_response,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..domain import ContributionState, Label, ModerationAction, RoundKind, parse_id
from ..forms import NoteForm
from ..services import joining, moderation, rounds, signals, tafel_plenary, wall
from ..services.errors import Invalid, ServiceError
from ..services.voting import options as voting_options
from ..services.voting import results as voting_results
from ..services.voting import votes_cast
from .decorators import reads_alone, werkplaats_access
from .errors import refused
from .htmx import is_htmx, redirect_after_post, retarget, trigger, vary
from .wall import live_url

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


def _done(message: str, rnd=None, anchor: str = ""):
    """After an action: from htmx the message for the page's status region, and the regie's
    poll fires at once to bring the change; from a plain form, back to the page (303)."""
    if is_htmx():
        response = make_response(render_template("regie/_done.html", message=message))
        return trigger(retarget(response, "#flash", "innerHTML"), "regie-refresh")
    flash(message, "success")
    return _back(rnd, anchor)


@bp.errorhandler(ServiceError)
def _refused_here(e: ServiceError):
    """A refused action (a merge number that is no contribution, a round that cannot open):
    back on the page it came from with the message on top (303), never left on the
    action's address. htmx requests and failures before the werkplaats is known get the
    usual answer (from htmx: the message in the page's status region)."""
    if is_htmx() or request.method != "POST" or g.get("werkplaats") is None:
        return refused(e)
    flash(e.message, "error")
    if request.values.get("next") == "werkplaats":
        return _back(anchor="#rondes")
    try:
        rnd = _selected_round()
    except ServiceError:  # the round in the form is not this werkplaats' either
        rnd = None
    return redirect_after_post(url_for(".view", wid=g.werkplaats.id, ronde=rnd.id if rnd else None))


@bp.get("")
@werkplaats_access(control=True)
def view(wid: int):
    return _render()


REGIE_CARDS = 200  # cards the regie shows of a round; "Toon alle" shows the rest
SIGNALS_BIG_ROUND = 150  # past this many contributions the signals refresh every 5 s


def _signals_context(rnd) -> dict:
    found = signals.for_round(rnd) if rnd and rnd.kind != RoundKind.VOTING else None
    quick = found is not None and found.contributions <= SIGNALS_BIG_ROUND
    return {
        "signals": found,
        "signals_seq": g.werkplaats.last_seq,
        "signals_poll_ms": current_app.config["NOVIWERK_WALL_POLL_MS"] * 2 if quick else 5000,
    }


def _render(note_form: NoteForm | None = None, status: int = 200):
    werkplaats = g.werkplaats
    rnd = _selected_round()
    note_form = note_form or NoteForm(formdata=None)
    cursor = werkplaats.last_seq  # before the reads: a change meanwhile comes again, not never
    participants, contributions = wall.counts(werkplaats.id)
    # The newest cards only, unless asked for all: at 2,500 in a round the whole list was
    # 8.7 MB and seconds of CPU per load, reloaded while the room is at its busiest.
    show_all = request.args.get("alle") == "1"
    shown = moderation.round_contributions(rnd, None if show_all else REGIE_CARDS) if rnd else []
    # Counted only when the list may be cut short: the regie reloads while the room is busiest.
    cut = rnd is not None and not show_all and len(shown) == REGIE_CARDS
    voting = rnd is not None and rnd.kind == RoundKind.VOTING
    return render_template(
        "regie/regie.html",
        werkplaats=werkplaats,
        round=rnd,
        contributions=shown,
        in_round=moderation.round_contribution_count(rnd) if cut else len(shown),
        show_all=show_all,
        inbox=moderation.inbox(werkplaats),
        log=moderation.recent_log(werkplaats),
        candidates=rounds.vote_candidates(werkplaats, rnd) if voting else [],
        chosen={o.contribution_id for o in voting_options(rnd)} if voting else set(),
        results=voting_results(rnd) if voting else [],
        votes_cast=votes_cast(rnd) if voting else (0, 0),
        seconds_left=rounds.seconds_left(rnd),
        labels=Label.values(),
        note_form=note_form,
        cursor=cursor,
        participants=participants,
        participant_limit=joining.participant_limit(
            werkplaats, current_app.config["NOVIWERK_PARTICIPANT_LIMIT"]
        ),
        total=contributions,
        poll_ms=current_app.config["NOVIWERK_WALL_POLL_MS"],
        tafel_stats=tafel_plenary.tafel_stats(werkplaats),
        live_url=live_url(werkplaats.id),
        **_signals_context(rnd),
    ), status


@bp.get("/wijzigingen")
@reads_alone
@werkplaats_access(control=True)
def changes(wid: int):
    """What changed after the page's cursor, for regie.js to place; 204 when nothing did.

    Only the rows concerned travel (the round's list and the inbox), with the counts and
    the log; the rounds and the timer come along when the rounds or the beamer changed.
    """
    after = request.args.get("after", type=int, default=0)
    version = request.args.get("v", type=int, default=-1)
    werkplaats = g.werkplaats
    state_changed = version != werkplaats.state_version
    if werkplaats.last_seq <= after and not state_changed:
        return "", 204
    rnd = _selected_round()
    found = wall.changes_after(werkplaats.id, after)
    mine = [ch.contribution for ch in found if rnd and ch.contribution.round_id == rnd.id]
    participants, contributions = wall.counts(werkplaats.id)
    pending = ContributionState.PENDING
    voting = rnd is not None and rnd.kind == RoundKind.VOTING
    return render_template(
        "regie/_changes.html",
        werkplaats=werkplaats,
        round=rnd,
        after=after,
        rows=[c for c in mine if c.state != ContributionState.WITHDRAWN],
        gone=[c for c in mine if c.state == ContributionState.WITHDRAWN],
        waiting=[ch.contribution for ch in found if ch.contribution.state == pending],
        handled=[ch.contribution.id for ch in found if ch.contribution.state != pending],
        cursor=found[-1].contribution.seq if found else werkplaats.last_seq,
        participants=participants,
        total=contributions,
        inbox_count=moderation.inbox_count(werkplaats),
        in_round=moderation.round_contribution_count(rnd) if mine else None,
        log=moderation.recent_log(werkplaats),
        state_changed=state_changed,
        reload=state_changed and rnd is not None and request.args.get("k") != rnd.kind.value,
        results=voting_results(rnd) if voting else [],
        votes_cast=votes_cast(rnd) if voting else (0, 0),
        seconds_left=rounds.seconds_left(rnd),
    )


@bp.get("/status")
@werkplaats_access(control=True)
def old_status(wid: int):
    """A regie page loaded before it followed the room by cursor polled here: an empty
    answer takes its poller away (it swaps itself out) instead of a 404 every 2 s."""
    return ""


@bp.get("/signalen")
@werkplaats_access(control=True)
def signals_fragment(wid: int):
    """The round's signals again, when anything was posted or anyone joined since ``s``/``p``."""
    rnd = _selected_round()
    if rnd is None or rnd.kind == RoundKind.VOTING:
        return "", 204
    seen = request.args.get("s", type=int), request.args.get("p", type=int)
    participants, _shown = wall.counts(g.werkplaats.id)
    if seen == (g.werkplaats.last_seq, participants):
        return "", 204
    return render_template(
        "regie/_signals.html", werkplaats=g.werkplaats, round=rnd, **_signals_context(rnd)
    )


@bp.get("/bijdragen/<int:cid>")
@werkplaats_access(control=True)
def more(wid: int, cid: int):
    """Soort, citaat and merging for one contribution, with the near-duplicates to merge
    it into: in its row (htmx) or as a page of its own."""
    c = moderation.get_contribution(g.werkplaats, cid)
    context = {
        "werkplaats": g.werkplaats,
        "c": c,
        "labels": Label.values(),
        "candidates": moderation.merge_candidates(g.werkplaats, cid),
    }
    template = "regie/_more.html" if is_htmx() else "regie/more.html"
    return vary(make_response(render_template(template, **context)))


@bp.post("/bijdragen/<int:cid>/<action>")
@werkplaats_access(control=True)
def moderate(wid: int, cid: int, action: str):
    if action not in ModerationAction.values():
        abort(404)
    value = request.form.get("value", "")
    if action == ModerationAction.MERGE:
        value = request.form.get("nummer", "").strip() or value  # a typed number wins
    c = moderation.moderate(g.werkplaats, cid, action, current_user, value)
    return _done(_moderated(ModerationAction(action), c), anchor=f"#m-{cid}")


def _moderated(action: ModerationAction, c) -> str:
    """What the facilitator hears after an action (the status region says it)."""
    n = c.id
    return {
        ModerationAction.HIDE: lambda: _("Bijdrage #%(n)d verborgen.", n=n),
        ModerationAction.RESTORE: lambda: _("Bijdrage #%(n)d staat weer op de wall.", n=n),
        ModerationAction.MERGE: lambda: _(
            "Bijdrage #%(n)d samengevoegd met #%(m)d.", n=n, m=c.merged_into_id or 0
        ),
        ModerationAction.UNMERGE: lambda: _("Bijdrage #%(n)d losgemaakt.", n=n),
        ModerationAction.STAR: lambda: _("Bijdrage #%(n)d heeft een ster.", n=n),
        ModerationAction.UNSTAR: lambda: _("Ster van bijdrage #%(n)d weggehaald.", n=n),
        ModerationAction.RELABEL: lambda: _("Soort van bijdrage #%(n)d opgeslagen.", n=n),
        ModerationAction.CITAAT: lambda: _("Bijdrage #%(n)d is een citaat.", n=n),
        ModerationAction.UNCITAAT: lambda: _("Bijdrage #%(n)d is geen citaat meer.", n=n),
        ModerationAction.APPROVE: lambda: _("Bijdrage #%(n)d goedgekeurd.", n=n),
        ModerationAction.REJECT: lambda: _("Bijdrage #%(n)d afgewezen.", n=n),
    }.get(action, lambda: _("Opgeslagen."))()


@bp.post("/inbox")
@werkplaats_access(control=True)
def inbox(wid: int):
    """Approve or reject every contribution ticked in the inbox at once."""
    ids = [i for i in map(parse_id, request.form.getlist("bijdrage")) if i is not None]
    action = request.form.get("actie", "")
    done, skipped = moderation.moderate_inbox(g.werkplaats, ids, action, current_user)
    if action == ModerationAction.APPROVE:
        message = ngettext("%(num)d bijdrage goedgekeurd.", "%(num)d bijdragen goedgekeurd.", done)
    else:
        message = ngettext("%(num)d bijdrage afgewezen.", "%(num)d bijdragen afgewezen.", done)
    if skipped:
        message += " " + ngettext(
            "%(num)d wachtte niet meer op moderatie.",
            "%(num)d wachtten niet meer op moderatie.",
            skipped,
        )
    return _done(message, anchor="#inbox")


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
