"""gzip for the app's own text answers (pages, fragments, JSON), where no proxy does it.

A phone page is about a third of its size gzip-compressed. Left as they are: answers under
MIN_SIZE (a 204 to a poll has no body at all), answers already encoded (static files come
compressed from ``assets``), streamed answers and files sent as they are (downloads keep their
bytes, Content-Length and ranges), and attachments.

Compression and a secret in the page (the CSRF token) together can leak the secret to someone
who sees the encrypted traffic and can make the browser send many requests with text of
their choosing reflected in the page (BREACH). The session cookie is SameSite=Lax, so such
requests from another site carry no session; on top of that a request the browser marks as
coming from another site (``Sec-Fetch-Site: cross-site``/``same-site``) gets its answer
uncompressed. Our own pages, a typed address and a scanned QR code (``same-origin``,
``none``) get it compressed.
"""

from __future__ import annotations

import gzip

from flask import Flask, Response, request

MIN_SIZE = 1024
LEVEL = 6  # zlib's default: nearly all of level 9's gain at a fraction of the time
TYPES = ("text/", "application/json", "application/javascript", "image/svg+xml")
_OWN_SITE = (None, "same-origin", "none")


def _compressible(response: Response) -> bool:
    return (
        response.status_code >= 200
        and response.status_code not in (204, 304)
        and not response.direct_passthrough
        and not response.is_streamed
        and "Content-Encoding" not in response.headers
        and (response.mimetype or "").startswith(TYPES)
        and not response.headers.get("Content-Disposition", "").startswith("attachment")
        and (response.calculate_content_length() or 0) >= MIN_SIZE
    )


def compress(response: Response) -> Response:
    if not _compressible(response):
        return response
    response.vary.add("Accept-Encoding")
    if not request.accept_encodings["gzip"]:
        return response
    if request.headers.get("Sec-Fetch-Site") not in _OWN_SITE:
        return response
    response.set_data(gzip.compress(response.get_data(), compresslevel=LEVEL, mtime=0))
    response.content_encoding = "gzip"
    if response.headers.get("ETag") and not response.headers["ETag"].startswith("W/"):
        # The same content, another encoding: a weak validator says so.
        response.headers["ETag"] = "W/" + response.headers["ETag"]
    return response


def init_app(app: Flask) -> None:
    """Compress after every other after_request hook has had its say (Flask runs them in
    reverse order of registration, so the first one runs last)."""
    app.after_request_funcs.setdefault(None, []).insert(0, compress)
