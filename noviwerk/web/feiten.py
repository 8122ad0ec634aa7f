"""Facts and figures of a programme's oogst: big numbers and charts drawn as SVG on the server.

The page honours the oogst table's filter (thema, soort, status, period), so its link can
be shared. Each chart stands beside the table of its numbers; each can be downloaded alone.
"""

from __future__ import annotations

from flask import Blueprint, g, render_template, request, url_for
from flask_babel import format_number
from markupsafe import Markup

from ..domain import BouwsteenStatus, WerkplaatsKind, slug
from ..export import charts
from ..services import feiten, oogst
from .decorators import programme_access
from .files import file_response

bp = Blueprint("feiten", __name__, url_prefix="/f")


def _feiten(pid: int):
    programme = g.programme
    f = oogst.parse_filter(request.args, programme)
    return programme, f, feiten.feiten(programme, f)


@bp.get("/programmas/<int:pid>/feiten")
@programme_access(manage=False)
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


_CHARTS = ", ".join(f'"{c}"' for c in feiten.CHART_IDS)


@bp.get(f"/programmas/<int:pid>/feiten/<any({_CHARTS}):chart_id>.svg")
@programme_access(manage=False)
def drawing(pid: int, chart_id: str):
    programme, _f, found = _feiten(pid)
    chart = next(c for c in found.charts if c.id == chart_id)
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
