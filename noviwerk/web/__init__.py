"""Blueprints per audience, and what every response carries."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, has_request_context, request, session
from flask_login import current_user

from ..domain import format_join_code
from ..services import audit as audit_log

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


def _server_now_iso() -> str:
    """UTC now for countdowns, so a phone with a wrong clock still shows the right time."""
    from datetime import UTC

    return datetime.now(UTC).replace(tzinfo=None).isoformat() + "Z"


def _request_actor() -> audit_log.Actor:
    """Who acts in this request, for the audit log: the logged-in account and the client's
    address (the proxy's client with NOVIWERK_PROXY_HOPS)."""
    if not has_request_context():
        return audit_log.Actor()
    user_id = current_user.id if current_user.is_authenticated else None
    return audit_log.Actor(user_id, request.remote_addr or "")


def register(app: Flask) -> None:
    from . import (
        accounts,
        ansichtkaart,
        audit,
        auth,
        avg,
        bouwsteen,
        errors,
        facilitator,
        feiten,
        oogst,
        oogst_archive,
        oogst_upload,
        opgaven,
        participant,
        public,
        regie,
        rollup,
        search,
        tafel_screen,
        tafels,
        tags,
        wall,
    )

    app.register_blueprint(public.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(facilitator.bp)
    app.register_blueprint(participant.bp)
    app.register_blueprint(wall.bp)
    app.register_blueprint(bouwsteen.bp)
    app.register_blueprint(regie.bp)
    app.register_blueprint(ansichtkaart.bp)
    app.register_blueprint(oogst.bp)
    app.register_blueprint(feiten.bp)
    app.register_blueprint(opgaven.bp)
    app.register_blueprint(oogst_archive.bp)
    app.register_blueprint(oogst_upload.bp)
    app.register_blueprint(tags.bp)
    app.register_blueprint(accounts.bp)
    app.register_blueprint(avg.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(audit.bp)
    app.register_blueprint(rollup.bp)
    app.register_blueprint(tafels.bp)
    app.register_blueprint(tafel_screen.bp)
    audit_log.configure(_request_actor)
    errors.register(app)
    from . import assets, compress

    assets.init_app(app)  # url_for('static', ...) gives content-hashed names
    compress.init_app(app)

    from flask_babel import get_locale

    @app.context_processor
    def _globals():
        return {
            "htmx_js": "vendor/htmx-2.0.11.min.js",
            "format_join_code": format_join_code,
            "current_locale": str(get_locale() or "nl"),
            "server_now_iso": _server_now_iso,
        }

    from .other_items import other_items

    app.jinja_env.globals["other_items"] = other_items  # the phones' shared list items
    from .vote_panel import vote_panel

    app.jinja_env.globals["vote_panel"] = vote_panel  # the vote, shared by phones with no dot
    from ..display import shown, shown_log_detail

    # {{ r.kind|shown }}: an enum value as a person reads it, in the current locale.
    app.add_template_filter(shown, "shown")
    app.add_template_filter(shown_log_detail, "shown_log_detail")

    @app.template_filter("datum")
    def _datum(value, with_time: bool = True):
        from flask_babel import format_date, format_datetime

        if value is None:
            return ""
        if with_time and isinstance(value, datetime) and (value.hour or value.minute):
            return format_datetime(value, "d MMMM y, HH:mm", rebase=False)
        return format_date(value, "d MMMM y")

    @app.template_filter("moment")
    def _moment(value) -> str:
        """A stored UTC time (created_at and the like) as the reader's local date and time;
        ``datum`` is for times already kept in local time, such as when a werkplaats starts."""
        from flask_babel import format_datetime

        return format_datetime(value, "d MMMM y, HH:mm") if value else "—"

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        # Nothing here needs the camera (a phone scans the QR with its own camera app),
        # microphone, location, motion sensors, payments or USB.
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.is_secure:  # over HTTPS only: browsers ignore it over plain HTTP
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.endpoint and not request.endpoint.startswith("static"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.before_request
    def _remember_language():
        lang = request.args.get("lang")
        if lang in ("nl", "en"):
            session["lang"] = lang
