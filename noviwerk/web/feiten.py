"""Facts and figures of a programme's oogst: big numbers and charts drawn as SVG on the server.

The page honours the oogst table's filter (thema, soort, status, period), so its link can
be shared. Each chart stands beside the table of its numbers; each can be downloaded alone.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import format_number
from markupsafe import Markup

from ..domain import BouwsteenStatus, WerkplaatsKind, slug
from ..export import charts
from ..services import feiten, oogst, programmes
from .decorators import scheduler_required
from .files import file_response

bp = Blueprint("feiten", __name__, url_prefix="/f")


def _feiten(pid: int):
    programme = programmes.get_programme(pid)
    f = oogst.parse_filter(request.args, programme)
    return programme, f, feiten.feiten(programme, f)


@bp.get("/programmas/<int:pid>/feiten")
@scheduler_required
def page(pid: int):
    programme, f, found = _feiten(pid)
    return render_template(
        "feiten/feiten.html",
        programme=programme,
        f=f,
        feiten=found,
        summary=feiten.summary(found.headline),
        drawings={c.id: Markup(charts.render_svg(c)) for c in found.charts},  # noqa: S704 (escaped in export.charts)
        kinds=list(WerkplaatsKind),
        statuses=[*BouwsteenStatus, oogst.NO_STATUS],
    )


@bp.get("/programmas/<int:pid>/feiten/<chart_id>.svg")
@scheduler_required
def drawing(pid: int, chart_id: str):
    programme, _f, found = _feiten(pid)
    chart = next((c for c in found.charts if c.id == chart_id), None)
    if chart is None:
        abort(404)
    body = charts.standalone(charts.render_svg(chart))
    return file_response(body, "image/svg+xml", f"{chart_id}-{slug(programme.name)}.svg")


@bp.app_template_filter("getal")
def _number(value: int) -> str:
    """1480 as "1.480" in Dutch, "1,480" in English."""
    return format_number(value)


@bp.app_template_global()
def filtered_url(endpoint: str, f: oogst.OogstFilter, **values) -> str:
    """The URL of ``endpoint`` (with ``values``) that keeps the oogst's filter ``f``."""
    return url_for(endpoint, **values, **f.query())
