"""The charts of the oogst's facts and figures, built from the selected werkplaatsen.

Each is a ``Chart`` (``export.charts``) with its title and description in the reader's
language; ``feiten`` gathers the records and puts the page together.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import format_date, ngettext
from flask_babel import gettext as _

from ..display import shown
from ..domain import BouwsteenStatus, Veld, WerkplaatsKind
from ..export.charts import GROUPED, SINGLE, STACKED, Chart, Series, largest
from ..extensions import db
from ..models import Contribution, Kernvraag, Programme, Round, Werkplaats
from . import oogst

OTHER_NOTE = "anders"  # an imported bouwsteen note that names no status ("Verslag op viadesk")
NONE_YET = oogst.NO_STATUS
# The charts, in the page's order; each id names its section, its drawing and its file.
CHART_IDS: tuple[str, ...] = (
    "grafiek-maand-soort",
    "grafiek-thema-soort",
    "grafiek-deelnemers",
    "grafiek-velden",
    "grafiek-bouwstenen",
    "grafiek-kernvragen",
)


def normal_organisation(name: str) -> str:
    """Organisations typed by hand, counted once however they were spaced or capitalised."""
    return " ".join(name.split()).casefold()


def month(value: datetime) -> tuple[int, int]:
    return value.year, value.month


MAX_MONTHS = 24  # a longer span shows only the months that had a werkplaats


def _months(dated: Iterable[datetime]) -> list[tuple[int, int]]:
    """Every month from the first to the last werkplaats, empty ones too: a true time axis;
    over more than ``MAX_MONTHS`` only the months with werkplaatsen (``_gapped`` says so)."""
    found = sorted({month(d) for d in dated})
    if not found:
        return []
    (y, m), last, out = found[0], found[-1], []
    while (y, m) <= last:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out if len(out) <= MAX_MONTHS else found


def _gapped(months: list[tuple[int, int]]) -> str:
    """A note for a chart whose months skip the empty ones."""
    if len(months) < 2:
        return ""
    (y0, m0), (y1, m1) = months[0], months[-1]
    if (y1 - y0) * 12 + m1 - m0 + 1 == len(months):
        return ""
    return " " + _("Maanden zonder werkplaats zijn weggelaten.")


def month_name(month: tuple[int, int]) -> str:
    return format_date(date(month[0], month[1], 1), "LLLL y")


def _kind_series(groups: list[list[Werkplaats]]) -> tuple[Series, ...]:
    return tuple(
        Series(shown(k), tuple(sum(1 for w in g if w.kind == k) for g in groups))
        for k in WerkplaatsKind
    )


def _most(chart_categories, totals, text: str) -> str:
    top = largest(chart_categories, totals)
    return text % {"cat": top[0], "n": top[1]} if top else _("Er zijn (nog) geen gegevens.")


def per_month_by_kind(werkplaatsen: list[Werkplaats]) -> Chart:
    months = _months(w.starts_at for w in werkplaatsen if w.starts_at)
    groups = [[w for w in werkplaatsen if w.starts_at and month(w.starts_at) == m] for m in months]
    names = [month_name(m) for m in months]
    undated = [w for w in werkplaatsen if not w.starts_at]
    if undated:
        groups.append(undated)
        names.append(_("zonder datum"))
    totals = [len(g) for g in groups]
    most = _most(names, totals, _("De meeste in %(cat)s: %(n)d."))
    return Chart(
        id="grafiek-maand-soort",
        title=_("Werkplaatsen per maand, naar soort"),
        description=_(
            "Liggende staven, één per maand, opgedeeld naar soort werkplaats. "
            "%(most)s In totaal %(total)d werkplaatsen.",
            most=most,
            total=sum(totals),
        )
        + _gapped(months),
        category_header=_("Maand"),
        categories=tuple(names),
        series=_kind_series(groups),
        layout=STACKED,
        total_header=_("Totaal"),
    )


def per_theme_by_kind(programme: Programme, werkplaatsen: list[Werkplaats]) -> Chart:
    groups = [[w for w in werkplaatsen if w.theme_id == t.id] for t in programme.themes]
    names = [t.name for t in programme.themes]
    loose = [w for w in werkplaatsen if w.theme_id is None]
    if loose:
        groups.append(loose)
        names.append(_("zonder thema"))
    totals = [len(g) for g in groups]
    most = _most(names, totals, _("De meeste bij %(cat)s: %(n)d."))
    return Chart(
        id="grafiek-thema-soort",
        title=_("Werkplaatsen per thema, naar soort"),
        description=_(
            "Liggende staven, één per thema, opgedeeld naar soort werkplaats. %(most)s",
            most=most,
        ),
        category_header=_("Thema"),
        categories=tuple(names),
        series=_kind_series(groups),
        layout=STACKED,
        total_header=_("Totaal"),
    )


def people_per_month(werkplaatsen: dict[int, Werkplaats], people, said) -> Chart:
    """``people`` and ``said``: (werkplaats id, organisation, veld, how many) of the
    participants and of the visible contributions; an organisation counts once per month,
    from either."""
    month_of = {
        wid: month(w.starts_at) if w.starts_at else None for wid, w in werkplaatsen.items()
    }
    months: list = _months(w.starts_at for w in werkplaatsen.values() if w.starts_at)
    names = [month_name(m) for m in months]
    if any(w.starts_at is None for w in werkplaatsen.values()):
        months.append(None)
        names.append(_("zonder datum"))
    deelnemers: Counter = Counter()
    for wid, _o, _v, n in people:
        deelnemers[month_of[wid]] += n
    organisaties: dict = {}
    for wid, o, _v, _n in [*people, *said]:
        if o.strip():
            organisaties.setdefault(month_of[wid], set()).add(normal_organisation(o))
    values = tuple(deelnemers[m] for m in months)
    most = _most(names, values, _("De meeste deelnemers in %(cat)s: %(n)d."))
    return Chart(
        id="grafiek-deelnemers",
        title=_("Deelnemers en organisaties per maand"),
        description=_(
            "Per maand twee staven: het aantal deelnemers en het aantal verschillende "
            "organisaties waar zij voor kwamen. %(most)s",
            most=most,
        )
        + _gapped([m for m in months if m is not None]),
        category_header=_("Maand"),
        categories=tuple(names),
        series=(
            Series(_("Deelnemers"), values),
            Series(_("Organisaties"), tuple(len(organisaties.get(m, ())) for m in months)),
        ),
        layout=GROUPED,
    )


def velden(people, said) -> Chart:
    """Per veld of co-creation: how many participants, and how many contributions
    (``people`` and ``said`` as ``people_per_month`` takes them)."""
    participants: Counter = Counter()
    contributions: Counter = Counter()
    for counter, rows in ((participants, people), (contributions, said)):
        for _w, _o, v, n in rows:
            counter[v] += n
    names = [shown(v) for v in Veld]
    keys: list = list(Veld)
    if participants[None] or contributions[None]:
        names.append(_("veld niet opgegeven"))
        keys.append(None)
    heard = sum(1 for v in Veld if participants[v] or contributions[v])
    said_values = tuple(contributions[k] for k in keys)
    most = _most(names, said_values, _("De meeste bijdragen uit het veld %(cat)s: %(n)d."))
    return Chart(
        id="grafiek-velden",
        title=_("Deelnemers en bijdragen per veld"),
        description=_(
            "Per veld van co-creatie twee staven: deelnemers en bijdragen. %(heard)s %(most)s",
            heard=ngettext(
                "%(num)d van de vier velden was vertegenwoordigd.",
                "%(num)d van de vier velden waren vertegenwoordigd.",
                heard,
            ),
            most=most,
        ),
        category_header=_("Veld"),
        categories=tuple(names),
        series=(
            Series(_("Deelnemers"), tuple(participants[k] for k in keys)),
            Series(_("Bijdragen"), said_values),
        ),
        layout=GROUPED,
    )


def bouwstenen(counts: Counter) -> Chart:
    names = [shown(s) for s in BouwsteenStatus]
    values = [counts[s] for s in BouwsteenStatus]
    if counts[OTHER_NOTE]:
        names.append(_("anders genoteerd"))
        values.append(counts[OTHER_NOTE])
    names.append(_("nog geen bouwsteen"))
    values.append(counts[NONE_YET])
    return Chart(
        id="grafiek-bouwstenen",
        title=_("Bouwstenen per status"),
        description=_(
            "Liggende staven, één per status van de bouwsteen. %(done)s",
            done=ngettext(
                "%(num)d bouwsteen is gereed.", "%(num)d bouwstenen zijn gereed.",
                counts[BouwsteenStatus.GEREED],
            ),
        ),  # fmt: skip
        category_header=_("Status"),
        categories=tuple(names),
        series=(Series(_("Werkplaatsen"), tuple(values)),),
        layout=SINGLE,
    )


def per_kernvraag(programme: Programme, ids: list[int]) -> Chart:
    found = dict(
        db.session.execute(
            sa.select(Round.kernvraag_id, sa.func.count())
            .select_from(Contribution)
            .join(Round, Contribution.round_id == Round.id)
            .where(Contribution.werkplaats_id.in_(ids), Contribution.is_visible)
            .group_by(Round.kernvraag_id)
        ).all()
    )
    kernvragen = db.session.scalars(
        sa.select(Kernvraag).where(Kernvraag.programme_id == programme.id).order_by(
            Kernvraag.position
        )
    ).all()
    names = [f"{k.position}. {k.title}" for k in kernvragen]
    values = [found.get(k.id, 0) for k in kernvragen]
    loose = sum(n for kid, n in found.items() if kid not in {k.id for k in kernvragen})
    if loose:
        names.append(_("zonder kernvraag"))
        values.append(loose)
    most = _most(names, values, _("De meeste bij %(cat)s: %(n)d."))
    return Chart(
        id="grafiek-kernvragen",
        title=_("Bijdragen per kernvraag"),
        description=_(
            "Liggende staven, één per kernvraag: de zichtbare bijdragen in rondes bij die "
            "kernvraag. %(most)s",
            most=most,
        ),
        category_header=_("Kernvraag"),
        categories=tuple(names),
        series=(Series(_("Bijdragen"), tuple(values)),),
        layout=SINGLE,
    )
