"""What a page costs a browser on the wire: the page and every file it refers to, as sent.

``Browser(client)`` loads a page through the WSGI app as a phone would: ``Accept-Encoding:
gzip``, then each script, stylesheet, icon and image the page names, keeping what the answers
allow it to keep. A second ``visit`` is a repeat visit ``later`` seconds on: a file still
fresh by its Cache-Control max-age is not asked for again; a stale one, or one with only an
ETag, is asked with If-None-Match (no heuristic freshness). Bytes are counted as sent: the (compressed) body, and apart from it the
status line and headers as an HTTP/1.1 server writes them (plus the Date header the server
adds). Used by tests/web/test_page_weight.py and tests/bench/bench_page_weight.py.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

DATE_HEADER = len("Date: Wed, 02 Dec 2026 10:00:00 GMT\r\n")
_MAX_AGE = re.compile(r"max-age=(\d+)")


class _Subresources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img") and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "link" and a.get("href") and (a.get("rel") or "") in ("stylesheet", "icon"):
            self.urls.append(a["href"])


def subresources(html: str) -> list[str]:
    """The same-site files a browser fetches to show ``html``, in order."""
    parser = _Subresources()
    parser.feed(html)
    return [u for u in dict.fromkeys(parser.urls) if u.startswith("/")]


@dataclass
class Fetch:
    url: str
    status: int  # 0: taken from the cache, no request
    body: int = 0
    headers: int = 0
    encoding: str = ""


@dataclass
class Visit:
    fetches: list[Fetch] = field(default_factory=list)

    @property
    def body(self) -> int:
        return sum(f.body for f in self.fetches)

    @property
    def headers(self) -> int:
        return sum(f.headers for f in self.fetches)

    @property
    def requests(self) -> list[Fetch]:
        return [f for f in self.fetches if f.status]


@dataclass
class _Kept:
    etag: str | None
    max_age: int
    kept_at: float


class Browser:
    def __init__(self, client, accept_encoding: str = "gzip") -> None:
        self.client = client
        self.accept_encoding = accept_encoding
        self.cache: dict[str, _Kept] = {}
        self.now = 0.0

    def visit(self, url: str, later: float = 0.0) -> Visit:
        """Load ``url`` and its files; ``later`` seconds after the previous visit."""
        self.now += later
        visit = Visit()
        page, html = self._get(url)
        visit.fetches.append(page)
        for sub in subresources(html):
            kept = self.cache.get(sub)
            if kept is not None and self.now - kept.kept_at < kept.max_age:
                visit.fetches.append(Fetch(sub, 0))
            else:
                visit.fetches.append(self._get(sub, kept)[0])
        return visit

    def _get(self, url: str, kept: _Kept | None = None) -> tuple[Fetch, str]:
        headers = {"Accept-Encoding": self.accept_encoding}
        if kept is not None and kept.etag:
            headers["If-None-Match"] = kept.etag
        r = self.client.get(url, headers=headers)
        raw = r.get_data()
        r.close()
        head = len(f"HTTP/1.1 {r.status}\r\n") + DATE_HEADER + 2
        head += sum(len(f"{k}: {v}\r\n") for k, v in r.headers.items())
        encoding = r.headers.get("Content-Encoding", "")
        fetch = Fetch(url, r.status_code, len(raw), head, encoding)
        cache_control = r.headers.get("Cache-Control", "")
        age = _MAX_AGE.search(cache_control)
        etag = r.headers.get("ETag")
        if r.status_code in (200, 304) and (age or etag) and "no-store" not in cache_control:
            self.cache[url] = _Kept(etag, int(age[1]) if age else 0, self.now)
        text = gzip.decompress(raw) if encoding == "gzip" else raw
        return fetch, text.decode("utf-8", "replace")
