"""Programmes with their kernvragen and themes."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from flask_babel import gettext as _

from ..database import write_transaction
from ..domain import DEFAULT_KERNVRAGEN, AuditAction, KernvraagSpec
from ..extensions import db
from ..models import Kernvraag, Programme, Round, Theme, Werkplaats
from . import audit
from .errors import Invalid, NotFound


def get_programme(programme_id: int) -> Programme:
    programme = db.session.get(Programme, programme_id)
    if programme is None:
        raise NotFound(_("Dit programma bestaat niet."))
    return programme


def list_programmes() -> list[Programme]:
    return list(db.session.scalars(sa.select(Programme).order_by(Programme.name)))


def _clean_lines(values: Sequence[str]) -> list[str]:
    seen: list[str] = []
    for v in values:
        v = " ".join(v.split())
        if len(v) > 120:
            raise Invalid(_("Een thema is hooguit 120 tekens: '%(t)s…'", t=v[:40]), "themes")
        if v and v.casefold() not in {s.casefold() for s in seen}:
            seen.append(v)
    return seen


@write_transaction
def create_programme(
    name: str,
    description: str = "",
    themes: Sequence[str] = (),
    kernvragen: Sequence[KernvraagSpec] | None = None,
) -> Programme:
    name = " ".join(name.split())
    if not name:
        raise Invalid(_("Geef het programma een naam."), "name")
    if db.session.scalar(sa.select(Programme.id).where(Programme.name == name)):
        raise Invalid(_("Er bestaat al een programma met deze naam."), "name")
    programme = Programme(name=name, description=description.strip())
    specs = DEFAULT_KERNVRAGEN if kernvragen is None else kernvragen
    programme.kernvragen = [
        Kernvraag(position=i, title=k.title, question=k.question) for i, k in enumerate(specs, 1)
    ]
    programme.themes = [Theme(name=t) for t in _clean_lines(themes)]
    db.session.add(programme)
    db.session.flush()
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
