"""Tags from the NOVI's tag set (``noviwerk.tags``) on contributions, and the oogst's count
of them: how many contributions, werkplaatsen and rode draden of a programme speak to each
nationaal belang and prioriteit.

Tagging a contribution is the facilitator's (the regie's "Meer"); a rode draad's tags are
the trekker's, kept with the draad edits (``bouwsteen_draden.tag_draad``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from ..database import write_transaction
from ..extensions import db
from ..models import Bouwsteen, Contribution, ContributionTag, Programme, User, Werkplaats
from ..synthesis.document import RODE_DRADEN
from ..synthesis.draad_edits import draad_tags
from ..tags import TAG_BY_KEY, TAGS, Tag, tag_keys, unknown_keys
from . import bouwsteen_parts
from .errors import Forbidden, Invalid
from .moderation import get_contribution
from .permissions import can_control, can_view

MAX_TAGS = len(TAGS)


def tags_of(contribution_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """Each contribution's tag keys, in the tag set's order (absent: none)."""
    ids = list(contribution_ids)
    found: dict[int, list[str]] = {}
    if ids:
        rows = db.session.execute(
            sa.select(ContributionTag.contribution_id, ContributionTag.tag).where(
                ContributionTag.contribution_id.in_(ids)
            )
        )
        for cid, key in rows:
            found.setdefault(cid, []).append(key)
    return {cid: tag_keys(keys) for cid, keys in found.items()}


def checked_keys(keys: Iterable[str]) -> tuple[str, ...]:
    keys = [k.strip() for k in keys if k and k.strip()]
    if unknown := unknown_keys(keys):
        raise Invalid(
            _(
                "Onbekende tag: %(t)s. Kies uit de nationale belangen en prioriteiten.",
                t=", ".join(u[:20] for u in unknown[:3]),
            ),  # fmt: skip
            "tags",
        )
    return tag_keys(keys)


@write_transaction
def set_contribution_tags(
    werkplaats: Werkplaats, contribution_id: int, keys: Iterable[str], user: User
) -> tuple[str, ...]:
    """The contribution's tags from now on (none clears them)."""
    if not can_control(user, werkplaats):
        raise Forbidden(_("Alleen de facilitatoren van deze werkplaats geven bijdragen tags."))
    c = get_contribution(werkplaats, contribution_id)
    wanted = checked_keys(keys)
    db.session.execute(sa.delete(ContributionTag).where(ContributionTag.contribution_id == c.id))
    db.session.add_all(ContributionTag(contribution_id=c.id, tag=k) for k in wanted)
    return wanted


# --- the oogst's count ----------------------------------------------------------------------


@dataclass(frozen=True)
class TagCount:
    tag: Tag
    contributions: int  # visible contributions with the tag
    werkplaatsen: int  # werkplaatsen with at least one of them
    rode_draden: int  # rode draden the trekkers tagged with it


@dataclass(frozen=True)
class TaggedContribution:
    id: int
    text: str
    werkplaats_id: int
    werkplaats: str


def _visible_in(programme: Programme):
    return (
        sa.select(ContributionTag.tag, Contribution.id, Contribution.werkplaats_id)
        .join(Contribution, Contribution.id == ContributionTag.contribution_id)
        .join(Werkplaats, Werkplaats.id == Contribution.werkplaats_id)
        .where(
            Werkplaats.programme_id == programme.id,
            Contribution.is_visible,
        )
    )


def _draden_per_tag(programme: Programme) -> dict[str, int]:
    """Rode draden per tag, from each bouwsteen's current version."""
    counts: dict[str, int] = {}
    ids = db.session.scalars(
        sa.select(Bouwsteen.id)
        .join(Werkplaats, Werkplaats.id == Bouwsteen.werkplaats_id)
        .where(Werkplaats.programme_id == programme.id)
    )
    current = bouwsteen_parts.current_versions(ids).values()
    read = bouwsteen_parts.read(current, "draad-tags", (RODE_DRADEN,), draad_tags)
    for per_draad in read.values():
        for keys in per_draad.values():
            for key in keys:
                counts[key] = counts.get(key, 0) + 1
    return counts


def counts(programme: Programme) -> list[TagCount]:
    """Every tag of the set with its counts in ``programme`` (zeros too: what nobody named
    is part of the oogst as well)."""
    contributions: dict[str, set[int]] = {}
    werkplaatsen: dict[str, set[int]] = {}
    for key, cid, wid in db.session.execute(_visible_in(programme)):
        contributions.setdefault(key, set()).add(cid)
        werkplaatsen.setdefault(key, set()).add(wid)
    draden = _draden_per_tag(programme)
    return [
        TagCount(
            t,
            len(contributions.get(t.key, ())),
            len(werkplaatsen.get(t.key, ())),
            draden.get(t.key, 0),
        )
        for t in TAGS
    ]


def tagged(programme: Programme, key: str, user: User) -> list[TaggedContribution]:
    """The visible contributions with tag ``key`` that ``user`` may read (those of the
    werkplaatsen they view), by werkplaats and number."""
    if key not in TAG_BY_KEY:
        raise Invalid(_("Deze tag bestaat niet."), "tag")
    query = (
        sa.select(Contribution, Werkplaats)
        .join(ContributionTag, ContributionTag.contribution_id == Contribution.id)
        .join(Werkplaats, Werkplaats.id == Contribution.werkplaats_id)
        .where(
            Werkplaats.programme_id == programme.id,
            Contribution.is_visible,
            ContributionTag.tag == key,
        )
        .order_by(Werkplaats.starts_at, Werkplaats.id, Contribution.id)
        .options(sa.orm.selectinload(Werkplaats.staff))  # for can_view, in one query
    )
    readable: dict[int, bool] = {}
    found = []
    for c, w in db.session.execute(query):
        if w.id not in readable:
            readable[w.id] = can_view(user, w)
        if readable[w.id]:
            found.append(TaggedContribution(c.id, c.text, w.id, w.title))
    return found


__all__ = [
    "MAX_TAGS", "TagCount", "TaggedContribution", "checked_keys", "counts",
    "set_contribution_tags", "tagged", "tags_of",
]  # fmt: skip
