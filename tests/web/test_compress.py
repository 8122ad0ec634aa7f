"""Pages, fragments and polls gzip-compressed for browsers that take it; downloads, answers
without a body and pages asked for from another site left as they are."""

from __future__ import annotations

import gzip

from tests.conftest import login, werkplaats_url

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def _unzipped(r) -> bytes:
    assert r.headers.get("Content-Encoding") == "gzip", dict(r.headers)
    assert int(r.headers["Content-Length"]) == len(r.get_data())
    return gzip.decompress(r.get_data())


def test_the_phone_page_comes_compressed_and_reads_the_same(world):
    _fac, w = world.live()
    phone = world.phone(w)
    plain = phone.client.get(phone.url)
    assert "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers["Vary"]
    packed = phone.client.get(phone.url, headers=GZIP)
    html = _unzipped(packed).decode()
    assert "Jouw bijdrage" in html and "Jouw bijdrage" in plain.get_data(as_text=True)
    assert len(packed.get_data()) < len(plain.get_data()) / 2
    assert {"Accept-Encoding", "Cookie"} <= set(packed.headers["Vary"].replace(" ", "").split(","))
    assert packed.headers["Cache-Control"] == "no-store"


def test_a_post_answered_to_htmx_is_compressed_and_nothing_is_lost(world):
    _fac, w = world.live()
    phone = world.phone(w)
    r = phone.post("Meer groen in de wijk", htmx=True)
    assert r.status_code == 200
    # post_form sent no Accept-Encoding: the answer is as before.
    assert "Ontvangen" in r.get_data(as_text=True)
    r = phone.client.get(phone.url, headers=GZIP)
    assert "Meer groen in de wijk" in _unzipped(r).decode()


def test_a_poll_with_nothing_new_stays_an_empty_204(world, client):
    fac, w = world.live()
    login(client)
    r = client.get(werkplaats_url(w, "wall/wijzigingen"), headers=GZIP,
                   query_string={"after": w.last_seq, "v": w.state_version})  # fmt: skip
    assert r.status_code == 204 and r.get_data() == b""
    assert "Content-Encoding" not in r.headers


def test_the_walls_poll_with_news_is_compressed(world, client):
    fac, w = world.live()
    version = w.state_version
    login(client)
    for i in range(6):  # enough cards to pass the 1 KB below which nothing is compressed
        world.phone(w).post(f"Bijdrage nummer {i} over water en ruimte in de stad")
    r = client.get(werkplaats_url(w, "wall/wijzigingen"), headers=GZIP,
                   query_string={"after": 0, "v": version})  # fmt: skip
    assert r.status_code == 200
    assert "Bijdrage nummer 5" in _unzipped(r).decode()


def test_a_download_keeps_its_bytes_and_length(world, client):
    _fac, w = world.live()
    phone = world.phone(w)
    for i in range(12):
        assert phone.post(f"Bijdrage nummer {i}: meer groen en water in de wijk").status_code == 303
    login(client)
    plain = client.get(werkplaats_url(w, "bijdragen.csv"))
    r = client.get(werkplaats_url(w, "bijdragen.csv"), headers=GZIP)
    assert r.status_code == 200 and "Content-Encoding" not in r.headers
    assert r.get_data() == plain.get_data() and len(r.get_data()) > 1024
    assert int(r.headers["Content-Length"]) == len(r.get_data())


def test_a_page_asked_for_from_another_site_is_not_compressed(world):
    """BREACH: a site that makes the browser ask for pages must not learn anything from
    their compressed length."""
    _fac, w = world.live()
    phone = world.phone(w)
    r = phone.client.get(phone.url, headers={**GZIP, "Sec-Fetch-Site": "cross-site"})
    assert "Content-Encoding" not in r.headers and "Jouw bijdrage" in r.get_data(as_text=True)
    r = phone.client.get(phone.url, headers={**GZIP, "Sec-Fetch-Site": "same-origin"})
    assert r.headers["Content-Encoding"] == "gzip"


def test_small_answers_are_not_compressed(client):
    r = client.get("/healthz", headers=GZIP)
    assert r.status_code == 200 and "Content-Encoding" not in r.headers
