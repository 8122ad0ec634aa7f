"""Public addresses printed for people outside the app: the join link in a QR code, the
bouwsteen's share link. ``NOVIWERK_PUBLIC_URL`` wins over the request's host, so a QR made
behind a proxy points where phones can reach. Without it the request's host is used, which
Flask has checked against TRUSTED_HOSTS (``config.trusted_hosts``) before any view runs: a
forged Host header gets 400, never a QR code or share link that points elsewhere."""

from __future__ import annotations

from flask import current_app, url_for


def public_url(endpoint: str, **values) -> str:
    base = current_app.config["NOVIWERK_PUBLIC_URL"].rstrip("/")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, **values, _external=True)


def join_url(code: str) -> str:
    return public_url("participant.qr_entry", code=code)
