"""Who may still join a werkplaats: a limit on new participants, and the facilitator's lock.

Both hold new phones back only. A phone that joined keeps its participant (it finds it again
through its cookie, see ``phone_access``), so it keeps working when the room is full or
locked. The limit caps how many identities anyone can make in one werkplaats, which is what
bounds +1s and dots from people who throw their cookies away; without a number of its own a
werkplaats takes the server's default (``NOVIWERK_PARTICIPANT_LIMIT``, 100: the NOVI
werkplaatsen had 38 participants on average), and the facilitator raises it in the regie.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from ..database import write_transaction
from ..extensions import db
from ..models import Werkplaats
from . import wall
from .errors import Forbidden, Invalid

MAX_PARTICIPANT_LIMIT = 10_000


def participant_count(werkplaats: Werkplaats) -> int:
    return wall.participant_count(werkplaats.id)


def participant_limit(werkplaats: Werkplaats, default_limit: int) -> int:
    """The number of participants the werkplaats takes: its own, else the server's default."""
    return werkplaats.participant_limit or default_limit


def refusal(werkplaats: Werkplaats, default_limit: int) -> str | None:
    """Why a phone that has not joined cannot join now (a Dutch sentence), or None."""
    if werkplaats.is_join_locked:
        return _(
            "De facilitator heeft deze werkplaats gesloten voor nieuwe deelnemers. Wie al "
            "meedoet, kan gewoon verder. Deed je al mee? Open de werkplaats dan op de telefoon "
            "en in de browser waarmee je meedeed."
        )
    limit = participant_limit(werkplaats, default_limit)
    if participant_count(werkplaats) >= limit:
        return _(
            "Deze werkplaats is vol: er doen al %(n)d deelnemers mee, zoveel als de facilitator "
            "heeft ingesteld. Vraag de facilitator om ruimte te maken en probeer het dan opnieuw.",
            n=limit,
        )
    return None


def hold(werkplaats: Werkplaats) -> None:
    """Inside a join's write, first: the werkplaats row lock (PostgreSQL; SQLite has one
    writer anyway), so joins at the same moment go one by one: two tabs of one phone find
    the participant the first made, and the limit holds exactly."""
    db.session.execute(
        sa.select(Werkplaats.id).where(Werkplaats.id == werkplaats.id).with_for_update()
    )


def check_room(werkplaats: Werkplaats, default_limit: int) -> None:
    """Inside a join's write, after ``hold``: refuse a newcomer to a full or locked werkplaats."""
    why = refusal(werkplaats, default_limit)
    if why is not None:
        raise Forbidden(why)


@write_transaction
def set_participant_limit(werkplaats: Werkplaats, typed: str) -> Werkplaats:
    """How many participants may join, as the facilitator typed it (empty: the server's
    default). A limit below those who joined already turns nobody away; it only stops more
    from joining."""
    typed = typed.strip()
    limit = int(typed) if typed.isascii() and typed.isdigit() and len(typed) <= 6 else None
    if typed and (limit is None or not 1 <= limit <= MAX_PARTICIPANT_LIMIT):
        raise Invalid(
            _("Geef een aantal deelnemers van 1 tot %(n)d.", n=MAX_PARTICIPANT_LIMIT),
            "participant_limit",
        )
    werkplaats.participant_limit = limit
    db.session.flush()
    return werkplaats


@write_transaction
def lock_joining(werkplaats: Werkplaats, is_locked: bool) -> Werkplaats:
    """Close the werkplaats to new participants (or open it again); who joined goes on."""
    werkplaats.is_join_locked = is_locked
    db.session.flush()
    return werkplaats
