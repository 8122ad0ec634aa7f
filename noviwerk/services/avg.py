"""Participants' data under the AVG (the Dutch GDPR): what is kept of a participant, for
how long, and taking it away.

- ``my_data``: everything kept about one participant, for "Mijn gegevens" (to see and
  download);
- ``forget_participant``: the participant's own request (or a beheerder's on theirs):
  name, organisation, veld and the link with their phone go, and every contribution is
  withdrawn, its text taken out of saved bouwsteen and ansichtkaart versions too;
- ``clean_up``: after the programme's retention period (``Programme.retention_months``
  after the werkplaats) names, organisations and phone links go; the contributions stay,
  without them. Run by ``flask avg-opschonen`` and, in a served app, daily.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from ..database import write_transaction
from ..domain import (
    ContributionState,
    WerkplaatsState,
    retention_ends,
)
from ..export import avg as avg_export
from ..extensions import db
from ..models import Contribution, Participant, Support, User, Vote, Werkplaats, utcnow
from . import permissions, withdrawal
from .errors import Forbidden, Invalid, NotFound
from .participation import touch


def retention_end(werkplaats: Werkplaats) -> datetime:
    """When the werkplaats' participants' names go: the programme's retention period after
    its date, or after it closed if that was later (or after it was made, without either)."""
    known = [d for d in (werkplaats.starts_at, werkplaats.closed_at) if d is not None]
    reference = max(known) if known else werkplaats.created_at
    return retention_ends(reference, werkplaats.programme.retention_months)


def is_forgotten(participant: Participant) -> bool:
    return participant.token is None


# --- seeing one's own data ---------------------------------------------------------------


def _own(participant: Participant) -> list[Contribution]:
    return list(
        db.session.scalars(
            sa.select(Contribution)
            .where(Contribution.participant_id == participant.id)
            .order_by(Contribution.first_seq)
        )
    )


def my_data(participant: Participant) -> dict:
    """Everything kept about ``participant``, as plain data (Dutch keys, like the exports)."""
    werkplaats = participant.werkplaats
    supports = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Support)
        .where(Support.participant_id == participant.id)
    )
    votes = db.session.scalar(
        sa.select(sa.func.count()).select_from(Vote).where(Vote.participant_id == participant.id)
    )
    return {
        "werkplaats": {
            "titel": werkplaats.title,
            "datum": werkplaats.starts_at.date().isoformat() if werkplaats.starts_at else None,
        },
        "deelnemer": {
            "naam": participant.display_name or None,
            "organisatie": participant.organisation or None,
            "veld": participant.veld.value if participant.veld else None,
            "meegedaan_op": participant.created_at.isoformat(timespec="seconds"),
        },
        "bewaard_tot": retention_end(werkplaats).date().isoformat(),
        "bijdragen": [
            {
                "ronde": c.round.position,
                "vraag": c.round.prompt,
                "soort": c.label.value if c.label else None,
                "status": c.state.value,
                "geplaatst_op": c.created_at.isoformat(timespec="seconds"),
                "tekst": c.text,
            }
            for c in _own(participant)
        ],
        "steun_gegeven": supports or 0,
        "stemmen_gegeven": votes or 0,
    }


def my_data_file(participant: Participant, fmt: str) -> tuple[str, str, str]:
    """(body, mimetype, file name) of ``my_data`` as JSON or CSV."""
    if fmt not in avg_export.MIMETYPES:
        raise Invalid(_("Onbekend formaat; kies json of csv."), "format")
    body = avg_export.render(fmt, my_data(participant))
    return body, avg_export.MIMETYPES[fmt], f"mijn-gegevens-noviwerk.{fmt}"


# --- removing it -------------------------------------------------------------------------


@write_transaction
def forget_participant(participant: Participant, by: User | None = None) -> int:
    """Remove ``participant``'s name, organisation, veld and phone link, and withdraw every
    contribution of theirs (its text goes everywhere it was kept). ``by``: the beheerder
    doing it on the participant's request; None: the participant themselves. Their +1s and
    dots keep counting, linked to no one. Returns how many contributions were withdrawn."""
    if by is not None and not permissions.is_beheerder(by):
        raise Forbidden(_("Alleen een beheerder kan de gegevens van een deelnemer verwijderen."))
    own = [c for c in _own(participant) if c.text or c.state != ContributionState.WITHDRAWN]
    withdrawal.forget(own)
    for c in own:
        touch(c)  # walls and phones drop it by cursor
    participant.display_name = ""
    participant.organisation = ""
    participant.veld = None
    participant.token = None
    return len(own)


def _identified(werkplaats_id: int):
    return sa.and_(
        Participant.werkplaats_id == werkplaats_id,
        sa.or_(
            Participant.token.is_not(None),
            Participant.display_name != "",
            Participant.organisation != "",
        ),
    )


def clean_up(now: datetime | None = None) -> int:
    """Remove the names, organisations and phone links of the participants of every
    werkplaats whose retention period has ended (an open werkplaats waits until it closes);
    their contributions stay, without an organisation. Returns how many participants."""
    now = now or utcnow()
    due = [
        w.id
        for w in db.session.scalars(
            sa.select(Werkplaats).where(
                Werkplaats.state != WerkplaatsState.OPEN,
                sa.exists().where(_identified(Werkplaats.id)),
            )
        )
        if retention_end(w) <= now
    ]
    return sum(_anonymise(werkplaats_id) for werkplaats_id in due)


@write_transaction
def _anonymise(werkplaats_id: int) -> int:
    """One werkplaats per transaction, so a live room never waits long for the lock."""
    ids = list(db.session.scalars(sa.select(Participant.id).where(_identified(werkplaats_id))))
    if not ids:
        return 0
    db.session.execute(
        sa.update(Participant)
        .where(Participant.id.in_(ids))
        .values(display_name="", organisation="", token=None)
    )
    db.session.execute(
        sa.update(Contribution)
        .where(Contribution.participant_id.in_(ids), Contribution.organisation != "")
        .values(organisation="")
    )
    return len(ids)


# --- a beheerder's look-up --------------------------------------------------------------


def participants(werkplaats: Werkplaats, name: str = "") -> list[tuple[Participant, int]]:
    """The werkplaats' participants (those whose name holds ``name``, if given), each with
    how many contributions of theirs are kept; named ones first."""
    own = (
        sa.select(sa.func.count(Contribution.id))
        .where(
            Contribution.participant_id == Participant.id,
            Contribution.state != ContributionState.WITHDRAWN,
        )
        .scalar_subquery()
    )
    query = sa.select(Participant, own).where(Participant.werkplaats_id == werkplaats.id)
    name = " ".join(name.split())
    if name:
        pattern = "%" + name.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"
        query = query.where(Participant.display_name.ilike(pattern, escape="\\"))
    query = query.order_by(
        (Participant.display_name == "").asc(), Participant.display_name, Participant.id
    )
    return [(p, n) for p, n in db.session.execute(query).all()]


def participant_of(werkplaats: Werkplaats, participant_id: int) -> Participant:
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.werkplaats_id != werkplaats.id:
        raise NotFound(_("Deze deelnemer bestaat niet."))
    return participant
