"""When the database fails mid-request, people get the Dutch error page, not the server's
bare English one or a stack trace; the page itself needs no database."""

from __future__ import annotations

import sqlalchemy as sa

from tests.conftest import contributions, join


def test_database_failure_gives_the_dutch_error_page(app, world, monkeypatch):
    from noviwerk.services import phone_lists

    app.config["PROPAGATE_EXCEPTIONS"] = False
    _fac, w = world.live()
    phone = app.test_client()
    join(phone, w.join_code)

    def down(*_a, **_k):
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    monkeypatch.setattr(phone_lists, "own_contributions", down)
    r = phone.get(f"/w/{w.join_code}")
    body = r.get_data(as_text=True)
    assert r.status_code == 500
    assert "Er ging iets mis" in body and "die al ontvangen waren, blijven bewaard" in body
    assert "Traceback" not in body and "OperationalError" not in body
    r = phone.get(f"/w/{w.join_code}", headers={"HX-Request": "true"})
    assert r.status_code == 500 and r.headers.get("HX-Retarget") == "#flash"


def _database_down(*_a, **_k):
    raise sa.exc.OperationalError("INSERT", {}, Exception("database is locked"))


def test_a_post_that_failed_is_never_called_stored(app, world, monkeypatch):
    """The phone's text did not arrive: the page says so and asks to send it again."""
    from noviwerk.services import participation

    app.config["PROPAGATE_EXCEPTIONS"] = False
    _fac, w = world.live()
    phone = world.phone(w)
    page = phone.page()
    monkeypatch.setattr(participation, "post_contribution", _database_down)
    for htmx in (False, True):
        r = phone.post("Meer ruimte voor water", htmx=htmx, page=page)
        body = r.get_data(as_text=True)
        assert r.status_code == 500
        assert "bewaard" not in body
        assert "misschien niet opgeslagen" in body and "verstuur het opnieuw" in body
    assert contributions() == []


def test_an_edit_in_a_closed_werkplaats_is_not_called_stored(app, world):
    from noviwerk.services import werkplaatsen

    _fac, w = world.live()
    phone = world.phone(w)
    assert phone.post("Meer ruimte voor water").status_code == 303
    [c] = contributions()
    url = f"{phone.url}/bijdragen/{c.id}/bewerken"
    page = phone.client.get(url).get_data(as_text=True)
    werkplaatsen.close_werkplaats(w)
    r = phone.client.post(url, data={"text": "Anders", "csrf_token": _csrf(page)})
    body = r.get_data(as_text=True)
    assert r.status_code >= 400
    assert "niet meer verwerkt" in body and "je bijdragen zijn bewaard" not in body
    assert [x.text for x in contributions()] == ["Meer ruimte voor water"]


def _csrf(page: str) -> str:
    from tests.conftest import CSRF_RE

    m = CSRF_RE.search(page)
    return m.group(1) or m.group(2)
