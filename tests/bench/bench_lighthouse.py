"""Lighthouse (mobile) on the phone's pages, over the production server.

Run: ``npm install --prefix .tools lighthouse`` once (the npm registry; ``.tools/`` is ignored
by git), then ``.venv/bin/python -m tests.bench.bench_lighthouse [--lighthouse PATH]``
(about a minute; not part of ``make test``).

It builds a fresh SQLite database with the demo werkplaats (round 1 open), starts gunicorn
with ``gunicorn.conf.py`` on a free 127.0.0.1 port, joins as a phone over HTTP, and runs
Lighthouse's mobile profile (its default: a mid-range phone, throttled 4G) in Debian's
chromium on two pages:

* ``join``   the start page where a phone types the code;
* ``round``  the phone page of the joined participant, round open (the phone's cookie is
  passed as a header).

It prints the performance, accessibility and best-practices scores (0-100) and every audit
that fell short, and exits 1 when a score is below 100.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from tests.bench.harness import ROOT, Server, app_env, machine_facts, prepare_room

CHROMIUM = "/usr/lib/chromium/chromium"
FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
         "--disable-component-update --disable-sync --no-first-run")
CATEGORIES = ("performance", "accessibility", "best-practices")
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def _join(base: str, code: str) -> str:
    """Join the room as a phone; returns its Cookie header."""
    with httpx.Client(base_url=base, follow_redirects=True) as phone:
        welkom = phone.get(f"/j/{code}")
        token = CSRF.search(welkom.text).group(1)
        page = phone.post(f"/w/{code}/welkom", data={"csrf_token": token, "display_name": "Bench"})
        assert page.status_code == 200 and "<textarea" in page.text, page.status_code
        return "; ".join(f"{k}={v}" for k, v in phone.cookies.items())


def _lighthouse(binary: str, url: str, out: Path, cookie: str | None) -> dict:
    cmd = [binary, url, "--quiet", f"--chrome-flags={FLAGS}", "--form-factor=mobile",
           f"--only-categories={','.join(CATEGORIES)}", "--output=json", f"--output-path={out}"]
    if cookie:
        cmd.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    subprocess.run(cmd, check=True, timeout=300, env={"CHROME_PATH": CHROMIUM, "PATH": "/usr/bin:/bin"})
    return json.loads(out.read_text())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--lighthouse", default=str(ROOT / ".tools/node_modules/.bin/lighthouse"))
    args = p.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="noviwerk-lighthouse-"))
    room = prepare_room(f"sqlite:///{tmp}/noviwerk.sqlite", tmp / "instance")
    server = Server(app_env(room.database_url, room.instance)).start()
    print(machine_facts())
    failed = False
    try:
        cookie = _join(server.url, room.code)
        for name, url, with_cookie in (("join", server.url + "/", None),
                                       ("round", f"{server.url}/w/{room.code}", cookie)):
            report = _lighthouse(args.lighthouse, url, tmp / f"{name}.json", with_cookie)
            scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
            failed |= any(s < 100 for s in scores.values())
            print(f"{name:6} {report['finalDisplayedUrl'].removeprefix(server.url)}  "
                  + "  ".join(f"{c} {s}" for c, s in scores.items()))
            for key, audit in report["audits"].items():
                if audit.get("scoreDisplayMode") in ("binary", "numeric") and (audit["score"] or 0) < 1:
                    print(f"         short: {key} {audit.get('displayValue', '')}")
    finally:
        server.stop()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
