"""The header half of ``scripts/security-scan``, in the test suite: every kind of response
(page, fragment, download, image, static file, error, redirect) carries the security headers
the scan asks for, and the check itself finds what it looks for. The sqlmap half runs only
in the script (minutes, and a Debian package)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from tests.conftest import login, post_form, werkplaats_url

MODULE = Path(__file__).resolve().parents[2] / "scripts" / "security_headers.py"


def _scan():
    """The scan's header check (scripts/ is no package)."""
    if "security_headers" not in sys.modules:
        spec = importlib.util.spec_from_file_location("security_headers", MODULE)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return sys.modules["security_headers"]


@pytest.fixture
def problems(app, client, world) -> dict[str, list[str]]:
    """What the scan's header check finds, by problem, on the app's kinds of response."""
    fac, w = world.live()
    phone = world.phone(w, display_name="Ans")
    responses = [client.get(p) for p in ("/", "/login", "/static/css/noviwerk.css", "/nergens")]
    responses.append(login(client))
    for tail in ("", "/regie", "/regie/status", "/beamer", "/bijdragen.csv", "/qr.svg"):
        responses.append(client.get(werkplaats_url(w, "")[:-1] + tail))
    responses.append(post_form(client, werkplaats_url(w, "regie/notitie"), {"text": "Flap"},
                               page=werkplaats_url(w, "regie")))  # fmt: skip
    responses += [phone.client.get(phone.url), phone.post("Meer groen in de wijk")]
    assert {r.status_code for r in responses} >= {200, 303, 404}
    found: dict[str, list[str]] = {}
    for r in responses:
        for problem in _scan().header_problems(r.headers, r.headers.getlist("Set-Cookie")):
            found.setdefault(problem, []).append(r.request.path)
        r.close()  # a static file or a download is streamed from an open file
    return found


def test_every_kind_of_response_carries_the_security_headers(problems):
    assert problems == {}


def test_the_check_finds_what_it_looks_for():
    check = _scan().header_problems
    good = {
        "Content-Security-Policy": "default-src 'self'; script-src 'self'; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=()",
        "Server": "waitress",
    }
    assert check(good, ["session=x; HttpOnly; Path=/; SameSite=Lax"]) == []
    bad = {
        "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'",
        "Referrer-Policy": "unsafe-url",
        "Server": "Werkzeug/3.0.1 Python/3.11.7",
        "X-Powered-By": "Flask",
    }
    assert check(bad, ["session=x; Path=/"]) == [
        "CSP: scripts allow 'self' 'unsafe-inline'",
        "CSP: object-src is not 'none'",
        "CSP: no frame-ancestors 'none' or 'self'",
        "CSP: no base-uri",
        "no X-Content-Type-Options: nosniff",
        "no X-Frame-Options: DENY or SAMEORIGIN",
        "Referrer-Policy is unsafe-url",
        "no Permissions-Policy",
        "Server header names a version: Werkzeug/3.0.1 Python/3.11.7",
        "X-Powered-By: Flask",
        "cookie session without HttpOnly",
        "cookie session without SameSite",
    ]
    assert check({}, [])[:1] == ["no Content-Security-Policy"]
