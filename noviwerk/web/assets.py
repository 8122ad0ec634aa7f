"""Static files, light on a phone: served under content-hashed names, cached for a year.

``url_for('static', filename='css/noviwerk.css')`` gives ``/static/css/noviwerk.<hash>.css``,
where the hash is that of the bytes served: a changed file gets a new URL, so a browser may
keep every hashed file for ever and never ask again (``immutable``). The unhashed URL still
answers, cached for minutes only. A hashed name whose hash is not the current one (a page
loaded before a deploy) gets today's file, also cached briefly, rather than a 404.

Each file is read once per process: our own CSS and JavaScript minified (comments and
indentation are most of their size; vendored ``*.min.*`` files are left alone) and text
gzip-compressed ahead with zopfli, so serving one is a dictionary look-up. No build step:
the files in ``static/`` are the source. Under ``flask --debug`` the files are served as
written (``STATIC_MINIFY``), and a changed file is picked up at the next request.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, abort, current_app, request

HASH_LENGTH = 12
IMMUTABLE = "public, max-age=31536000, immutable"
BRIEFLY = "public, max-age=300"
# A hashed name: the hash just before the last suffix ("noviwerk.0123456789ab.css").
_HASHED = re.compile(rf"^(?P<stem>.+)\.[0-9a-f]{{{HASH_LENGTH}}}(?P<suffix>\.[^./]+)$")
_COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")


@dataclass(frozen=True)
class Asset:
    name: str  # as in url_for: "css/noviwerk.css"
    hashed: str  # "css/noviwerk.0123456789ab.css"
    mimetype: str
    body: bytes
    gzipped: bytes | None  # None: not text, or compression did not make it smaller
    digest: str


class Assets:
    """Every file under the static folder, ready to serve, by name and by hashed name."""

    def __init__(self, files: dict[str, Asset], fingerprint: tuple) -> None:
        self.by_name = files
        self.by_hashed = {a.hashed: a for a in files.values()}
        self.fingerprint = fingerprint

    def find(self, filename: str) -> tuple[Asset | None, bool]:
        """The asset a URL's filename asks for, and whether its hash is the current one."""
        asset = self.by_hashed.get(filename)
        if asset is not None:
            return asset, True
        match = _HASHED.match(filename)
        if match and filename not in self.by_name:
            filename = match["stem"] + match["suffix"]  # a hash of another day
        return self.by_name.get(filename), False


def _fingerprint(folder: Path) -> tuple:
    return tuple(
        sorted(
            (str(p.relative_to(folder)), p.stat().st_mtime_ns, p.stat().st_size)
            for p in folder.rglob("*")
            if p.is_file() and not p.name.startswith(".")
        )
    )


def _minified(name: str, body: bytes) -> bytes:
    if ".min." in name:
        return body
    if name.endswith(".css"):
        import rcssmin

        return rcssmin.cssmin(body.decode("utf-8")).encode("utf-8")
    if name.endswith(".js"):
        import rjsmin

        return rjsmin.jsmin(body.decode("utf-8")).encode("utf-8")
    return body


def _gzipped(mimetype: str, body: bytes) -> bytes | None:
    if not mimetype.startswith(_COMPRESSIBLE):
        return None
    import zopfli.gzip

    packed = zopfli.gzip.compress(body)
    return packed if len(packed) < len(body) else None


def _build(folder: Path, minify: bool, fingerprint: tuple) -> Assets:
    files = {}
    for name, _mtime, _size in fingerprint:
        name = name.replace("\\", "/")
        body = (folder / name).read_bytes()
        if minify:
            body = _minified(name, body)
        mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        digest = hashlib.sha256(body).hexdigest()[:HASH_LENGTH]
        stem, dot, suffix = name.rpartition(".")
        hashed = f"{stem}.{digest}.{suffix}" if dot and "/" not in suffix else f"{name}.{digest}"
        files[name] = Asset(name, hashed, mimetype, body, _gzipped(mimetype, body), digest)
    return Assets(files, fingerprint)


_built: dict[tuple[str, bool], Assets] = {}  # per process: every create_app shares them
_building = threading.Lock()


def load(folder: Path, minify: bool) -> Assets:
    """The static folder's assets, built again only when a file changed."""
    fingerprint = _fingerprint(folder)
    key = (str(folder), minify)
    with _building:
        assets = _built.get(key)
        if assets is None or assets.fingerprint != fingerprint:
            assets = _built[key] = _build(folder, minify, fingerprint)
    return assets


def _assets() -> Assets:
    return current_app.extensions["noviwerk_assets"]


def serve(filename: str) -> Response:
    """The static view: from memory, gzip-compressed when the browser takes it."""
    asset, current = _assets().find(filename)
    if asset is None:
        abort(404)
    body = asset.body
    response = Response(mimetype=asset.mimetype)
    etag = asset.digest
    if asset.gzipped is not None:
        response.vary.add("Accept-Encoding")
        if request.accept_encodings["gzip"]:
            body = asset.gzipped
            response.content_encoding = "gzip"
            etag += "-gz"  # another representation, so another strong validator
    response.set_data(body)
    response.set_etag(etag)
    response.headers["Cache-Control"] = IMMUTABLE if current else BRIEFLY
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    folder = Path(app.static_folder)
    minify = app.config.get("STATIC_MINIFY", not app.debug)
    app.extensions["noviwerk_assets"] = load(folder, minify)
    app.view_functions["static"] = serve

    @app.url_defaults
    def _hashed_name(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values:
            asset = app.extensions["noviwerk_assets"].by_name.get(values["filename"])
            if asset is not None:
                values["filename"] = asset.hashed

    if app.debug:  # developing: a file changed on disk is served (and hashed) at once

        @app.before_request
        def _reload_changed_files() -> None:
            app.extensions["noviwerk_assets"] = load(folder, minify)
