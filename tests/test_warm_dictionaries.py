"""The Dutch dictionaries load once per process, at start, not in the first draft of a live room.

simplemma and wordfreq load on first use (about 0.85 s of CPU). A served app loads them in
the background as it starts; the test suite (TESTING) does not, so that it stays fast.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# A fresh process, so that its dictionaries start unloaded whatever the suite has done.
SCRIPT = """
import time
from noviwerk import create_app
from noviwerk.synthesis import text
started = time.monotonic()
create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
while "steden" not in text._LEMMA_CACHE and time.monotonic() - started < 10:  # warm()'s last step
    time.sleep(0.05)
print(text.dutch_words.cache_info().currsize, "steden" in text._LEMMA_CACHE)
"""


def test_a_served_app_loads_the_dictionaries_as_it_starts(tmp_path):
    env = {**os.environ, "NOVIWERK_INSTANCE_PATH": str(tmp_path), "PYTHONPATH": str(ROOT)}
    out = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60, check=True,
    )
    assert out.stdout.split() == ["1", "True"], out.stderr


def test_the_test_suite_does_not_load_them(app):
    assert app.testing
    assert "noviwerk-warm-dictionaries" not in {t.name for t in threading.enumerate()}
