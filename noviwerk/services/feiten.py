"""Facts and figures of a programme's oogst: the big numbers and the charts behind them.

Counts the werkplaatsen that pass the oogst's filter (``oogst.parse_filter``), so a shared
link shows the same selection as the table. The charts are plain ``Chart`` records
(``export.charts``) with their titles and descriptions already in the reader's language.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from babel.lists import format_list
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from ..display import shown
from ..domain import BouwsteenStatus, WerkplaatsKind
from ..export.charts import Chart
from ..extensions import db
from ..models import (
    Ansichtkaart,
    Bouwsteen,
    Contribution,
    Participant,
    Programme,
    Werkplaats,
)
from . import feiten_charts, oogst

CHART_IDS = feiten_charts.CHART_IDS


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
    people = _grouped(Participant, Participant.werkplaats_id.in_(ids))
    # What was said carries its veld and organisation itself: imported contributions have
    # no participant, and they stay when a participant's personal data is deleted.
    said = _grouped(Contribution, Contribution.werkplaats_id.in_(ids), Contribution.is_visible)
    statuses = _statuses(ids)
    n_ansichtkaarten = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Ansichtkaart)
        .join(Bouwsteen, Ansichtkaart.bouwsteen_id == Bouwsteen.id)
        .where(Bouwsteen.werkplaats_id.in_(ids))
    )
    organisations = {
        feiten_charts.normal_organisation(o) for _w, o, _v, _n in [*people, *said] if o.strip()
    }
    status_counts = Counter(statuses.values())
    dated = [w.starts_at for w in werkplaatsen.values() if w.starts_at]
    kinds = Counter(w.kind for w in werkplaatsen.values())
    headline = Headline(
        werkplaatsen=len(ids),
        deelnemers=sum(n for *_rest, n in people),
        organisaties=len(organisations),
        bijdragen=sum(r.contributions for r in rows),
        bouwstenen=sum(status_counts[s] for s in BouwsteenStatus),
        ansichtkaarten=n_ansichtkaarten or 0,
        first=min(dated).date() if dated else None,
        last=max(dated).date() if dated else None,
        per_kind=tuple((k, kinds[k]) for k in WerkplaatsKind if kinds[k]),
    )
    charts = (
        feiten_charts.per_month_by_kind(list(werkplaatsen.values())),
        feiten_charts.per_theme_by_kind(programme, list(werkplaatsen.values())),
        feiten_charts.people_per_month(werkplaatsen, people, said),
        feiten_charts.velden(people, said),
        feiten_charts.bouwstenen(status_counts),
        feiten_charts.per_kernvraag(programme, ids),
    )
    return Feiten(headline, charts)


def summary(h: Headline) -> str:
    """The numbers in the voice of the highlights: "Tussen juni 2015 en mei 2016 zijn 39
    werkplaatsen georganiseerd, waarbij … deelnemers van … organisaties hebben meegedacht"."""
    if not h.werkplaatsen:
        return _("Geen werkplaatsen in deze selectie.")
    first = feiten_charts.month(h.first) if h.first else None
    last = feiten_charts.month(h.last) if h.last else None
    if first and last and first != last:
        opening = ngettext(
            "Tussen %(van)s en %(tot)s is %(num)d werkplaats georganiseerd",
            "Tussen %(van)s en %(tot)s zijn %(num)d werkplaatsen georganiseerd",
            h.werkplaatsen, van=feiten_charts.month_name(first), tot=feiten_charts.month_name(last),
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


def _grouped(model, *condition) -> list[tuple[int, str, object, int]]:
    """(werkplaats id, organisation, veld, how many) of ``model``'s rows: counted by the
    database, so 30,000 contributions come back as the few thousand ways they were typed."""
    columns = (model.werkplaats_id, model.organisation, model.veld)
    return [
        tuple(row)
        for row in db.session.execute(
            sa.select(*columns, sa.func.count()).where(*condition).group_by(*columns)
        )
    ]


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
            out[wid] = feiten_charts.OTHER_NOTE if note.strip() else feiten_charts.NONE_YET
    return out
