"""Configuration: safe defaults plus NOVIWERK_* / DATABASE_URL / SECRET_KEY from the environment."""

from __future__ import annotations

import logging
import os
import secrets
import stat
import time
from datetime import timedelta
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def _tighten(path: Path, mode: int) -> None:
    """Take from ``path`` every permission beyond ``mode``: what an older install, a copy or
    a restore left readable by others. Where it cannot (not our file), say so and go on."""
    try:
        if stat.S_IMODE(path.stat().st_mode) & ~mode:
            path.chmod(mode)
    except FileNotFoundError:
        pass
    except OSError as e:
        logging.getLogger("noviwerk").warning("could not make %s private: %s", path, e)


def private_dir(path: Path, *, create: bool = True) -> Path:
    """``path`` as a directory only the app's user can open (0700), made if missing (and
    ``create``; the export cache is made by its first file, ``export/cache.py``)."""
    if create:
        path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    _tighten(path, PRIVATE_DIR)
    return path


def private_sqlite(url: str, instance_path: str) -> None:
    """The SQLite database file of ``url`` readable by the app's user only (0600): made
    empty before SQLite makes it with the umask's 0644, or tightened if it was. SQLite gives
    its -wal and -shm files the database file's permissions. A relative path is under
    ``instance_path``, as Flask-SQLAlchemy reads it."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return
    if parsed.database.startswith("file:"):
        return  # a URI filename with its own options: left to whoever wrote it
    path = Path(instance_path) / parsed.database  # an absolute database path stays itself
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except FileExistsError:
        pass
    except OSError as e:  # a directory that does not exist yet: SQLite will say so itself
        logging.getLogger("noviwerk").warning("could not make %s: %s", path, e)
    for suffix in ("", "-wal", "-shm", "-journal"):
        _tighten(path.with_name(path.name + suffix), PRIVATE_FILE)


def _secret_key(instance_path: str) -> str:
    """Use SECRET_KEY if set; otherwise keep a generated key under instance/ so sessions
    (and the phones' memory of who they are) survive a restart."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = private_dir(Path(instance_path)) / "secret_key"
    try:
        # O_EXCL: of several workers starting at once, exactly one writes the key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        _tighten(path, PRIVATE_FILE)
    else:
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    for _attempt in range(50):
        key = path.read_text().strip()
        if key:
            return key
        time.sleep(0.02)  # the writer has created the file but not written yet
    raise RuntimeError(f"empty secret key file: {path}")


def database_url(instance_path: str) -> str:
    url = os.environ.get("DATABASE_URL") or os.environ.get("NOVIWERK_DATABASE_URL")
    if url:
        # Accept the common Heroku-style scheme and use psycopg 3.
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://") :]
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        return url
    return "sqlite:///" + str(Path(instance_path) / "noviwerk.sqlite")


def load(app) -> None:
    env = os.environ
    app.config.from_mapping(
        SECRET_KEY=_secret_key(app.instance_path),
        SQLALCHEMY_DATABASE_URI=database_url(app.instance_path),
        # Workshop pages stay open for hours: tie the CSRF token to the session, not the clock.
        WTF_CSRF_TIME_LIMIT=None,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=env.get("NOVIWERK_SECURE_COOKIES", "0") == "1",
        PERMANENT_SESSION_LIFETIME=timedelta(days=int(env.get("NOVIWERK_SESSION_DAYS", "14"))),
        # The cookie is sent again only when the session changes, not on every answer: a
        # room's phones poll every few seconds, and re-signing the cookie for each of those
        # answers is work (and bytes) for nothing. Sessions then end that many days after
        # joining or logging in, not after the last visit.
        SESSION_REFRESH_EACH_REQUEST=False,
        REMEMBER_COOKIE_SAMESITE="Lax",
        RATELIMIT_STORAGE_URI=env.get("NOVIWERK_RATELIMIT_STORAGE", "memory://"),
        RATELIMIT_ENABLED=env.get("NOVIWERK_RATELIMIT", "1") == "1",
        BABEL_DEFAULT_LOCALE="nl",
        BABEL_DEFAULT_TIMEZONE=env.get("NOVIWERK_TIMEZONE", "Europe/Amsterdam"),
        NOVIWERK_PUBLIC_URL=env.get("NOVIWERK_PUBLIC_URL", ""),
        NOVIWERK_DEMO=env.get("NOVIWERK_DEMO", "0") == "1",
        # Seconds between a phone's state checks and a wall's checks for new contributions.
        NOVIWERK_PHONE_POLL_SECONDS=int(env.get("NOVIWERK_PHONE_POLL_SECONDS", "5")),
        NOVIWERK_WALL_POLL_MS=int(env.get("NOVIWERK_WALL_POLL_MS", "500")),
        # How long a process trusts its cached "has this werkplaats changed?" answer for
        # the phones' polls; changes made in the same process clear it at once.
        NOVIWERK_STATE_CACHE_SECONDS=float(env.get("NOVIWERK_STATE_CACHE_SECONDS", "1")),
        # Bouwsteen PDF and docx (services/export_jobs.py): printed in a child process, kept
        # under this directory by content (empty: instance/exports), and printed ahead in
        # the background whenever a new version is saved.
        NOVIWERK_EXPORT_CACHE_DIR=env.get("NOVIWERK_EXPORT_CACHE_DIR", ""),
        NOVIWERK_EXPORT_IN_CHILD=env.get("NOVIWERK_EXPORT_IN_CHILD", "1") == "1",
        NOVIWERK_EXPORT_PRERENDER=env.get("NOVIWERK_EXPORT_PRERENDER", "1") == "1",
        MAX_CONTENT_LENGTH=int(env.get("NOVIWERK_MAX_UPLOAD_BYTES", str(5 * 1024 * 1024))),
    )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        threads = int(env.get("NOVIWERK_DB_POOL_SIZE", "10"))
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_size": threads,
            "max_overflow": 5,
            "pool_pre_ping": True,
        }
