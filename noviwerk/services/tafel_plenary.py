"""What is read about tafels: each tafel's count of people, posts and velden (setup page
and regie), a tafel screen's cards and changes, and the plenary roll-up over the tafels."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..domain import Veld
from ..extensions import db
from ..models import Contribution, Participant, Tafel, Werkplaats
from ..synthesis import tafels as tafel_synthesis
from . import contributions, tafels, wall
from .wall import WallChange


@dataclass
class TafelStats:
    tafel: Tafel
    joined: int = 0  # participants sitting there now
    active: int = 0  # participants who posted there
    contributions: int = 0  # visible ones posted there
    velden: dict[str, int] = field(default_factory=dict)  # contributions per veld heard

    @property
    def heard(self) -> list[str]:
        return [v for v in Veld.values() if self.velden.get(v)]


def tafel_stats(werkplaats: Werkplaats) -> list[TafelStats]:
    """Per tafel: who sits there, who posted there, and which velden it heard. Three grouped
    queries, however many tafels."""
    stats = {t.id: TafelStats(t) for t in tafels.tafels_of(werkplaats)}
    if not stats:
        return []
    for tid, n in db.session.execute(
        sa.select(Participant.tafel_id, sa.func.count(Participant.id))
        .where(Participant.werkplaats_id == werkplaats.id, Participant.tafel_id.is_not(None))
        .group_by(Participant.tafel_id)
    ):
        if tid in stats:
            stats[tid].joined = n
    posted = (Contribution.werkplaats_id == werkplaats.id, Contribution.tafel_id.is_not(None))
    for tid, n, people in db.session.execute(
        sa.select(
            Contribution.tafel_id,
            sa.func.count(Contribution.id),
            sa.func.count(sa.distinct(Contribution.participant_id)),
        )
        .where(*posted, Contribution.is_visible)
        .group_by(Contribution.tafel_id)
    ):
        stats[tid].contributions, stats[tid].active = n, people
    for tid, veld, n in db.session.execute(
        sa.select(Contribution.tafel_id, Contribution.veld, sa.func.count(Contribution.id))
        .where(*posted, Contribution.is_visible, Contribution.veld.is_not(None))
        .group_by(Contribution.tafel_id, Contribution.veld)
    ):
        stats[tid].velden[veld.value] = n
    return list(stats.values())


def on_screen(tafel: Tafel) -> list[Contribution]:
    """What a tafel's screen shows: its visible cards, newest first."""
    return list(
        db.session.scalars(
            sa.select(Contribution)
            .where(Contribution.tafel_id == tafel.id, Contribution.is_on_wall)
            .options(selectinload(Contribution.participant))
            .order_by(Contribution.first_seq.desc())
        )
    )


def on_screen_count(tafel: Tafel) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(Contribution.id)).where(
                Contribution.tafel_id == tafel.id, Contribution.is_on_wall
            )
        )
        or 0
    )


def changes_after(tafel: Tafel, after: int, limit: int = 500) -> tuple[list[WallChange], int]:
    """The tafel's contributions changed after the cursor (the werkplaats' change counter,
    as the wall's), and the cursor to ask from next: the wall's change query with a tafel
    filter. Changes at other tafels move the cursor on without being sent.

    The cursor is read first: a change committed while the rows are read is then sent now
    or next time. Read after the rows (PostgreSQL: each statement sees what was committed
    before it began), a post committed in between would lie below the cursor, never sent."""
    cursor = db.session.scalar(
        sa.select(Werkplaats.last_seq).where(Werkplaats.id == tafel.werkplaats_id)
    )
    rows = wall.changes_after(tafel.werkplaats_id, after, limit, tafel_id=tafel.id)
    if len(rows) == limit:  # more to come: on from the last one sent
        cursor = rows[-1].contribution.seq
    elif rows:  # a row committed after the cursor was read: past it too
        cursor = max(cursor or 0, rows[-1].contribution.seq)
    return rows, max(cursor or 0, after)


def plenary(werkplaats: Werkplaats, round_id: int | None = None) -> tafel_synthesis.Plenary:
    """Each tafel's rode draden and main points, and the roll-up over the tafels (of one
    round, if given)."""
    all_tafels = tafels.tafels_of(werkplaats)
    names = {t.id: t.name for t in all_tafels}
    records = contributions.contribution_records(werkplaats, tafel_names=names)
    if round_id is not None:
        position = next((r.position for r in werkplaats.rounds if r.id == round_id), None)
        records = [r for r in records if r.round_position == position]
    points = {t.id: [] for t in all_tafels}
    marked = sa.select(Contribution).where(
        Contribution.werkplaats_id == werkplaats.id,
        Contribution.is_main_point,
        Contribution.is_on_wall,
    )
    if round_id is not None:  # that round's points, as its input
        marked = marked.where(Contribution.round_id == round_id)
    for c in db.session.scalars(marked.order_by(Contribution.first_seq)):
        if c.tafel_id in points:
            points[c.tafel_id].append(c.text)
    inputs = [
        tafel_synthesis.TafelInput(
            t.name,
            tuple(r for r in records if r.tafel == t.name),
            tuple(points[t.id]),
            t.focus,
        )
        for t in all_tafels
    ]
    return tafel_synthesis.plenary(inputs, topic=werkplaats.title)
