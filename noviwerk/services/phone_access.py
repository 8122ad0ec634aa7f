"""What a phone's request is about: the werkplaats behind a join code, and the phone's
participant in it (what it does there is ``participation``).

A phone holds one random secret, whatever number of werkplaatsen it joins, so its cookie
stays the same size. Its participant token in a werkplaats is derived from that secret and
the werkplaats' id (``participant_token``): the server finds the participant again without
the phone keeping a list, and whoever reads the database cannot tell that two participants
of different werkplaatsen are the same phone.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable

import sqlalchemy as sa
from flask_babel import gettext as _

from ..database import reads_without_transaction
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
# Join code → werkplaats id as this process last saw it: a guess that lets the one query
# below carry the phone's token for that werkplaats; the query's answer corrects it.
_ID_BY_CODE: dict[str, int] = {}
_ID_BY_CODE_MAX = 10_000


def new_device_secret() -> str:
    return secrets.token_urlsafe(32)


def participant_token(device_secret: str, werkplaats_id: int) -> str:
    """The participant token of the phone holding ``device_secret`` in one werkplaats."""
    digest = hmac.new(
        device_secret.encode(), f"werkplaats:{werkplaats_id}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def werkplaats_for_phone(
    raw_code: str, tokens_for: Callable[[int], Iterable[object]] | None = None
) -> tuple[Werkplaats, Participant | None]:
    """The werkplaats behind a join code as a phone sees it, and the phone's participant in it.

    ``tokens_for(werkplaats_id)`` gives the participant tokens the phone may hold there (from
    its session). One query as a rule, as every request of a phone starts here; a second
    the first time this process sees the code. An open werkplaats comes with its participant, or None
    for a phone that has not joined; a closed one only with a participant of it, because to
    anyone else a closed code must look like a wrong one. Wrong, expired and other codes
    all raise the same NotFound, so which codes exist cannot be probed. Without
    ``tokens_for``: the open werkplaats behind a typed code.
    """
    code = normalise_join_code(raw_code)
    rows = []
    if join_code_looks_valid(code):
        guess = _ID_BY_CODE.get(code)
        rows = _rows(code, tokens_for, guess)
        werkplaats_id = rows[0][0].id if rows else guess
        if werkplaats_id != guess and werkplaats_id is not None:
            if len(_ID_BY_CODE) >= _ID_BY_CODE_MAX:
                _ID_BY_CODE.clear()
            _ID_BY_CODE[code] = werkplaats_id
            if tokens_for is not None:
                rows = _rows(code, tokens_for, werkplaats_id)
    if not rows:
        raise _wrong_code()
    werkplaats, participant = rows[0]
    closed_to_it = werkplaats.state == WerkplaatsState.GESLOTEN and participant is not None
    if werkplaats.state == WerkplaatsState.OPEN or closed_to_it:
        return werkplaats, participant
    raise _wrong_code()


def _rows(code: str, tokens_for, werkplaats_id: int | None) -> list:
    held = []
    if tokens_for is not None and werkplaats_id is not None:
        held = [t for t in tokens_for(werkplaats_id) if isinstance(t, str) and t]
    reads_without_transaction()  # the first statement of a phone's every request
    return db.session.execute(_FOR_PHONE, {"code": code, "tokens": held[:MAX_PHONE_TOKENS]}).all()


def _wrong_code() -> NotFound:
    return NotFound(
        _(
            "Deze code hoort niet bij een open werkplaats. Controleer de code op het scherm "
            "en probeer het opnieuw."
        ),
        "code",
    )
