"""What runs inside the export child process that ``services/export_jobs.py`` starts.

The child prints the heavy formats (PDF, docx) away from the web process. For a PDF it has
a helper process of its own: the first piece of the bijlage is printed there while the
child prints the text and the rest (``bouwsteen_pdf.render``), so on two cores a long
bouwsteen takes about half the time. The helper is started, and WeasyPrint loaded in it,
when the child starts, so the first PDF waits for neither. Without a helper (it could not
be started, or died) the child prints every piece itself, and the file is the same.

Both processes leave once the process that started them is gone: a web worker killed with
SIGKILL cannot shut its pool down, and a child would otherwise wait on its queue for ever.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.util
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from noviwerk.export.bouwsteen import docx as bouwsteen_docx
from noviwerk.export.bouwsteen import pdf as bouwsteen_pdf
from noviwerk.synthesis.document import Document

log = logging.getLogger(__name__)

_helper: ProcessPoolExecutor | None = None


def watch_parent(parent: int) -> None:
    """Exit this process once ``parent`` is gone (checked every two seconds)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(2)
        os._exit(0)

    threading.Thread(target=watch, name="noviwerk-parent-watch", daemon=True).start()


def start(parent: int) -> None:
    """The export child's initializer: watch the web process, start the PDF helper."""
    watch_parent(parent)
    _start_helper()


def _start_helper() -> ProcessPoolExecutor | None:
    global _helper
    try:
        _helper = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=watch_parent,
            initargs=(os.getpid(),),
        )
        _helper.submit(bouwsteen_pdf.warm_up)
        # A pool's worker leaves through multiprocessing, which joins its children but never
        # runs concurrent.futures' exit hook: without this the helper would wait for work,
        # and the child for the helper, for ever. Before the queues' own finalizers (10),
        # which would close the helper's queue before the shutdown could be sent on it.
        multiprocessing.util.Finalize(None, _helper.shutdown, exitpriority=100)
    except (ImportError, NotImplementedError, OSError, RuntimeError) as e:
        log.warning("no helper process for the bijlage; printing PDFs in one process: %s", e)
        _helper = None
    return _helper


def helper_pid() -> int | None:
    """The helper's pid, once it is running (for tests)."""
    processes = getattr(_helper, "_processes", None) or {}
    return next(iter(processes), None)


def render(fmt: str, document: Document) -> bytes:
    """``document`` as ``fmt`` ("pdf" or "docx"), printed in this (the child) process."""
    if fmt == "docx":
        return bouwsteen_docx.render(document)
    if fmt != "pdf":
        raise ValueError(f"not a heavy format: {fmt!r}")
    if _helper is not None:
        try:
            _helper.submit(int)  # a no-op: refused at once if the helper has died
        except (BrokenProcessPool, RuntimeError):
            log.warning("the PDF helper process died; starting a new one")
            _helper.shutdown(wait=False, cancel_futures=True)
            _start_helper()
    return bouwsteen_pdf.render(document, helper=_helper)
