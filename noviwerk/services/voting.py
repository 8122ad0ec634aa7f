"""Participants support each other (+1) and spend their dots in a voting round."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from ..database import write_transaction
from ..domain import RoundKind, RoundState
from ..extensions import db
from ..models import (
    Contribution,
    Participant,
    Round,
    Support,
    Vote,
    VoteOption,
    Werkplaats,
    utcnow,
)
from . import tafels
from .errors import Invalid, NotFound
from .participation import next_seq


def _give_support():
    return _GIVE_SUPPORT[db.engine.dialect.name]


def _supportable(participant: Participant, contribution_id: int) -> tuple[Contribution, Round]:
    """The contribution and its round read afresh inside the write (``toggle_support``)."""
    c = db.session.get(Contribution, contribution_id, populate_existing=True)
    if c is None or c.werkplaats_id != participant.werkplaats_id or not c.is_on_wall:
        raise NotFound(_("Deze bijdrage bestaat niet (meer)."))
    rnd = db.session.get(Round, c.round_id, populate_existing=True)
    if not rnd.is_support_allowed or rnd.state != RoundState.OPEN:
        raise Invalid(_("In deze ronde kun je bijdragen nu niet steunen."))
    if c.participant_id == participant.id:
        raise Invalid(_("Je eigen bijdrage steunen kan niet."))
    return c, rnd


def _check_tafel(participant: Participant, c: Contribution, rnd: Round) -> None:
    """In a round held at the tafels a phone lists its own tafel's input only; a +1 for
    another tafel's (a hand-made request) is refused. Taking one back is always allowed."""
    at = tafels.tafel_listed(participant, rnd)
    if at is not None and c.tafel_id != at.id:
        raise Invalid(
            _(
                "Deze bijdrage is aan een andere tafel ingebracht. In deze ronde steun je wat "
                "aan jouw tafel is gezegd."
            )
        )


# The phone's statements, built once: building one costs about as much as running it.
_MINE = sa.select(Support.participant_id).where(
    Support.contribution_id == sa.bindparam("cid"), Support.participant_id == sa.bindparam("me")
)
_GIVE_SUPPORT = {
    dialect: insert(Support)
    .values(
        contribution_id=sa.bindparam("cid"),
        participant_id=sa.bindparam("me"),
        created_at=sa.bindparam("now"),
    )
    .on_conflict_do_nothing()  # a second tap, or two at once: one +1
    .returning(Support.participant_id)  # none when it was given before
    for dialect, insert in (("postgresql", postgresql.insert), ("sqlite", sqlite.insert))
}
# The contribution's new version and +1 count, counted afresh (``toggle_support``).
_RECOUNT = (
    sa.update(Contribution)
    .where(Contribution.id == sa.bindparam("cid"))
    .values(
        seq=sa.bindparam("seq"),
        updated_at=sa.bindparam("now"),
        support_count=sa.select(sa.func.count())
        .where(Support.contribution_id == sa.bindparam("cid"))
        .scalar_subquery(),
    )
    .returning(Contribution.support_count)
    .execution_options(synchronize_session=False)  # the caller sets what it wrote
)

_TAKE_SUPPORT_BACK = sa.delete(Support).where(
    Support.contribution_id == sa.bindparam("cid"), Support.participant_id == sa.bindparam("me")
)
_SUPPORTED = sa.select(Support.contribution_id).where(Support.participant_id == sa.bindparam("me"))
_OTHERS = (
    sa.select(Contribution.id, Contribution.seq)
    .where(
        Contribution.round_id == sa.bindparam("round_id"),
        Contribution.is_on_wall,
        sa.or_(
            Contribution.participant_id.is_(None),
            Contribution.participant_id != sa.bindparam("me"),
        ),
    )
    .order_by(Contribution.support_count.desc(), Contribution.first_seq.desc())
    .limit(200)
)
_OTHERS_AT_TAFEL = _OTHERS.where(Contribution.tafel_id == sa.bindparam("tafel_id"))
_SUPPORTED_AMONG = _SUPPORTED.where(
    Support.contribution_id.in_(sa.bindparam("ids", expanding=True))
)
_THESE = sa.select(Contribution).where(Contribution.id.in_(sa.bindparam("ids", expanding=True)))
_MY_VOTES = (
    sa.select(Vote.contribution_id, sa.func.count(Vote.id))
    .where(Vote.round_id == sa.bindparam("round_id"), Vote.participant_id == sa.bindparam("me"))
    .group_by(Vote.contribution_id)
)
_OPTIONS = (
    sa.select(VoteOption)
    .where(VoteOption.round_id == sa.bindparam("round_id"))
    .order_by(VoteOption.position)
    .options(joinedload(VoteOption.contribution))
)
# A dot's round and the text of the option it names (None: not an option of that round),
# in one statement: when a vote opens, the whole room taps.
_DOT_ROUND = (
    sa.select(
        Round.id,
        Round.werkplaats_id,
        Round.kind,
        Round.state,
        Round.votes_per_participant,
        Contribution.text,
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
_NEXT_SEQ = (
    sa.update(Werkplaats)
    .where(Werkplaats.id == sa.bindparam("w"))
    .values(last_seq=Werkplaats.last_seq + 1)
    .returning(Werkplaats.last_seq)
    .cte("next_seq")
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
        ).select_from(_NEXT_SEQ),
    )
    .add_cte(_NEXT_SEQ, nest_here=True)
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


@write_transaction(keep_loaded=True)  # the busiest tap of a room: its item is not reloaded
def toggle_support(
    participant: Participant, contribution_id: int, on: bool | None = None
) -> tuple[Contribution, bool]:
    """+1 once per participant. ``on`` says what the phone showed (a double tap sends the
    same wish twice and changes nothing the second time); None toggles. Returns (c, on).

    Everything is read before the werkplaats' row lock (its next seq) is taken, which every
    post, +1 and dot of the room waits for; under it, the +1 is written and counted afresh,
    in a statement that sees every +1 committed before. (The +1 goes in under the lock, not
    before it: its row holds a share of the contribution's, which the count's update of the
    contribution would wait for while another +1 waits for the lock.)"""
    c, rnd = _supportable(participant, contribution_id)
    mine_here = {"me": participant.id, "cid": c.id}
    want = on
    if want is None:  # an old page: what the phone has now decides
        want = db.session.scalar(_MINE, mine_here) is None
    if want:
        _check_tafel(participant, c, rnd)
    seq = next_seq(c.werkplaats_id)
    if want:
        given = db.session.scalar(_give_support(), {**mine_here, "now": utcnow()})
        changed = given is not None
    else:  # past the ORM: a phone's request loads no Support object
        changed = db.session.execute(_TAKE_SUPPORT_BACK, mine_here).rowcount == 1
    if changed:
        now = utcnow()
        count = db.session.scalar(_RECOUNT, {"cid": c.id, "seq": seq, "now": now})
        for name, value in (("seq", seq), ("support_count", count), ("updated_at", now)):
            set_committed_value(c, name, value)  # as written: nothing left to flush
    return c, want


def supported_ids(participant: Participant, among: Collection[int] | None = None) -> set[int]:
    """What the participant +1'd (``among``: of these contributions only)."""
    if among is None:
        return set(db.session.scalars(_SUPPORTED, {"me": participant.id}))
    return set(db.session.scalars(_SUPPORTED_AMONG, {"me": participant.id, "ids": list(among)}))


class Listed(NamedTuple):
    """One of others' contributions as a phone lists it: enough to find its rendered item
    (web/other_items.py), which depends only on the contribution's version (``seq``)."""

    id: int
    seq: int


def others_in_round(
    participant: Participant, rnd: Round, tafel_id: int | None = None
) -> list[Listed]:
    """What a participant sees of others where the round allows it: most supported first.
    ``tafel_id``: only what was brought in at that tafel (``tafels.tafel_listed``).

    Ids and versions only, read in the order of the (round, support, first seq) index: in a
    room of 1,000 every phone asks for this list, and loading its 200 rows whole for each
    was most of the request."""
    params = {"round_id": rnd.id, "me": participant.id}
    if tafel_id is not None:
        params["tafel_id"] = tafel_id
    query = _OTHERS if tafel_id is None else _OTHERS_AT_TAFEL
    return [Listed(*row) for row in db.session.execute(query, params)]


def contributions(ids: list[int]) -> list[Contribution]:
    """The listed contributions whose items are rendered now (``others_in_round``)."""
    return list(db.session.scalars(_THESE, {"ids": ids}))


# --- dot-voting ---------------------------------------------------------------------------


def options(rnd: Round | DotRound) -> list[VoteOption]:
    """The round's options in order, their contributions loaded with them."""
    return list(db.session.scalars(_OPTIONS, {"round_id": rnd.id}))


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
    read afresh inside the write, with the option in the same statement; the dot is
    written by statement (nothing the session holds is a vote, so nothing kept goes stale)."""
    me = {"me": participant.id, "cid": contribution_id}
    if round_id is None:
        found = db.session.execute(_DOT_IN_OPEN_ROUND, {"w": participant.werkplaats_id, **me})
    else:
        found = db.session.execute(_DOT_IN_ROUND, {"round_id": round_id, **me})
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
    mine = my_votes(participant, rnd)
    if delta > 0 and sum(mine.values()) >= rnd.votes_per_participant:
        raise Invalid(
            _(
                "Je hebt al je %(n)d stemmen gebruikt. Haal er een weg om te verschuiven.",
                n=rnd.votes_per_participant,
            )
        )
    # Moving the cursor lets the beamer redraw its bars (phones, which follow the state
    # version, stay calm). Its row lock comes after the reads, before the dot: the dot's
    # row holds a share of its option's, which an edit of that option under the lock waits
    # for.
    if delta > 0 and db.engine.dialect.name == "postgresql":
        params = {"w": row.werkplaats_id, "round_id": rnd.id, "now": utcnow(), **me}
        db.session.execute(_DOT_WITH_SEQ, params)
    elif delta > 0:
        next_seq(row.werkplaats_id)
        db.session.execute(
            sa.insert(Vote).values(
                round_id=rnd.id,
                participant_id=participant.id,
                contribution_id=contribution_id,
                created_at=utcnow(),
            )
        )
    else:
        next_seq(row.werkplaats_id)
        if db.session.execute(_TAKE_BACK_ONE_DOT, {"round_id": rnd.id, **me}).rowcount != 1:
            raise Invalid(_("Je had hier geen stem op gezet."))
    mine[contribution_id] = mine.get(contribution_id, 0) + (1 if delta > 0 else -1)
    mine = {cid: n for cid, n in mine.items() if n > 0}
    return Dot(mine, row.text, rnd)


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
