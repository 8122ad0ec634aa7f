"""The audit log of staff actions: one verb to write it (``record``), and the beheerder's reads.

Call ``record`` from the service that does the action, inside its write, so the entry is
committed with the change or not at all::

    audit.record(AuditAction.WERKPLAATS_OPENED, werkplaats)
    audit.record(AuditAction.BOUWSTEEN_STATUS, werkplaats, detail="verslag → gereed")
    audit.record(AuditAction.LOGIN_FAILED, user=account, detail=email)  # no one logged in

Who did it and from which address come by themselves during a request: the web layer says
how to find them (``configure``, at start); pass ``user=`` where the actor is not the one
logged in (a login). The action names are ``domain.AuditAction``. Never put a password,
a token or a contribution's text in ``detail``: the log keeps who did what, not content.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ..database import write_transaction
from ..domain import AuditAction
from ..export import audit as audit_export
from ..extensions import db
from ..models import AuditEntry, Programme, User, Werkplaats, utcnow
from ..text_rules import strip_control

PAGE_SIZE = 50
MAX_DETAIL = 200
# An entry's IP address goes after this many days; the entry itself stays (AVG: no longer
# than needed to trace abuse of an account).
IP_RETENTION_DAYS = 180


@dataclass(frozen=True)
class Actor:
    """Who acts now: the logged-in account's id and the client's address."""

    user_id: int | None = None
    ip: str = ""


def _nobody() -> Actor:
    return Actor()


_actor: Callable[[], Actor] = _nobody


def configure(actor: Callable[[], Actor]) -> None:
    """How to find the current actor (the web layer's, at start); outside a request it
    should answer ``Actor()``. A flask command then records no one, as it should."""
    global _actor
    _actor = actor


def _one_line(text: str, limit: int) -> str:
    return " ".join(strip_control(text or "").split())[:limit]


@write_transaction
def record(
    action: AuditAction,
    subject: Werkplaats | Programme | User | None = None,
    *,
    detail: str = "",
    user: User | int | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """Write one entry: ``action`` on ``subject`` (any model with an ``id``), by ``user``
    (default: who is logged in) from ``ip`` (default: the request's). Inside another
    service's write it joins that transaction."""
    actor = _actor()
    if user is None:
        user_id = actor.user_id
    else:
        user_id = user if isinstance(user, int) else user.id
    entry = AuditEntry(
        action=AuditAction(action).value,
        user_id=user_id,
        subject_type=subject.__tablename__ if subject is not None else "",
        subject_id=subject.id if subject is not None else None,
        detail=_one_line(detail, MAX_DETAIL),
        ip=_one_line(actor.ip if ip is None else ip, 45),
    )
    db.session.add(entry)
    return entry


@write_transaction
def forget_addresses(now: datetime | None = None) -> int:
    """Blank the IP address of every entry older than ``IP_RETENTION_DAYS``; run with the
    AVG clean-up. Returns how many entries lost theirs."""
    now = now or utcnow()
    result = db.session.execute(
        sa.update(AuditEntry)
        .where(AuditEntry.at < now - timedelta(days=IP_RETENTION_DAYS), AuditEntry.ip != "")
        .values(ip="")
    )
    return result.rowcount or 0


# --- the beheerder's page -------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilter:
    action: str | None = None
    user_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None  # inclusive
    page: int = 1
    notices: tuple[str, ...] = field(default=(), compare=False)

    def query(self, **changes) -> dict[str, str]:
        """The query string that asks for this filter again (with ``changes``)."""
        f = replace(self, **changes)
        args = {
            "actie": f.action or "",
            "gebruiker": str(f.user_id) if f.user_id else "",
            "van": f.date_from.isoformat() if f.date_from else "",
            "tot": f.date_to.isoformat() if f.date_to else "",
            "pagina": str(f.page) if f.page > 1 else "",
        }
        return {k: v for k, v in args.items() if v}


def parse_filter(args: Mapping[str, str]) -> AuditFilter:
    """The filter a query string asks for; what is not understood becomes a notice."""
    notices: list[str] = []

    def get(name: str) -> str:
        return (args.get(name) or "").strip()

    action = get("actie") or None
    if action and action not in AuditAction.values():
        notices.append(_("De actie '%(v)s' bestaat niet; het filter is weggelaten.", v=action[:40]))
        action = None
    user_id = None
    if raw := get("gebruiker"):
        if raw.isascii() and raw.isdecimal() and len(raw) <= 18:
            user_id = int(raw)
        else:
            notices.append(_("Onbekende gebruiker; het filter is weggelaten."))
    days: dict[str, date | None] = {}
    for name in ("van", "tot"):
        raw = get(name)
        try:
            days[name] = date.fromisoformat(raw) if raw else None
        except ValueError:
            days[name] = None
            notices.append(
                _("'%(v)s' is geen datum (jjjj-mm-dd); dat filter is weggelaten.", v=raw[:40])
            )
    page = get("pagina")
    return AuditFilter(
        action=action,
        user_id=user_id,
        date_from=days["van"],
        date_to=days["tot"],
        page=int(page) if page.isascii() and page.isdecimal() and 0 < len(page) < 7 else 1,
        notices=tuple(notices),
    )


def _utc(day: date, tz: tzinfo) -> datetime:
    """The start of ``day`` where the reader is, as the log stores time (UTC, naive)."""
    return datetime.combine(day, time.min, tz).astimezone(UTC).replace(tzinfo=None)


def _query(f: AuditFilter, tz: tzinfo):
    query = sa.select(AuditEntry)
    if f.action:
        query = query.where(AuditEntry.action == f.action)
    if f.user_id:
        query = query.where(AuditEntry.user_id == f.user_id)
    if f.date_from:
        query = query.where(AuditEntry.at >= _utc(f.date_from, tz))
    if f.date_to:
        query = query.where(AuditEntry.at < _utc(f.date_to + timedelta(days=1), tz))
    return query


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    page: int
    pages: int
    total: int


def entries(f: AuditFilter, tz: tzinfo) -> AuditPage:
    """One page of the entries ``f`` asks for, newest first; ``tz`` is the reader's, for
    the days of the period."""
    query = _query(f, tz)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(f.page, pages)
    rows = db.session.scalars(
        query.options(selectinload(AuditEntry.user))  # the page names each entry's account
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    return AuditPage(list(rows), page, pages, total)


def users() -> list[User]:
    """Everyone the filter can pick: every account, by name."""
    return list(db.session.scalars(sa.select(User).order_by(User.name, User.id)))


_SUBJECTS = {"werkplaats": (Werkplaats, "title"), "programme": (Programme, "name"),
             "user": (User, "name")}  # fmt: skip


def subject_names(shown: Sequence[AuditEntry]) -> dict[tuple[str, int], str]:
    """What the subjects of ``shown`` are called now, by (type, id); one query per type."""
    names: dict[tuple[str, int], str] = {}
    for kind, (model, attribute) in _SUBJECTS.items():
        ids = {e.subject_id for e in shown if e.subject_type == kind and e.subject_id}
        if ids:
            column = getattr(model, attribute)
            for id_, name in db.session.execute(
                sa.select(model.id, column).where(model.id.in_(ids))
            ):
                names[kind, id_] = name
    return names


def export_csv(f: AuditFilter, tz: tzinfo) -> tuple[str, str, str]:
    """(body, mimetype, file name) of every entry ``f`` asks for, all pages, as CSV; the
    download itself is recorded too."""
    rows = list(
        db.session.scalars(_query(f, tz).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()))
    )
    names = subject_names(rows)
    people = {u.id: u for u in users()}
    body = audit_export.render_csv(
        audit_export.AuditRow(
            at=e.at.replace(tzinfo=UTC).astimezone(tz),
            user=people[e.user_id].name if e.user_id in people else "",
            email=people[e.user_id].email if e.user_id in people else "",
            action=e.action,
            subject_type=e.subject_type,
            subject_id=e.subject_id,
            subject=names.get((e.subject_type, e.subject_id or 0), ""),
            detail=e.detail,
            ip=e.ip,
        )
        for e in rows
    )
    record(AuditAction.AUDIT_DOWNLOAD, detail=_filter_text(f))
    return body, audit_export.CSV_MIMETYPE, "logboek.csv"


def _filter_text(f: AuditFilter) -> str:
    return " ".join(f"{k}={v}" for k, v in f.query(page=1).items())
