"""When the database fails mid-request, people get the Dutch error page, not the server's
bare English one or a stack trace; the page itself needs no database."""

from __future__ import annotations

import sqlalchemy as sa

from tests.conftest import join


def test_database_failure_gives_the_dutch_error_page(app, world, monkeypatch):
    from noviwerk.services import participation

    app.config["PROPAGATE_EXCEPTIONS"] = False
    _fac, w = world.live()
    phone = app.test_client()
    join(phone, w.join_code)

    def down(*_a, **_k):
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    monkeypatch.setattr(participation, "own_contributions", down)
    r = phone.get(f"/w/{w.join_code}")
    body = r.get_data(as_text=True)
    assert r.status_code == 500
    assert "Er ging iets mis" in body and "wat je al verstuurde is bewaard" in body
    assert "Traceback" not in body and "OperationalError" not in body
    r = phone.get(f"/w/{w.join_code}", headers={"HX-Request": "true"})
    assert r.status_code == 500 and r.headers.get("HX-Retarget") == "#flash"
