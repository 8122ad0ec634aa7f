"""Reading the oogst table back in, in the browser: upload a CSV or XLSX, see per row what
it would change, then apply exactly that (services/oogst_upload.py). Eigenaren and
beheerders of the programme only. Plain forms: no JavaScript needed."""

from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..services import oogst_upload as svc
from ..services.errors import Conflict, Invalid
from ..services.imports.preview import Outcome
from .decorators import programme_access

bp = Blueprint("oogst_upload", __name__, url_prefix="/f/programmas/<int:pid>/oogst/inlezen")


def _directory() -> Path:
    return Path(current_app.instance_path) / "uploads"


def _max_rows() -> int:
    return current_app.config["NOVIWERK_IMPORT_MAX_ROWS"]


def _max_mb() -> int:
    return max(1, (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024))


def _form(error: str = "", status: int = 200):
    page = render_template(
        "oogst/upload.html", programme=g.programme, error=error, max_mb=_max_mb()
    )
    return page, status


@bp.get("")
@programme_access(manage=True)
def form(pid: int):
    return _form()


@bp.post("")
@programme_access(manage=True)
def upload(pid: int):
    file = request.files.get("bestand")
    name, data = (file.filename or "", file.read()) if file else ("", b"")
    try:
        kept = svc.keep(_directory(), g.programme, current_user, name, data)
    except Invalid as e:
        return _form(e.message, 422)
    return redirect(url_for(".preview", pid=pid, upload_id=kept.id), 303)


@bp.get("/<upload_id>")
@programme_access(manage=True)
def preview(pid: int, upload_id: str):
    kept, plan = svc.preview(_directory(), upload_id, g.programme, current_user, _max_rows())
    return render_template(
        "oogst/preview.html", programme=g.programme, upload=kept, plan=plan, Outcome=Outcome
    )


@bp.post("/<upload_id>/toepassen")
@programme_access(manage=True)
def apply(pid: int, upload_id: str):
    fingerprint = request.form.get("plan", "")
    try:
        report = svc.apply(
            _directory(), upload_id, g.programme, current_user, fingerprint, _max_rows()
        )
    except Conflict as e:
        flash(e.message, "error")
        return redirect(url_for(".preview", pid=pid, upload_id=upload_id), 303)
    for line in report.summary():
        flash(line, "success")
    return redirect(url_for("oogst.table", pid=pid), 303)


@bp.errorhandler(413)
def _too_large(_e):
    """Refused from its Content-Length, before the file is read (MAX_CONTENT_LENGTH)."""
    pid = (request.view_args or {}).get("pid")
    message = _(
        "Het bestand is te groot: hooguit %(n)d MB. Een tabel van werkplaatsen is veel "
        "kleiner; kies de CSV of XLSX van het programma. Er is niets gewijzigd.",
        n=_max_mb(),
    )
    page = render_template(
        "oogst/too_large.html",
        message=message,
        back=url_for(".form", pid=pid) if pid is not None else None,
    )
    return page, 413
