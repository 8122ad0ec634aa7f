"""noviwerk: live co-creation werkplaatsen, from phone input to bouwsteen and ansichtkaart."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, has_request_context, request, session

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("nl", "en")


def select_locale() -> str:
    if not has_request_context():  # flask commands and background work speak Dutch
        return "nl"
    chosen = session.get("lang")
    if chosen in LOCALES:
        return chosen
    return request.accept_languages.best_match(LOCALES) or "nl"


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    import os

    if os.environ.get("NOVIWERK_INSTANCE_PATH"):
        app.instance_path = os.environ["NOVIWERK_INSTANCE_PATH"]
    from . import config

    # The database, the secret key and the exports hold personal data and the keys to
    # every session: readable by the app's own user only (0700 directories, 0600 files).
    config.private_dir(Path(app.instance_path))
    config.load(app)
    if test_config:
        app.config.update(test_config)
    config.private_sqlite(app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path)
    from .services import export_jobs

    export_jobs.configure(export_jobs.Settings.from_config(app.config, app.instance_path))
    config.private_dir(export_jobs.settings().cache_dir, create=False)

    hops = int(os.environ.get("NOVIWERK_PROXY_HOPS", "0") or 0)
    if hops:
        # Behind a reverse proxy: trust its X-Forwarded-* so client IPs (rate limits) and
        # https:// in links and QR codes are right. Never set this without a proxy in front.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from .database import configure_engine
    from .extensions import babel, csrf, db, limiter, login, migrate

    db.init_app(app)
    from .models.search import include_name

    # The full-text engines' tables and indexes are the migrations' alone (models/search.py).
    migrate.init_app(
        app, db, directory=str(ROOT / "migrations"), render_as_batch=True, include_name=include_name
    )
    from .services import search_index  # noqa: F401 - keeps the full-text index in step with writes

    csrf.init_app(app)
    from .web import limit_storage  # noqa: F401  (registers noviwerk-sqlite://)

    limiter.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    login.init_app(app)
    login.login_view = "auth.login"
    login.login_message = None  # the login page says why by itself
    with app.app_context():
        configure_engine(db.engine, app.config["NOVIWERK_DB_PING_IDLE_SECONDS"])

    @app.teardown_appcontext
    def _release_session(_exc):
        # Runs before Flask-SQLAlchemy's own teardown. If the database went away mid-request,
        # the ROLLBACK on release fails; that must not turn the Dutch error page the user
        # already got into the server's bare "Internal Server Error".
        try:
            db.session.remove()
        except Exception:
            app.logger.warning("could not release the database session", exc_info=True)
            db.session.registry.clear()  # so Flask-SQLAlchemy's own teardown finds nothing to roll back

    from .services.accounts import user_for_session

    login.user_loader(user_for_session)

    @login.unauthorized_handler
    def _unauthorized():
        # A poll from a page whose login expired must not swap the login page into a
        # fragment: send the whole page there instead.
        from flask import redirect, url_for

        from .web.htmx import is_htmx, redirect_after_post

        if is_htmx():
            return redirect_after_post(url_for("auth.login"))
        return redirect(
            url_for("auth.login", next=request.full_path if request.method == "GET" else None)
        )

    from .web import register

    register(app)

    from .cli import register as register_cli

    register_cli(app)
    if app.config.get("WARM_DICTIONARIES", not app.testing):
        _warm_dictionaries()
    if app.config.get("NOVIWERK_AVG_DAILY", not app.testing):
        _clean_up_daily(app)
    return app


def _clean_up_daily(app: Flask) -> None:
    """Remove participants' data past its retention period (services/avg) at start and then
    daily, in a background thread of each serving process. Started by the process's first
    request, not here: gunicorn makes the app in its master and forks the workers, and a
    thread (or a database connection) of the master does not belong in them; flask commands
    serve no requests and so start nothing."""
    import threading
    import time

    once = threading.Lock()  # taken by the first request, never given back

    @app.before_request
    def _start_once():
        if not once.acquire(blocking=False):
            return

        def run():
            from .services import audit, avg

            while True:
                try:
                    with app.app_context():
                        count = avg.clean_up()
                        audit.forget_addresses()
                    if count:
                        app.logger.info("AVG: removed %d participants' names (retention)", count)
                except Exception:
                    app.logger.exception("AVG: clean-up failed; trying again tomorrow")
                time.sleep(24 * 3600)

        threading.Thread(target=run, name="noviwerk-avg-clean-up", daemon=True).start()


_warming = None


def _warm_dictionaries() -> None:
    """Load the Dutch dictionaries in the background, once per process, so the first draft
    in a live room does not wait for them. A fork (gunicorn's workers, after the master made
    the app) first waits for the loading to finish: the workers then share what the master
    loaded, and no worker inherits a lock held by a thread it does not have."""
    global _warming
    if _warming is not None:
        return
    import os
    import threading

    from .synthesis.text import warm

    _warming = threading.Thread(target=warm, name="noviwerk-warm-dictionaries", daemon=True)
    _warming.start()
    os.register_at_fork(before=_warming.join)
