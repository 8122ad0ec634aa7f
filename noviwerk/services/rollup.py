"""The roll-up of a programme: one kernvraag over the werkplaatsen a person chooses.

Only werkplaatsen the viewer may view (``permissions.can_view``) are offered and read; the
oogst's filter (thema, soort, status, period) narrows what is offered, as on its other
pages. The choice travels in the query string (``kernvraag``, ``werkplaats`` repeated,
``gekozen``), so a link shares it; what is not understood is dropped with a Dutch notice.
The writing itself is ``synthesis.rollup``; the files are the bouwsteen's exporters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext

from ..domain import KernvraagSpec, slug
from ..export.matrix import Matrix
from ..models import Programme, User, Werkplaats
from ..synthesis.rollup import NO_THEME, Rollup, RollupWerkplaats, rollup
from . import bouwsteen as bouwsteen_svc
from . import export_jobs, oogst, search
from .contributions import contribution_records
from .errors import Invalid

FORMATS = ("md", "docx", "pdf")


@dataclass(frozen=True)
class Aanbod:
    """The werkplaatsen one may roll up: those that pass the filter and the viewer may view."""

    werkplaatsen: tuple[Werkplaats, ...]
    withheld: int  # pass the filter, but the viewer may not view them


@dataclass(frozen=True)
class Keuze:
    kernvraag: int  # its position in the programme
    werkplaats_ids: tuple[int, ...]  # as chosen, in the offered order
    notices: tuple[str, ...] = ()

    def query(self) -> dict[str, object]:
        """The query string that asks for this choice again."""
        return {"kernvraag": self.kernvraag, "werkplaats": list(self.werkplaats_ids), "gekozen": 1}


def offered(programme: Programme, f: oogst.OogstFilter, user: User | None) -> Aanbod:
    """The werkplaatsen that pass ``f`` in the oogst table's order, less those ``user`` may
    not view (counted, so the page can say so)."""
    viewable = {w.id: w for w in search.viewable(programme, user)}
    passing = [r.id for r in oogst.oogst_rows(programme, f)]
    allowed = tuple(viewable[i] for i in passing if i in viewable)
    return Aanbod(allowed, len(passing) - len(allowed))


def parse_keuze(
    programme: Programme,
    aanbod: Aanbod,
    *,
    kernvraag: str | None,
    werkplaatsen: Sequence[str],
    chosen: bool,
) -> Keuze:
    """The choice the query string makes. Without one (a first visit): the first kernvraag
    over every werkplaats offered. A form sent with no werkplaats ticked chooses none."""
    notices: list[str] = []
    positions = [k.position for k in programme.kernvragen]
    position = positions[0] if positions else 0
    raw = (kernvraag or "").strip()
    if raw:
        if raw.isdigit() and int(raw) in positions:
            position = int(raw)
        else:
            notices.append(_("Deze kernvraag bestaat niet in dit programma; de eerste is gekozen."))
    ids = [w.id for w in aanbod.werkplaatsen]
    if not chosen and not werkplaatsen:
        return Keuze(position, tuple(ids), tuple(notices))
    asked = {int(v) for v in werkplaatsen if v.strip().isdigit()}
    unknown = sum(1 for v in werkplaatsen if not v.strip().isdigit() or int(v) not in ids)
    if unknown:
        notices.append(ngettext(
            "%(num)d gekozen werkplaats is hier niet te kiezen (niet in dit programma of "
            "deze selectie, of je mag hem niet inzien); die is weggelaten.",
            "%(num)d gekozen werkplaatsen zijn hier niet te kiezen (niet in dit programma of "
            "deze selectie, of je mag ze niet inzien); die zijn weggelaten.",
            unknown,
        ))  # fmt: skip
    picked = tuple(i for i in ids if i in asked)
    if not picked:
        notices.append(_("Kies minstens één werkplaats om de rode draden te zien."))
    return Keuze(position, picked, tuple(notices))


def kernvraag_spec(programme: Programme, position: int) -> KernvraagSpec | None:
    k = next((k for k in programme.kernvragen if k.position == position), None)
    return KernvraagSpec(k.title, k.question) if k else None


def make(programme: Programme, aanbod: Aanbod, keuze: Keuze) -> Rollup | None:
    """The roll-up the choice asks for; None when there is nothing to roll up."""
    spec = kernvraag_spec(programme, keuze.kernvraag)
    if spec is None or not keuze.werkplaats_ids:
        return None
    by_id = {w.id: w for w in aanbod.werkplaatsen}
    werkplaatsen = [
        RollupWerkplaats(
            id=w.id,
            title=w.title,
            records=tuple(contribution_records(w)),
            theme=w.theme.name if w.theme else None,
            starts_on=w.starts_at.date() if w.starts_at else None,
        )
        for w in (by_id[i] for i in keuze.werkplaats_ids)
    ]
    themes = [t.name for t in programme.themes]
    return rollup(programme.name, keuze.kernvraag, spec, werkplaatsen, themes=themes)


def matrix(result: Rollup) -> Matrix:
    """The verbindingen as a matrix: themes against the shared rode draden, in how many
    werkplaatsen each theme brought each rode draad in."""
    columns = tuple(d.draad.label for d in result.gedeeld)
    rows = tuple(t or _("Zonder thema") for t in result.themes)
    values, details = [], []
    for theme in result.themes:
        found = [result.verbinding(theme, c) for c in columns]
        values.append(tuple(len(v.titles) if v else 0 for v in found))
        details.append(tuple(", ".join(v.titles) if v else "" for v in found))
    return Matrix(
        id="verbindingen-matrix",
        title=_("Thema's en rode draden"),
        description=_(
            "Per thema (het hoofdonderwerp van de werkplaatsen) en per rode draad die meer "
            "werkplaatsen delen: in hoeveel werkplaatsen van dat thema de rode draad terugkwam. "
            "Een donkerder vak is een hoger getal; het getal staat in elk vak."
        ),
        row_header=_("Thema"),
        rows=rows,
        columns=columns,
        values=tuple(values),
        details=tuple(details),
    )


def export(programme: Programme, result: Rollup | None, fmt: str, options: export_jobs.Settings):
    """(body, mimetype, file name) of the roll-up in ``fmt``; PDF and docx are printed in
    the export child, and kept, as a bouwsteen's are."""
    if result is None:
        raise Invalid(_("Kies een kernvraag en minstens één werkplaats om te downloaden."))
    if fmt not in FORMATS:
        raise Invalid(_("Onbekend exportformaat; kies md, docx of pdf."), "format")
    module, ext = bouwsteen_svc.EXPORTERS[fmt]
    if fmt in export_jobs.HEAVY:
        body: bytes | str = export_jobs.render(fmt, result.document, options)
    else:
        body = module.render(result.document)
    name = f"rode-draden-{slug(programme.name)}-kernvraag-{result.kernvraag}.{ext}"
    return body, module.MIMETYPE, name


__all__ = ["FORMATS", "NO_THEME", "Aanbod", "Keuze", "export", "make", "matrix", "offered",
           "parse_keuze"]  # fmt: skip
