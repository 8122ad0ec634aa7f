"""What every answer carries and what it never does: a Permissions-Policy, HSTS over HTTPS,
a "__Host-" session cookie over HTTPS, no server banner, and no link or QR code built on a
Host header that is not ours."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from noviwerk.config import trusted_hosts
from tests.conftest import _base_config, join, login, werkplaats_url


@pytest.fixture
def live(world):
    _fac, w = world.live()
    return w


def test_every_page_has_a_permissions_policy_and_no_hsts_over_plain_http(client):
    r = client.get("/")
    assert "camera=()" in r.headers["Permissions-Policy"]
    assert "geolocation=()" in r.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in r.headers


def test_hsts_over_https(client):
    r = client.get("/", base_url="https://localhost")
    assert r.headers["Strict-Transport-Security"].startswith("max-age=")


def test_a_forged_host_gets_no_qr_code_or_join_link(client, live):
    login(client)
    for url in (werkplaats_url(live, "beamer"), werkplaats_url(live, "qr.svg")):
        r = client.get(url, headers={"Host": "evil.example"})
        assert r.status_code == 400, url
        body = r.get_data(as_text=True)
        assert "evil.example" not in body and "niet ingesteld voor dit adres" in body
    r = client.get(werkplaats_url(live, "beamer"))
    assert r.status_code == 200 and "<strong>localhost</strong>" in r.get_data(as_text=True)


def test_the_public_url_wins_and_its_host_is_trusted(client, live, app):
    app.config["NOVIWERK_PUBLIC_URL"] = "https://werkplaats.example.nl"
    login(client)
    html = client.get(werkplaats_url(live, "beamer")).get_data(as_text=True)
    assert "<strong>werkplaats.example.nl</strong>" in html
    assert trusted_hosts("", "https://werkplaats.example.nl/") == [
        "localhost",
        "127.0.0.1",
        "werkplaats.example.nl",
    ]


@contextmanager
def _second_app(database_url):
    """An app of its own (read from the environment as set), its connections closed after."""
    from noviwerk import create_app
    from noviwerk.extensions import db

    app = create_app(_base_config(database_url))
    try:
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()


def test_trusted_hosts_come_from_the_environment(monkeypatch, database_url):
    monkeypatch.setenv("NOVIWERK_TRUSTED_HOSTS", "noviwerk.intern, .example.nl")
    with _second_app(database_url) as app:
        client = app.test_client()
        assert client.get("/", headers={"Host": "noviwerk.intern:8000"}).status_code == 200
        assert client.get("/", headers={"Host": "a.example.nl"}).status_code == 200
        assert client.get("/", headers={"Host": "localhost"}).status_code == 400
    assert trusted_hosts("*", "") is None  # behind a proxy that checks the host itself


def test_over_https_the_session_cookie_is_host_only_and_secure(monkeypatch, database_url, world):
    _fac, w = world.live()
    monkeypatch.setenv("NOVIWERK_SECURE_COOKIES", "1")
    with _second_app(database_url) as app:
        phone = app.test_client()
        phone.get(f"/w/{w.join_code}/welkom", base_url="https://localhost")
    cookie = phone.get_cookie("__Host-session", domain="localhost")
    assert cookie is not None and cookie.secure and cookie.path == "/"
    assert not cookie.domain or cookie.domain == "localhost"
    assert phone.get_cookie("session") is None


def test_over_plain_http_the_session_cookie_keeps_its_name(client, live):
    join(client, live.join_code)
    assert client.get_cookie("session") is not None


def test_the_production_server_sends_no_banner(database_url, tmp_path):
    from tests.bench.harness import Server, app_env

    instance = tmp_path / "instance"
    instance.mkdir()
    log = tmp_path / "gunicorn.log"
    server = Server(app_env(database_url, Path(instance)), workers=1, threads=2, log=log)
    server.start()
    try:
        r = httpx.get(server.url + "/", timeout=10)
        assert r.status_code == 200
        assert "server" not in r.headers and "via" not in r.headers
        assert "Permissions-Policy" in r.headers
        bad = httpx.get(server.url + "/", headers={"Host": "evil.example"}, timeout=10)
        assert bad.status_code == 400 and "server" not in bad.headers
    finally:
        server.stop()
