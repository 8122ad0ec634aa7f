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


@pytest.fixture
def phone_whose_connection_closed(world, database_url):
    """``(ping_idle) -> (phone, code)``: a joined phone of its own app, whose one
    pooled connection PostgreSQL then ended, as a restart would."""
    apps = []

    def make(ping_idle: float):
        _fac, w = world.live()
        app = create_app(_base_config(database_url) | {"NOVIWERK_DB_PING_IDLE_SECONDS": ping_idle})
        app.test_client_class = IsolatedClient
        apps.append(app)
        phone = app.test_client()
        join(phone, w.join_code, display_name="Anna")
        with app.app_context():
            pid = db.session.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
            db.session.remove()  # back to the pool, idle
            assert db.engine.pool.checkedin() == 1
        db.session.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        db.session.rollback()
        return phone, w.join_code

    yield make
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def test_a_connection_closed_while_idle_is_replaced_before_use(phone_whose_connection_closed):
    phone, code = phone_whose_connection_closed(ping_idle=0.0)
    r = phone.get(f"/w/{code}")
    assert r.status_code == 200 and "Jouw bijdragen" in r.get_data(as_text=True)  # the phone page


def test_without_the_idle_test_the_same_request_fails(phone_whose_connection_closed):
    """The control: a connection used within the idle time is trusted as it is."""
    phone, code = phone_whose_connection_closed(ping_idle=3600.0)
    with pytest.raises(sa.exc.OperationalError):
        phone.get(f"/w/{code}")
    r = phone.get(f"/w/{code}")  # the pool dropped the dead connection: the next works
    assert r.status_code == 200
