"""Round control beyond open and close: the timer, what the beamer shows, how a round works
(kind, +1s, pre-moderation, votes), and what is up for dot-voting."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from ..database import write_transaction
from ..domain import RoundKind, RoundState
from ..extensions import db
from ..models import Contribution, Round, VoteOption, Werkplaats, utcnow
from .errors import Invalid
from .werkplaatsen import bump_state, get_round

MAX_TIMER_MINUTES = 24 * 60  # no practical upper limit, but a typo of 10,000 is refused


@write_transaction
def timer(werkplaats: Werkplaats, round_id: int, action: str, minutes: int | None = None) -> Round:
    """start (for ``minutes``, default the planned minutes), extend (+``minutes``), stop."""
    werkplaats = db.session.merge(werkplaats)
    rnd = get_round(werkplaats, round_id)
    now = utcnow()
    if minutes is not None and not (1 <= minutes <= MAX_TIMER_MINUTES):
        raise Invalid(_("Kies een tijd van 1 tot %(n)d minuten.", n=MAX_TIMER_MINUTES))
    if action == "start":
        rnd.ends_at = now + timedelta(minutes=minutes or rnd.planned_minutes)
    elif action == "verlengen":
        base = rnd.ends_at if rnd.ends_at and rnd.ends_at > now else now
        rnd.ends_at = base + timedelta(minutes=minutes or 1)
    elif action == "stop":
        rnd.ends_at = None
    else:
        raise Invalid(_("Onbekende actie."))
    bump_state(werkplaats)
    return rnd


@write_transaction
def show_on_beamer(werkplaats: Werkplaats, round_id: int | None) -> Werkplaats:
    werkplaats = db.session.merge(werkplaats)
    werkplaats.beamer_round_id = get_round(werkplaats, round_id).id if round_id else None
    bump_state(werkplaats)
    return werkplaats


@write_transaction
def configure(
    werkplaats: Werkplaats,
    round_id: int,
    *,
    kind: str,
    is_support_allowed: bool,
    is_premoderated: bool,
    votes_per_participant: int,
    grace_seconds: int,
) -> Round:
    werkplaats = db.session.merge(werkplaats)
    rnd = get_round(werkplaats, round_id)
    try:
        new_kind = RoundKind(kind)
    except ValueError:
        raise Invalid(_("Kies een soort ronde uit de lijst."), "kind") from None
    has_input = db.session.scalar(
        sa.select(Contribution.id).where(Contribution.round_id == rnd.id).limit(1)
    )
    if new_kind != rnd.kind and (new_kind == RoundKind.VOTING or rnd.kind == RoundKind.VOTING):
        if has_input or (rnd.kind == RoundKind.VOTING and rnd.state != RoundState.GEPLAND):
            raise Invalid(
                _("Een ronde met inbreng of stemmen kan niet van soort wisselen."), "kind"
            )
    if not 1 <= votes_per_participant <= 20:
        raise Invalid(_("Geef elke deelnemer 1 tot 20 stemmen."), "votes_per_participant")
    if not 0 <= grace_seconds <= 600:
        raise Invalid(_("Een uitlooptijd is 0 tot 600 seconden."), "grace_seconds")
    rnd.kind = new_kind
    rnd.is_support_allowed = is_support_allowed
    rnd.is_premoderated = is_premoderated
    rnd.votes_per_participant = votes_per_participant
    rnd.grace_seconds = grace_seconds
    bump_state(werkplaats)
    return rnd


def vote_candidates(werkplaats: Werkplaats, rnd: Round) -> list[Contribution]:
    """What can be put up for voting: visible, unmerged contributions of other rounds."""
    return list(
        db.session.scalars(
            sa.select(Contribution)
            .join(Round, Contribution.round_id == Round.id)
            .where(
                Contribution.werkplaats_id == werkplaats.id,
                Contribution.round_id != rnd.id,
                Contribution.is_on_wall,
            )
            .order_by(Round.position, Contribution.merged_count.desc(), Contribution.first_seq)
        )
    )


@write_transaction
def set_vote_options(
    werkplaats: Werkplaats, round_id: int, contribution_ids: Sequence[int]
) -> Round:
    werkplaats = db.session.merge(werkplaats)
    rnd = get_round(werkplaats, round_id)
    if rnd.kind != RoundKind.VOTING:
        raise Invalid(_("Alleen in een stemronde zet je bijdragen ter stemming."))
    allowed = {c.id for c in vote_candidates(werkplaats, rnd)}
    wanted = list(dict.fromkeys(int(i) for i in contribution_ids))
    if not wanted:
        raise Invalid(_("Kies minstens twee bijdragen om over te stemmen."))
    if len(wanted) < 2:
        raise Invalid(_("Kies minstens twee bijdragen om over te stemmen."))
    if any(i not in allowed for i in wanted):
        raise Invalid(_("Die bijdrage kan niet ter stemming worden gebracht."))
    from ..models import Vote

    if rnd.state != RoundState.GEPLAND and db.session.scalar(
        sa.select(Vote.id).where(Vote.round_id == rnd.id).limit(1)
    ):
        raise Invalid(_("Er is al gestemd; de keuzes liggen vast."))
    db.session.execute(sa.delete(VoteOption).where(VoteOption.round_id == rnd.id))
    for pos, cid in enumerate(wanted, 1):
        db.session.add(VoteOption(round_id=rnd.id, contribution_id=cid, position=pos))
    bump_state(werkplaats)
    return rnd


@write_transaction
def reveal_results(werkplaats: Werkplaats, round_id: int, on: bool) -> Round:
    werkplaats = db.session.merge(werkplaats)
    rnd = get_round(werkplaats, round_id)
    if rnd.kind != RoundKind.VOTING:
        raise Invalid(_("Alleen een stemronde heeft een uitslag."))
    rnd.is_result_revealed = on
    bump_state(werkplaats)
    return rnd


def seconds_left(rnd: Round | None) -> int | None:
    if rnd is None or rnd.ends_at is None:
        return None
    return max(0, int((rnd.ends_at - utcnow()).total_seconds()))
