"""Programmes with their kernvragen, themes and members (eigenaren and leden)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from flask_babel import gettext as _

from ..database import write_transaction
from ..domain import (
    DEFAULT_KERNVRAGEN,
    DEFAULT_RETENTION_MONTHS,
    MAX_RETENTION_MONTHS,
    AuditAction,
    KernvraagSpec,
    ProgrammeRole,
)
from ..extensions import db
from ..models import Kernvraag, Programme, ProgrammeMember, Round, Theme, User, Werkplaats
from . import audit, permissions
from .errors import Forbidden, Invalid, NotFound


def get_programme(programme_id: int) -> Programme:
    programme = db.session.get(Programme, programme_id)
    if programme is None:
        raise NotFound(_("Dit programma bestaat niet."))
    return programme


def list_programmes() -> list[Programme]:
    return list(db.session.scalars(sa.select(Programme).order_by(Programme.name)))


def programmes_for(user: User) -> list[Programme]:
    """The programmes a user may open: all for a beheerder, else those they are a member of."""
    query = sa.select(Programme).order_by(Programme.name)
    if not permissions.is_beheerder(user):
        query = query.join(ProgrammeMember).where(ProgrammeMember.user_id == user.id)
    return list(db.session.scalars(query))


def _clean_lines(values: Sequence[str]) -> list[str]:
    seen: list[str] = []
    for v in values:
        v = " ".join(v.split())
        if len(v) > 120:
            raise Invalid(_("Een thema is hooguit 120 tekens: '%(t)s…'", t=v[:40]), "themes")
        if v and v.casefold() not in {s.casefold() for s in seen}:
            seen.append(v)
    return seen


def _checked_retention(months: int | None) -> int:
    """The AVG retention period: how many months after a werkplaats names are kept."""
    if months is None or not 1 <= months <= MAX_RETENTION_MONTHS:
        raise Invalid(
            _("Kies een bewaartermijn van 1 tot %(n)d maanden.", n=MAX_RETENTION_MONTHS),
            "retention_months",
        )
    return months


@write_transaction
def create_programme(
    name: str,
    description: str = "",
    themes: Sequence[str] = (),
    kernvragen: Sequence[KernvraagSpec] | None = None,
    owner: User | None = None,
    retention_months: int | None = None,
) -> Programme:
    """A new programme; ``owner`` (the facilitator who makes it) becomes its eigenaar."""
    name = " ".join(name.split())
    if not name:
        raise Invalid(_("Geef het programma een naam."), "name")
    if db.session.scalar(sa.select(Programme.id).where(Programme.name == name)):
        raise Invalid(_("Er bestaat al een programma met deze naam."), "name")
    programme = Programme(
        name=name,
        description=description.strip(),
        retention_months=(
            DEFAULT_RETENTION_MONTHS
            if retention_months is None
            else _checked_retention(retention_months)
        ),
    )
    specs = DEFAULT_KERNVRAGEN if kernvragen is None else kernvragen
    programme.kernvragen = [
        Kernvraag(position=i, title=k.title, question=k.question) for i, k in enumerate(specs, 1)
    ]
    programme.themes = [Theme(name=t) for t in _clean_lines(themes)]
    db.session.add(programme)
    db.session.flush()
    if owner is not None:
        change_member(programme, owner.id, ProgrammeRole.EIGENAAR, by=None)
    audit.record(AuditAction.PROGRAMME_CREATED, programme)
    return programme


def _outline(programme: Programme) -> dict[str, object]:
    """What an edit can change, by the word the audit log uses for it."""
    return {
        "naam": programme.name,
        "beschrijving": programme.description,
        "kernvragen": [(k.title, k.question) for k in programme.kernvragen],
        "thema's": sorted(t.name for t in programme.themes),
    }


@write_transaction
def update_programme(
    programme: Programme,
    name: str,
    description: str,
    themes: Sequence[str],
    kernvragen: Sequence[KernvraagSpec],
    retention_months: int | None = None,
) -> Programme:
    """Rename, rewrite kernvragen in order, and add/remove themes.

    Kernvragen keep their rows by position, so rounds that point at kernvraag 2 still do;
    a kernvraag or theme that is in use cannot be removed.
    """
    name = " ".join(name.split())
    if not name:
        raise Invalid(_("Geef het programma een naam."), "name")
    clash = db.session.scalar(
        sa.select(Programme.id).where(Programme.name == name, Programme.id != programme.id)
    )
    if clash:
        raise Invalid(_("Er bestaat al een programma met deze naam."), "name")
    specs = [k for k in kernvragen if k.title.strip() or k.question.strip()]
    if not specs:
        raise Invalid(_("Een programma heeft minstens één kernvraag."), "kernvragen")
    before = _outline(programme)
    programme.name = name
    programme.description = description.strip()
    if retention_months is not None:
        programme.retention_months = _checked_retention(retention_months)

    existing = list(programme.kernvragen)
    for i, spec in enumerate(specs, 1):
        if i <= len(existing):
            existing[i - 1].title = spec.title.strip()
            existing[i - 1].question = spec.question.strip()
        else:
            programme.kernvragen.append(
                Kernvraag(position=i, title=spec.title.strip(), question=spec.question.strip())
            )
    for extra in existing[len(specs) :]:
        in_use = db.session.scalar(sa.select(Round.id).where(Round.kernvraag_id == extra.id))
        if in_use:
            raise Invalid(
                _("Kernvraag '%(t)s' wordt gebruikt in een ronde en kan niet weg.", t=extra.title),
                "kernvragen",
            )
        programme.kernvragen.remove(extra)

    wanted = _clean_lines(themes)
    current = {t.name.casefold(): t for t in programme.themes}
    for theme in list(programme.themes):
        if theme.name.casefold() not in {w.casefold() for w in wanted}:
            in_use = db.session.scalar(
                sa.select(Werkplaats.id).where(Werkplaats.theme_id == theme.id)
            )
            if in_use:
                raise Invalid(
                    _("Thema '%(t)s' is in gebruik en kan niet weg.", t=theme.name), "themes"
                )
            programme.themes.remove(theme)
    for w in wanted:
        if w.casefold() not in current:
            programme.themes.append(Theme(name=w))
    db.session.flush()
    after = _outline(programme)
    changed = [part for part in before if before[part] != after[part]]
    if changed:
        audit.record(AuditAction.PROGRAMME_EDITED, programme, detail=", ".join(changed))
    return programme


def find_theme(programme: Programme, name: str) -> Theme | None:
    key = " ".join(name.split()).casefold()
    return next((t for t in programme.themes if t.name.casefold() == key), None)


# --- members ------------------------------------------------------------------------------


def members_of(programme: Programme) -> list[ProgrammeMember]:
    """Eigenaren first, then leden, each by name."""
    order = list(ProgrammeRole)
    return sorted(programme.members, key=lambda m: (order.index(m.role), m.user.name.casefold()))


@write_transaction
def change_member(
    programme: Programme,
    user_id: int,
    role: ProgrammeRole | str | None,
    *,
    by: User | None,
    keep_role: bool = False,
) -> ProgrammeMember | None:
    """Make a user eigenaar or lid of the programme, or (``role`` None) no member any more.

    The one place where a programme's members change. ``by`` is who asks, and must be
    allowed to manage the programme; None when the app itself does it (a programme's maker
    becomes its eigenaar, the staff of its werkplaatsen become leden, with ``keep_role``:
    added if new, an existing role left as it is). Once a programme has an eigenaar it keeps
    one, unless a beheerder decides otherwise.
    """
    if by is not None and not permissions.can_manage_programme(by, programme):
        raise Forbidden(_("Alleen een beheerder of een eigenaar van dit programma mag dit."))
    user = db.session.get(User, user_id)
    if user is None:
        raise Invalid(_("Kies een bestaand account."), "user_id")
    try:
        wanted = ProgrammeRole(role) if role is not None else None
    except ValueError:
        raise Invalid(_("Kies eigenaar of lid."), "role") from None
    member = next((m for m in programme.members if m.user_id == user.id), None)
    if member is not None and (keep_role or member.role == wanted):
        return member
    owners = {m.user_id for m in programme.members if m.role == ProgrammeRole.EIGENAAR}
    if (
        owners == {user.id}
        and wanted != ProgrammeRole.EIGENAAR
        and not permissions.is_beheerder(by)
    ):
        raise Invalid(
            _("Een programma houdt minstens één eigenaar. Maak eerst iemand anders eigenaar."),
            "role",
        )
    if by is not None:  # the app's own changes (a maker, a werkplaats' staff) are no one's act
        change = f"{user.email}: {wanted.value if wanted else 'geen lid meer'}"
        audit.record(AuditAction.PROGRAMME_MEMBERS_CHANGED, programme, detail=change, user=by)
    if wanted is None:
        if member is not None:
            programme.members.remove(member)
        db.session.flush()
        return None
    if member is None:
        member = ProgrammeMember(user=user, role=wanted)
        programme.members.append(member)
    member.role = wanted
    db.session.flush()
    return member
