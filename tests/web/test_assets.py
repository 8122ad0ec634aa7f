"""Static files under content-hashed names: kept by the browser for a year, asked for again
only when they changed, and sent minified and gzip-compressed."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from flask import url_for

from noviwerk.web import assets

GZIP = {"Accept-Encoding": "gzip"}
ROOT = Path(__file__).resolve().parents[2]


def _static_urls(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="(/static/[^"]+)"', html)


def test_pages_name_static_files_by_their_content(client):
    urls = _static_urls(client.get("/").get_data(as_text=True))
    assert urls, "the start page names no static files"
    for url in urls:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js|svg)$", url), url
    css = next(u for u in urls if "noviwerk" in u and u.endswith(".css"))
    r = client.get(css)
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    r.close()


def test_a_hashed_file_is_minified_and_compressed(client, app):
    with app.test_request_context():
        url = url_for("static", filename="js/outbox.js")
    source = (ROOT / "static/js/outbox.js").read_bytes()
    r = client.get(url, headers=GZIP)
    assert r.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in r.headers["Vary"]
    assert int(r.headers["Content-Length"]) == len(r.get_data())
    body = gzip.decompress(r.get_data())
    assert b"localStorage" in body and b"nothing a participant typed is lost" not in body
    assert len(body) < len(source) * 0.8
    plain = client.get(url)  # a client that takes no gzip gets the same bytes uncompressed
    assert "Content-Encoding" not in plain.headers and plain.get_data() == body


def test_the_plain_name_and_an_old_hash_still_answer_but_briefly_cached(client, app):
    with app.test_request_context():
        hashed = url_for("static", filename="css/noviwerk.css")
    current = client.get(hashed).get_data()
    for url in ("/static/css/noviwerk.css", "/static/css/noviwerk.0123456789ab.css"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert r.headers["Cache-Control"] == "public, max-age=300", url
        assert r.get_data() == current
    assert client.get("/static/css/nergens.css").status_code == 404
    assert client.get("/static/css/nergens.0123456789ab.css").status_code == 404


def test_a_file_asked_for_again_with_its_etag_is_not_sent_again(client, app):
    with app.test_request_context():
        url = url_for("static", filename="css/noviwerk.css")
    first = client.get(url, headers=GZIP)
    etag = first.headers["ETag"]
    again = client.get(url, headers={**GZIP, "If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    # The uncompressed file is another representation, with a validator of its own.
    plain = client.get(url, headers={"If-None-Match": etag})
    assert plain.status_code == 200 and plain.headers["ETag"] != etag


def test_a_changed_file_gets_a_new_name(tmp_path):
    (tmp_path / "js").mkdir()
    script = tmp_path / "js" / "app.js"
    script.write_text("/* a comment */\nvar a = 1;\n")
    before = assets.load(tmp_path, minify=True).by_name["js/app.js"]
    assert before.body == b"var a=1;"
    script.write_text("var a = 2;\n")
    after = assets.load(tmp_path, minify=True).by_name["js/app.js"]
    assert after.hashed != before.hashed and after.body == b"var a=2;"
    assert assets.load(tmp_path, minify=False).by_name["js/app.js"].body == b"var a = 2;\n"


def test_static_files_keep_the_security_headers(client, app):
    with app.test_request_context():
        url = url_for("static", filename="img/favicon.svg")
    r = client.get(url)
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in r.headers
    assert r.mimetype == "image/svg+xml"
