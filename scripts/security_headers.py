"""The header half of ``scripts/security-scan``, also run in the test suite
(``tests/web/test_security_headers.py``): what a response's security headers lack."""

from __future__ import annotations

import re
from collections.abc import Mapping

GOOD_REFERRER = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}


def _directives(csp: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            out[words[0].lower()] = [w.lower() for w in words[1:]]
    return out


def header_problems(headers: Mapping[str, str], cookies: list[str] = ()) -> list[str]:
    """What is missing or wrong in one response's ``headers`` (and its Set-Cookie lines)."""
    h = {k.lower(): v for k, v in headers.items()}
    problems = []
    csp = h.get("content-security-policy", "")
    if not csp:
        problems.append("no Content-Security-Policy")
    else:
        d = _directives(csp)
        scripts = d.get("script-src", d.get("default-src"))
        if scripts is None:
            problems.append("CSP: no script-src or default-src")
        elif {"'unsafe-inline'", "'unsafe-eval'", "*", "data:"} & set(scripts):
            problems.append(f"CSP: scripts allow {' '.join(scripts)}")
        if d.get("object-src") != ["'none'"]:
            problems.append("CSP: object-src is not 'none'")
        if not {"'none'", "'self'"} & set(d.get("frame-ancestors", [])):
            problems.append("CSP: no frame-ancestors 'none' or 'self'")
        if "base-uri" not in d:
            problems.append("CSP: no base-uri")
    if h.get("x-content-type-options", "").lower() != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if h.get("x-frame-options", "").upper() not in ("DENY", "SAMEORIGIN"):
        problems.append("no X-Frame-Options: DENY or SAMEORIGIN")
    referrer = h.get("referrer-policy", "").lower().split(",")[-1].strip()
    if referrer not in GOOD_REFERRER:
        problems.append(f"Referrer-Policy is {referrer or 'missing'}")
    if not h.get("permissions-policy", "").strip():
        problems.append("no Permissions-Policy")
    if re.search(r"\d", h.get("server", "")):
        problems.append(f"Server header names a version: {h['server']}")
    if "x-powered-by" in h:
        problems.append(f"X-Powered-By: {h['x-powered-by']}")
    for cookie in cookies:
        flags = {p.strip().split("=")[0].lower() for p in cookie.split(";")[1:]}
        name = cookie.split("=", 1)[0]
        if "httponly" not in flags:
            problems.append(f"cookie {name} without HttpOnly")
        if "samesite" not in flags:
            problems.append(f"cookie {name} without SameSite")
    return problems
