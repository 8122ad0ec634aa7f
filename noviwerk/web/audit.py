"""The audit log for beheerders: who did what, when and from where; filtered, paged, as CSV."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

from flask import Blueprint, render_template, request, url_for
from flask_babel import format_datetime, get_timezone

from ..domain import AuditAction
from ..services import audit
from .decorators import beheerder_required
from .files import file_response

bp = Blueprint("audit", __name__, url_prefix="/f")


def _zone() -> ZoneInfo:
    """The reader's time zone (BABEL_DEFAULT_TIMEZONE), for the days of the period filter."""
    return ZoneInfo(str(get_timezone()))


@bp.get("/logboek")
@beheerder_required
def log():
    f = audit.parse_filter(request.args)
    page = audit.entries(f, _zone())
    return render_template(
        "audit/log.html",
        f=f,
        page=page,
        actions=list(AuditAction),
        users=audit.users(),
        names=audit.subject_names(page.entries),
    )


@bp.get("/logboek.csv")
@beheerder_required
def log_csv():
    return file_response(*audit.export_csv(audit.parse_filter(request.args), _zone()))


@bp.app_template_filter("tijdstip")
def _moment(value) -> str:
    """A stored UTC time as the reader's local date and time, to the second."""
    return format_datetime(value.replace(tzinfo=UTC), "d MMM y, HH:mm:ss")


@bp.app_template_global()
def audit_url(endpoint: str, f: audit.AuditFilter, **changes) -> str:
    """The URL of ``endpoint`` with the filter ``f`` (changed by ``changes``) in its query."""
    return url_for(endpoint, **f.query(**changes))
