"""All bouwstenen and ansichtkaarten of a programme as one zip (``flask export-bouwstenen``
and ``export-ansichtkaarten`` from the browser), with the oogst's filter; only what the
viewer may read."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from flask import Blueprint, current_app, g, render_template, request
from flask_login import current_user

from ..domain import AuditAction, BouwsteenStatus, WerkplaatsKind
from ..services import audit, oogst, oogst_archive, opgaven
from .bouwsteen import export_options
from .decorators import programme_access
from .files import recorded_download

bp = Blueprint("oogst_archive", __name__, url_prefix="/f")
MIMETYPE = "application/zip"


@bp.get("/programmas/<int:pid>/oogst-downloaden")
@programme_access(manage=False)
def page(pid: int):
    programme = g.programme
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
@programme_access(manage=False)
def download(pid: int):
    programme = g.programme
    f = oogst.parse_filter(request.args, programme)
    archive = oogst_archive.build(
        programme,
        f,
        current_user,
        formats=oogst_archive.parse_formats(request.args.getlist("formaat")),
        with_ansichtkaarten=request.args.get("ansichtkaarten", "1") != "0",
        options=export_options(),
    )
    if archive.size <= oogst_archive.IN_MEMORY:
        with archive.file:
            data = archive.file.read()
        return recorded_download(AuditAction.OOGST_DOWNLOAD, programme, data, MIMETYPE, archive.name)
    audit.record(AuditAction.OOGST_DOWNLOAD, programme, detail=archive.name)
    response = current_app.response_class(_chunks(archive.file), mimetype=MIMETYPE)
    response.headers["Content-Length"] = str(archive.size)
    response.headers["Content-Disposition"] = f'attachment; filename="{archive.name}"'
    response.call_on_close(archive.file.close)  # also when the client leaves before the end
    return response


def _chunks(file: IO[bytes]) -> Iterator[bytes]:
    """A large zip from its temporary file, which is gone once sent (or the client left)."""
    try:
        while chunk := file.read(256 * 1024):
            yield chunk
    finally:
        file.close()
