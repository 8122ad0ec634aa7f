"""A werkplaats' tafels: set up, renamed, closed, deleted while still empty; participants
sit at one and may move; the tafelvoorzitter types in the flip-chart and marks three points.

A contribution keeps the tafel it was posted at (``Contribution.tafel_id``), whatever its
participant does afterwards: the post is stamped with the participant's current tafel by
``participation``, never with a tafel the phone names itself.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ..database import write_transaction
from ..domain import (
    MAX_NAME_CHARS,
    WerkplaatsState,
    parse_id,
)
from ..extensions import db
from ..models import (
    Contribution,
    Kernvraag,
    Participant,
    Round,
    Tafel,
    Theme,
    User,
    Werkplaats,
)
from ..models.tafels import new_tafel_token
from ..text_rules import TextProblem, clean_text, text_problem
from . import moderation
from .errors import Invalid, NotFound
from .participation import AN_OPEN_TAFEL, touch

MAX_VOORZITTER_CHARS = 120
MAIN_POINTS = 3  # the points a tafel brings back to the plenary


def tafels_of(werkplaats: Werkplaats, *, only_open: bool = False) -> list[Tafel]:
    """The werkplaats' tafels in order, with what their ``focus`` and ``voorzitter_display``
    read loaded alongside: the plenary and the tafels page ask it of every tafel."""
    query = (
        sa.select(Tafel)
        .where(Tafel.werkplaats_id == werkplaats.id)
        .options(
            selectinload(Tafel.theme), selectinload(Tafel.kernvraag), selectinload(Tafel.voorzitter)
        )
    )
    if only_open:
        query = query.where(Tafel.is_closed == sa.false())
    return list(db.session.scalars(query.order_by(Tafel.position, Tafel.id)))


def has_open_tafels(werkplaats: Werkplaats) -> bool:
    return db.session.scalar(AN_OPEN_TAFEL, {"w": werkplaats.id}) is not None


def seat_of(participant: Participant) -> tuple[Tafel | None, bool]:
    """The tafel the participant sits at, and whether the werkplaats has tafels to choose."""
    current = db.session.get(Tafel, participant.tafel_id) if participant.tafel_id else None
    werkplaats = db.session.get(Werkplaats, participant.werkplaats_id)
    return current, current is not None or has_open_tafels(werkplaats)


def tafel_listed(participant: Participant, rnd: Round | None) -> Tafel | None:
    """Whose input the phone lists as others' (to +1): in a round held at the tafels, its
    own tafel's. None, the whole room's: a plenary round, a phone at no tafel, or every
    tafel closed (one circle again, as ``participation`` posts then)."""
    if rnd is None or not rnd.is_at_tafels or participant.tafel_id is None:
        return None
    tafel = db.session.get(Tafel, participant.tafel_id)
    if tafel is None or (tafel.is_closed and not has_open_tafels(tafel.werkplaats)):
        return None
    return tafel


def get_tafel(werkplaats: Werkplaats, tafel_id: object) -> Tafel:
    tid = parse_id(tafel_id) if not isinstance(tafel_id, int) else tafel_id
    tafel = db.session.get(Tafel, tid) if tid else None
    if tafel is None or tafel.werkplaats_id != werkplaats.id:
        raise NotFound(_("Deze tafel bestaat niet."))
    return tafel


def by_token(token: str) -> Tafel:
    """The tafel whose screen link holds ``token``; an unknown one is a 404."""
    tafel = (
        db.session.scalar(sa.select(Tafel).where(Tafel.token == token))
        if token and len(token) <= 64
        else None
    )
    if tafel is None:
        raise NotFound(_("Deze tafel bestaat niet (meer). Vraag de facilitator om de link."))
    return tafel


def _name(raw: str, werkplaats: Werkplaats, tafel: Tafel | None) -> str:
    name = " ".join(clean_text(raw or "").split())
    if not name:
        raise Invalid(_("Geef de tafel een naam, bijvoorbeeld ‘Tafel 1’ of ‘Water’."), "name")
    problem = text_problem(name, MAX_NAME_CHARS)
    if problem == TextProblem.TOO_LONG:
        raise Invalid(_("Een tafelnaam is hooguit %(n)d tekens.", n=MAX_NAME_CHARS), "name")
    if problem:
        raise Invalid(_("De naam bevat tekens die hier niet kunnen. Typ hem opnieuw."), "name")
    same = db.session.scalar(
        sa.select(Tafel.id).where(
            Tafel.werkplaats_id == werkplaats.id, sa.func.lower(Tafel.name) == name.lower()
        )
    )
    if same is not None and (tafel is None or same != tafel.id):
        raise Invalid(_("Er is al een tafel met deze naam in deze werkplaats."), "name")
    return name


def _focus(werkplaats: Werkplaats, focus: str) -> tuple[int | None, int | None]:
    """``thema:ID`` or ``kernvraag:ID`` (of the werkplaats' programme), or nothing."""
    if not focus:
        return None, None
    kind, _sep, raw = focus.partition(":")
    fid = parse_id(raw)
    model = {"thema": Theme, "kernvraag": Kernvraag}.get(kind)
    found = db.session.get(model, fid) if model and fid else None
    if found is None or found.programme_id != werkplaats.programme_id:
        raise Invalid(_("Kies een thema of kernvraag uit de lijst, of laat het open."), "focus")
    return (found.id, None) if kind == "thema" else (None, found.id)


def _voorzitter(name: str, user_id: object) -> tuple[str, int | None]:
    name = " ".join(clean_text(name or "").split())
    if text_problem(name, MAX_VOORZITTER_CHARS) if name else None:
        raise Invalid(
            _("De naam van de tafelvoorzitter is hooguit %(n)d tekens.", n=MAX_VOORZITTER_CHARS),
            "voorzitter_name",
        )
    uid = parse_id(user_id) if user_id not in (None, "") else None
    if user_id not in (None, "") and (uid is None or db.session.get(User, uid) is None):
        raise Invalid(_("Kies een account uit de lijst, of laat het open."), "voorzitter_id")
    return name, uid


@write_transaction
def save_tafel(
    werkplaats: Werkplaats,
    name: str,
    *,
    focus: str = "",
    voorzitter_name: str = "",
    voorzitter_id: object = None,
    tafel: Tafel | None = None,
) -> Tafel:
    """Add a tafel (``tafel`` None) or change one: its name, focus and tafelvoorzitter."""
    clean = _name(name, werkplaats, tafel)
    theme_id, kernvraag_id = _focus(werkplaats, focus)
    vname, vid = _voorzitter(voorzitter_name, voorzitter_id)
    if tafel is None:
        last = db.session.scalar(
            sa.select(sa.func.max(Tafel.position)).where(Tafel.werkplaats_id == werkplaats.id)
        )
        tafel = Tafel(werkplaats_id=werkplaats.id, position=(last or 0) + 1)
        db.session.add(tafel)
    tafel.name, tafel.theme_id, tafel.kernvraag_id = clean, theme_id, kernvraag_id
    tafel.voorzitter_name, tafel.voorzitter_id = vname, vid
    db.session.flush()
    return tafel


@write_transaction
def close_tafel(tafel: Tafel, is_closed: bool = True) -> Tafel:
    """A closed tafel takes no newcomers and no posts; what it said stays. Reopen any time."""
    tafel.is_closed = is_closed
    db.session.flush()
    return tafel


@write_transaction
def new_screen_link(tafel: Tafel) -> Tafel:
    """A new secret for the tafel's screen: the old link (shared too widely, left open on
    a laptop) opens nothing from now on. The tafel cannot be deleted once it heard something,
    so this is how its screen is taken back."""
    tafel.token = new_tafel_token()
    db.session.flush()
    return tafel


@write_transaction
def delete_tafel(tafel: Tafel) -> None:
    """Only an empty tafel goes; one with contributions can only be closed."""
    said = db.session.scalar(
        sa.select(sa.func.count(Contribution.id)).where(Contribution.tafel_id == tafel.id)
    )
    if said:
        raise Invalid(
            _(
                "Aan deze tafel is al iets ingebracht; een tafel met bijdragen kan niet weg. "
                "Sluit de tafel in plaats daarvan."
            )
        )
    db.session.execute(
        sa.update(Participant).where(Participant.tafel_id == tafel.id).values(tafel_id=None)
    )
    db.session.delete(tafel)
    db.session.flush()


def checked_choice(werkplaats: Werkplaats, raw: object) -> int | None:
    """The tafel a phone chose, checked: one of the werkplaats' open tafels. None when the
    werkplaats has no open tafels (it works as without tafels)."""
    open_tafels = set(  # ids alone: every phone's join asks
        db.session.scalars(
            sa.select(Tafel.id).where(
                Tafel.werkplaats_id == werkplaats.id, Tafel.is_closed == sa.false()
            )
        )
    )
    if not open_tafels:
        return None
    if raw in (None, ""):
        raise Invalid(_("Kies aan welke tafel je zit."), "tafel")
    tid = raw if isinstance(raw, int) else parse_id(raw)
    if tid not in open_tafels:
        known = db.session.get(Tafel, tid) if tid else None
        if known is not None and known.werkplaats_id == werkplaats.id:
            raise Invalid(_("Deze tafel is gesloten. Kies een andere tafel."), "tafel")
        raise Invalid(_("Kies een tafel uit de lijst."), "tafel")
    return tid


@write_transaction
def seat(participant: Participant, tafel_id: object) -> Participant:
    """Seat a participant at an open tafel of their werkplaats, or move them; earlier posts
    stay with the tafel they were posted at."""
    werkplaats = db.session.get(Werkplaats, participant.werkplaats_id)
    tid = checked_choice(werkplaats, tafel_id)
    if tid is not None:
        participant.tafel_id = tid
        db.session.flush()
    return participant


def unseated(werkplaats: Werkplaats, limit: int = 200) -> list[Participant]:
    """Participants who sit at no tafel yet (the facilitator may seat them), oldest first."""
    return list(
        db.session.scalars(
            sa.select(Participant)
            .where(
                Participant.werkplaats_id == werkplaats.id,
                Participant.tafel_id.is_(None),
                Participant.token.is_not(None),  # not one whose data was removed (AVG)
            )
            .order_by(Participant.id)
            .limit(limit)
        )
    )


def assign(werkplaats: Werkplaats, participant_id: object, tafel_id: object) -> Participant:
    """The facilitator seats a participant of this werkplaats at a tafel (or moves them)."""
    pid = parse_id(participant_id) if not isinstance(participant_id, int) else participant_id
    participant = db.session.get(Participant, pid) if pid else None
    if participant is None or participant.werkplaats_id != werkplaats.id:
        raise Invalid(_("Kies een deelnemer uit de lijst."), "deelnemer")
    if tafel_id in (None, ""):
        raise Invalid(_("Kies aan welke tafel je zit."), "tafel")
    return seat(participant, tafel_id)


@write_transaction
def set_rounds_at_tafels(werkplaats: Werkplaats, round_ids: list[object]) -> list[int]:
    """Which rounds are held at the tafels; the others are plenary (posts carry no tafel).
    Posts already made keep their tafel."""
    chosen = {parse_id(r) for r in round_ids} - {None}
    ids = {r.id for r in werkplaats.rounds}
    if chosen - ids:
        raise Invalid(_("Kies rondes van deze werkplaats."), "rondes")
    for rnd in werkplaats.rounds:
        rnd.is_at_tafels = rnd.id in chosen
    db.session.flush()
    return sorted(chosen)


def plenary_round_message() -> str:
    return _("Deze ronde is plenair, niet aan de tafels: de tafel typt hier niets in.")


def _taking_input(tafel: Tafel) -> Werkplaats:
    """The tafel's werkplaats, if the tafel's screen may still write: neither the werkplaats
    nor the tafel closed (what was said stays, as it was)."""
    werkplaats = db.session.get(Werkplaats, tafel.werkplaats_id)
    if werkplaats.state != WerkplaatsState.OPEN:
        raise Invalid(_("Deze werkplaats is gesloten; er kan niets meer bij."), "text")
    if tafel.is_closed:
        raise Invalid(_("Deze tafel is gesloten; er kan niets meer bij."), "text")
    return werkplaats


@write_transaction
def add_note(tafel: Tafel, text: str, source: str, label: str | None = None) -> Contribution:
    """The tafelvoorzitter types in the flip-chart (flap) or what was said (mondeling), for
    the round that runs (or, after it, the round the beamer shows: marked late)."""
    werkplaats = _taking_input(tafel)
    rnd = werkplaats.beamer_round
    if rnd is None or rnd.opened_at is None:
        raise Invalid(_("Er is nog geen ronde geopend. Wacht tot de facilitator er een opent."))
    if not rnd.is_at_tafels:
        raise Invalid(plenary_round_message(), "text")
    return moderation.noted(
        werkplaats, rnd, text, source, label, author_id=tafel.voorzitter_id,
        detail=f"{source} · {tafel.name}", tafel_id=tafel.id,
    )  # fmt: skip


def main_points(tafel: Tafel) -> list[Contribution]:
    return list(
        db.session.scalars(
            sa.select(Contribution)
            .where(
                Contribution.tafel_id == tafel.id,
                Contribution.is_main_point,
                Contribution.is_on_wall,
            )
            .order_by(Contribution.first_seq)
        )
    )


@write_transaction
def mark_point(tafel: Tafel, contribution_id: object, on: bool) -> Contribution:
    """Mark (or unmark) one of the tafel's contributions as one of its three main points."""
    _taking_input(tafel)
    cid = parse_id(contribution_id) if not isinstance(contribution_id, int) else contribution_id
    c = db.session.get(Contribution, cid) if cid else None
    if c is None or c.tafel_id != tafel.id or not c.is_on_wall:
        raise NotFound(_("Deze bijdrage hoort niet bij deze tafel."))
    if on and not c.is_main_point and len(main_points(tafel)) >= MAIN_POINTS:
        raise Invalid(_("Een tafel kiest %(n)d hoofdpunten. Haal er eerst een weg.", n=MAIN_POINTS))
    if c.is_main_point != on:
        c.is_main_point = on
        touch(c)
    return c
