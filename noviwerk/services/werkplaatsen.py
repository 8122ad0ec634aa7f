"""Scheduling a werkplaats, designing its rounds, and opening and closing it and its rounds."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ..database import write_transaction
from ..domain import (
    RoundState,
    StaffRole,
    WerkplaatsKind,
    WerkplaatsState,
    new_join_code,
)
from ..extensions import db
from ..models import Contribution, Programme, Round, User, Werkplaats, WerkplaatsStaff, utcnow
from .errors import Invalid, NotFound


def get_werkplaats(werkplaats_id: int) -> Werkplaats:
    werkplaats = db.session.get(Werkplaats, werkplaats_id)
    if werkplaats is None:
        raise NotFound(_("Deze werkplaats bestaat niet."))
    return werkplaats


def werkplaatsen_for(user: User) -> list[Werkplaats]:
    """The werkplaatsen a user sees on their start page: all for a beheerder."""
    query = sa.select(Werkplaats).order_by(
        Werkplaats.starts_at.desc().nulls_last(), Werkplaats.title
    )
    if not user.is_beheerder:
        query = query.where(
            Werkplaats.id.in_(
                sa.select(WerkplaatsStaff.werkplaats_id).where(WerkplaatsStaff.user_id == user.id)
            )
        )
    return list(db.session.scalars(query))


def bump_state(werkplaats: Werkplaats) -> None:
    """Tell phones and walls that rounds, timer or beamer changed: one atomic increment, so
    two changes at once (PostgreSQL) are two versions, never one."""
    db.session.flush()
    db.session.execute(
        sa.update(Werkplaats)
        .where(Werkplaats.id == werkplaats.id)
        .values(state_version=Werkplaats.state_version + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(werkplaats, ["state_version"])
    cache = _state_versions()
    sa.event.listen(db.session(), "after_commit", lambda _s: cache.clear(), once=True)


def _state_versions() -> dict[str, tuple[float, int, int]]:
    """This app's cache: join code → (valid until, werkplaats id, state version)."""
    return current_app.extensions.setdefault("noviwerk.state_versions", {})


def open_state_version(code: str) -> tuple[int, int] | None:
    """(id, state version) of the open werkplaats with this join code, or None.

    What every phone asks every few seconds ("did anything change?"), so it is cached per
    process for ``NOVIWERK_STATE_CACHE_SECONDS``: a change made in this process clears the
    cache when it commits; one made by another process shows within that time.
    """
    cache = _state_versions()
    now = time.monotonic()
    hit = cache.get(code)
    if hit is not None and hit[0] > now:
        return hit[1], hit[2]
    row = db.session.execute(
        sa.select(Werkplaats.id, Werkplaats.state_version).where(
            Werkplaats.join_code == code, Werkplaats.state == WerkplaatsState.OPEN
        )
    ).first()
    if row is None:
        cache.pop(code, None)
        return None
    if len(cache) > 10_000:  # join codes are few; this only bounds a flood of made-up ones
        cache.clear()
    cache[code] = (now + current_app.config["NOVIWERK_STATE_CACHE_SECONDS"], row[0], row[1])
    return row[0], row[1]


def _set_staff(werkplaats: Werkplaats, facilitator_ids: Sequence[int], trekker_ids: Sequence[int]):
    werkplaats.staff.clear()
    db.session.flush()
    for role, ids in ((StaffRole.FACILITATOR, facilitator_ids), (StaffRole.TREKKER, trekker_ids)):
        for uid in dict.fromkeys(ids):
            if db.session.get(User, uid) is None:
                raise Invalid(_("Onbekende gebruiker gekozen."), role.value)
            werkplaats.staff.append(WerkplaatsStaff(user_id=uid, role=role))


@write_transaction
def save_werkplaats(
    programme: Programme,
    *,
    title: str,
    starts_at: datetime | None,
    place: str = "",
    kind: WerkplaatsKind | str = WerkplaatsKind.INHOUDELIJK,
    theme_id: int | None = None,
    organisation: str = "",
    trekker_name: str = "",
    facilitator_ids: Sequence[int] = (),
    trekker_ids: Sequence[int] = (),
    werkplaats: Werkplaats | None = None,
    nr: int | None = None,
    history_note: str = "",
) -> Werkplaats:
    """Create a werkplaats in ``programme``, or update ``werkplaats`` when given."""
    title = " ".join(title.split())
    if not title:
        raise Invalid(_("Geef de werkplaats een titel."), "title")
    programme = db.session.merge(programme)
    if theme_id is not None and theme_id not in {t.id for t in programme.themes}:
        raise Invalid(_("Dit thema hoort niet bij het programma."), "theme_id")
    if werkplaats is None:
        werkplaats = Werkplaats(programme=programme)
        db.session.add(werkplaats)
    else:
        werkplaats = db.session.merge(werkplaats)
    werkplaats.title = title
    werkplaats.nr = nr if nr is not None else werkplaats.nr
    werkplaats.starts_at = starts_at
    werkplaats.place = place.strip()
    werkplaats.kind = WerkplaatsKind(kind)
    werkplaats.theme_id = theme_id
    werkplaats.organisation = organisation.strip()
    werkplaats.trekker_name = trekker_name.strip()
    if history_note:
        werkplaats.history_note = history_note
    _set_staff(werkplaats, facilitator_ids, trekker_ids)
    db.session.flush()
    return werkplaats


# --- rounds -----------------------------------------------------------------------------


def _renumber(werkplaats: Werkplaats) -> None:
    for i, r in enumerate(sorted(werkplaats.rounds, key=lambda r: r.position), 1):
        r.position = i


@write_transaction
def rounds_from_template(werkplaats: Werkplaats) -> list[Round]:
    """One round per kernvraag of the programme, prompt = the kernvraag's question."""
    werkplaats = db.session.merge(werkplaats)
    if werkplaats.rounds:
        raise Invalid(_("Deze werkplaats heeft al rondes; pas die aan of verwijder ze eerst."))
    for kv in werkplaats.programme.kernvragen:
        werkplaats.rounds.append(
            Round(position=kv.position, prompt=kv.question, kernvraag_id=kv.id, planned_minutes=15)
        )
    _renumber(werkplaats)
    bump_state(werkplaats)
    db.session.flush()
    return list(werkplaats.rounds)


def _check_round_fields(werkplaats: Werkplaats, prompt: str, kernvraag_id: int | None, minutes):
    prompt = " ".join(prompt.split())
    if not prompt:
        raise Invalid(_("Geef de ronde een vraag of opdracht."), "prompt")
    if len(prompt) > 500:
        raise Invalid(_("De vraag van een ronde is hooguit 500 tekens."), "prompt")
    if kernvraag_id is not None and kernvraag_id not in {
        k.id for k in werkplaats.programme.kernvragen
    }:
        raise Invalid(_("Deze kernvraag hoort niet bij het programma."), "kernvraag_id")
    if not (1 <= int(minutes) <= 600):
        raise Invalid(_("Plan een ronde op 1 tot 600 minuten."), "planned_minutes")
    return prompt


@write_transaction
def add_round(
    werkplaats: Werkplaats, prompt: str, kernvraag_id: int | None, planned_minutes: int
) -> Round:
    werkplaats = db.session.merge(werkplaats)
    prompt = _check_round_fields(werkplaats, prompt, kernvraag_id, planned_minutes)
    rnd = Round(
        position=len(werkplaats.rounds) + 1,
        prompt=prompt,
        kernvraag_id=kernvraag_id,
        planned_minutes=int(planned_minutes),
    )
    werkplaats.rounds.append(rnd)
    bump_state(werkplaats)
    db.session.flush()
    return rnd


@write_transaction
def save_round(
    werkplaats: Werkplaats,
    rnd: Round | None,
    *,
    prompt: str,
    kernvraag_id: int | None,
    planned_minutes: int,
    kind: str = "open",
    is_support_allowed: bool = False,
    is_premoderated: bool = False,
    votes_per_participant: int = 3,
    grace_seconds: int = 90,
) -> Round:
    """Add or change a round with how it works in the room, in one transaction."""
    from .rounds import configure

    if rnd is None:
        rnd = add_round(werkplaats, prompt, kernvraag_id, planned_minutes)
    else:
        rnd = update_round(rnd, prompt, kernvraag_id, planned_minutes)
    configure(
        werkplaats,
        rnd.id,
        kind=kind,
        is_support_allowed=is_support_allowed,
        is_premoderated=is_premoderated,
        votes_per_participant=votes_per_participant,
        grace_seconds=grace_seconds,
    )
    return rnd


def get_round(werkplaats: Werkplaats, round_id: int) -> Round:
    rnd = db.session.get(Round, round_id)
    if rnd is None or rnd.werkplaats_id != werkplaats.id:
        raise NotFound(_("Deze ronde bestaat niet."))
    return rnd


@write_transaction
def update_round(rnd: Round, prompt: str, kernvraag_id: int | None, planned_minutes: int) -> Round:
    rnd = db.session.merge(rnd)
    rnd.prompt = _check_round_fields(rnd.werkplaats, prompt, kernvraag_id, planned_minutes)
    rnd.kernvraag_id = kernvraag_id
    rnd.planned_minutes = int(planned_minutes)
    bump_state(rnd.werkplaats)
    return rnd


@write_transaction
def move_round(rnd: Round, direction: int) -> None:
    """Swap a round with its neighbour; ``direction`` is -1 (earlier) or +1 (later)."""
    rnd = db.session.merge(rnd)
    ordered = sorted(rnd.werkplaats.rounds, key=lambda r: r.position)
    i = ordered.index(rnd)
    j = i + (1 if direction > 0 else -1)
    if 0 <= j < len(ordered):
        ordered[i], ordered[j] = ordered[j], ordered[i]
        for pos, r in enumerate(ordered, 1):
            r.position = pos
        bump_state(rnd.werkplaats)


@write_transaction
def delete_round(rnd: Round) -> None:
    rnd = db.session.merge(rnd)
    used = db.session.scalar(sa.select(Contribution.id).where(Contribution.round_id == rnd.id))
    if used:
        raise Invalid(_("Deze ronde heeft bijdragen en kan niet worden verwijderd."))
    if rnd.state == RoundState.OPEN:
        raise Invalid(_("Sluit de ronde voordat je haar verwijdert."))
    werkplaats = rnd.werkplaats
    werkplaats.rounds.remove(rnd)
    db.session.delete(rnd)
    _renumber(werkplaats)
    bump_state(werkplaats)


@write_transaction
def open_round(rnd: Round) -> Round:
    """Open a round for input; the round that was open closes, so phones see one prompt."""
    rnd = db.session.merge(rnd)
    werkplaats = rnd.werkplaats
    if werkplaats.state != WerkplaatsState.OPEN:
        raise Invalid(_("Open eerst de werkplaats; dan kunnen deelnemers meedoen."))
    now = utcnow()
    for other in werkplaats.rounds:
        if other.state == RoundState.OPEN and other.id != rnd.id:
            other.state = RoundState.GESLOTEN
            other.closed_at = now
    rnd.state = RoundState.OPEN
    rnd.opened_at = now
    rnd.closed_at = None
    bump_state(werkplaats)
    return rnd


@write_transaction
def close_round(rnd: Round) -> Round:
    rnd = db.session.merge(rnd)
    if rnd.state == RoundState.OPEN:
        rnd.state = RoundState.GESLOTEN
        rnd.closed_at = utcnow()
        bump_state(rnd.werkplaats)
    return rnd


# --- opening the werkplaats -------------------------------------------------------------


def _unique_code() -> str:
    for _attempt in range(20):
        code = new_join_code()
        if not db.session.scalar(sa.select(Werkplaats.id).where(Werkplaats.join_code == code)):
            return code
    raise RuntimeError("could not find a free join code")  # 25^8 codes: not in practice


@write_transaction
def open_werkplaats(werkplaats: Werkplaats, new_code: bool = False) -> Werkplaats:
    """Let participants in: a join code (kept on reopening unless ``new_code``)."""
    werkplaats = db.session.merge(werkplaats)
    if werkplaats.join_code is None or new_code:
        werkplaats.join_code = _unique_code()
    werkplaats.state = WerkplaatsState.OPEN
    werkplaats.opened_at = werkplaats.opened_at or utcnow()
    werkplaats.closed_at = None
    bump_state(werkplaats)
    return werkplaats


@write_transaction
def close_werkplaats(werkplaats: Werkplaats) -> Werkplaats:
    """Close every round and stop the join code working; the harvest stays."""
    werkplaats = db.session.merge(werkplaats)
    now = utcnow()
    for rnd in werkplaats.rounds:
        if rnd.state == RoundState.OPEN:
            rnd.state = RoundState.GESLOTEN
            rnd.closed_at = now
    werkplaats.state = WerkplaatsState.GESLOTEN
    werkplaats.closed_at = now
    bump_state(werkplaats)
    return werkplaats
