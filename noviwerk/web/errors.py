"""Error pages in plain Dutch; for htmx requests a small fragment instead of a whole page."""

from __future__ import annotations

from flask import Flask, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException, SecurityError

from ..services.errors import ServiceError
from . import limits
from .htmx import is_htmx, retarget


def _render(status: int, title: str, message: str):
    if is_htmx():
        response = render_template("errors/_message.html", title=title, message=message), status
        resp = make_response(response)
        # Show the message in the page's status region rather than in place of a fragment.
        return retarget(resp, "#flash", "innerHTML")
    return render_template("errors/error.html", title=title, message=message, status=status), status


def refused(e: ServiceError):
    """The answer to an action a service refused: its Dutch message, nothing changed."""
    return _render(e.status, _("Dat lukte niet"), e.message)


def _server_message() -> str:
    """Never "what you sent is stored" after a failed send: it may well not be."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return _(
            "Er ging iets mis aan onze kant. Probeer het zo opnieuw; bijdragen die al "
            "ontvangen waren, blijven bewaard."
        )
    return _(
        "Er ging iets mis aan onze kant: wat je net verstuurde is misschien niet opgeslagen. "
        "Ga terug en verstuur het opnieuw."
    )


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(_e):
        return _render(
            400,
            _("Sessie verlopen"),
            _(
                "Dit formulier is verlopen of niet van deze site. Herlaad de pagina en probeer het opnieuw."
            ),
        )

    app.register_error_handler(ServiceError, refused)

    @app.errorhandler(SecurityError)
    def _untrusted_host(_e):
        # A Host header not in TRUSTED_HOSTS: no URLs can be built for it, so plain text.
        title, message = _("Onbekend adres"), _("Deze server is niet ingesteld voor dit adres.")
        body = f"<!doctype html><html lang=nl><title>{escape(title)}</title><p>{escape(message)}"
        return body, 400, {"Content-Type": "text/html; charset=utf-8"}

    @app.errorhandler(403)
    def _forbidden(_e):
        return _render(403, _("Geen toegang"), _("Je hebt geen toegang tot deze pagina."))

    @app.errorhandler(404)
    def _not_found(_e):
        return _render(404, _("Niet gevonden"), _("Deze pagina bestaat niet (meer)."))

    @app.errorhandler(405)
    def _method(_e):
        return _render(405, _("Niet toegestaan"), _("Deze actie kan zo niet worden uitgevoerd."))

    @app.errorhandler(413)
    def _too_large(_e):
        return _render(413, _("Te groot"), _("Wat je stuurde is te groot."))

    app.register_error_handler(429, too_many)

    @app.errorhandler(500)
    def _server(_e):
        # Often the database is what failed: this page must not need it (no current_user,
        # no menu), or the user gets the server's bare English error instead.
        title = _("Er ging iets mis")
        message = _server_message()
        fragment = is_htmx()
        try:
            template = "errors/_message.html" if fragment else "errors/fatal.html"
            body = render_template(template, title=title, message=message)
        except Exception:
            # Even templates failed (a context processor reached the database): plain Dutch.
            body = f"<p><strong>{escape(title)}:</strong> {escape(message)}</p>"
            if not fragment:
                body = f"<!doctype html><html lang=nl><title>{escape(title)}</title>{body}"
        response = make_response(body, 500)
        return retarget(response, "#flash", "innerHTML") if fragment else response


def too_many(e: HTTPException):
    """429: how long to wait, in the Retry-After header and in plain Dutch."""
    seconds = limits.retry_after(e)
    if isinstance(e, limits.TooManyCodeAttempts):
        message = e.description
    else:
        message = _(
            "Je stuurt veel achter elkaar. Wacht %(wait)s en probeer het dan opnieuw.",
            wait=limits.wait_text(seconds),
        )
    response = make_response(_render(429, _("Even wachten"), message))
    response.headers["Retry-After"] = str(seconds)
    return response
