"""Live signals for the facilitator: how a round is going and who is not heard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from ..domain import ContributionRecord, Veld
from ..extensions import db
from ..models import Contribution, Participant, Round, utcnow
from ..synthesis.cluster import cluster_contributions


@dataclass(frozen=True)
class Bucket:
    start: datetime
    contributions: int
    participants: int


@dataclass(frozen=True)
class RoundSignals:
    contributions: int
    participants: int  # distinct participants who posted in the round
    joined: int  # participants in the werkplaats
    buckets: list[Bucket]  # per minute since the round opened
    velden: dict[str, int]  # contributions per veld; "onbekend" for none given
    unheard: list[str]  # velden present in the room that have not posted here
    repeats: int  # contributions that make a point already made in the round
    repeat_share: float
    repeat_sample: int = 0  # >0: repeats estimated from the newest this many (see _repeats)


def for_round(rnd: Round, bucket_minutes: int = 1, max_buckets: int = 30) -> RoundSignals:
    rows = list(
        db.session.execute(
            sa.select(
                Contribution.id,
                Contribution.text,
                Contribution.participant_id,
                Contribution.veld,
                Contribution.created_at,
                Contribution.merged_into_id,
            )
            .where(
                Contribution.round_id == rnd.id,
                Contribution.is_live,
            )
            .order_by(Contribution.first_seq)
        )
    )
    joined = (
        db.session.scalar(
            sa.select(sa.func.count(Participant.id)).where(
                Participant.werkplaats_id == rnd.werkplaats_id
            )
        )
        or 0
    )
    room_velden = {
        v.value
        for v in db.session.scalars(
            sa.select(Participant.veld)
            .where(Participant.werkplaats_id == rnd.werkplaats_id, Participant.veld.is_not(None))
            .distinct()
        )
    }
    velden: dict[str, int] = {v.value: 0 for v in Veld}
    velden["onbekend"] = 0
    for r in rows:
        velden[r.veld.value if r.veld else "onbekend"] += 1
    unheard = sorted(v for v in room_velden if velden.get(v, 0) == 0)

    buckets: list[Bucket] = []
    start = rnd.opened_at or (rows[0].created_at if rows else None)
    if start is not None:
        end = min(
            rnd.closed_at or utcnow(), start + timedelta(minutes=bucket_minutes * max_buckets)
        )
        t = start
        while t < end or not buckets:
            t2 = t + timedelta(minutes=bucket_minutes)
            inside = [r for r in rows if t <= r.created_at < t2]
            buckets.append(
                Bucket(t, len(inside), len({r.participant_id for r in inside if r.participant_id}))
            )
            t = t2

    repeats = _repeats(rows, rnd)
    return RoundSignals(
        contributions=len(rows),
        participants=len({r.participant_id for r in rows if r.participant_id}),
        joined=joined,
        buckets=buckets,
        velden=velden,
        unheard=unheard,
        repeats=repeats,
        repeat_share=(repeats / len(rows)) if rows else 0.0,
        repeat_sample=REPEAT_SAMPLE if len(rows) - merged_count(rows) > REPEAT_SAMPLE else 0,
    )


def merged_count(rows) -> int:
    return sum(1 for r in rows if r.merged_into_id is not None)


REPEAT_SAMPLE = 400  # newest contributions clustered for the repeat signal


def _repeats(rows, rnd: Round) -> int:
    """How many contributions repeat a point made before them: merged ones, plus every
    member of a cluster but its first (the same Dutch-aware clustering as the bouwsteen).

    Clustering compares texts pairwise: 2,500 near-alike texts in one round took 7 s of CPU,
    and the regie asks on every load. Past REPEAT_SAMPLE free contributions the share of
    repeats among the newest of them stands for the rest (an estimate, rounded).
    """
    merged = merged_count(rows)
    free = [r for r in rows if r.merged_into_id is None]
    if len(free) < 2:
        return merged
    if len(free) > REPEAT_SAMPLE:
        sample = free[-REPEAT_SAMPLE:]  # rows come oldest first
        return merged + round(_cluster_repeats(sample, rnd) * len(free) / len(sample))
    return merged + _cluster_repeats(free, rnd)


def _cluster_repeats(free, rnd: Round) -> int:
    records = [
        ContributionRecord(
            id=r.id,
            number=i,
            round_position=rnd.position,
            round_prompt="",
            kernvraag_position=1,
            kernvraag_title=None,
            text=r.text,
            participant_key=str(r.participant_id or f"x{r.id}"),
        )
        for i, r in enumerate(free, 1)
    ]
    clustering = cluster_contributions(records)
    return sum(max(0, len(group.ids) - 1) for group in clustering.groups)
