"""A phone on a slow or metered connection: the phone page, with htmx, the stylesheet and
every script, costs at most 30 KB gzip-compressed on the first visit and at most 8 KB on the
next, when only the page itself is fetched again. Counted, not timed (tests/page_weight.py);
``tests/bench/bench_page_weight.py`` prints the same figures for the join and wall pages."""

from __future__ import annotations

import re

from tests.page_weight import Browser

FIRST_VISIT = 30_000
REPEAT_VISIT = 8_000
HASHED = re.compile(r"^/static/.+\.[0-9a-f]{12}\.(js|css|svg)$")


def _phone_visits(world):
    _fac, w = world.live()
    phone = world.phone(w, display_name="Ans", organisation="Gemeente Utrecht")
    browser = Browser(phone.client)
    first = browser.visit(phone.url)
    repeat = browser.visit(phone.url, later=24 * 3600)  # the next day's werkplaats
    return phone, first, repeat


def test_the_phone_page_first_visit_is_at_most_30_kb(world):
    _phone, first, _repeat = _phone_visits(world)
    urls = [f.url for f in first.fetches]
    assert any("htmx" in u for u in urls) and any(u.endswith(".css") for u in urls)
    assert any("outbox" in u for u in urls)
    assert all(f.status == 200 and f.encoding == "gzip" for f in first.fetches), first.fetches
    assert first.body <= FIRST_VISIT, (
        f"{first.body} bytes: " + ", ".join(f"{f.url} {f.body}" for f in first.fetches)
    )


def test_a_repeat_visit_fetches_only_the_page(world):
    phone, first, repeat = _phone_visits(world)
    assert all(HASHED.match(f.url) for f in first.fetches[1:]), [f.url for f in first.fetches]
    assert [f.url for f in repeat.requests] == [phone.url]
    assert repeat.body <= REPEAT_VISIT

