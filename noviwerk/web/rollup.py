"""The roll-up of a programme's oogst: the rode draden of one kernvraag over the werkplaatsen
one ticks, with the way back to every werkplaats and contribution, the verbindingen between
themes and rode draden (a matrix drawn on the server, and a table), and the same as a
document to download (Markdown, docx, PDF).

Only werkplaatsen the viewer may view are offered (``services.rollup.offered``). The choice
is a plain GET form, so it works without JavaScript and its URL can be shared.
"""

from __future__ import annotations

from flask import Blueprint, g, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from ..domain import AuditAction, BouwsteenStatus, WerkplaatsKind
from ..export import matrix as matrix_svg
from ..export.bouwsteen import common as document_helpers
from ..services import oogst
from ..services import rollup as svc
from ..synthesis.document import SAMENVATTING, VERBINDINGEN
from .bouwsteen import export_options
from .decorators import programme_access
from .files import recorded_download

bp = Blueprint("rollup", __name__, url_prefix="/f")


def _rollup(pid: int):
    programme = g.programme
    f = oogst.parse_filter(request.args, programme)
    aanbod = svc.offered(programme, f, current_user)
    keuze = svc.parse_keuze(
        programme,
        aanbod,
        kernvraag=request.args.get("kernvraag"),
        werkplaatsen=request.args.getlist("werkplaats"),
        chosen=bool(request.args.get("gekozen")),
    )
    return programme, f, aanbod, keuze, svc.make(programme, aanbod, keuze)


@bp.get("/programmas/<int:pid>/rollup")
@programme_access(manage=False)
def page(pid: int):
    programme, f, aanbod, keuze, result = _rollup(pid)
    matrix = svc.matrix(result) if result is not None and result.gedeeld else None
    return render_template(
        "rollup/rollup.html",
        programme=programme,
        f=f,
        aanbod=aanbod,
        keuze=keuze,
        result=result,
        matrix=matrix,
        drawing=Markup(matrix_svg.render_svg(matrix)) if matrix else None,  # noqa: S704 (escaped in export.matrix)
        samenvatting=result.document.section(SAMENVATTING) if result else None,
        verbindingen=result.document.section(VERBINDINGEN) if result else None,
        kinds=list(WerkplaatsKind),
        statuses=[*BouwsteenStatus, oogst.NO_STATUS],
        doc=document_helpers,
    )


@bp.get("/programmas/<int:pid>/rollup.<any(md, docx, pdf):fmt>")
@programme_access(manage=False)
def download(pid: int, fmt: str):
    programme, _f, _aanbod, _keuze, result = _rollup(pid)
    # Contributions of many werkplaatsen leave the app: into the logboek, as the oogst's table.
    body = svc.export(programme, result, fmt, export_options())
    return recorded_download(AuditAction.OOGST_DOWNLOAD, programme, *body)


@bp.app_template_global()
def rollup_url(endpoint: str, pid: int, f: oogst.OogstFilter, keuze: svc.Keuze, **values) -> str:
    """The URL of ``endpoint`` that asks for the same filter and choice again."""
    return url_for(endpoint, pid=pid, **f.query(), **keuze.query(), **values)
