"""Bouwsteen PDF and docx off the request path: printed in a child process, printed ahead
after a save, kept on disk by content (services/export_jobs.py).

All tests share this process's one export child (spawning one costs about a second).
"""

from __future__ import annotations

import io
import os
import signal
import threading
import time

import pytest
from docx import Document as Docx
from pypdf import PdfReader

from noviwerk.export import child
from noviwerk.export.bouwsteen import docx as bouwsteen_docx
from noviwerk.export.bouwsteen import pdf as bouwsteen_pdf
from noviwerk.services import bouwsteen as svc
from noviwerk.services import export_jobs, participation
from noviwerk.synthesis.bouwsteen import assemble
from tests.conftest import fresh, login, post_form
from tests.factories import generate

EDITED = "Water vraagt ruimte in de stad, en dat kost grond. [1, 2]"


@pytest.fixture
def exports(app, tmp_path):
    """A cache directory of the test's own; waits for background prints before it ends."""
    directory = tmp_path / "exports"
    app.config["NOVIWERK_EXPORT_CACHE_DIR"] = str(directory)
    yield directory
    assert export_jobs.settle(120)


@pytest.fixture
def harvested(world):
    trekker = world.user("trek@example.test", role="trekker", name="Tineke Trekker")
    w = world.werkplaats(facilitators=[world.user()], trekkers=[trekker])
    world.open_werkplaats(w)
    for i, text in enumerate(
        ["Meer ruimte voor water in de stad", "Bodemdaling in het veenweidegebied gaat door"]
    ):
        p = participation.join(w, display_name=f"Deelnemer {i}", veld="maatschappelijk")
        participation.post_contribution(p, w.rounds[0].id, text, client_key=f"k{i}")
    return w


def _url(w, tail=""):
    return f"/f/werkplaatsen/{w.id}/bouwsteen{tail}"


def _pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in Docx(io.BytesIO(data)).paragraphs)


def _current_document(w):
    fresh()
    bouwsteen = svc.find(w)
    return bouwsteen.current.number, svc.document_of(bouwsteen.current)


def _edit(client, w, text=EDITED):
    edit = _url(w, "/secties/samenvatting")
    assert post_form(client, edit, {"text": text}, page=edit).status_code == 303


def test_after_a_save_the_download_is_the_printed_ahead_file_of_that_version(
    app, client, harvested, exports
):
    app.config["NOVIWERK_EXPORT_PRERENDER"] = True
    w = harvested
    login(client, "trek@example.test")
    assert post_form(client, _url(w, "/maken"), page=_url(w)).status_code == 303
    _edit(client, w)
    assert export_jobs.settle(120)
    number, document = _current_document(w)
    assert number == 2
    for fmt in ("pdf", "docx"):
        assert (exports / f"{export_jobs.cache_key(fmt, document)}.{fmt}").exists()
    before = export_jobs.rendered()

    r = client.get(_url(w, ".pdf"))
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert "-v2.pdf" in r.headers["Content-Disposition"]
    assert "Water vraagt ruimte in de stad, en dat kost grond." in _pdf_text(r.data)
    assert r.data == bouwsteen_pdf.render(document)
    r = client.get(_url(w, ".docx"))
    assert "Water vraagt ruimte in de stad, en dat kost grond." in _docx_text(r.data)
    assert r.data == bouwsteen_docx.render(document)
    assert client.get(_url(w, ".pdf")).data == bouwsteen_pdf.render(document)
    assert export_jobs.rendered() == before  # all three from the files


def test_a_new_version_gets_a_new_file_and_old_versions_still_download(
    app, client, harvested, exports
):
    w = harvested
    login(client, "trek@example.test")
    assert post_form(client, _url(w, "/maken"), page=_url(w)).status_code == 303
    first = client.get(_url(w, ".pdf")).data
    assert "Water vraagt ruimte" not in _pdf_text(first)
    _edit(client, w)
    second = client.get(_url(w, ".pdf"))
    assert "-v2.pdf" in second.headers["Content-Disposition"]
    assert "Water vraagt ruimte in de stad, en dat kost grond." in _pdf_text(second.data)
    assert second.data != first
    before = export_jobs.rendered()
    old = client.get(_url(w, ".pdf?versie=1"))
    assert "-v1.pdf" in old.headers["Content-Disposition"] and old.data == first
    assert export_jobs.rendered() == before
    # a restore gives version 3 with version 1's document: the same file, not printed again
    assert post_form(client, _url(w, "/versies/1/terugzetten"), page=_url(w)).status_code == 303
    third = client.get(_url(w, ".pdf"))
    assert "-v3.pdf" in third.headers["Content-Disposition"] and third.data == first
    assert export_jobs.rendered() == before


def test_a_download_while_it_is_printed_ahead_waits_for_that_print(app, exports):
    document = assemble(*generate(60))
    options = export_jobs.settings()
    before = export_jobs.rendered()
    export_jobs.prerender("test-slot", document, options)
    body = export_jobs.render("pdf", document, options)
    assert export_jobs.settle(120)
    assert body == bouwsteen_pdf.render(document)
    printed = export_jobs.rendered() - before
    assert printed == {("child", "pdf"): 1, ("child", "docx"): 1}


def test_a_killed_child_does_not_break_the_next_download(app, client, harvested, exports):
    w = harvested
    login(client, "trek@example.test")
    assert post_form(client, _url(w, "/maken"), page=_url(w)).status_code == 303
    assert client.get(_url(w, ".docx")).status_code == 200  # the child is up
    (pid,) = export_jobs.child_pids()
    os.kill(pid, signal.SIGKILL)
    r = client.get(_url(w, ".pdf"))
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


def test_others_still_get_403_and_nothing_is_printed(app, client, harvested, world, exports):
    app.config["NOVIWERK_EXPORT_PRERENDER"] = True
    world.user("ander@example.test", role="trekker")
    login(client, "ander@example.test")
    before = export_jobs.rendered()
    for fmt in (".pdf", ".docx", ".pdf?versie=1"):
        assert client.get(_url(harvested, fmt)).status_code == 403
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


# --- the key and the files, without a child ---------------------------------------------


def test_the_key_covers_format_and_document():
    a = assemble(*generate(20, seed=1))
    b = assemble(*generate(20, seed=2))
    keys = {export_jobs.cache_key(f, d) for f in ("pdf", "docx") for d in (a, b)}
    assert len(keys) == 4
    assert export_jobs.cache_key("pdf", a) == export_jobs.cache_key(
        "pdf", assemble(*generate(20, seed=1))
    )


def test_the_key_changes_when_fonts_are_installed_or_removed(monkeypatch):
    document = assemble(*generate(20, seed=1))
    fonts = [b"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"]
    monkeypatch.setattr(export_jobs, "system_fonts", lambda: b"\n".join(fonts))
    export_jobs.exporter_mark.cache_clear()
    try:
        before = export_jobs.cache_key("pdf", document)
        fonts.append(b"/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf")
        export_jobs.exporter_mark.cache_clear()
        assert export_jobs.cache_key("pdf", document) != before
    finally:
        export_jobs.exporter_mark.cache_clear()


def test_files_are_written_whole_and_pruned_oldest_first(tmp_path):
    for i in range(5):
        export_jobs.store(tmp_path, f"k{i}", "pdf", b"x" * 100)
        os.utime(tmp_path / f"k{i}.pdf", (1000 + i, 1000 + i))
    assert export_jobs.cached(tmp_path, "k0", "pdf") == b"x" * 100  # used: now the newest
    export_jobs.prune(tmp_path, max_files=3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k0.pdf", "k3.pdf", "k4.pdf"]
    export_jobs.prune(tmp_path, max_bytes=250)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k0.pdf", "k4.pdf"]
    assert export_jobs.cached(tmp_path, "k1", "pdf") is None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_the_child_prints_the_bijlage_in_a_helper_which_is_replaced_when_it_dies(app, exports):
    document = assemble(*generate(120))
    options = export_jobs.settings()
    export_jobs.render("docx", document, options)  # the child is up
    pool = export_jobs._here().pool
    helper = pool.submit(child.helper_pid).result()
    assert helper is not None and _alive(helper)
    assert export_jobs.render("pdf", document, options) == bouwsteen_pdf.render(document)
    os.kill(helper, signal.SIGKILL)
    again = assemble(*generate(121))  # another document: not read from disk
    assert export_jobs.render("pdf", again, options) == bouwsteen_pdf.render(again)
    replaced = pool.submit(child.helper_pid).result()
    assert replaced not in (None, helper) and _alive(replaced)


def test_a_killed_child_takes_its_helper_with_it(app, exports):
    export_jobs.render("docx", assemble(*generate(20)), export_jobs.settings())
    (pid,) = export_jobs.child_pids()
    helper = export_jobs._here().pool.submit(child.helper_pid).result()
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 15
    while _alive(helper) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(helper)  # it saw its parent go (checked every two seconds)
