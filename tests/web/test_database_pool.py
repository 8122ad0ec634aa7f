"""PostgreSQL: a pooled connection the database closed while it sat idle (a restart, an idle
timeout, the network) is replaced before a request uses it, without an error for the user.
Connections in steady use are not tested before each use (database.configure_engine)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from noviwerk import create_app
from noviwerk.extensions import db
from tests.conftest import PG_URL, IsolatedClient, _base_config, join

pytestmark = pytest.mark.skipif(
    not PG_URL, reason="PostgreSQL only: SQLite has no server that closes a connection"
)


def _phone_app(database_url: str, ping_idle: float):
    app = create_app(_base_config(database_url) | {"NOVIWERK_DB_PING_IDLE_SECONDS": ping_idle})
    app.test_client_class = IsolatedClient
    return app


def _close_its_connection(app) -> None:
    """End the server side of the one connection in ``app``'s pool, as a restart would."""
    with app.app_context():
        pid = db.session.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
        db.session.remove()  # back to the pool, idle
        assert db.engine.pool.checkedin() == 1
    db.session.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    db.session.rollback()


def test_a_connection_closed_while_idle_is_replaced_before_use(world, database_url):
    _fac, w = world.live()
    app = _phone_app(database_url, ping_idle=0.0)
    phone = app.test_client()
    join(phone, w.join_code, display_name="Anna")
    _close_its_connection(app)
    r = phone.get(f"/w/{w.join_code}")
    assert r.status_code == 200 and "Jouw bijdragen" in r.get_data(as_text=True)  # the phone page
    with app.app_context():
        db.engine.dispose()


def test_without_the_idle_test_the_same_request_fails(world, database_url):
    """The control: a connection used within the idle time is trusted as it is."""
    _fac, w = world.live()
    app = _phone_app(database_url, ping_idle=3600.0)
    phone = app.test_client()
    join(phone, w.join_code, display_name="Anna")
    _close_its_connection(app)
    with pytest.raises(sa.exc.OperationalError):
        phone.get(f"/w/{w.join_code}")
    r = phone.get(f"/w/{w.join_code}")  # the pool dropped the dead connection: the next works
    assert r.status_code == 200
    with app.app_context():
        db.engine.dispose()
