"""Scheduling a werkplaats, opening and closing it, and the state version phones poll on.

Its rounds are services/rounds.py's."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import date, datetime
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _

from ..database import write_transaction
from ..domain import (
    AuditAction,
    ProgrammeRole,
    StaffRole,
    WerkplaatsKind,
    WerkplaatsState,
    new_join_code,
)
from ..extensions import db
from ..models import Participant, Programme, User, Werkplaats, WerkplaatsStaff, utcnow
from . import audit, programmes
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
    sa.event.listen(db.session(), "after_commit", lambda _s: _state_versions.clear(), once=True)


# This process's cache: join code → (valid until, its OpenState). Per process, not per app: a
# server runs one app, and the apps of a test run never share a code.
_state_versions: dict[str, tuple[float, OpenState]] = {}


class OpenState(NamedTuple):
    id: int
    state_version: int
    last_seq: int
    phones: int  # participants who joined (and were not removed)


def open_state_version(code: str, max_age: float) -> OpenState | None:
    """The open werkplaats with this join code (id, state version, last seq, phones), or None.

    What every phone asks every few seconds ("did anything change?"), so it is cached per
    process for ``max_age`` seconds (``NOVIWERK_STATE_CACHE_SECONDS``): a change of state made
    in this process clears the cache when it commits; one made by another process, and a new
    contribution (the last seq), shows within that time.
    """
    cache = _state_versions
    now = time.monotonic()
    hit = cache.get(code)
    if hit is not None and hit[0] > now:
        return hit[1]
    phones = (
        sa.select(sa.func.count(Participant.id))
        .where(Participant.werkplaats_id == Werkplaats.id, Participant.token.is_not(None))
        .scalar_subquery()
    )
    row = db.session.execute(
        sa.select(Werkplaats.id, Werkplaats.state_version, Werkplaats.last_seq, phones).where(
            Werkplaats.join_code == code, Werkplaats.state == WerkplaatsState.OPEN
        )
    ).first()
    if row is None:
        cache.pop(code, None)
        return None
    if len(cache) > 10_000:  # join codes are few; this only bounds a flood of made-up ones
        cache.clear()
    found = OpenState(*row)
    cache[code] = (now + max_age, found)
    return found


def _set_staff(werkplaats: Werkplaats, facilitator_ids: Sequence[int], trekker_ids: Sequence[int]):
    werkplaats.staff.clear()
    db.session.flush()
    for role, ids in ((StaffRole.FACILITATOR, facilitator_ids), (StaffRole.TREKKER, trekker_ids)):
        for uid in dict.fromkeys(ids):
            if db.session.get(User, uid) is None:
                raise Invalid(_("Onbekende gebruiker gekozen."), role.value)
            werkplaats.staff.append(WerkplaatsStaff(user_id=uid, role=role))
            # Who works in a werkplaats belongs to the programme's team: a lid, who reads its
            # oogst (an eigenaar stays eigenaar).
            programmes.change_member(
                werkplaats.programme, uid, ProgrammeRole.LID, by=None, keep_role=True
            )


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
    if theme_id is not None and theme_id not in {t.id for t in programme.themes}:
        raise Invalid(_("Dit thema hoort niet bij het programma."), "theme_id")
    is_new = werkplaats is None
    if werkplaats is None:
        werkplaats = Werkplaats(programme=programme)
        db.session.add(werkplaats)
    team = {(s.user_id, s.role) for s in werkplaats.staff}
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
    if werkplaats.is_history and starts_at is not None and starts_at.date() >= utcnow().date():
        werkplaats.state = WerkplaatsState.GEPLAND  # its date moved ahead: still to be held
    _set_staff(werkplaats, facilitator_ids, trekker_ids)
    db.session.flush()
    new_team = {(s.user_id, s.role) for s in werkplaats.staff}
    audit.record(
        AuditAction.WERKPLAATS_SAVED,
        werkplaats,
        detail="nieuw" if is_new else ("team gewijzigd" if team != new_team else ""),
    )
    return werkplaats


def was_held(werkplaats: Werkplaats, today: date, starts_at: datetime | None = None) -> bool:
    """Whether a werkplaats from a table, never opened here, was held by ``today``: still
    "gepland" though its day (``starts_at``, else its own) has passed."""
    starts_at = starts_at or werkplaats.starts_at
    return (
        werkplaats.state == WerkplaatsState.GEPLAND
        and werkplaats.opened_at is None
        and starts_at is not None
        and starts_at.date() < today
    )


def record_held(werkplaats: Werkplaats, today: date) -> bool:
    """A werkplaats from a table whose day has passed, never opened here, was held: it reads
    as held (closed, ``is_history``), not as planned with an "open" button. True: changed."""
    if not was_held(werkplaats, today):
        return False
    werkplaats.state = WerkplaatsState.GESLOTEN
    return True


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
    if werkplaats.join_code is None or new_code:
        werkplaats.join_code = _unique_code()
    werkplaats.state = WerkplaatsState.OPEN
    werkplaats.opened_at = werkplaats.opened_at or utcnow()
    werkplaats.closed_at = None
    bump_state(werkplaats)
    audit.record(AuditAction.WERKPLAATS_OPENED, werkplaats, detail="nieuwe code" if new_code else "")
    return werkplaats


@write_transaction
def close_werkplaats(werkplaats: Werkplaats) -> Werkplaats:
    """Close every round and stop the join code working; the contributions stay."""
    now = utcnow()
    werkplaats.close_rounds(now)
    werkplaats.state = WerkplaatsState.GESLOTEN
    werkplaats.closed_at = now
    bump_state(werkplaats)
    audit.record(AuditAction.WERKPLAATS_CLOSED, werkplaats)
    return werkplaats
