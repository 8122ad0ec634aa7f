"""Configuration: safe defaults plus NOVIWERK_* / DATABASE_URL / SECRET_KEY from the environment."""

from __future__ import annotations

import logging
import os
import re
import secrets
import stat
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

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


def trusted_hosts(raw: str, public_url: str) -> list[str] | None:
    """The host names the app answers to (Flask's TRUSTED_HOSTS; any other Host header gets
    400, so no link or QR code is ever built on a host an attacker sent): those listed in
    NOVIWERK_TRUSTED_HOSTS (".example.nl" takes its subdomains too), else localhost and
    127.0.0.1; and always the host of NOVIWERK_PUBLIC_URL. "*" answers any host: only for
    behind a proxy that checks the Host header itself."""
    names = [n.lower() for n in re.split(r"[,\s]+", raw.strip()) if n]
    if names == ["*"]:
        return None
    names = names or ["localhost", "127.0.0.1"]
    host = urlsplit(public_url).hostname
    if host and host not in names:
        names.append(host)
    return names


def _shared_limits(instance_path: str) -> str:
    """Rate-limit counts: in memory with one server process; with several, in a file of the
    instance that they share (web/limit_storage.py), on either database: per-process counts
    would give a phone each limit once per process, and ``limits``' memory storage starts a
    thread to expire them every few requests. Processes on several machines need
    NOVIWERK_RATELIMIT_STORAGE (Redis)."""
    if int(os.environ.get("NOVIWERK_WORKERS") or 1) > 1:
        return "noviwerk-sqlite:///" + str(Path(instance_path) / "ratelimits.sqlite")
    return "memory://"


def load(app) -> None:
    env = os.environ
    secure = env.get("NOVIWERK_SECURE_COOKIES", "0") == "1"
    app.config.from_mapping(
        SECRET_KEY=_secret_key(app.instance_path),
        SQLALCHEMY_DATABASE_URI=database_url(app.instance_path),
        # Workshop pages stay open for hours: tie the CSRF token to the session, not the clock.
        WTF_CSRF_TIME_LIMIT=None,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=secure,
        # Over HTTPS the "__Host-" prefix makes browsers refuse the cookie unless it is
        # Secure, for this host only and for every path: no subdomain or plain-HTTP page
        # can set or shadow it. Browsers drop a "__Host-" cookie sent without Secure, so
        # over plain HTTP (make run) the name stays Flask's "session".
        SESSION_COOKIE_NAME="__Host-session" if secure else "session",
        TRUSTED_HOSTS=trusted_hosts(
            env.get("NOVIWERK_TRUSTED_HOSTS", ""), env.get("NOVIWERK_PUBLIC_URL", "")
        ),
        PERMANENT_SESSION_LIFETIME=timedelta(days=int(env.get("NOVIWERK_SESSION_DAYS", "14"))),
        # The cookie is sent again only when the session changes, not on every answer: a
        # room's phones poll every few seconds, and re-signing the cookie for each of those
        # answers is work (and bytes) for nothing. Sessions then end that many days after
        # joining or logging in, not after the last visit.
        SESSION_REFRESH_EACH_REQUEST=False,
        REMEMBER_COOKIE_SAMESITE="Lax",
        RATELIMIT_STORAGE_URI=env.get("NOVIWERK_RATELIMIT_STORAGE")
        or _shared_limits(app.instance_path),
        RATELIMIT_ENABLED=env.get("NOVIWERK_RATELIMIT", "1") == "1",
        # Join codes and rooms (web/limits.py, services/joining.py): wrong codes one IP (a
        # whole venue) may type; code checks per IP once those are spent; and how many
        # participants a werkplaats takes unless its facilitator set another number.
        NOVIWERK_WRONG_CODES=env.get("NOVIWERK_WRONG_CODES", "300 per 10 minutes"),
        NOVIWERK_CODE_CHECKS_WHILE_GUESSING=env.get(
            "NOVIWERK_CODE_CHECKS_WHILE_GUESSING", "60 per minute"
        ),
        NOVIWERK_PARTICIPANT_LIMIT=int(env.get("NOVIWERK_PARTICIPANT_LIMIT", "100")),
        BABEL_DEFAULT_LOCALE="nl",
        BABEL_DEFAULT_TIMEZONE=env.get("NOVIWERK_TIMEZONE", "Europe/Amsterdam"),
        NOVIWERK_PUBLIC_URL=env.get("NOVIWERK_PUBLIC_URL", ""),
        NOVIWERK_DEMO=env.get("NOVIWERK_DEMO", "0") == "1",
        # Seconds between a phone's state checks and a wall's checks for new contributions.
        NOVIWERK_PHONE_POLL_SECONDS=int(env.get("NOVIWERK_PHONE_POLL_SECONDS", "5")),
        # A big room's phones poll less often, so that their polls stay near this many a
        # second per werkplaats (0: never), at most every POLL_MAX seconds.
        NOVIWERK_PHONE_POLLS=float(env.get("NOVIWERK_PHONE_POLLS", "100")),
        NOVIWERK_PHONE_POLL_MAX=int(env.get("NOVIWERK_PHONE_POLL_MAX", "10")),
        NOVIWERK_WALL_POLL_MS=int(env.get("NOVIWERK_WALL_POLL_MS", "500")),
        # In a big room the phones' lists of others' input may lag, so that their refreshes
        # stay near this many a second per werkplaats (0: never lag), by at most LAG_MAX s.
        NOVIWERK_PHONE_LIST_REFRESHES=float(env.get("NOVIWERK_PHONE_LIST_REFRESHES", "60")),
        NOVIWERK_PHONE_LIST_LAG_MAX=float(env.get("NOVIWERK_PHONE_LIST_LAG_MAX", "20")),
        # Push for walls, beamer and regie (services/live.py): a held "wake me when the
        # werkplaats moves" request, at most NOVIWERK_PUSH_MAX at once per process (0: none,
        # screens poll), each held at most NOVIWERK_PUSH_HOLD_SECONDS. While screens wait,
        # one thread per process looks for changes every NOVIWERK_PUSH_WATCH_SECONDS.
        NOVIWERK_PUSH_MAX=int(
            env.get("NOVIWERK_PUSH_MAX") or max(1, int(env.get("NOVIWERK_THREADS") or 32) - 8)
        ),
        NOVIWERK_PUSH_HOLD_SECONDS=float(env.get("NOVIWERK_PUSH_HOLD_SECONDS", "25")),
        NOVIWERK_PUSH_WATCH_SECONDS=float(env.get("NOVIWERK_PUSH_WATCH_SECONDS", "0.05")),
        # A woken screen fetches what changed, then waits again after at least
        # NOVIWERK_PUSH_GAP_MS; NOVIWERK_PUSH_BUSY_GAP_MS while its process has
        # NOVIWERK_PUSH_BUSY_BACKLOG or more requests queued (serving.backlog): in a full
        # room a screen's fetches would otherwise take turns from the phones.
        NOVIWERK_PUSH_GAP_MS=int(env.get("NOVIWERK_PUSH_GAP_MS", "100")),
        NOVIWERK_PUSH_BUSY_GAP_MS=int(env.get("NOVIWERK_PUSH_BUSY_GAP_MS", "500")),
        NOVIWERK_PUSH_BUSY_BACKLOG=int(env.get("NOVIWERK_PUSH_BUSY_BACKLOG", "4")),
        # ... and at least NOVIWERK_PUSH_VOTE_GAP_MS while a vote is open: every dot moves
        # the cursor, the walls show no vote, the beamer only "n stemmen uitgebracht".
        NOVIWERK_PUSH_VOTE_GAP_MS=int(env.get("NOVIWERK_PUSH_VOTE_GAP_MS", "1000")),
        # Seconds each page of cards stays on the beamer when they do not fit on one.
        NOVIWERK_BEAMER_PAGE_SECONDS=int(env.get("NOVIWERK_BEAMER_PAGE_SECONDS", "12")),
        # How long a process trusts its cached "has this werkplaats changed?" answer for
        # the phones' polls; changes made in the same process clear it at once.
        NOVIWERK_STATE_CACHE_SECONDS=float(env.get("NOVIWERK_STATE_CACHE_SECONDS", "1")),
        # Bouwsteen PDF and docx (services/export_jobs.py): printed in a child process, kept
        # under this directory by content (empty: instance/exports), and printed ahead in
        # the background whenever a new version is saved.
        NOVIWERK_EXPORT_CACHE_DIR=env.get("NOVIWERK_EXPORT_CACHE_DIR", ""),
        NOVIWERK_EXPORT_IN_CHILD=env.get("NOVIWERK_EXPORT_IN_CHILD", "1") == "1",
        NOVIWERK_EXPORT_PRERENDER=env.get("NOVIWERK_EXPORT_PRERENDER", "1") == "1",
        # Mail for invitations and password-reset links (services/mail.py). Without a host
        # the beheerder copies each link from the page and sends it on themselves.
        NOVIWERK_SMTP_HOST=env.get("NOVIWERK_SMTP_HOST", ""),
        NOVIWERK_SMTP_PORT=int(env.get("NOVIWERK_SMTP_PORT", "587")),
        NOVIWERK_SMTP_USER=env.get("NOVIWERK_SMTP_USER", ""),
        NOVIWERK_SMTP_PASSWORD=env.get("NOVIWERK_SMTP_PASSWORD", ""),
        NOVIWERK_SMTP_FROM=env.get("NOVIWERK_SMTP_FROM", ""),
        NOVIWERK_SMTP_SECURITY=env.get("NOVIWERK_SMTP_SECURITY", "starttls"),
        NOVIWERK_INVITATION_DAYS=int(env.get("NOVIWERK_INVITATION_DAYS", "7")),
        MAX_CONTENT_LENGTH=int(env.get("NOVIWERK_MAX_UPLOAD_BYTES", str(5 * 1024 * 1024))),
        # Records one import file may hold (table rows; werkplaatsen and contributions).
        NOVIWERK_IMPORT_MAX_ROWS=int(env.get("NOVIWERK_IMPORT_MAX_ROWS", "20000")),
        # PostgreSQL: a pooled connection idle this long is tested before use (database.py).
        NOVIWERK_DB_PING_IDLE_SECONDS=float(env.get("NOVIWERK_DB_PING_IDLE_SECONDS", "10")),
    )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        threads = int(env.get("NOVIWERK_DB_POOL_SIZE", "10"))
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_size": threads,
            "max_overflow": 5,
            # Not before every use (1.3 ms of CPU a request): database.configure_engine
            # tests a connection that sat idle NOVIWERK_DB_PING_IDLE_SECONDS.
            "pool_pre_ping": False,
        }
