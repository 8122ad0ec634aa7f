"""What the room's pages weigh on the wire: bytes per page with every file it refers to.

Run: ``.venv/bin/python -m tests.bench.bench_page_weight`` (a few seconds; not part of
``make test``).

In-process (Flask test client, a fresh SQLite database with the demo werkplaats, round 1
open), through ``tests/page_weight.py``: each page is loaded as a browser with an empty cache
would (``Accept-Encoding: gzip``, then every script, stylesheet, icon and image it names),
and again the next day with what that browser was allowed to keep. Bytes are counted as
sent: bodies, and apart from them the status lines and headers of HTTP/1.1 (HTTP/2 behind a
proxy compresses repeated headers to a few bytes each). Pages:

* ``join``    the start page where a phone types the code;
* ``welkom``  the optional name, organisation and veld;
* ``phone``   the phone page of a joined participant (budget: 30 KB first, 8 KB repeat);
* ``wall``    the facilitator's wall with the demo's contributions;
* ``beamer``  the beamer page.

``join → phone`` is the way in as a phone takes it, one browser: join, welkom, phone page.
``--identity`` adds each first visit without gzip, for comparison. Figures go into
docs/benchmarks.md with the machine line printed.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def _line(name: str, visit) -> str:
    asked = len(visit.requests)
    return (f"  {name:16} {asked:2} requests  body {visit.body / 1000:6.1f} kB  "
            f"headers {visit.headers / 1000:5.1f} kB  total {(visit.body + visit.headers) / 1000:6.1f} kB")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--identity", action="store_true", help="also load each page without gzip")
    p.add_argument("-v", "--verbose", action="store_true", help="list every file")
    args = p.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="noviwerk-bench-"))
    os.environ["NOVIWERK_INSTANCE_PATH"] = str(tmp)
    import logging

    from flask_migrate import upgrade

    from noviwerk import create_app
    from noviwerk.services.demo import seed_demo
    from tests.bench.harness import machine_facts
    from tests.page_weight import Browser

    logging.disable(logging.WARNING)  # alembic's progress lines
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/noviwerk.sqlite",
        "RATELIMIT_ENABLED": False,
        "SECRET_KEY": "bench",
    })
    shared = os.environ.get("NOVIWERK_SHARED")  # as the tests find ../shared/data
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        demo = seed_demo(Path(shared) / "data" if shared else None)
    code, wid = demo.join_code, demo.werkplaats_id

    phone = app.test_client()
    phone.get(f"/w/{code}")
    token = CSRF.search(phone.get(f"/w/{code}/welkom").get_data(as_text=True)).group(1)
    joined = phone.post(f"/w/{code}/welkom", data={
        "csrf_token": token, "display_name": "Bench", "organisation": "Gemeente Utrecht"})
    assert joined.status_code == 303, joined.status_code
    facilitator = app.test_client()
    login = facilitator.get("/login").get_data(as_text=True)
    facilitator.post("/login", data={"csrf_token": CSRF.search(login).group(1),
                                     "email": "facilitator@noviwerk.test",
                                     "password": "noviwerk-demo"})
    newcomer = app.test_client()
    newcomer.get(f"/w/{code}")
    pages = {
        "join": (app.test_client(), "/"),
        "welkom": (newcomer, f"/w/{code}/welkom"),
        "phone": (phone, f"/w/{code}"),
        "wall": (facilitator, f"/f/werkplaatsen/{wid}/wall"),
        "beamer": (facilitator, f"/f/werkplaatsen/{wid}/beamer"),
    }

    facts = machine_facts()
    print(f"CPU: {facts['cpu_model']} · nproc {facts['nproc']} · Python {facts['python']} · "
          f"load average {facts['loadavg']}")
    print("first visit (empty cache), then the next day; kB = 1,000 bytes")
    for name, (client, url) in pages.items():
        browser = Browser(client)
        first = browser.visit(url)
        repeat = browser.visit(url, later=24 * 3600)
        print(_line(f"{name} first", first))
        print(_line(f"{name} repeat", repeat))
        if args.identity:
            print(_line(f"{name} no gzip", Browser(client, "identity").visit(url)))
        if args.verbose:
            for f in first.fetches:
                print(f"      {f.status} {f.body:7} {f.encoding or '-':5} {f.url}")

    way_in = Browser(app.test_client())
    visits = [way_in.visit("/")]
    way_in.client.get(f"/w/{code}")
    visits.append(way_in.visit(f"/w/{code}/welkom"))
    token = CSRF.search(way_in.client.get(f"/w/{code}/welkom").get_data(as_text=True)).group(1)
    way_in.client.post(f"/w/{code}/welkom", data={"csrf_token": token})
    visits.append(way_in.visit(f"/w/{code}"))
    body = sum(v.body for v in visits)
    headers = sum(v.headers for v in visits)
    asked = sum(len(v.requests) for v in visits)
    print(f"  {'join → phone':16} {asked:2} requests  body {body / 1000:6.1f} kB  "
          f"headers {headers / 1000:5.1f} kB  total {(body + headers) / 1000:6.1f} kB "
          "(the redirects and the welkom POST not counted)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
