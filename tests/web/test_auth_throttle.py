"""Failed log-ins are throttled per IP address and per e-mail address (known or unknown),
with a Retry-After header and a Dutch message; successful ones cost nothing."""

from __future__ import annotations

import pytest

from tests.conftest import IsolatedClient, _base_config, login, post_form


@pytest.fixture
def app(database_url):
    """The app with rate limits on, as in production (the suite switches them off)."""
    from noviwerk import create_app
    from noviwerk.extensions import db

    app = create_app({**_base_config(database_url), "RATELIMIT_ENABLED": True})
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _try(client, email, password="fout-wachtwoord-123", ip="10.0.0.1"):
    return post_form(
        client,
        "/login",
        {"email": email, "password": password},
        page="/login",
        environ_base={"REMOTE_ADDR": ip},
    )


def _assert_throttled(r):
    assert r.status_code == 429
    retry = int(r.headers["Retry-After"])
    assert 1 <= retry <= 3600
    assert "en probeer het dan opnieuw" in r.get_data(as_text=True)  # with how long to wait


def test_many_failed_logins_from_one_address_are_throttled(app, world, client):
    world.user()
    for i in range(10):
        assert _try(client, f"iemand{i}@example.test").status_code == 422
    _assert_throttled(_try(client, "iemand-anders@example.test"))
    # Even the right password waits; another address does not.
    _assert_throttled(_try(client, "fac@example.test", "geheim-wachtwoord"))
    r = _try(app.test_client(), "fac@example.test", "geheim-wachtwoord", ip="10.0.0.2")
    assert r.status_code == 303


@pytest.mark.parametrize("email", ["fac@example.test", "onbekend@example.test"])
def test_many_failed_logins_for_one_email_are_throttled_from_any_address(app, world, email):
    world.user()
    for i in range(5):
        assert _try(app.test_client(), email, ip=f"10.0.1.{i}").status_code == 422
    r = _try(app.test_client(), email.upper(), ip="10.0.1.99")  # the same address, spelled up
    _assert_throttled(r)
    assert _try(app.test_client(), "ander@example.test", ip="10.0.1.99").status_code == 422


def test_successful_logins_are_not_counted(app, world):
    world.user()
    for _i in range(7):
        login(app.test_client())


def test_the_429_answer_of_an_htmx_request_carries_retry_after_too(app, world, client):
    for i in range(10):
        _try(client, f"iemand{i}@example.test")
    r = post_form(
        client,
        "/login",
        {"email": "x@example.test", "password": "y"},
        page="/login",
        headers={"HX-Request": "true"},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )
    assert r.status_code == 429
    assert int(r.headers["Retry-After"]) >= 1
    assert "en probeer het dan opnieuw" in r.get_data(as_text=True)
