"""What a phone's request is about: the werkplaats behind a join code, and the phone's
participant in it (what it does there is ``participation``)."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask_babel import gettext as _

from ..domain import WerkplaatsState, join_code_looks_valid, normalise_join_code
from ..extensions import db
from ..models import Participant, Werkplaats
from .errors import NotFound

_FOR_PHONE = (
    sa.select(Werkplaats, Participant)
    .outerjoin(
        Participant,
        sa.and_(
            Participant.werkplaats_id == Werkplaats.id,
            Participant.token.in_(sa.bindparam("tokens", expanding=True)),
        ),
    )
    .where(Werkplaats.join_code == sa.bindparam("code"))
    .order_by(Participant.id)
)

MAX_PHONE_TOKENS = 20


def werkplaats_for_phone(
    raw_code: str, tokens: Iterable[object]
) -> tuple[Werkplaats, Participant | None]:
    """The werkplaats behind a join code as a phone sees it, and the phone's participant in it.

    ``tokens`` are the participant tokens the phone holds (its session). One query, as every
    request of a phone starts here. An open werkplaats comes with its participant, or None
    for a phone that has not joined; a closed one only with a participant of it, because to
    anyone else a closed code must look like a wrong one. Wrong, expired and other codes
    all raise the same NotFound, so which codes exist cannot be probed. With no tokens
    (``()``): the open werkplaats behind a typed code.
    """
    code = normalise_join_code(raw_code)
    held = [t for t in tokens if isinstance(t, str) and t][:MAX_PHONE_TOKENS]
    rows = []
    if join_code_looks_valid(code):
        rows = db.session.execute(_FOR_PHONE, {"code": code, "tokens": held}).all()
    if not rows:
        raise _wrong_code()
    werkplaats, participant = rows[0]
    closed_to_it = werkplaats.state == WerkplaatsState.GESLOTEN and participant is not None
    if werkplaats.state == WerkplaatsState.OPEN or closed_to_it:
        return werkplaats, participant
    raise _wrong_code()


def _wrong_code() -> NotFound:
    return NotFound(
        _(
            "Deze code hoort niet bij een open werkplaats. Controleer de code op het scherm "
            "en probeer het opnieuw."
        ),
        "code",
    )
