"""The oogst of a programme: its table of werkplaatsen, as a page, CSV, XLSX and agenda feed."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import Blueprint, current_app, g, render_template, request, url_for

from ..domain import AuditAction, BouwsteenStatus, WerkplaatsKind, slug
from ..export import oogst as export
from ..services import oogst
from ..services.permissions import Policy
from .decorators import policy, programme_access
from .files import recorded_download
from .links import public_url

bp = Blueprint("oogst", __name__, url_prefix="/f")


def _table(pid: int):
    programme = g.programme
    f = oogst.parse_filter(request.args, programme)
    return programme, f, oogst.oogst_rows(programme, f)


@bp.get("/programmas/<int:pid>/oogst")
@programme_access(manage=False)
def table(pid: int):
    programme, f, rows = _table(pid)
    token = oogst.agenda_token(current_app.config["SECRET_KEY"], pid)
    return render_template(
        "oogst/oogst.html",
        programme=programme,
        f=f,
        rows=rows,
        columns=oogst.COLUMNS,
        kinds=list(WerkplaatsKind),
        statuses=[*BouwsteenStatus, oogst.NO_STATUS],
        agenda_url=public_url("oogst.agenda", pid=pid, token=token),
    )


def _download(data: bytes, programme, fmt: str, mimetype: str):
    name = f"oogst-{slug(programme.name)}.{fmt}"
    return recorded_download(AuditAction.OOGST_DOWNLOAD, programme, data, mimetype, name)


@bp.get("/programmas/<int:pid>/oogst.csv")
@programme_access(manage=False)
def table_csv(pid: int):
    programme, _f, rows = _table(pid)
    return _download(export.render_csv(rows).encode(), programme, "csv", export.CSV_MIMETYPE)


@bp.get("/programmas/<int:pid>/oogst.xlsx")
@programme_access(manage=False)
def table_xlsx(pid: int):
    programme, _f, rows = _table(pid)
    data = export.render_xlsx(rows, title=programme.name)
    return _download(data, programme, "xlsx", export.XLSX_MIMETYPE)


@bp.get("/programmas/<int:pid>/agenda.ics")
@policy(Policy.AGENDA)
def agenda(pid: int):
    """A calendar subscribes without the login cookie: the token in the URL lets it in."""
    programme = g.programme
    rows = oogst.oogst_rows(programme, oogst.OogstFilter())
    text = export.render_ics(
        rows,
        calendar_name=programme.name,
        uid_domain=urlsplit(public_url("public.index")).hostname or "noviwerk",
        now=datetime.now(UTC),
    )
    response = current_app.response_class(text, mimetype=export.ICS_MIMETYPE)
    response.headers["Content-Disposition"] = (
        f'inline; filename="agenda-{slug(programme.name)}.ics"'
    )
    return response


@bp.app_template_global()
def oogst_url(endpoint: str, pid: int, f: oogst.OogstFilter, **changes) -> str:
    """The URL of ``endpoint`` with the filter ``f`` (changed by ``changes``) in its query."""
    return url_for(endpoint, pid=pid, **f.query(**changes))
