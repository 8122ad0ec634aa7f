"""What a phone's lists need to follow the room: the changes after its cursor.

A phone shows two lists: its own contributions and, where the round allows +1, what others
brought in (in a round held at the tafels: others at its own tafel). Every contribution write takes the werkplaats' next ``seq`` (participation.py),
so "what changed after cursor N" is one short query by the (werkplaats, seq) index, and the
phone's poll brings only those items, not the whole list of up to 200 around them.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import sqlalchemy as sa

from ..domain import ContributionState, ModerationAction, RoundKind
from ..extensions import db
from ..models import Contribution, ModerationLog, Participant, Round
from . import recent_changes, tafels
from .support import Listed, supported_ids

# More changes after the cursor than this (a phone that slept for minutes): the whole lists
# again. A busy room (1,000 phones, 40 posts and +1s a second) moves a phone's cursor by a
# few hundred between two polls, and by thousands while the server is behind; each poll then
# carries the newest MAX_OTHERS of others' changed items (a person reads no more in 5 s) and
# every removal; the rest of the list follows at "Lijst verversen". Rendering the whole list
# for every poll of every phone cost more than two cores have (bench_room at 1,000,
# docs/benchmarks.md); at 1,000 that happened to every poll of a loaded server, which kept it
# loaded. Up to what each process keeps in memory (recent_changes.KEEP) a poll is a slice.
MAX_CHANGES = recent_changes.KEEP
MAX_OTHERS = 25


# What the phone lists as its own (built once: every page, list and poll of a phone asks).
_REJECTED = sa.select(ModerationLog.contribution_id).where(
    ModerationLog.werkplaats_id == sa.bindparam("werkplaats_id"),
    ModerationLog.action == ModerationAction.REJECT,
)
_OWN = (
    sa.select(Contribution)
    .where(
        Contribution.participant_id == sa.bindparam("me"),
        Contribution.is_live
        | ((Contribution.state == ContributionState.HIDDEN) & Contribution.id.in_(_REJECTED)),
    )
    .order_by(Contribution.first_seq.desc())
)
_OWN_THESE = _OWN.where(Contribution.id.in_(sa.bindparam("ids", expanding=True)))


def own_contributions(
    participant: Participant, ids: Collection[int] | None = None
) -> list[Contribution]:
    """What the phone lists as its own, newest first: the live ones, and those the facilitator
    rejected from the pre-moderation inbox, so their author reads "niet geplaatst" instead of
    seeing them vanish. (One hidden after it was shown leaves the phone, as it leaves walls.)
    ``ids``: only these (the changes a phone's poll brings)."""
    params = {"me": participant.id, "werkplaats_id": participant.werkplaats_id}
    if ids is None:
        return list(db.session.scalars(_OWN, params))
    return list(db.session.scalars(_OWN_THESE, params | {"ids": list(ids)}))


@dataclass
class PhoneChanges:
    own: list[Contribution] = field(default_factory=list)  # to show (new or changed)
    own_gone: list[int] = field(default_factory=list)  # withdrawn, hidden: off the list
    others: list[Listed] = field(default_factory=list)  # newest last
    others_gone: list[int] = field(default_factory=list)
    supported: set[int] = field(default_factory=set)  # of ``others``, those this phone +1'd

    def __bool__(self) -> bool:
        return bool(self.own or self.own_gone or self.others or self.others_gone)


def shows_others(rnd: Round | None) -> bool:
    """Whether the phone lists others' contributions in this round (to +1 them)."""
    return rnd is not None and rnd.kind != RoundKind.VOTING and rnd.is_support_allowed


def changes_after(
    participant: Participant, rnd: Round | None, after: int, last_seq: int
) -> PhoneChanges | None:
    """What changed after ``after`` in the phone's lists, ``rnd`` being the open round and
    ``last_seq`` the werkplaats' as just read; None when more changed than a poll should
    carry (the caller sends the whole lists)."""
    # The same rows for every phone: read once per process (recent_changes.py).
    rows = recent_changes.after(participant.werkplaats_id, last_seq, after, MAX_CHANGES)
    if rows is None:
        return None
    changes = PhoneChanges()
    me = participant.id
    own_ids = [r.id for r in rows if r.participant_id == me]
    if own_ids:
        changes.own = own_contributions(participant, ids=own_ids)
        shown = {c.id for c in changes.own}
        changes.own_gone = [cid for cid in own_ids if cid not in shown]
    if shows_others(rnd):
        tafel = tafels.tafel_listed(participant, rnd)
        # Each contribution once, as it is now (recent_changes.after): in a busy room
        # thousands, so comprehensions, not a loop. A round at the tafels: the phone lists
        # its own tafel's input. Withdrawn, hidden or merged: off the phones as off the walls.
        round_id, tafel_id = rnd.id, tafel.id if tafel is not None else None
        theirs = [r for r in rows if r.round_id == round_id and r.participant_id != me
                  and (tafel_id is None or r.tafel_id == tafel_id)]
        changes.others_gone = [r.id for r in theirs if not r.on_wall]
        showing = [r for r in theirs if r.on_wall][-MAX_OTHERS:]
        # The newest; each item rendered from its id and version (web/other_items.py).
        changes.others = [Listed(r.id, r.seq) for r in showing]
        if changes.others:
            changes.supported = supported_ids(participant, among=[o.id for o in changes.others])
    return changes
