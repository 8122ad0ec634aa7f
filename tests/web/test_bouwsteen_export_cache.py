"""Bouwsteen PDF and docx off the request path: printed in a child process, printed ahead
after a save, kept on disk by content (services/export_jobs.py).

All tests share this process's one export child (spawning one costs about a second).
"""

from __future__ import annotations

import dataclasses
import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from docx import Document as Docx
from pypdf import PdfReader

from noviwerk.export import cache
from noviwerk.export.bouwsteen import docx as bouwsteen_docx
from noviwerk.export.bouwsteen import pdf as bouwsteen_pdf
from noviwerk.services import bouwsteen as svc
from noviwerk.services import export_jobs
from noviwerk.synthesis.bouwsteen import assemble
from tests.conftest import bouwsteen_url, fresh, login, make_bouwsteen, post_form
from tests.factories import generate

ROOT = Path(__file__).resolve().parents[2]
EDITED = "Water vraagt ruimte in de stad, en dat kost grond. [1, 2]"


@pytest.fixture
def exports(app, tmp_path):
    """A cache directory of the test's own; waits for background prints before it ends."""
    directory = tmp_path / "exports"
    export_jobs.configure(dataclasses.replace(export_jobs.settings(), cache_dir=directory))
    yield directory
    assert export_jobs.settle(120)


def _print_ahead(app) -> None:
    """Switch printing ahead on (the tests' app starts with it off)."""
    export_jobs.configure(dataclasses.replace(export_jobs.settings(), prerender=True))


@pytest.fixture
def posted(world):
    return world.with_posts()[2]


def _pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in Docx(io.BytesIO(data)).paragraphs)


def _current_document(w):
    fresh()
    bouwsteen = svc.find(w)
    return bouwsteen.current.number, svc.export_document(bouwsteen)  # what a download prints


def _edit(client, w, text=EDITED):
    edit = bouwsteen_url(w, "/secties/samenvatting")
    assert post_form(client, edit, {"text": text}, page=edit).status_code == 303


def test_after_a_save_the_download_is_the_printed_ahead_file_of_that_version(
    app, client, posted, exports
):
    _print_ahead(app)
    w = posted
    login(client, "trek@example.test")
    make_bouwsteen(client, w)
    _edit(client, w)
    assert export_jobs.settle(120)
    number, document = _current_document(w)
    assert number == 2
    for fmt in ("pdf", "docx"):
        assert (exports / f"{cache.cache_key(fmt, document)}.{fmt}").exists()
    before = export_jobs.rendered()

    r = client.get(bouwsteen_url(w, ".pdf"))
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert "-v2.pdf" in r.headers["Content-Disposition"]
    assert "Water vraagt ruimte in de stad, en dat kost grond." in _pdf_text(r.data)
    assert r.data == bouwsteen_pdf.render(document)
    saved = svc.find(w).current.created_at  # UTC: the PDF says when version 2 was made
    assert PdfReader(io.BytesIO(r.data)).metadata["/CreationDate"] == f"D:{saved:%Y%m%d%H%M%S}Z"
    r = client.get(bouwsteen_url(w, ".docx"))
    assert "Water vraagt ruimte in de stad, en dat kost grond." in _docx_text(r.data)
    assert r.data == bouwsteen_docx.render(document)
    assert client.get(bouwsteen_url(w, ".pdf")).data == bouwsteen_pdf.render(document)
    assert export_jobs.rendered() == before  # all three from the files


def test_a_new_version_gets_a_new_file_and_old_versions_still_download(
    app, client, posted, exports
):
    w = posted
    login(client, "trek@example.test")
    make_bouwsteen(client, w)
    first = client.get(bouwsteen_url(w, ".pdf")).data
    assert "Water vraagt ruimte" not in _pdf_text(first)
    _edit(client, w)
    second = client.get(bouwsteen_url(w, ".pdf"))
    assert "-v2.pdf" in second.headers["Content-Disposition"]
    assert "Water vraagt ruimte in de stad, en dat kost grond." in _pdf_text(second.data)
    assert second.data != first
    before = export_jobs.rendered()
    old = client.get(bouwsteen_url(w, ".pdf?versie=1"))
    assert "-v1.pdf" in old.headers["Content-Disposition"] and old.data == first
    assert export_jobs.rendered() == before
    # a restore gives version 3 with version 1's text, saved now: its own file, which says
    # when version 3 was made; version 1's file stays as it was
    assert post_form(client, bouwsteen_url(w, "/versies/1/terugzetten"), page=bouwsteen_url(w)).status_code == 303
    third = client.get(bouwsteen_url(w, ".pdf"))
    assert "-v3.pdf" in third.headers["Content-Disposition"]
    assert _pdf_text(third.data) == _pdf_text(first)
    made = [PdfReader(io.BytesIO(d)).metadata["/CreationDate"] for d in (first, third.data)]
    assert made[0] <= made[1]  # "D:YYYYMMDDHHmmSSZ", in UTC
    assert client.get(bouwsteen_url(w, ".pdf?versie=1")).data == first


def test_a_download_while_it_is_printed_ahead_waits_for_that_print(app, exports):
    _print_ahead(app)
    document = assemble(*generate(60))
    options = export_jobs.settings()
    before = export_jobs.rendered()
    export_jobs.prerender("test-slot", document, options)
    body = export_jobs.render("pdf", document, options)
    assert export_jobs.settle(120)
    assert body == bouwsteen_pdf.render(document)
    printed = export_jobs.rendered() - before
    assert printed == {("child", "pdf"): 1, ("child", "docx"): 1}


def test_a_killed_child_does_not_break_the_next_download(app, client, posted, exports):
    w = posted
    login(client, "trek@example.test")
    make_bouwsteen(client, w)
    assert client.get(bouwsteen_url(w, ".docx")).status_code == 200  # the child is up
    (pid,) = export_jobs.child_pids()
    os.kill(pid, signal.SIGKILL)
    r = client.get(bouwsteen_url(w, ".pdf"))
    assert r.status_code == 200 and "Bodemdaling" in _pdf_text(r.data)
    assert export_jobs.child_pids() != [pid]


def test_a_child_killed_mid_print_is_replaced_and_the_print_done_again(app, exports):
    document = assemble(*generate(200))
    options = export_jobs.settings()
    before = export_jobs.rendered()
    result = {}
    download = threading.Thread(
        target=lambda: result.update(body=export_jobs.render("pdf", document, options))
    )
    download.start()
    deadline = time.monotonic() + 30
    while not export_jobs.child_pids() and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.3)  # in the middle of starting up or printing: either must be survived
    os.kill(export_jobs.child_pids()[0], signal.SIGKILL)
    download.join(120)
    assert result["body"] == bouwsteen_pdf.render(document)
    assert export_jobs.rendered() - before == {("child", "pdf"): 2}  # the first one died


def test_the_child_imports_the_exporters_never_the_app_or_the_database(app, exports):
    document = assemble(*generate(20))
    export_jobs.render("docx", document, export_jobs.settings())  # the child is up
    probe = "sorted(__import__('sys').modules)"
    modules = export_jobs._here().pool.submit(eval, probe).result()  # noqa: S307 - our own text
    assert {"noviwerk.export.bouwsteen.pdf", "noviwerk.export.bouwsteen.docx"} <= set(modules)
    assert not [
        m for m in modules
        if m.startswith(("sqlalchemy", "flask_sqlalchemy", "noviwerk.models", "noviwerk.web"))
    ]


def test_others_still_get_403_and_nothing_is_printed(app, client, posted, world, exports):
    _print_ahead(app)
    world.user("ander@example.test", role="trekker")
    login(client, "ander@example.test")
    before = export_jobs.rendered()
    for fmt in (".pdf", ".docx", ".pdf?versie=1"):
        assert client.get(bouwsteen_url(posted, fmt)).status_code == 403
    assert export_jobs.settle(10) and export_jobs.rendered() == before
    assert not exports.exists()


def test_without_child_processes_downloads_print_in_process(app, monkeypatch, exports):
    def unavailable(*args, **kwargs):
        raise NotImplementedError("no sem_open here")

    monkeypatch.setattr(export_jobs, "_jobs", {})  # this test's own state, no child
    monkeypatch.setattr(export_jobs, "ProcessPoolExecutor", unavailable)
    document = assemble(*generate(20))
    options = export_jobs.settings()
    export_jobs.prerender("slot", document, options)  # does not print ahead in-process
    assert export_jobs.render("docx", document, options) == bouwsteen_docx.render(document)
    export_jobs.prerender("slot", document, options)
    assert export_jobs.settle(10)
    assert export_jobs.rendered() == {("here", "docx"): 1}


LEAVE_WHILE_PRINTING_AHEAD = """
import time
from noviwerk import create_app
from noviwerk.services import export_jobs
from noviwerk.synthesis.bouwsteen import assemble
from tests.factories import generate

create_app()
for n in (40, 41):
    export_jobs.prerender(n, assemble(*generate(n)), export_jobs.settings())
while not export_jobs.rendered():  # the first print ahead has gone to the child
    time.sleep(0.01)
print("weg")
"""


def test_a_process_that_leaves_while_printing_ahead_exits_quietly(tmp_path):
    # As a flask command that saved a version does: the exit shuts the child's pool down
    # while the prints of that version and the next are still to come.
    env = {**os.environ, "NOVIWERK_INSTANCE_PATH": str(tmp_path),
           "NOVIWERK_EXPORT_PRERENDER": "1", "NOVIWERK_EXPORT_IN_CHILD": "1"}
    done = subprocess.run(
        [sys.executable, "-c", LEAVE_WHILE_PRINTING_AHEAD], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0 and done.stdout.strip() == "weg", done.stderr
    assert "Traceback" not in done.stderr and "RuntimeError" not in done.stderr, done.stderr


# --- the key and the files, without a child ---------------------------------------------


def test_the_key_covers_format_and_document():
    a = assemble(*generate(20, seed=1))
    b = assemble(*generate(20, seed=2))
    keys = {cache.cache_key(f, d) for f in ("pdf", "docx") for d in (a, b)}
    assert len(keys) == 4
    assert cache.cache_key("pdf", a) == cache.cache_key(
        "pdf", assemble(*generate(20, seed=1))
    )


def test_the_key_changes_when_fonts_are_installed_or_removed(monkeypatch):
    document = assemble(*generate(20, seed=1))
    fonts = [b"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"]
    monkeypatch.setattr(cache, "system_fonts", lambda: b"\n".join(fonts))
    cache.exporter_mark.cache_clear()
    try:
        before = cache.cache_key("pdf", document)
        fonts.append(b"/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf")
        cache.exporter_mark.cache_clear()
        assert cache.cache_key("pdf", document) != before
    finally:
        cache.exporter_mark.cache_clear()


def test_files_are_written_whole_and_pruned_oldest_first(tmp_path):
    for i in range(5):
        cache.store(tmp_path, f"k{i}", "pdf", b"x" * 100)
        os.utime(tmp_path / f"k{i}.pdf", (1000 + i, 1000 + i))
    assert cache.cached(tmp_path, "k0", "pdf") == b"x" * 100  # used: now the newest
    cache.prune(tmp_path, max_files=3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k0.pdf", "k3.pdf", "k4.pdf"]
    cache.prune(tmp_path, max_bytes=250)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k0.pdf", "k4.pdf"]
    assert cache.cached(tmp_path, "k1", "pdf") is None
