"""Dot-voting: participants spend their dots on a voting round's options; the result."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from ..database import write_transaction
from ..domain import RoundKind, RoundState
from ..extensions import db
from ..models import Contribution, Participant, Round, Vote, VoteOption, Werkplaats, utcnow
from .errors import Invalid, NotFound
from .participation import next_seq

# The phone's statements, built once: building one costs about as much as running it.
_MY_VOTES = (
    sa.select(Vote.contribution_id, sa.func.count(Vote.id))
    .where(Vote.round_id == sa.bindparam("round_id"), Vote.participant_id == sa.bindparam("me"))
    .group_by(Vote.contribution_id)
)
# What a phone shows of a vote: each option's text and the phone's dots on it, in order.
_BALLOT = (
    sa.select(
        VoteOption.contribution_id,
        Contribution.text,
        sa.select(sa.func.count())
        .where(
            Vote.round_id == VoteOption.round_id,
            Vote.participant_id == sa.bindparam("me"),
            Vote.contribution_id == VoteOption.contribution_id,
        )
        .scalar_subquery(),
    )
    .join(Contribution, Contribution.id == VoteOption.contribution_id)
    .where(VoteOption.round_id == sa.bindparam("round_id"))
    .order_by(VoteOption.position)
)
_OPTIONS = (
    sa.select(VoteOption)
    .where(VoteOption.round_id == sa.bindparam("round_id"))
    .order_by(VoteOption.position)
    .options(joinedload(VoteOption.contribution))
)
# The options the participant's dots in a round went to, one entry per dot ("3,5,5").
_MY_DOTS = (
    sa.select(sa.func.aggregate_strings(sa.cast(Vote.contribution_id, sa.String), ","))
    .where(Vote.round_id == Round.id, Vote.participant_id == sa.bindparam("me"))
    .scalar_subquery()
)
# A dot's round, the text of the option it names (None: not an option of that round) and
# the participant's dots so far, in one statement: when a vote opens, the whole room taps.
_DOT_ROUND = (
    sa.select(
        Round.id,
        Round.werkplaats_id,
        Round.kind,
        Round.state,
        Round.votes_per_participant,
        Contribution.text,
        _MY_DOTS.label("mine"),
    )
    .outerjoin(
        VoteOption,
        sa.and_(VoteOption.round_id == Round.id, VoteOption.contribution_id == sa.bindparam("cid")),
    )
    .outerjoin(Contribution, Contribution.id == VoteOption.contribution_id)
    # The participant's row locked (PostgreSQL): its dots are counted and spent one at a
    # time, while other phones' dots go on beside them.
    .join(Participant, Participant.id == sa.bindparam("me"))
    .with_for_update(of=Participant, key_share=True)
)
_DOT_IN_ROUND = _DOT_ROUND.where(Round.id == sa.bindparam("round_id"))
_DOT_IN_OPEN_ROUND = (
    _DOT_ROUND.where(Round.werkplaats_id == sa.bindparam("w"), Round.state == RoundState.OPEN)
    .order_by(Round.position)
    .limit(1)
)
# PostgreSQL: a dot and the werkplaats' next seq (its row lock) in one statement, so that
# the lock every write of the room waits for is held for the commit alone. The dot's
# foreign keys are checked at the statement's end: after the lock, as in two statements.
# The participant's dots are counted again here: the statement before counted them from
# before the wait for the participant's lock, if it waited (two dots of one phone at once).
# None back: no dot left; else the dots the participant had before this one.
_NEXT_SEQ = (
    sa.update(Werkplaats)
    .where(Werkplaats.id == sa.bindparam("w"))
    .values(last_seq=Werkplaats.last_seq + 1)
    .returning(Werkplaats.last_seq)
    .cte("next_seq")
)
_USED = (
    sa.select(sa.func.count().label("n"))
    .where(Vote.round_id == sa.bindparam("round_id"), Vote.participant_id == sa.bindparam("me"))
    .cte("used")
)
_DOT_WITH_SEQ = (
    sa.insert(Vote.__table__)  # Core: the ORM's bulk insert takes no INSERT ... SELECT
    .from_select(
        ["round_id", "participant_id", "contribution_id", "created_at"],
        sa.select(
            sa.bindparam("round_id", type_=sa.Integer),
            sa.bindparam("me", type_=sa.Integer),
            sa.bindparam("cid", type_=sa.Integer),
            sa.bindparam("now", type_=sa.DateTime),
        )
        .select_from(_NEXT_SEQ)
        .join(_USED, sa.true())
        .where(_USED.c.n < sa.bindparam("budget")),
    )
    .add_cte(_NEXT_SEQ, nest_here=True)
    .add_cte(_USED, nest_here=True)
    .returning(sa.select(_USED.c.n).scalar_subquery())
)
_TAKE_BACK_ONE_DOT = sa.delete(Vote).where(
    Vote.id
    == sa.select(Vote.id)
    .where(
        Vote.round_id == sa.bindparam("round_id"),
        Vote.participant_id == sa.bindparam("me"),
        Vote.contribution_id == sa.bindparam("cid"),
    )
    .limit(1)
    .scalar_subquery()
)


def options(rnd: Round | DotRound) -> list[VoteOption]:
    """The round's options in order, their contributions loaded with them."""
    return list(db.session.scalars(_OPTIONS, {"round_id": rnd.id}))


class Option(NamedTuple):
    """An option as a phone shows it."""

    contribution_id: int
    text: str


class Ballot(NamedTuple):
    """What a phone shows of a vote: the options in order, and its dots per option."""

    options: list[Option]
    mine: dict[int, int]


def ballot(participant: Participant, rnd: Round | DotRound) -> Ballot:
    """The vote as the participant's phone shows it, in one statement: when a vote opens,
    every phone of the room asks for it within seconds."""
    rows = db.session.execute(_BALLOT, {"round_id": rnd.id, "me": participant.id}).all()
    return Ballot(
        [Option(cid, text) for cid, text, _n in rows], {cid: n for cid, _t, n in rows if n}
    )


def my_votes(participant: Participant, rnd: Round | DotRound) -> dict[int, int]:
    rows = db.session.execute(_MY_VOTES, {"round_id": rnd.id, "me": participant.id})
    return {cid: n for cid, n in rows}


class DotRound(NamedTuple):
    """What a dot's answer needs of its round."""

    id: int
    votes_per_participant: int


class Dot(NamedTuple):
    """What a dot left: the participant's dots per option after it, the text of the option
    it went to (or came from), and its round, for the phone's answer."""

    mine: dict[int, int]
    text: str
    round: DotRound


@write_transaction(keep_loaded=True)  # the whole room taps when a vote opens
def vote(participant: Participant, round_id: int | None, contribution_id: int, delta: int) -> Dot:
    """Add (+1) or take back (-1) one dot; at most the round's number of dots in all.
    ``round_id`` None: the werkplaats' open round (where a phone's dot goes). The round is
    read afresh inside the write, with the option and the participant's dots in the same
    statement; the dot is written by statement (nothing the session holds is a vote, so
    nothing kept goes stale)."""
    me = {"me": participant.id, "cid": contribution_id}
    # Every statement here on the session's connection: none loads or writes an ORM object,
    # and the session's own execute costs a tenth of a dot's CPU more for each.
    connection = db.session.connection()
    if round_id is None:
        found = connection.execute(_DOT_IN_OPEN_ROUND, {"w": participant.werkplaats_id, **me})
    else:
        found = connection.execute(_DOT_IN_ROUND, {"round_id": round_id, **me})
    row = found.first()
    if row is None and round_id is None:
        raise Invalid(_("Het stemmen is gesloten."))
    if row is None or row.werkplaats_id != participant.werkplaats_id:
        raise NotFound(_("Deze ronde bestaat niet."))
    if row.kind != RoundKind.VOTING:
        raise Invalid(_("In deze ronde wordt niet gestemd."))
    if row.state != RoundState.OPEN:
        raise Invalid(_("Het stemmen is gesloten."))
    if row.text is None:
        raise Invalid(_("Daarover wordt in deze ronde niet gestemd."))
    rnd = DotRound(row.id, row.votes_per_participant)
    mine = Counter(int(cid) for cid in row.mine.split(",")) if row.mine else Counter()
    if delta > 0 and mine.total() >= rnd.votes_per_participant:
        raise Invalid(_no_dots_left(rnd))
    # Moving the cursor lets the beamer redraw its bars (phones, which follow the state
    # version, stay calm). Its row lock comes after the reads, before the dot: the dot's
    # row holds a share of its option's, which an edit of that option under the lock waits
    # for.
    if delta > 0 and db.engine.dialect.name == "postgresql":
        params = {"w": row.werkplaats_id, "round_id": rnd.id, "now": utcnow(), **me}
        used = connection.scalar(_DOT_WITH_SEQ, {**params, "budget": rnd.votes_per_participant})
        if used is None:  # the phone's last dot went while this one waited
            raise Invalid(_no_dots_left(rnd))
        if used != mine.total():  # ... or another of its dots did: count them afresh
            return Dot(my_votes(participant, rnd), row.text, rnd)
    elif delta > 0:
        next_seq(row.werkplaats_id)  # SQLite: one writer at a time, so counted afresh above
        connection.execute(
            sa.insert(Vote).values(
                round_id=rnd.id,
                participant_id=participant.id,
                contribution_id=contribution_id,
                created_at=utcnow(),
            )
        )
    else:
        mine = Counter(my_votes(participant, rnd))  # afresh, also on PostgreSQL (see above)
        next_seq(row.werkplaats_id)
        if connection.execute(_TAKE_BACK_ONE_DOT, {"round_id": rnd.id, **me}).rowcount != 1:
            raise Invalid(_("Je had hier geen stem op gezet."))
    mine[contribution_id] += 1 if delta > 0 else -1
    return Dot({cid: n for cid, n in mine.items() if n > 0}, row.text, rnd)


def _no_dots_left(rnd: DotRound) -> str:
    return _(
        "Je hebt al je %(n)d stemmen gebruikt. Haal er een weg om te verschuiven.",
        n=rnd.votes_per_participant,
    )


@dataclass(frozen=True)
class Result:
    contribution: Contribution
    votes: int
    voters: int
    share: float  # of the largest, 0..1, for the bar


def results(rnd: Round) -> list[Result]:
    """Options ranked by dots, ties by position; the bar length is relative to the winner."""
    counts = {
        cid: (n, voters)
        for cid, n, voters in db.session.execute(
            sa.select(
                Vote.contribution_id,
                sa.func.count(Vote.id),
                sa.func.count(sa.distinct(Vote.participant_id)),
            )
            .where(Vote.round_id == rnd.id)
            .group_by(Vote.contribution_id)
        )
    }
    opts = options(rnd)
    top = max((counts.get(o.contribution_id, (0, 0))[0] for o in opts), default=0) or 1
    ranked = sorted(opts, key=lambda o: (-counts.get(o.contribution_id, (0, 0))[0], o.position))
    return [
        Result(
            o.contribution,
            counts.get(o.contribution_id, (0, 0))[0],
            counts.get(o.contribution_id, (0, 0))[1],
            counts.get(o.contribution_id, (0, 0))[0] / top,
        )
        for o in ranked
    ]


def votes_cast(rnd: Round) -> tuple[int, int]:
    """(dots cast, participants who voted)."""
    n, voters = db.session.execute(
        sa.select(sa.func.count(Vote.id), sa.func.count(sa.distinct(Vote.participant_id))).where(
            Vote.round_id == rnd.id
        )
    ).one()
    return n or 0, voters or 0


_OPEN_VOTE = (
    sa.select(Round.id)
    .where(Round.werkplaats_id == sa.bindparam("w"), Round.state == RoundState.OPEN,
           Round.kind == RoundKind.VOTING)
    .limit(1)
)  # fmt: skip
# (join code, state version) -> a vote open then; read once per process and version. Keyed
# by join code as werkplaatsen.open_state_version is: ids may come again in a new database
# (a test's), codes do not.
_vote_open: dict[tuple[str, int], bool] = {}
_VOTE_OPEN_MAX = 1_000


def vote_open(werkplaats_id: int, join_code: str | None, state_version: int) -> bool:
    """Whether a voting round was open in the werkplaats at ``state_version`` (a round that
    opens or closes takes a new version); the screens' waits ask after every dot."""
    key = (join_code, state_version)
    found = _vote_open.get(key) if join_code else None
    if found is None:
        found = db.session.execute(_OPEN_VOTE, {"w": werkplaats_id}).first() is not None
        if join_code:
            if len(_vote_open) >= _VOTE_OPEN_MAX:
                _vote_open.clear()
            _vote_open[key] = found
    return found
