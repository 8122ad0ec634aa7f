"""A werkplaats' contributions as a file: the visible ones, as md, csv or json.

The records built here are plain (``WerkplaatsRecord``, ``ContributionRecord``), so the
rendering in ``noviwerk.export.contributions`` needs no database. The JSON written is the shape
``imports.import_werkplaatsen`` reads.
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ..domain import (
    ContributionRecord,
    KernvraagSpec,
    Label,
    WerkplaatsRecord,
)
from ..export import contributions as contributions_export
from ..extensions import db
from ..models import Contribution, Participant, Round, Tafel, Vote, Werkplaats
from .errors import Invalid


def werkplaats_record(werkplaats: Werkplaats) -> WerkplaatsRecord:
    return WerkplaatsRecord(
        id=werkplaats.id,
        title=werkplaats.title,
        programme=werkplaats.programme.name,
        starts_on=werkplaats.starts_at.date() if werkplaats.starts_at else None,
        place=werkplaats.place or None,
        kind=werkplaats.kind.value if werkplaats.kind else None,
        theme=werkplaats.theme.name if werkplaats.theme else None,
        organisation=werkplaats.organisation or None,
        trekker=werkplaats.trekker_display or None,
        kernvragen=tuple(
            KernvraagSpec(k.title, k.question) for k in werkplaats.programme.kernvragen
        ),
    )


def participant_key(participant: Participant | None) -> str | None:
    """Opaque and stable per participant, never a name: a one-way digest of their token
    (once the token is removed (AVG), of their row: still one participant, linked to none)."""
    if participant is None:
        return None
    secret = participant.token or f"verwijderd:{participant.id}"
    return "d-" + hashlib.sha256(b"noviwerk.deelnemer:" + secret.encode()).hexdigest()[:10]


def contribution_records(
    werkplaats: Werkplaats, tafel_names: dict[int, str] | None = None
) -> list[ContributionRecord]:
    """The visible contributions (never hidden or withdrawn), numbered as in the bijlage:
    by round, then in the order they were posted; where it has tafels, by round, then by
    tafel (``tafel_names``, the werkplaats' own when None), then in the order posted."""
    if tafel_names is None:
        tafel_names = dict(
            db.session.execute(
                sa.select(Tafel.id, Tafel.name)
                .where(Tafel.werkplaats_id == werkplaats.id)
                .order_by(Tafel.position, Tafel.id)
            ).all()
        )
    positions = {tid: i for i, tid in enumerate(tafel_names)}
    rows = db.session.scalars(
        sa.select(Contribution)
        .join(Round, Contribution.round_id == Round.id)
        .where(
            Contribution.werkplaats_id == werkplaats.id,
            Contribution.is_visible,
        )
        .options(
            selectinload(Contribution.participant),
            selectinload(Contribution.round).selectinload(Round.kernvraag),
        )
        .order_by(Round.position, Contribution.first_seq, Contribution.id)
    )
    votes = dict(
        db.session.execute(
            sa.select(Vote.contribution_id, sa.func.count(Vote.id))
            .join(Contribution, Vote.contribution_id == Contribution.id)
            .where(Contribution.werkplaats_id == werkplaats.id)
            .group_by(Vote.contribution_id)
        ).all()
    )
    if positions:  # the bijlage groups by tafel within a round (a stable sort: posted order)
        rows = sorted(rows, key=lambda c: (c.round.position, positions.get(c.tafel_id, -1)))
    records = []
    for number, c in enumerate(rows, 1):
        kernvraag = c.round.kernvraag
        records.append(
            ContributionRecord(
                id=c.id,
                number=number,
                round_position=c.round.position,
                round_prompt=c.round.prompt,
                kernvraag_position=kernvraag.position if kernvraag else None,
                kernvraag_title=kernvraag.title if kernvraag else None,
                text=c.text,
                label=c.label.value if c.label else None,
                veld=c.veld.value if c.veld else None,
                organisation=c.organisation or None,
                participant_key=participant_key(c.participant),
                source=c.source.value,
                is_citaat=c.is_citaat or c.label == Label.CITAAT,
                support=c.support_count,
                votes=votes.get(c.id, 0),
                is_starred=c.is_starred,
                merged_into=c.merged_into_id,
                created_at=c.created_at,
                tafel=tafel_names.get(c.tafel_id) if c.tafel_id else None,
            )
        )
    return records


def export_werkplaats(werkplaats: Werkplaats, fmt: str) -> tuple[str, str, str]:
    """(body, mimetype with charset, file name) of one werkplaats' contributions in ``fmt``."""
    if fmt not in contributions_export.FORMATS:
        raise Invalid(_("Onbekend exportformaat; kies md, csv of json."), "format")
    record = werkplaats_record(werkplaats)
    body = contributions_export.render(fmt, record, contribution_records(werkplaats), nr=werkplaats.nr)
    return (
        body,
        contributions_export.MIMETYPES[fmt],
        contributions_export.filename(record, fmt, nr=werkplaats.nr),
    )
