"""Every round operation: designing rounds (add, save, move, delete, from the programme's
kernvragen), opening and closing them, the timer, what the beamer shows, how a round works
(kind, +1s, pre-moderation, votes, grace), what is up for dot-voting, and the grace period
in which a just-closed round still takes late text.

Each takes the werkplaats (as the request loaded it) and a round id: the round is looked up
within that werkplaats, so an id from another werkplaats is a "does not exist". The rules
themselves are the models' (``Round.open``, ``Round.close``, ``Round.is_in_grace``,
``Werkplaats.close_rounds``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from ..database import write_transaction
from ..domain import AuditAction, RoundKind, RoundState, WerkplaatsState
from ..extensions import db
from ..models import Contribution, Round, Vote, VoteOption, Werkplaats, utcnow
from . import audit
from .errors import Invalid, NotFound
from .werkplaatsen import bump_state

MAX_TIMER_MINUTES = 24 * 60  # no practical upper limit, but a typo of 10,000 is refused
MAX_ID = 2**63  # ids arrive from forms and URLs; a larger one overflows PostgreSQL's bigint


def _find_round(werkplaats: Werkplaats, round_id: int) -> Round | None:
    rnd = db.session.get(Round, round_id) if 0 < round_id < MAX_ID else None
    return rnd if rnd is not None and rnd.werkplaats_id == werkplaats.id else None


def get_round(werkplaats: Werkplaats, round_id: int) -> Round:
    rnd = _find_round(werkplaats, round_id)
    if rnd is None:
        raise NotFound(_("Deze ronde bestaat niet."))
    return rnd


# --- designing rounds -------------------------------------------------------------------


def _renumber(werkplaats: Werkplaats) -> None:
    for i, r in enumerate(sorted(werkplaats.rounds, key=lambda r: r.position), 1):
        r.position = i


@write_transaction
def rounds_from_template(werkplaats: Werkplaats) -> list[Round]:
    """One round per kernvraag of the programme, prompt = the kernvraag's question."""
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
    round_id: int | None,
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
    """Add a round (``round_id`` None) or change one, with how it works in the room."""
    if round_id is None:
        rnd = add_round(werkplaats, prompt, kernvraag_id, planned_minutes)
    else:
        rnd = get_round(werkplaats, round_id)
        rnd.prompt = _check_round_fields(werkplaats, prompt, kernvraag_id, planned_minutes)
        rnd.kernvraag_id = kernvraag_id
        rnd.planned_minutes = int(planned_minutes)
    return configure(
        werkplaats,
        rnd.id,
        kind=kind,
        is_support_allowed=is_support_allowed,
        is_premoderated=is_premoderated,
        votes_per_participant=votes_per_participant,
        grace_seconds=grace_seconds,
    )


@write_transaction
def move_round(werkplaats: Werkplaats, round_id: int, direction: int) -> None:
    """Swap a round with its neighbour; ``direction`` is -1 (earlier) or +1 (later)."""
    rnd = get_round(werkplaats, round_id)
    ordered = sorted(werkplaats.rounds, key=lambda r: r.position)
    i = ordered.index(rnd)
    j = i + (1 if direction > 0 else -1)
    if 0 <= j < len(ordered):
        ordered[i], ordered[j] = ordered[j], ordered[i]
        for pos, r in enumerate(ordered, 1):
            r.position = pos
        bump_state(werkplaats)


def rounds_with_input(werkplaats: Werkplaats) -> set[int]:
    """Ids of the rounds that hold contributions (of any state): these cannot be deleted."""
    return set(
        db.session.scalars(
            sa.select(Contribution.round_id)
            .where(Contribution.werkplaats_id == werkplaats.id)
            .distinct()
        )
    )


@write_transaction
def delete_round(werkplaats: Werkplaats, round_id: int) -> None:
    rnd = get_round(werkplaats, round_id)
    used = db.session.scalar(sa.select(Contribution.id).where(Contribution.round_id == rnd.id))
    if used:
        raise Invalid(_("Deze ronde heeft bijdragen en kan niet worden verwijderd."))
    if rnd.state == RoundState.OPEN:
        raise Invalid(_("Sluit de ronde voordat je haar verwijdert."))
    werkplaats.rounds.remove(rnd)
    db.session.delete(rnd)
    _renumber(werkplaats)
    bump_state(werkplaats)


# --- running the room -------------------------------------------------------------------


@write_transaction
def open_round(werkplaats: Werkplaats, round_id: int) -> Round:
    """Open (or reopen) a round for input; the round that was open closes, so phones see
    one prompt."""
    rnd = get_round(werkplaats, round_id)
    if werkplaats.state != WerkplaatsState.OPEN:
        raise Invalid(_("Open eerst de werkplaats; dan kunnen deelnemers meedoen."))
    now = utcnow()
    werkplaats.close_rounds(now, keep=rnd)
    rnd.open(now)
    bump_state(werkplaats)
    audit.record(AuditAction.ROUND_OPENED, werkplaats, detail=f"ronde {rnd.position}")
    return rnd


@write_transaction
def close_round(werkplaats: Werkplaats, round_id: int) -> Round:
    """Close a round; text typed before the close still arrives within its grace period."""
    rnd = get_round(werkplaats, round_id)
    if rnd.close(utcnow()):
        bump_state(werkplaats)
        audit.record(AuditAction.ROUND_CLOSED, werkplaats, detail=f"ronde {rnd.position}")
    return rnd


def round_in_grace(werkplaats: Werkplaats, now: datetime | None = None) -> Round | None:
    """While no round is open: the round closed last, if it still takes late text."""
    return werkplaats.round_in_grace(now or utcnow())


def still_in_grace(werkplaats: Werkplaats, round_id: int, now: datetime | None = None) -> bool:
    """Whether a closed round of ``werkplaats`` still takes late text."""
    rnd = _find_round(werkplaats, round_id)
    return rnd is not None and rnd.is_in_grace(now or utcnow())


@write_transaction
def timer(werkplaats: Werkplaats, round_id: int, action: str, minutes: int | None = None) -> Round:
    """start (for ``minutes``, default the planned minutes), extend (+``minutes``), stop."""
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


def seconds_left(rnd: Round | None) -> int | None:
    if rnd is None or rnd.ends_at is None:
        return None
    return max(0, int((rnd.ends_at - utcnow()).total_seconds()))


@write_transaction
def show_on_beamer(werkplaats: Werkplaats, round_id: int | None) -> Round | None:
    """Show this round on the beamer; None: the open one, else the one opened last."""
    rnd = get_round(werkplaats, round_id) if round_id else None
    werkplaats.beamer_round_id = rnd.id if rnd else None
    bump_state(werkplaats)
    return rnd


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


# --- voting -----------------------------------------------------------------------------


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
    rnd = get_round(werkplaats, round_id)
    if rnd.kind != RoundKind.VOTING:
        raise Invalid(_("Alleen in een stemronde zet je bijdragen ter stemming."))
    allowed = {c.id for c in vote_candidates(werkplaats, rnd)}
    wanted = list(dict.fromkeys(int(i) for i in contribution_ids))
    if len(wanted) < 2:
        raise Invalid(_("Kies minstens twee bijdragen om over te stemmen."))
    if any(i not in allowed for i in wanted):
        raise Invalid(_("Die bijdrage kan niet ter stemming worden gebracht."))
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
    rnd = get_round(werkplaats, round_id)
    if rnd.kind != RoundKind.VOTING:
        raise Invalid(_("Alleen een stemronde heeft een uitslag."))
    rnd.is_result_revealed = on
    bump_state(werkplaats)
    return rnd
