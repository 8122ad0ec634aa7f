"""What facilitators do to contributions: hide, restore, merge, star, relabel, citaat,
approve from the pre-moderation inbox, and type in what was said or written on a flap.

Nothing is ever deleted: hidden contributions leave walls and phones, never the database.
Every action is logged with who and when, and touches the contribution's seq so every wall
and phone picks the change up by cursor.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from ..database import write_transaction
from ..domain import (
    ContributionRecord,
    ContributionState,
    Label,
    ModerationAction,
    RoundKind,
    RoundState,
    Source,
    parse_id,
)
from ..extensions import db
from ..models import Contribution, ModerationLog, Round, User, Werkplaats
from ..synthesis.cluster import nearest
from .errors import Invalid, NotFound
from .participation import checked_text, next_seq, touch

MAX_BULK = 500  # ids in one bulk approval; an inbox past that is worked through in turns


def _log(contribution: Contribution | None, werkplaats_id: int, user: User, action, detail=""):
    db.session.add(
        ModerationLog(
            werkplaats_id=werkplaats_id,
            contribution_id=contribution.id if contribution else None,
            user_id=user.id,
            action=action,
            detail=str(detail)[:200],
        )
    )


def get_contribution(werkplaats: Werkplaats, contribution_id: int) -> Contribution:
    c = db.session.get(Contribution, contribution_id)
    if c is None or c.werkplaats_id != werkplaats.id:
        raise NotFound(_("Deze bijdrage bestaat niet."))
    return c


def _recount_merged(target: Contribution) -> None:
    target.merged_count = db.session.scalar(
        sa.select(sa.func.count(Contribution.id)).where(Contribution.merged_into_id == target.id)
    )


@write_transaction
def moderate(
    werkplaats: Werkplaats, contribution_id: int, action: str, user: User, value: str = ""
):
    """One moderation action on one contribution; ``value`` carries a label or merge target."""
    c = get_contribution(werkplaats, contribution_id)
    try:
        act = ModerationAction(action)
    except ValueError:
        raise Invalid(_("Onbekende actie.")) from None
    detail = ""
    if act == ModerationAction.HIDE:
        if c.state == ContributionState.WITHDRAWN:
            raise Invalid(_("Deze bijdrage is door de deelnemer ingetrokken."))
        c.state = ContributionState.HIDDEN
    elif act == ModerationAction.RESTORE:
        if c.state != ContributionState.HIDDEN:
            raise Invalid(_("Alleen een verborgen bijdrage kan terug."))
        c.state = ContributionState.VISIBLE
    elif act in (ModerationAction.APPROVE, ModerationAction.REJECT):
        if c.state != ContributionState.PENDING:
            raise Invalid(_("Deze bijdrage wacht niet (meer) op moderatie."))
        c.state = (
            ContributionState.VISIBLE
            if act == ModerationAction.APPROVE
            else ContributionState.HIDDEN
        )
    elif act in (ModerationAction.STAR, ModerationAction.UNSTAR):
        c.is_starred = act == ModerationAction.STAR
    elif act in (ModerationAction.CITAAT, ModerationAction.UNCITAAT):
        c.is_citaat = act == ModerationAction.CITAAT
    elif act == ModerationAction.RELABEL:
        if value and value not in Label.values():
            raise Invalid(_("Kies een soort uit de lijst."))
        detail = f"{c.label or '-'} → {value or '-'}"
        c.label = Label(value) if value else None
    elif act == ModerationAction.MERGE:
        target = _merge(werkplaats, c, value)
        detail = f"→ {target.id}"
    elif act == ModerationAction.UNMERGE:
        if c.merged_into_id is None:
            raise Invalid(_("Deze bijdrage is niet samengevoegd."))
        target = db.session.get(Contribution, c.merged_into_id)
        c.merged_into_id = None
        db.session.flush()
        if target is not None:
            _recount_merged(target)
            touch(target)
    else:
        raise Invalid(_("Onbekende actie."))
    touch(c)
    _log(c, werkplaats.id, user, act, detail)
    return c


@write_transaction
def moderate_inbox(
    werkplaats: Werkplaats, contribution_ids: list[int], action: str, user: User
) -> tuple[int, int]:
    """Approve or reject several waiting contributions at once: (done, no longer waiting).

    One that another facilitator handled meanwhile is left as it is and counted apart; an
    id that is not this werkplaats' refuses the whole batch (nothing changes).
    """
    if action not in (ModerationAction.APPROVE.value, ModerationAction.REJECT.value):
        raise Invalid(_("Onbekende actie."))
    ids = list(dict.fromkeys(contribution_ids))
    if not ids:
        raise Invalid(_("Kies eerst een of meer bijdragen in de lijst."))
    if len(ids) > MAX_BULK:
        raise Invalid(_("Kies hooguit %(n)d bijdragen tegelijk.", n=MAX_BULK))
    found = [get_contribution(werkplaats, cid) for cid in ids]
    waiting = [c.id for c in found if c.state == ContributionState.PENDING]
    for cid in waiting:
        moderate(werkplaats, cid, action, user)
    return len(waiting), len(ids) - len(waiting)


def _merge(werkplaats: Werkplaats, c: Contribution, value: str) -> Contribution:
    number = parse_id(value)
    if number is None:
        raise Invalid(_("Kies met welke bijdrage je deze samenvoegt: vul haar nummer in."))
    target = get_contribution(werkplaats, number)
    # Merge into the kept one's own target, so chains never form.
    while target.merged_into_id is not None:
        target = get_contribution(werkplaats, target.merged_into_id)
    if target.id == c.id:
        raise Invalid(_("Een bijdrage kan niet met zichzelf worden samengevoegd."))
    if not target.is_visible:
        raise Invalid(_("Voeg samen met een zichtbare bijdrage."))
    # Whatever was merged into c now counts towards the target too.
    for child in db.session.scalars(
        sa.select(Contribution).where(Contribution.merged_into_id == c.id)
    ):
        child.merged_into_id = target.id
        touch(child)
    c.merged_into_id = target.id
    db.session.flush()
    _recount_merged(target)
    touch(target)
    return target


@write_transaction
def add_note(
    werkplaats: Werkplaats,
    round_id: int,
    text: str,
    source: str,
    user: User,
    label: str | None = None,
) -> Contribution:
    """A note-taker types in what was said (mondeling) or written on a flip-chart (flap)."""
    rnd = db.session.get(Round, round_id)
    if rnd is None or rnd.werkplaats_id != werkplaats.id:
        raise NotFound(_("Deze ronde bestaat niet."))
    return noted(werkplaats, rnd, text, source, label, author_id=user.id, detail=source)


def noted(
    werkplaats: Werkplaats,
    rnd: Round,
    text: str,
    source: str,
    label: str | None,
    *,
    author_id: int | None,
    detail: str,
    tafel_id: int | None = None,
) -> Contribution:
    """A contribution typed in from the flap or the spoken round, by a note-taker or at a
    tafel (``tafel_id``), with its line in the moderation log; inside the caller's write."""
    if rnd.kind == RoundKind.VOTING:
        raise Invalid(_("In een stemronde worden geen bijdragen ingevoerd."))
    if source not in (Source.FLAP.value, Source.MONDELING.value):
        raise Invalid(_("Kies of dit van een flap komt of mondeling is ingebracht."), "source")
    if label and label not in Label.values():
        raise Invalid(_("Kies een soort uit de lijst."), "label")
    text = checked_text(text)
    seq = next_seq(werkplaats.id)
    c = Contribution(
        werkplaats_id=werkplaats.id,
        round_id=rnd.id,
        tafel_id=tafel_id,
        seq=seq,
        first_seq=seq,
        text=text,
        label=Label(label) if label else None,
        source=Source(source),
        author_id=author_id,
        is_late=rnd.state == RoundState.GESLOTEN,
    )
    db.session.add(c)
    db.session.flush()
    db.session.add(
        ModerationLog(werkplaats_id=werkplaats.id, contribution_id=c.id, user_id=author_id,
                      action=ModerationAction.NOTE, detail=detail[:200])
    )  # fmt: skip
    return c


def _in_round(rnd: Round):
    return sa.and_(
        Contribution.round_id == rnd.id, Contribution.state != ContributionState.WITHDRAWN
    )


def round_contributions(rnd: Round, limit: int | None = None) -> list[Contribution]:
    """What a facilitator moderates in a round: visible, hidden and waiting, newest first
    (only the newest ``limit`` if given)."""
    query = sa.select(Contribution).where(_in_round(rnd)).order_by(Contribution.first_seq.desc())
    return list(db.session.scalars(query.limit(limit) if limit is not None else query))


def round_contribution_count(rnd: Round) -> int:
    return db.session.scalar(sa.select(sa.func.count(Contribution.id)).where(_in_round(rnd))) or 0


def inbox(werkplaats: Werkplaats) -> list[Contribution]:
    return list(
        db.session.scalars(
            sa.select(Contribution)
            .where(
                Contribution.werkplaats_id == werkplaats.id,
                Contribution.state == ContributionState.PENDING,
            )
            .order_by(Contribution.first_seq)
        )
    )


def inbox_count(werkplaats: Werkplaats) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(Contribution.id)).where(
                Contribution.werkplaats_id == werkplaats.id,
                Contribution.state == ContributionState.PENDING,
            )
        )
        or 0
    )


MERGE_POOL = 400  # newest free contributions of a round compared for merge suggestions


def merge_candidates(werkplaats: Werkplaats, contribution_id: int) -> list[Contribution]:
    """What a contribution could be merged into, most alike first: the near-duplicates in
    its round among what is on the wall (the same Dutch-aware comparison as the bouwsteen's
    clusters). Only the newest ``MERGE_POOL`` are compared, so the answer stays quick in a
    plenary; an older one can still be given by its number."""
    c = get_contribution(werkplaats, contribution_id)
    pool = list(
        db.session.scalars(
            sa.select(Contribution)
            .where(Contribution.round_id == c.round_id, Contribution.is_on_wall)
            .order_by(Contribution.first_seq.desc())
            .limit(MERGE_POOL)
        )
    )
    if c not in pool:
        pool.append(c)
    records = [
        ContributionRecord(
            id=p.id,
            number=i,
            round_position=1,
            round_prompt="",
            kernvraag_position=1,
            kernvraag_title=None,
            text=p.text,
        )
        for i, p in enumerate(reversed(pool), 1)
    ]
    by_id = {p.id: p for p in pool}
    return [by_id[cid] for cid, _sim in nearest(records, c.id) if cid != c.merged_into_id]


def recent_log(werkplaats: Werkplaats, limit: int = 20) -> list[ModerationLog]:
    return list(
        db.session.scalars(
            sa.select(ModerationLog)
            .where(ModerationLog.werkplaats_id == werkplaats.id)
            .order_by(ModerationLog.id.desc())
            .limit(limit)
        )
    )
