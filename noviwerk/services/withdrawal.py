"""Withdrawing contributions for good: their text goes from the contribution itself and from
every bouwsteen and ansichtkaart version saved while they were in it (``synthesis.withdrawn``
replaces it there by "[ingetrokken]"), so no page or export, of any version, shows it again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import sqlalchemy as sa

from ..domain import ContributionState
from ..export import cache as export_cache
from ..extensions import db
from ..models import Ansichtkaart, AnsichtkaartVersion, Bouwsteen, BouwsteenVersion, Contribution
from ..synthesis.withdrawn import scrub
from . import export_jobs

log = logging.getLogger(__name__)


def forget(contributions: Sequence[Contribution]) -> int:
    """Mark ``contributions`` withdrawn and take their texts out of the contribution and of
    every stored version; call inside the caller's write transaction (which records the
    change, ``participation.touch``). Returns how many stored versions changed."""
    by_werkplaats: dict[int, list[Contribution]] = {}
    for c in contributions:
        by_werkplaats.setdefault(c.werkplaats_id, []).append(c)
    changed = 0
    for werkplaats_id, own in by_werkplaats.items():
        texts = {c.id: c.text for c in own if c.text}
        if texts:
            since = min(c.first_seq for c in own)
            changed += _scrub_versions(werkplaats_id, texts, since)
    for c in contributions:
        c.state = ContributionState.WITHDRAWN
        c.text = ""
        c.organisation = ""
    if changed:
        _drop_printed()
    return changed


def _scrub_versions(werkplaats_id: int, texts: dict[int, str], since: int) -> int:
    """Scrub the werkplaats' bouwsteen versions that can hold the texts (saved at or after
    the change ``since``: a version saved before a contribution existed cannot), and the
    ansichtkaart versions written from those or later."""
    bouwsteen_id = db.session.scalar(
        sa.select(Bouwsteen.id).where(Bouwsteen.werkplaats_id == werkplaats_id)
    )
    if bouwsteen_id is None:
        return 0
    changed = 0
    numbers = []
    for version in db.session.scalars(
        sa.select(BouwsteenVersion).where(
            BouwsteenVersion.bouwsteen_id == bouwsteen_id, BouwsteenVersion.source_seq >= since
        )
    ):
        numbers.append(version.number)
        scrubbed = scrub(version.document, texts)
        if scrubbed != version.document:
            version.document = scrubbed
            changed += 1
    if not numbers:
        return changed
    for version in db.session.scalars(
        sa.select(AnsichtkaartVersion)
        .join(Ansichtkaart, AnsichtkaartVersion.ansichtkaart_id == Ansichtkaart.id)
        .where(
            Ansichtkaart.bouwsteen_id == bouwsteen_id,
            AnsichtkaartVersion.bouwsteen_version >= min(numbers),
        )
    ):
        content, machine = scrub(version.content, texts), scrub(version.machine, texts)
        if content != version.content or machine != version.machine:
            version.content, version.machine = content, machine
            changed += 1
    return changed


def _drop_printed() -> None:
    """PDFs and docx files are kept by content: those printed from a scrubbed version go."""
    try:
        directory = export_jobs.settings().cache_dir
    except RuntimeError:  # no app configured the exports: nothing was printed
        return
    try:
        export_cache.clear(directory)
    except OSError:
        log.warning("could not empty the export cache %s", directory, exc_info=True)
