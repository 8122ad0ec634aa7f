"""Opgaven, kansen and dilemma's across all bouwstenen of a programme, and each bouwsteen as
the programme team reads it (the overview's links lead there, to the passage and its sources).

Only bouwstenen the viewer may read (``permissions.can_read_bouwsteen``); the oogst's filter
applies, and ``?alleen=kans`` keeps one soort.
"""

from __future__ import annotations

from flask import Blueprint, g, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from ..display import shown
from ..domain import BouwsteenStatus, Label, WerkplaatsKind, slug
from ..export import opgaven as export
from ..export.bouwsteen import common as document_helpers
from ..services import bouwsteen as bouwsteen_svc
from ..services import oogst, opgaven, permissions
from ..synthesis import editing
from ..synthesis.document import OPGAVEN_KANSEN_DILEMMAS
from .decorators import programme_access
from .files import file_response

bp = Blueprint("opgaven", __name__, url_prefix="/f")


def _overzicht(pid: int):
    programme = g.programme
    f = oogst.parse_filter(request.args, programme)
    only = opgaven.parse_only(request.args.get("alleen"))
    return programme, f, only, opgaven.overzicht(programme, f, current_user, only)


def passage_url(pid: int, werkplaats_id: int, number: int | None = None) -> str:
    """The bouwsteen's opgaven-passage, or one contribution in its bijlage."""
    anchor = f"bijlage-{number}" if number else OPGAVEN_KANSEN_DILEMMAS
    return url_for("opgaven.bouwsteen", pid=pid, wid=werkplaats_id, _anchor=anchor)


def number_links(page_url: str, numbers: tuple[int, ...]) -> Markup:
    """A point's links to its contributions in the bouwsteen's bijlage, "12, 14" (``page_url``:
    the bouwsteen's page). Made here in one go, not per number in the template: a programme's
    overview holds thousands of them."""
    label = _("bijdrage %(n)d")
    link = Markup('<a href="{}#bijlage-{}" aria-label="{}">{}</a>')
    return Markup(", ").join(link.format(page_url, n, label % {"n": n}, n) for n in numbers)


@bp.get("/programmas/<int:pid>/opgaven")
@programme_access(manage=False)
def page(pid: int):
    programme, f, only, found = _overzicht(pid)
    return render_template(
        "feiten/opgaven.html",
        programme=programme,
        f=f,
        only=only,
        overzicht=found,
        soorten=opgaven.SOORTEN,
        kinds=list(WerkplaatsKind),
        statuses=[*BouwsteenStatus, oogst.NO_STATUS],
        passage_url=passage_url,
        number_links=number_links,
    )


def _rows(programme, found: opgaven.Overzicht) -> list[export.Row]:
    return [
        export.Row(
            theme=group.theme,
            werkplaats=b.title,
            date=f"{b.starts_at.day}-{b.starts_at.month}-{b.starts_at.year}" if b.starts_at else "",
            status=shown(b.status),
            version=b.version,
            soort=shown(p.soort, Label) if p.soort else "",
            text=p.text,
            participants=p.participants,
            support=p.support,
            numbers=p.provenance.numbers,
            origin="trekker" if p.origin == "hand" else "deelnemers",
            link=url_for(
                "opgaven.bouwsteen", pid=programme.id, wid=b.werkplaats_id,
                _anchor=OPGAVEN_KANSEN_DILEMMAS, _external=True,
            ),
        )  # fmt: skip
        for group in found.groups
        for b in group.bouwstenen
        for p in b.punten
    ]


@bp.get("/programmas/<int:pid>/opgaven.<any(csv, xlsx):fmt>")
@programme_access(manage=False)
def download(pid: int, fmt: str):
    programme, _f, only, found = _overzicht(pid)
    rows = _rows(programme, found)
    name = f"opgaven-kansen-dilemmas-{slug(programme.name)}{'-' + only if only else ''}.{fmt}"
    if fmt == "csv":
        return file_response(export.render_csv(rows), export.CSV_MIMETYPE, name)
    return file_response(export.render_xlsx(rows), export.XLSX_MIMETYPE, name)


@bp.get("/programmas/<int:pid>/bouwstenen/<int:wid>")
@programme_access(manage=False)
def bouwsteen(pid: int, wid: int):
    """A bouwsteen of the programme to read: its current version, as it stands."""
    programme = g.programme
    found = opgaven.readable_bouwsteen(programme, wid, current_user)
    document = bouwsteen_svc.export_document(found)
    return render_template(
        "feiten/bouwsteen.html",
        programme=programme,
        bouwsteen=found,
        document=document,
        origins=editing.origins(document),
        doc=document_helpers,
        can_view=permissions.can_view(current_user, found.werkplaats),
    )
