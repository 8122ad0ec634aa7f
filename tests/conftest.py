"""Fixtures: an app on a migrated database (SQLite by default, PostgreSQL when
NOVIWERK_TEST_DATABASE_URL is set), clients, a live server, and helpers that drive real flows.

The schema comes from the Alembic migrations, never from create_all: the migrations run once
per test session into a template, and each test gets a fresh copy (SQLite) or truncated
tables (PostgreSQL).
"""

from __future__ import annotations

import contextvars
import functools
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

PG_URL = os.environ.get("NOVIWERK_TEST_DATABASE_URL", "")
# The real programme table and sample werkplaatsen: ../shared/data beside the repository, as
# seed-demo finds them, or under NOVIWERK_SHARED.
SHARED_DATA = (
    Path(os.environ.get("NOVIWERK_SHARED") or Path(__file__).resolve().parents[2] / "shared")
    / "data"
)
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


def _base_config(url: str) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "RATELIMIT_ENABLED": False,
        "SECRET_KEY": "test-secret",
        "SERVER_NAME": None,
        # No PDF and docx printed ahead after every save: tests that want it switch it on.
        "NOVIWERK_EXPORT_PRERENDER": False,
    }


def _migrate(url: str, instance: Path) -> None:
    from flask_migrate import upgrade

    from noviwerk import create_app

    app = create_app(_base_config(url))
    with app.app_context():
        upgrade()
        from noviwerk.extensions import db

        db.engine.dispose()


@pytest.fixture(scope="session")
def _instance_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("instance")
    os.environ["NOVIWERK_INSTANCE_PATH"] = str(path)
    return path


@pytest.fixture(scope="session")
def _template_db(_instance_dir, tmp_path_factory) -> str:
    if PG_URL:
        engine = sa.create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
        _migrate(PG_URL, _instance_dir)
        return PG_URL
    path = tmp_path_factory.mktemp("db") / "template.sqlite"
    _migrate(f"sqlite:///{path}", _instance_dir)
    return str(path)


@pytest.fixture
def database_url(_template_db, tmp_path) -> str:
    if PG_URL:
        engine = sa.create_engine(PG_URL)
        with engine.begin() as conn:
            tables = (
                conn.execute(
                    sa.text(
                        "SELECT tablename FROM pg_tables WHERE schemaname='public' "
                        "AND tablename <> 'alembic_version'"
                    )
                )
                .scalars()
                .all()
            )
            if tables:
                quoted = ", ".join(f'"{t}"' for t in tables)
                conn.execute(sa.text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
        engine.dispose()
        return PG_URL
    path = tmp_path / "test.sqlite"
    shutil.copy(_template_db, path)
    return f"sqlite:///{path}"


def shared_data(name: str) -> Path:
    """A file of ../shared/data; a test that needs it fails, loudly, when it is not there:
    a skip would hide that the real files were never imported."""
    path = SHARED_DATA / name
    if not path.is_file():
        pytest.fail(
            f"{path} is missing: clone the project with shared/ beside it, "
            "or set NOVIWERK_SHARED to the folder that holds data/",
            pytrace=False,
        )
    return path


@pytest.fixture
def needs_shared_data(monkeypatch) -> Path:
    """The demo's programme table and sample werkplaatsen, where seed-demo looks for them too."""
    from noviwerk.services import demo

    for name in (demo.DEMO_PROGRAMME_FILE, demo.DEMO_SAMPLE_FILE):
        shared_data(name)
    if os.environ.get("NOVIWERK_SHARED"):
        monkeypatch.setenv("NOVIWERK_DEMO_DATA", str(SHARED_DATA))
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _cheap_password_hashes(monkeypatch):
    """Store test passwords with a cheap hash: scrypt costs most of a second per user and per
    log-in on a busy machine. Log-in still checks the stored hash through the real form."""
    from werkzeug.security import generate_password_hash

    monkeypatch.setattr(
        "noviwerk.models.core.generate_password_hash",
        functools.partial(generate_password_hash, method="pbkdf2:sha256:1000"),
    )


class IsolatedClient(FlaskClient):
    """A test client whose every request gets its own app context, ``g`` and db session,
    as in a real server; the test's own app context (for services and asserts) stays apart."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def app(database_url):
    from noviwerk import create_app
    from noviwerk.extensions import db

    app = create_app(_base_config(database_url))
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        watcher = app.extensions.get("noviwerk_live")  # web/wall.py: a live server's waits
        if watcher is not None:
            watcher.stop()
        from noviwerk.services import recent_changes

        recent_changes.forget()  # the next test's werkplaats gets this one's id and seqs
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- helpers that drive real flows ------------------------------------------------------


def csrf_token(client, url: str = "/") -> str:
    html = client.get(url).get_data(as_text=True)
    m = CSRF_RE.search(html)
    assert m, f"no CSRF token on {url}"
    return m.group(1) or m.group(2)


def post_form(client, url: str, data: dict | None = None, page: str | None = None, **kw):
    """POST like a browser: with the CSRF token of the page the form is on."""
    data = dict(data or {})
    data.setdefault("csrf_token", csrf_token(client, page or "/"))
    return client.post(url, data=data, **kw)


TWO_POSTS = ("Meer ruimte voor water in de stad", "Bodemdaling in het veenweidegebied gaat door")


class World:
    """Builds users, a programme and werkplaatsen through the services."""

    def __init__(self, app):
        self.app = app

    def user(
        self, email="fac@example.test", role="facilitator", name=None, password="geheim-wachtwoord"
    ):
        from noviwerk.services import accounts

        return accounts.create_user(email, name or email.split("@")[0].title(), password, role)

    def programme(self, name="Werkplaatsen NOVI test", themes=("Klimaat", "Natuur"), owner=None):
        """A programme; ``owner`` (a user) becomes its eigenaar, as when they make it."""
        from noviwerk.services import programmes

        return programmes.create_programme(name, themes=themes, owner=owner)

    def werkplaats(
        self, programme=None, title="Water verbindt", facilitators=(), trekkers=(), rounds=True
    ):
        from datetime import datetime

        from noviwerk.services import werkplaatsen
        from noviwerk.services.rounds import rounds_from_template

        programme = programme or self.programme()
        w = werkplaatsen.save_werkplaats(
            programme,
            title=title,
            starts_at=datetime(2026, 11, 22, 10, 0),
            place="Den Haag",
            theme_id=programme.themes[0].id if programme.themes else None,
            organisation="Unie v. Waterschappen",
            facilitator_ids=[u.id for u in facilitators],
            trekker_ids=[u.id for u in trekkers],
        )
        if rounds:
            rounds_from_template(w)
        return w

    def open_werkplaats(self, werkplaats, round_position: int | None = 1):
        from noviwerk.services import werkplaatsen
        from noviwerk.services.rounds import open_round

        werkplaatsen.open_werkplaats(werkplaats)
        if round_position:
            rnd = next(r for r in werkplaats.rounds if r.position == round_position)
            open_round(werkplaats, rnd.id)
        return werkplaats

    def phone(self, werkplaats, **profile) -> Phone:
        """A participant's phone that has joined ``werkplaats`` by its code."""
        return Phone.join(self.app, werkplaats.join_code, **profile)

    def live(self, **kw):
        """A facilitator, and an open werkplaats with round 1 open."""
        fac = self.user()
        w = self.werkplaats(facilitators=[fac], **kw)
        self.open_werkplaats(w)
        return fac, w

    def with_posts(self, texts=TWO_POSTS):
        """A facilitator, a trekker (Tineke Trekker) and an open werkplaats where each text
        was posted in round 1 from a phone of its own (veld maatschappelijk)."""
        from noviwerk.services import participation

        fac = self.user()
        trekker = self.user("trek@example.test", role="trekker", name="Tineke Trekker")
        w = self.werkplaats(facilitators=[fac], trekkers=[trekker])
        self.open_werkplaats(w)
        for i, text in enumerate(texts):
            p = participation.join(w, display_name=f"Deelnemer {i}", veld="maatschappelijk")
            participation.post_contribution(p, w.rounds[0].id, text, client_key=f"k{i}")
        return fac, trekker, w


def fresh():
    """End the test's read transaction so it sees what requests committed since."""
    from noviwerk.extensions import db

    db.session.rollback()


def contributions(werkplaats=None) -> list:
    """Every contribution as committed now (of one werkplaats, if given), oldest first."""
    from noviwerk.extensions import db
    from noviwerk.models import Contribution

    fresh()
    query = sa.select(Contribution).order_by(Contribution.id)
    if werkplaats is not None:
        query = query.where(Contribution.werkplaats_id == werkplaats.id)
    return list(db.session.scalars(query))


def statements(fn, match: str | None = None) -> tuple[int, object]:
    """(SQL statements run while ``fn`` runs, only those containing ``match`` if given;
    ``fn``'s result)."""
    from noviwerk.extensions import db

    count = [0]

    def tick(_conn, _cursor, statement, *_a):
        count[0] += match is None or match in statement

    sa.event.listen(db.engine, "before_cursor_execute", tick)
    try:
        result = fn()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", tick)
    return count[0], result


def set_round(werkplaats, index: int, state=None, **settings) -> None:
    """Change a round as the regie does, through the services: its settings (kind,
    is_support_allowed, is_premoderated, votes_per_participant, grace_seconds) and, if given,
    its state (open or closed). The phones hear of it through the state version."""
    from noviwerk.domain import RoundState
    from noviwerk.services import rounds

    fresh()
    rnd = werkplaats.rounds[index]
    current = {
        "kind": rnd.kind,
        "is_support_allowed": rnd.is_support_allowed,
        "is_premoderated": rnd.is_premoderated,
        "votes_per_participant": rnd.votes_per_participant,
        "grace_seconds": rnd.grace_seconds,
    }
    if settings:
        rounds.configure(werkplaats, rnd.id, **(current | settings))
    if state == RoundState.OPEN:
        rounds.open_round(werkplaats, rnd.id)
    elif state == RoundState.GESLOTEN:
        rounds.close_round(werkplaats, rnd.id)
    elif state is not None:
        raise ValueError(f"set_round opens or closes a round, not {state!r}")


@pytest.fixture
def world(app) -> World:
    return World(app)


def login(client, email="fac@example.test", password="geheim-wachtwoord"):
    r = post_form(client, "/login", {"email": email, "password": password}, page="/login")
    assert r.status_code == 303, r.get_data(as_text=True)
    return r


def werkplaats_url(werkplaats, page: str, tail: str = "") -> str:
    """A facilitator's page of a werkplaats: ``regie``, ``bouwsteen``, ``ansichtkaart``…"""
    return f"/f/werkplaatsen/{werkplaats.id}/{page}{tail}"


def bouwsteen_url(werkplaats, tail: str = "") -> str:
    return werkplaats_url(werkplaats, "bouwsteen", tail)


def make_bouwsteen(client, werkplaats) -> None:
    """Press "Conceptbouwsteen maken" on the werkplaats' bouwsteen page: the draft, version 1."""
    r = post_form(client, bouwsteen_url(werkplaats, "/maken"), page=bouwsteen_url(werkplaats))
    assert r.status_code == 303, r.get_data(as_text=True)


def ansichtkaart_url(werkplaats, tail: str = "") -> str:
    return werkplaats_url(werkplaats, "ansichtkaart", tail)


def join(client, code: str, **profile) -> None:
    """Join a werkplaats on a 'phone' (a test client) as a participant."""
    r = client.get(f"/w/{code}")
    assert r.status_code in (302, 303), r.status_code
    r = post_form(client, f"/w/{code}/welkom", profile, page=f"/w/{code}/welkom")
    assert r.status_code == 303, r.get_data(as_text=True)


class Phone:
    """A participant's phone over real HTTP: a test client of its own (so its own cookies),
    joined to one werkplaats by code. It sends what the phone's forms send: the round id and
    client key of the page it shows, and the CSRF token."""

    ROUND_ID = re.compile(r'name="round_id" form="post-form" id="round-id" value="(\d*)"')
    CLIENT_KEY = re.compile(r'name="client_key" type="hidden" value="([^"]+)"')

    def __init__(self, client, code: str):
        """Speak for a client that has joined ``code`` already (see ``Phone.join``)."""
        self.client = client
        self.code = code
        self.url = f"/w/{code}"

    @classmethod
    def join(cls, app, code: str, **profile) -> Phone:
        client = app.test_client()
        join(client, code, **profile)
        return cls(client, code)

    def page(self) -> str:
        r = self.client.get(self.url)
        assert r.status_code == 200, r.status_code
        return r.get_data(as_text=True)

    def post(self, text, *, round_id=None, label=None, key=None, htmx=False, page=None):
        """Send a contribution from the page the phone shows (or ``page``, what it had open);
        ``round_id``, ``label`` and ``key`` override what that form would send."""
        page = page if page is not None else self.client.get(self.url).get_data(as_text=True)
        if round_id is None:
            m = self.ROUND_ID.search(page)
            round_id = m.group(1) if m else ""  # no open round: the form has no round
        data = {
            "text": text,
            "round_id": str(round_id),
            "client_key": key or self.CLIENT_KEY.search(page).group(1),
        }
        if label is not None:
            data["label"] = label
        headers = {"HX-Request": "true"} if htmx else {}
        return post_form(self.client, f"{self.url}/bijdragen", data, page=self.url, headers=headers)

    def edit(self, contribution_id: int, text: str):
        url = f"{self.url}/bijdragen/{contribution_id}/bewerken"
        return post_form(self.client, url, {"text": text}, page=url)

    def withdraw(self, contribution_id: int):
        return post_form(
            self.client, f"{self.url}/bijdragen/{contribution_id}/intrekken", page=self.url
        )

    def support(self, contribution_id: int, on: bool | None = None):
        """+1 (or take it back); ``on`` is what the button showed, None toggles."""
        data = {} if on is None else {"on": "1" if on else "0"}
        return post_form(self.client, f"{self.url}/steun/{contribution_id}", data, page=self.url)

    def vote(self, contribution_id: int, delta: int = 1):
        """Put a dot on (or, with -1, take one off) an option of the open voting round."""
        return post_form(
            self.client, f"{self.url}/stem/{contribution_id}", {"delta": str(delta)}, page=self.url
        )


# --- a real HTTP server -----------------------------------------------------------------


class LiveServer:
    def __init__(self, app):
        from werkzeug.serving import make_server

        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(timeout=10)


@pytest.fixture
def live_server(app) -> Iterator[LiveServer]:
    with LiveServer(app) as server:
        yield server


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL, skip the markup checks: axe reads the page, which the database does not
    change, and ``make test`` has already run them on SQLite (keeps the suite in its time)."""
    if not PG_URL:
        return
    skip = pytest.mark.skip(reason="markup check: run on SQLite (pytest -m markup)")
    for item in items:
        if "markup" in item.keywords:
            item.add_marker(skip)
