"""The oogst of a programme: the table of its werkplaatsen with their bouwsteen and counts.

The filter comes from a query string a person may have edited by hand or shared: every value
that is not understood is dropped with a Dutch notice, so the page always answers.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from ..display import shown
from ..domain import BouwsteenStatus, StaffRole, WerkplaatsKind
from ..extensions import db
from ..models import Bouwsteen, Contribution, Participant, Programme, User, Werkplaats
from ..models import WerkplaatsStaff as Staff

# The sortable columns, by the name the query string uses, in the table's order.
COLUMNS: tuple[str, ...] = (
    "nr",
    "datum",
    "titel",
    "soort",
    "thema",
    "organisatie",
    "trekker",
    "status",
    "deelnemers",
    "bijdragen",
)
NO_STATUS = "geen"  # the status filter's value for werkplaatsen without any bouwsteen yet


@dataclass(frozen=True)
class OogstFilter:
    theme_id: int | None = None
    kind: str | None = None
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "datum"
    descending: bool = False
    notices: tuple[str, ...] = field(default=(), compare=False)

    def query(self, **changes) -> dict[str, str]:
        """The query string that asks for this filter again (with ``changes``)."""
        f = replace(self, **changes)
        args = {
            "thema": str(f.theme_id) if f.theme_id else "",
            "soort": f.kind or "",
            "status": f.status or "",
            "van": f.date_from.isoformat() if f.date_from else "",
            "tot": f.date_to.isoformat() if f.date_to else "",
            "sorteer": f.sort,
            "richting": "af" if f.descending else "op",
        }
        return {k: v for k, v in args.items() if v}


@dataclass(frozen=True)
class OogstRow:
    id: int
    nr: int | None
    starts_at: datetime | None
    title: str
    kind: str  # as a person reads it
    theme: str
    organisation: str
    trekker: str
    status: str  # the bouwsteen's status, else the status noted in imported history
    participants: int
    contributions: int
    place: str

    def sort_value(self, column: str):
        return {
            "nr": self.nr,
            "datum": self.starts_at,
            "titel": self.title.casefold(),
            "soort": self.kind.casefold(),
            "thema": self.theme.casefold() or None,
            "organisatie": self.organisation.casefold() or None,
            "trekker": self.trekker.casefold() or None,
            "status": self.status.casefold() or None,
            "deelnemers": self.participants,
            "bijdragen": self.contributions,
        }[column]


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse_filter(args: Mapping[str, str], programme: Programme) -> OogstFilter:
    """The filter a query string asks for; what is not understood becomes a notice."""
    notices: list[str] = []

    def get(name: str) -> str:
        return (args.get(name) or "").strip()

    theme_id = None
    if raw := get("thema"):
        ids = {str(t.id): t.id for t in programme.themes}
        theme_id = ids.get(raw)
        if theme_id is None:
            notices.append(
                _("Het gekozen thema hoort niet bij dit programma; het filter is weggelaten.")
            )
    kind = get("soort") or None
    if kind and kind not in WerkplaatsKind.values():
        notices.append(_("De soort '%(v)s' bestaat niet; het filter is weggelaten.", v=kind[:40]))
        kind = None
    status = get("status") or None
    if status and status not in (*BouwsteenStatus.values(), NO_STATUS):
        notices.append(
            _("De status '%(v)s' bestaat niet; het filter is weggelaten.", v=status[:40])
        )
        status = None
    days = {}
    for name in ("van", "tot"):
        raw = get(name)
        days[name] = _day(raw) if raw else None
        if raw and days[name] is None:
            notices.append(
                _("'%(v)s' is geen datum (jjjj-mm-dd); dat filter is weggelaten.", v=raw[:40])
            )
    sort = get("sorteer") or "datum"
    if sort not in COLUMNS:
        notices.append(
            _("Op '%(v)s' kan niet gesorteerd worden; gesorteerd op datum.", v=sort[:40])
        )
        sort = "datum"
    return OogstFilter(
        theme_id=theme_id,
        kind=kind,
        status=status,
        date_from=days["van"],
        date_to=days["tot"],
        sort=sort,
        descending=get("richting") == "af",
        notices=tuple(notices),
    )


def _counts(model, *condition):
    """Rows per werkplaats of ``model``, as a subquery: counted by the database."""
    return (
        sa.select(model.werkplaats_id, sa.func.count().label("n"))
        .where(*condition)
        .group_by(model.werkplaats_id)
        .subquery()
    )


def _trekkers(werkplaats_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    query = (
        sa.select(Staff.werkplaats_id, User.name)
        .join(User, User.id == Staff.user_id)
        .where(Staff.werkplaats_id.in_(werkplaats_ids), Staff.role == StaffRole.TREKKER)
        .order_by(User.name)
    )
    for wid, name in db.session.execute(query):
        names.setdefault(wid, []).append(name)
    return names


def oogst_rows(
    programme: Programme, f: OogstFilter, *, werkplaats_id: int | None = None
) -> list[OogstRow]:
    """The programme's werkplaatsen that pass ``f``, sorted as it asks (only the one
    ``werkplaats_id``, when given: a werkplaats page shows its own row)."""
    participants = _counts(Participant)
    contributions = _counts(Contribution, Contribution.is_visible)
    query = (
        sa.select(
            Werkplaats,
            Bouwsteen.status,
            sa.func.coalesce(participants.c.n, 0),
            sa.func.coalesce(contributions.c.n, 0),
        )
        .outerjoin(Bouwsteen, Bouwsteen.werkplaats_id == Werkplaats.id)
        .outerjoin(participants, participants.c.werkplaats_id == Werkplaats.id)
        .outerjoin(contributions, contributions.c.werkplaats_id == Werkplaats.id)
        .where(Werkplaats.programme_id == programme.id)
        .options(sa.orm.joinedload(Werkplaats.theme))
    )
    if werkplaats_id is not None:
        query = query.where(Werkplaats.id == werkplaats_id)
    if f.theme_id:
        query = query.where(Werkplaats.theme_id == f.theme_id)
    if f.kind:
        query = query.where(Werkplaats.kind == WerkplaatsKind(f.kind))
    if f.status == NO_STATUS:
        query = query.where(Bouwsteen.id.is_(None), Werkplaats.history_note == "")
    elif f.status:
        # A bouwsteen made here says it; otherwise the status the imported table noted.
        query = query.where(
            (Bouwsteen.status == BouwsteenStatus(f.status))
            | (Bouwsteen.id.is_(None) & (sa.func.lower(Werkplaats.history_note) == f.status))
        )
    if f.date_from:
        query = query.where(
            Werkplaats.starts_at >= datetime.combine(f.date_from, datetime.min.time())
        )
    if f.date_to:
        end = datetime.combine(f.date_to + timedelta(days=1), datetime.min.time())
        query = query.where(Werkplaats.starts_at < end)
    found = db.session.execute(query).all()
    trekkers = _trekkers([w.id for w, *_rest in found])
    rows = [
        OogstRow(
            id=w.id,
            nr=w.nr,
            starts_at=w.starts_at,
            title=w.title,
            kind=shown(w.kind),
            theme=w.theme.name if w.theme else "",
            organisation=w.organisation,
            trekker=", ".join(trekkers.get(w.id, [])) or w.trekker_name,
            status=shown(status) if status else w.history_note,
            participants=n_participants,
            contributions=n_contributions,
            place=w.place,
        )
        for w, status, n_participants, n_contributions in found
    ]
    return sort_rows(rows, f.sort, f.descending)


def sort_rows(rows: list[OogstRow], column: str, descending: bool) -> list[OogstRow]:
    """Sorted on ``column``; empty cells last either way, ties by date and nr.

    Sorted here rather than in SQL: the trekker is a list of names or a typed-in name, and
    a programme has tens of werkplaatsen, not thousands.
    """
    rows = sorted(rows, key=lambda r: (r.starts_at or datetime.max, r.nr or 0, r.id))
    filled = [r for r in rows if r.sort_value(column) is not None]
    empty = [r for r in rows if r.sort_value(column) is None]
    return sorted(filled, key=lambda r: r.sort_value(column), reverse=descending) + empty


# --- the agenda feed's token --------------------------------------------------------------


def agenda_token(secret_key: str, programme_id: int) -> str:
    """The secret in the agenda feed's URL, so a calendar can subscribe without logging in.

    Derived from the app's secret key rather than stored: no migration, and it changes
    (for every programme at once) when the secret key does.
    """
    message = f"oogst-agenda:{programme_id}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()[:32]


def agenda_token_ok(secret_key: str, programme_id: int, token: str) -> bool:
    return hmac.compare_digest(agenda_token(secret_key, programme_id), token or "")
