"""A large import runs beside a live werkplaats: it writes in short batches, so phones'
posts go on (on SQLite they used to wait for the whole import's write lock and, past the
busy timeout, fail with "database is locked")."""

from __future__ import annotations

import json
import threading
import time

from noviwerk.services import imports
from tests.conftest import _base_config

ROWS = 10_000


def _big_file() -> bytes:
    item = {
        "titel": "Archief van een lange werkplaats",
        "datum": "2015-10-08",
        "contributions": [
            {"kernvraag": 1 + i % 5, "text": f"Ingebrachte gedachte nummer {i}"}
            for i in range(ROWS - 1)
        ],
    }
    return json.dumps({"werkplaatsen": [item]}).encode()


def test_posts_go_on_while_a_large_import_runs(app, world, database_url):
    from noviwerk import create_app

    _fac, w = world.live()
    phone = world.phone(w)
    # Another app on the same database: its own engine and write lock, as another process
    # (the import command beside the web server) has.
    other = create_app(_base_config(database_url))
    data = _big_file()
    result: dict = {}

    def run_import() -> None:
        with other.app_context():
            result["report"] = imports.import_werkplaatsen(data, source="archief.json")
            from noviwerk.extensions import db

            db.session.remove()
            db.engine.dispose()

    importer = threading.Thread(target=run_import)
    began = time.monotonic()
    importer.start()
    answers: list[tuple[int, float]] = []
    while importer.is_alive() and len(answers) < 200:
        started = time.monotonic()
        r = phone.post(f"Bijdrage {len(answers)} terwijl de import loopt")
        answers.append((r.status_code, time.monotonic() - started))
    importer.join()
    took = time.monotonic() - began
    report = result["report"]
    assert report.imported and report.contributions_imported == ROWS - 1
    assert len(answers) >= 3, "the import ended before the phone could post beside it"
    assert {status for status, _t in answers} == {303}
    # Relative to the import, not a clock: an import in one transaction would hold every post
    # for all of it; in batches a post waits for one batch at most, whatever the machine's load.
    slowest = max(t for _s, t in answers)
    assert slowest < took / 3, f"a post waited {slowest:.1f} s of the import's {took:.1f} s"
