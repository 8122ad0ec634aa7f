"""Rate limits as a venue meets them: every phone behind one IP address.

Wrong join codes are limited per IP without refusing the right one; guessing through
``/w/<code>`` counts the same; a flood from one phone is slowed for that phone alone; and
every 429 says in Dutch how long to wait, with Retry-After, keeping what was typed.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from noviwerk.domain import JOIN_CODE_ALPHABET
from noviwerk.extensions import db
from tests.conftest import Phone, contributions, join, post_form, set_round

VENUE = {"REMOTE_ADDR": "203.0.113.7"}
ELSEWHERE = {"REMOTE_ADDR": "198.51.100.9"}
WRONG = "ACDE FGHJ"  # well-formed, belongs to no werkplaats


def _guess(i: int) -> str:
    """The i-th of a guesser's codes: well-formed, each different, none a werkplaats'."""
    return "ACDEFG" + JOIN_CODE_ALPHABET[i // 25] + JOIN_CODE_ALPHABET[i % 25]


def _app(database_url, **config):
    from noviwerk import create_app
    from tests.conftest import IsolatedClient, _base_config

    app = create_app({**_base_config(database_url), "RATELIMIT_ENABLED": True, **config})
    app.test_client_class = IsolatedClient
    return app


@contextmanager
def _serving(app):
    """``app``'s context, its connections closed after: on PostgreSQL a connection left
    open surfaces as a ResourceWarning in whichever later test the collector runs."""
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


def budgets(**config):
    """Smaller budgets for one test's app."""

    def mark(test):
        test.budgets = config
        return test

    return mark


@pytest.fixture
def app(database_url, request):
    """Rate limits on, as in production; ``@budgets(...)`` makes them smaller."""
    with _serving(_app(database_url, **getattr(request.function, "budgets", {}))) as app:
        yield app


def _phone(app, environ=VENUE):
    client = app.test_client()
    client.environ_base.update(environ)
    return client


def _type_code(client, code):
    return post_form(client, "/join", {"code": code})


def test_25_wrong_codes_from_one_venue_then_the_right_code_joins(app, world):
    _fac, w = world.live()
    for i in range(25):  # a room of people mistyping, each on their own phone
        r = _type_code(_phone(app), WRONG)
        assert r.status_code == 422, i
        assert "hoort niet bij een open werkplaats" in r.get_data(as_text=True)
    late = _phone(app)
    r = _type_code(late, w.join_code)
    assert r.status_code == 303 and r.location.endswith(f"/w/{w.join_code}")
    join(late, w.join_code)
    assert Phone(late, w.join_code).post("Ik ben er ook").status_code == 303


@budgets(NOVIWERK_WRONG_CODES="5 per 10 minutes")
def test_wrong_codes_spent_say_wait_in_dutch_and_the_right_code_still_joins(app, world):
    _fac, w = world.live()
    guesser = _phone(app)
    for i in range(5):
        assert _type_code(guesser, _guess(i)).status_code == 422
    r = _type_code(guesser, WRONG)
    assert r.status_code == 429
    assert 0 < int(r.headers["Retry-After"]) <= 600
    page = r.get_data(as_text=True)
    assert "veel verkeerde codes" in page and "de juiste code werkt gewoon" in page
    assert 'value="ACDE FGHJ"' in page  # the code as typed, to correct

    # The same phone, and another phone at the venue, with the right code: in.
    assert _type_code(guesser, w.join_code).status_code == 303
    other = _phone(app)
    join(other, w.join_code)
    # Another network is not affected at all.
    assert _type_code(_phone(app, ELSEWHERE), WRONG).status_code == 422


@budgets(NOVIWERK_WRONG_CODES="4 per 10 minutes")
def test_guessing_through_the_url_counts_as_wrong_codes(app, world):
    _fac, w = world.live()
    guesser = _phone(app)
    assert _type_code(guesser, WRONG).status_code == 422
    for code in ("CDEFGHJK", "DEFGHJKM", "EFGHJKMN"):
        r = guesser.get(f"/w/{code}")
        assert r.status_code == 404
    r = guesser.get("/w/FGHJKMNP")
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    assert "veel verkeerde codes" in r.get_data(as_text=True)
    r = guesser.get("/w/GHJKMNPQ/status", headers={"HX-Request": "true"})
    assert r.status_code == 429 and "Retry-After" in r.headers
    assert r.headers["HX-Retarget"] == "#flash"
    assert _type_code(guesser, "HJKMNPQR").status_code == 429  # one budget for both
    # The right code, by URL as by QR: still the welcome page.
    r = guesser.get(f"/w/{w.join_code}")
    assert r.status_code == 302 and r.location.endswith("/welkom")


@budgets(
    NOVIWERK_WRONG_CODES="3 per 10 minutes", NOVIWERK_CODE_CHECKS_WHILE_GUESSING="4 per minute"
)
def test_once_an_ip_is_guessing_its_code_checks_are_capped_but_joined_phones_go_on(app, world):
    """Past the wrong-code budget a right code's answer would tell a guesser he hit: so every
    check by a phone that has not joined counts then, right or wrong, within a ceiling."""
    _fac, w = world.live()
    joined = _phone(app)
    join(joined, w.join_code)
    guesser = _phone(app)
    for i in range(3):
        assert _type_code(guesser, _guess(i)).status_code == 422
    statuses = [_type_code(guesser, w.join_code).status_code for _ in range(5)]
    assert statuses == [303, 303, 303, 303, 429]
    r = _type_code(guesser, w.join_code)
    assert "veel codes geprobeerd" in r.get_data(as_text=True) and "Retry-After" in r.headers
    # A phone that joined is no guess: its page and its posts carry on.
    phone = Phone(joined, w.join_code)
    assert phone.page()
    assert phone.post("Gewoon doorgaan").status_code == 303


def test_a_flood_from_one_phone_is_slowed_for_that_phone_alone(app, world):
    _fac, w = world.live()
    flooder, neighbour = _phone(app), _phone(app)  # one venue, one IP
    join(flooder, w.join_code)
    join(neighbour, w.join_code)
    flood = Phone(flooder, w.join_code)
    for i in range(6):
        assert flood.post(f"Bericht {i}").status_code == 303
    r = flood.post("Bericht 6, te snel")
    assert r.status_code == 429
    assert int(r.headers["Retry-After"]) > 0
    page = r.get_data(as_text=True)
    assert "Even wachten: je stuurt veel achter elkaar" in page
    assert "Bericht 6, te snel</textarea>" in page  # the text stays in the form
    r = flood.post("Bericht 7", htmx=True)
    assert r.status_code == 429 and "Retry-After" in r.headers
    assert r.headers["HX-Retarget"] == "#flash" and "Even wachten" in r.get_data(as_text=True)

    assert Phone(neighbour, w.join_code).post("Ik mag wel").status_code == 303
    # Nothing was said to be received that was not stored.
    texts = [c.text for c in contributions(w)]
    assert texts == [f"Bericht {i}" for i in range(6)] + ["Ik mag wel"]


def test_plus_ones_from_one_phone_are_slowed_and_counted_once(app, world):
    _fac, w = world.live()
    set_round(w, 0, is_support_allowed=True)
    author, fan = _phone(app), _phone(app)
    join(author, w.join_code)
    join(fan, w.join_code)
    Phone(author, w.join_code).post("Steun dit")
    (c,) = contributions(w)
    fan_phone = Phone(fan, w.join_code)
    answers = [fan_phone.support(c.id, on=True).status_code for _ in range(25)]
    assert answers[:20] == [303] * 20 and set(answers[20:]) == {429}
    (c,) = contributions(w)
    assert c.support_count == 1
    r = fan_phone.support(c.id, on=True)
    assert "Je stuurt veel achter elkaar" in r.get_data(as_text=True)
    assert int(r.headers["Retry-After"]) > 0


@budgets(NOVIWERK_WRONG_CODES="5 per 10 minutes")
def test_phones_polling_a_replaced_code_do_not_spend_the_venues_budget(app, world):
    """After "Nieuwe code maken" each phone's poll asks for the old code every few seconds:
    the same wrong code again from one browser is no new guess."""
    _fac, w = world.live()
    old = w.join_code
    phones = [_phone(app) for _ in range(3)]
    for phone in phones:
        join(phone, old)
    from noviwerk.services import werkplaatsen

    werkplaatsen.open_werkplaats(w, new_code=True)
    for _ in range(10):
        for phone in phones:
            r = phone.get(f"/w/{old}/status?v=1", headers={"HX-Request": "true"})
            assert r.status_code == 404
    assert _type_code(_phone(app), WRONG).status_code == 422  # budget left: 5 − 3 − 1
    r = _phone(app).get(f"/w/{w.join_code}")
    assert r.status_code == 302



def test_re_sends_after_a_server_failure_are_not_charged_to_the_phone(app, world, monkeypatch):
    """The outbox re-sends with the same key while the server fails (5xx): that is no flood."""
    _fac, w = world.live()
    client = _phone(app)
    join(client, w.join_code)
    phone = Phone(client, w.join_code)
    from noviwerk.services import participation

    real = participation.post_contribution
    monkeypatch.setattr(participation, "post_contribution", lambda *a, **k: 1 / 0)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    page = phone.page()
    for _ in range(8):
        assert phone.post("Tijdens de storing", key="k-storing", page=page).status_code == 500
    monkeypatch.setattr(participation, "post_contribution", real)
    assert phone.post("Tijdens de storing", key="k-storing", page=page).status_code == 303
    assert [c.text for c in contributions(w)] == ["Tijdens de storing"]


def test_with_several_server_processes_the_limits_are_counted_in_one_shared_file(
    database_url, world, tmp_path, monkeypatch
):
    """gunicorn.conf.py runs two processes or more, on SQLite and on PostgreSQL: the phone's
    budget lives in a file they all count in (web/limit_storage.py), and a flood is slowed
    as with one process."""
    from noviwerk import config

    monkeypatch.setenv("NOVIWERK_WORKERS", "2")
    monkeypatch.delenv("NOVIWERK_DATABASE_URL", raising=False)
    for url in (None, "postgresql+psycopg://noviwerk@db/noviwerk"):
        if url is None:
            monkeypatch.delenv("DATABASE_URL", raising=False)
        else:
            monkeypatch.setenv("DATABASE_URL", url)
        assert config._shared_limits(str(tmp_path)) == (
            f"noviwerk-sqlite:///{tmp_path}/ratelimits.sqlite"
        )
    monkeypatch.setenv("NOVIWERK_WORKERS", "1")
    assert config._shared_limits(str(tmp_path)) == "memory://"

    shared = _app(database_url,
                  RATELIMIT_STORAGE_URI=f"noviwerk-sqlite:///{tmp_path}/ratelimits.sqlite")
    with _serving(shared) as app:
        _fac, w = world.live()
        phone = _phone(app)
        join(phone, w.join_code)
        flood = Phone(phone, w.join_code)
        for i in range(6):
            assert flood.post(f"Bericht {i}").status_code == 303
        assert flood.post("Bericht 6, te snel").status_code == 429
        assert [c.text for c in contributions(w)] == [f"Bericht {i}" for i in range(6)]
