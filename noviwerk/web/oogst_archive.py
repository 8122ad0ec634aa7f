"""All bouwstenen and ansichtkaarten of a programme as one zip (``flask export-bouwstenen``
and ``export-ansichtkaarten`` from the browser), with the oogst's filter; only what the
viewer may read."""

from __future__ import annotations

from flask import Blueprint, render_template, request, send_file
from flask_login import current_user

from ..domain import BouwsteenStatus, WerkplaatsKind
from ..services import oogst, oogst_archive, opgaven, programmes
from .bouwsteen import export_options
from .decorators import scheduler_required

bp = Blueprint("oogst_archive", __name__, url_prefix="/f")


@bp.get("/programmas/<int:pid>/oogst-downloaden")
@scheduler_required
def page(pid: int):
    programme = programmes.get_programme(pid)
    f = oogst.parse_filter(request.args, programme)
    return render_template(
        "feiten/archive.html",
        programme=programme,
        f=f,
        readable=opgaven.readable_bouwstenen(programme, f, current_user),
        formats=oogst_archive.FORMATS,
        chosen=oogst_archive.DEFAULT_FORMATS,
        kinds=list(WerkplaatsKind),
        statuses=[*BouwsteenStatus, oogst.NO_STATUS],
    )


@bp.get("/programmas/<int:pid>/oogst.zip")
@scheduler_required
def download(pid: int):
    programme = programmes.get_programme(pid)
    f = oogst.parse_filter(request.args, programme)
    archive = oogst_archive.build(
        programme,
        f,
        current_user,
        formats=oogst_archive.parse_formats(request.args.getlist("formaat")),
        with_ansichtkaarten=request.args.get("ansichtkaarten", "1") != "0",
        options=export_options(),
    )
    return send_file(
        archive.file, mimetype="application/zip", as_attachment=True, download_name=archive.name
    )
