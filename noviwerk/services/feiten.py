"""Facts and figures of a programme's oogst: the big numbers and the charts behind them.

Counts the werkplaatsen that pass the oogst's filter (``oogst.parse_filter``), so a shared
link shows the same selection as the table. The charts are plain ``Chart`` records
(``export.charts``) with their titles and descriptions already in the reader's language.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from babel.lists import format_list
from flask_babel import format_date, get_locale, ngettext
from flask_babel import gettext as _

from ..display import shown
from ..domain import BouwsteenStatus, Veld, WerkplaatsKind
from ..export.charts import GROUPED, SINGLE, STACKED, Chart, Series, largest
from ..extensions import db
from ..models import (
    Ansichtkaart,
    Bouwsteen,
    Contribution,
    Kernvraag,
    Participant,
    Programme,
    Round,
    Werkplaats,
)
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


@dataclass(frozen=True)
class Headline:
    """The infographic's big numbers ("39 werkplaatsen, bijna 1500 professionals…")."""

    werkplaatsen: int
    deelnemers: int
    organisaties: int
    bijdragen: int
    bouwstenen: int
    ansichtkaarten: int
    first: date | None
    last: date | None
    per_kind: tuple[tuple[WerkplaatsKind, int], ...]


@dataclass(frozen=True)
class Feiten:
    headline: Headline
    charts: tuple[Chart, ...]


def normal_organisation(name: str) -> str:
    """Organisations typed by hand, counted once however they were spaced or capitalised."""
    return " ".join(name.split()).casefold()


def _month(value: datetime) -> tuple[int, int]:
    return value.year, value.month


def _months(dated: Iterable[datetime]) -> list[tuple[int, int]]:
    """Every month from the first to the last werkplaats, empty ones too: a true time axis."""
    found = sorted({_month(d) for d in dated})
    if not found:
        return []
    (y, m), last, out = found[0], found[-1], []
    while (y, m) <= last:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _month_name(month: tuple[int, int]) -> str:
    return format_date(date(month[0], month[1], 1), "LLLL y")


def feiten(programme: Programme, f: oogst.OogstFilter) -> Feiten:
    rows = oogst.oogst_rows(programme, f)
    ids = [r.id for r in rows]
    werkplaatsen = {
        w.id: w
        for w in db.session.scalars(
            sa.select(Werkplaats).where(Werkplaats.id.in_(ids)).options(
                sa.orm.joinedload(Werkplaats.theme)
            )
        )
    }
    people = db.session.execute(
        sa.select(Participant.werkplaats_id, Participant.organisation, Participant.veld).where(
            Participant.werkplaats_id.in_(ids)
        )
    ).all()
    statuses = _statuses(ids)
    n_ansichtkaarten = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Ansichtkaart)
        .join(Bouwsteen, Ansichtkaart.bouwsteen_id == Bouwsteen.id)
        .where(Bouwsteen.werkplaats_id.in_(ids))
    )
    organisations = {normal_organisation(o) for _w, o, _v in people if o.strip()}
    status_counts = Counter(statuses.values())
    dated = [w.starts_at for w in werkplaatsen.values() if w.starts_at]
    kinds = Counter(w.kind for w in werkplaatsen.values())
    headline = Headline(
        werkplaatsen=len(ids),
        deelnemers=len(people),
        organisaties=len(organisations),
        bijdragen=sum(r.contributions for r in rows),
        bouwstenen=sum(status_counts[s] for s in BouwsteenStatus),
        ansichtkaarten=n_ansichtkaarten or 0,
        first=min(dated).date() if dated else None,
        last=max(dated).date() if dated else None,
        per_kind=tuple((k, kinds[k]) for k in WerkplaatsKind if kinds[k]),
    )
    charts = (
        _per_month_by_kind(list(werkplaatsen.values())),
        _per_theme_by_kind(programme, list(werkplaatsen.values())),
        _people_per_month(werkplaatsen, people),
        _velden(people),
        _bouwstenen(status_counts),
        _per_kernvraag(programme, ids),
    )
    return Feiten(headline, charts)


def summary(h: Headline) -> str:
    """The numbers in the voice of the highlights: "Tussen juni 2015 en mei 2016 zijn 39
    werkplaatsen georganiseerd, waarbij … deelnemers van … organisaties hebben meegedacht"."""
    if not h.werkplaatsen:
        return _("Geen werkplaatsen in deze selectie.")
    first = _month(h.first) if h.first else None
    last = _month(h.last) if h.last else None
    if first and last and first != last:
        opening = ngettext(
            "Tussen %(van)s en %(tot)s is %(num)d werkplaats georganiseerd",
            "Tussen %(van)s en %(tot)s zijn %(num)d werkplaatsen georganiseerd",
            h.werkplaatsen, van=_month_name(first), tot=_month_name(last),
        )  # fmt: skip
    else:
        opening = ngettext(
            "Er is %(num)d werkplaats georganiseerd",
            "Er zijn %(num)d werkplaatsen georganiseerd",
            h.werkplaatsen,
        )
    deelnemers = ngettext("%(num)d deelnemer", "%(num)d deelnemers", h.deelnemers)
    organisaties = ngettext("%(num)d organisatie", "%(num)d organisaties", h.organisaties)
    if h.deelnemers and h.organisaties:
        opening += _(
            ", waarbij %(deelnemers)s van %(organisaties)s hebben meegedacht en meegewerkt.",
            deelnemers=deelnemers, organisaties=organisaties,
        )  # fmt: skip
    elif h.deelnemers:
        opening += _(", waarbij %(deelnemers)s hebben meegedacht en meegewerkt.", deelnemers=deelnemers)
    else:
        opening += "."
    if len(h.per_kind) < 2:
        return opening
    kinds = format_list(
        [f"{n} {shown(k)}" for k, n in h.per_kind], locale=str(get_locale() or "nl")
    )
    return opening + " " + _(
        "Van de %(num)d werkplaatsen waren er %(soorten)s.", num=h.werkplaatsen, soorten=kinds
    )


def _statuses(ids: list[int]) -> dict[int, object]:
    """Per werkplaats: its bouwsteen's status; else the status its imported note names
    (as the oogst's status filter reads it), ``OTHER_NOTE`` for another note, or none yet."""
    found = db.session.execute(
        sa.select(Werkplaats.id, Bouwsteen.status, Werkplaats.history_note)
        .outerjoin(Bouwsteen, Bouwsteen.werkplaats_id == Werkplaats.id)
        .where(Werkplaats.id.in_(ids))
    ).all()
    out: dict[int, object] = {}
    for wid, status, note in found:
        if status is not None:
            out[wid] = status
        elif note.strip().lower() in BouwsteenStatus.values():
            out[wid] = BouwsteenStatus(note.strip().lower())
        else:
            out[wid] = OTHER_NOTE if note.strip() else NONE_YET
    return out


def _kind_series(groups: list[list[Werkplaats]]) -> tuple[Series, ...]:
    return tuple(
        Series(shown(k), tuple(sum(1 for w in g if w.kind == k) for g in groups))
        for k in WerkplaatsKind
    )


def _most(chart_categories, totals, text: str) -> str:
    top = largest(chart_categories, totals)
    return text % {"cat": top[0], "n": top[1]} if top else _("Er zijn (nog) geen gegevens.")


def _per_month_by_kind(werkplaatsen: list[Werkplaats]) -> Chart:
    months = _months(w.starts_at for w in werkplaatsen if w.starts_at)
    groups = [[w for w in werkplaatsen if w.starts_at and _month(w.starts_at) == m] for m in months]
    names = [_month_name(m) for m in months]
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
        ),
        category_header=_("Maand"),
        categories=tuple(names),
        series=_kind_series(groups),
        layout=STACKED,
        total_header=_("Totaal"),
    )


def _per_theme_by_kind(programme: Programme, werkplaatsen: list[Werkplaats]) -> Chart:
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


def _people_per_month(werkplaatsen: dict[int, Werkplaats], people) -> Chart:
    def month_of(wid: int):
        when = werkplaatsen[wid].starts_at
        return _month(when) if when else None

    months: list = _months(w.starts_at for w in werkplaatsen.values() if w.starts_at)
    names = [_month_name(m) for m in months]
    if any(w.starts_at is None for w in werkplaatsen.values()):
        months.append(None)
        names.append(_("zonder datum"))
    deelnemers = Counter(month_of(wid) for wid, _o, _v in people)
    organisaties = {
        m: len({normal_organisation(o) for wid, o, _v in people if o.strip() and month_of(wid) == m})
        for m in months
    }
    values = tuple(deelnemers[m] for m in months)
    most = _most(names, values, _("De meeste deelnemers in %(cat)s: %(n)d."))
    return Chart(
        id="grafiek-deelnemers",
        title=_("Deelnemers en organisaties per maand"),
        description=_(
            "Per maand twee staven: het aantal deelnemers en het aantal verschillende "
            "organisaties waar zij voor kwamen. %(most)s",
            most=most,
        ),
        category_header=_("Maand"),
        categories=tuple(names),
        series=(
            Series(_("Deelnemers"), values),
            Series(_("Organisaties"), tuple(organisaties[m] for m in months)),
        ),
        layout=GROUPED,
    )


def _velden(people) -> Chart:
    counts = Counter(v for _w, _o, v in people)
    names = [shown(v) for v in Veld]
    values = [counts[v] for v in Veld]
    if counts[None]:
        names.append(_("veld niet opgegeven"))
        values.append(counts[None])
    heard = sum(1 for v in Veld if counts[v])
    most = _most(names, values, _("De meeste deelnemers uit het veld %(cat)s: %(n)d."))
    return Chart(
        id="grafiek-velden",
        title=_("Deelnemers per veld"),
        description=_(
            "Liggende staven, één per veld van co-creatie. %(heard)s %(most)s",
            heard=ngettext(
                "%(num)d van de vier velden was vertegenwoordigd.",
                "%(num)d van de vier velden waren vertegenwoordigd.",
                heard,
            ),
            most=most,
        ),
        category_header=_("Veld"),
        categories=tuple(names),
        series=(Series(_("Deelnemers"), tuple(values)),),
        layout=SINGLE,
    )


def _bouwstenen(counts: Counter) -> Chart:
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


def _per_kernvraag(programme: Programme, ids: list[int]) -> Chart:
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
