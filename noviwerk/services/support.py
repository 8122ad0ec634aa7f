"""+1: participants support each other's contributions, and a phone's list of what others
brought in (to +1)."""

from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm.attributes import set_committed_value

from ..database import write_transaction
from ..domain import RoundState
from ..extensions import db
from ..models import Contribution, Participant, Round, Support, utcnow
from . import tafels
from .errors import Invalid, NotFound
from .participation import next_seq


def _give_support():
    return _GIVE_SUPPORT[db.engine.dialect.name]


def _supportable(participant: Participant, contribution_id: int) -> tuple[Contribution, Round]:
    """The contribution and its round read afresh inside the write (``toggle_support``), in
    one statement."""
    found = db.session.execute(_SUPPORTABLE, {"cid": contribution_id}).first()
    c, rnd = found if found is not None else (None, None)
    if c is None or c.werkplaats_id != participant.werkplaats_id or not c.is_on_wall:
        raise NotFound(_("Deze bijdrage bestaat niet (meer)."))
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
_SUPPORTABLE = (
    sa.select(Contribution, Round)
    .join(Round, Round.id == Contribution.round_id)
    .where(Contribution.id == sa.bindparam("cid"))
    .execution_options(populate_existing=True)  # what the session holds may be stale
)
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
# The contribution's +1s, counted afresh.
_SUPPORTERS = (
    sa.select(sa.func.count()).where(Support.contribution_id == sa.bindparam("cid"))
).scalar_subquery()
# The contribution's new version and +1 count (``toggle_support``).
_RECOUNT = (
    sa.update(Contribution)
    .where(Contribution.id == sa.bindparam("cid"))
    .values(seq=sa.bindparam("seq"), updated_at=sa.bindparam("now"), support_count=_SUPPORTERS)
    .returning(Contribution.support_count)
    .execution_options(synchronize_session=False)  # the caller sets what it wrote
)

# PostgreSQL: the +1 and the count in one statement. Its count cannot see the +1 the same
# statement inserts, so it adds that one; it sees every +1 committed before, as the statement
# starts under the werkplaats' row lock (``next_seq``, the statement before). No row back:
# the +1 was given before (a double tap).
_GIVEN = _GIVE_SUPPORT["postgresql"].cte("given")
_GIVE_AND_RECOUNT = (
    sa.update(Contribution)
    .where(Contribution.id == sa.bindparam("cid"), sa.exists(sa.select(_GIVEN.c.participant_id)))
    .values(seq=sa.bindparam("seq"), updated_at=sa.bindparam("now"), support_count=_SUPPORTERS + 1)
    .add_cte(_GIVEN)
    .returning(Contribution.support_count)
    .execution_options(synchronize_session=False)
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
    now = utcnow()
    count = None
    if want and db.engine.dialect.name == "postgresql":  # one round trip fewer
        count = db.session.scalar(_GIVE_AND_RECOUNT, {**mine_here, "seq": seq, "now": now})
        changed = count is not None
    elif want:
        changed = db.session.scalar(_give_support(), {**mine_here, "now": now}) is not None
    else:  # past the ORM: a phone's request loads no Support object
        changed = db.session.execute(_TAKE_SUPPORT_BACK, mine_here).rowcount == 1
    if changed:
        if count is None:
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
