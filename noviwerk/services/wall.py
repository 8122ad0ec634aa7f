"""What walls read: the contributions of a werkplaats, and what changed after a cursor."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Contribution, Participant, Round, Werkplaats


@dataclass(frozen=True)
class WallChange:
    contribution: Contribution
    is_new: bool  # created after the cursor (for the "n nieuwe bijdragen" announcement)


def current_seq(werkplaats_id: int) -> int:
    return (
        db.session.scalar(sa.select(Werkplaats.last_seq).where(Werkplaats.id == werkplaats_id)) or 0
    )


def visible_by_round(
    werkplaats: Werkplaats, only: Round | None = None
) -> dict[int, list[Contribution]]:
    """What walls show per round id (visible, not merged into another), newest first;
    ``only``: that round's alone (the beamer shows one)."""
    query = sa.select(Contribution).where(
        Contribution.werkplaats_id == werkplaats.id, Contribution.is_on_wall
    )
    if only is not None:
        query = query.where(Contribution.round_id == only.id)
    rows = db.session.scalars(
        query.options(selectinload(Contribution.participant), selectinload(Contribution.tafel))
        .order_by(Contribution.first_seq.desc())
    )
    grouped: dict[int, list[Contribution]] = {
        r.id: [] for r in werkplaats.rounds if only is None or r.id == only.id
    }
    for c in rows:
        grouped.setdefault(c.round_id, []).append(c)
    return grouped


def changes_after(
    werkplaats_id: int, after: int, limit: int = 500, tafel_id: int | None = None
) -> list[WallChange]:
    """Every contribution changed after ``after``, oldest change first (at most ``limit``);
    with ``tafel_id`` only those posted at that tafel (a tafel's screen)."""
    query = sa.select(Contribution).where(
        Contribution.werkplaats_id == werkplaats_id, Contribution.seq > after
    )
    if tafel_id is not None:
        query = query.where(Contribution.tafel_id == tafel_id)
    rows = db.session.scalars(
        query.options(selectinload(Contribution.participant), selectinload(Contribution.tafel))
        .order_by(Contribution.seq)
        .limit(limit)
    )
    return [WallChange(c, c.first_seq > after) for c in rows]


def participant_count(werkplaats_id: int) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(Participant.id)).where(Participant.werkplaats_id == werkplaats_id)
        )
        or 0
    )


def counts(werkplaats_id: int) -> tuple[int, int]:
    """(participants, visible contributions) of a werkplaats."""
    participants = participant_count(werkplaats_id)
    contributions = db.session.scalar(
        sa.select(sa.func.count(Contribution.id)).where(
            Contribution.werkplaats_id == werkplaats_id,
            Contribution.is_on_wall,
        )
    )
    return participants or 0, contributions or 0
