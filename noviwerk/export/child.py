"""What runs inside the export child process that ``services/export_jobs.py`` starts.

The child prints the heavy formats (PDF, docx) away from the web process, one at a time,
each in one piece. It leaves once the process that started it is gone: a web worker killed
with SIGKILL cannot shut its pool down, and the child would otherwise wait on its queue for
ever.
"""

from __future__ import annotations

import os
import threading
import time

from noviwerk.export.bouwsteen import docx as bouwsteen_docx
from noviwerk.export.bouwsteen import pdf as bouwsteen_pdf
from noviwerk.synthesis.document import Document

HEAVY = {"pdf": bouwsteen_pdf, "docx": bouwsteen_docx}


def watch_parent(parent: int) -> None:
    """Exit this process once ``parent`` is gone (checked every two seconds)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(2)
        os._exit(0)

    threading.Thread(target=watch, name="noviwerk-parent-watch", daemon=True).start()


def render(fmt: str, document: Document) -> bytes:
    """``document`` as ``fmt`` ("pdf" or "docx"), printed in this process."""
    if fmt not in HEAVY:
        raise ValueError(f"not a heavy format: {fmt!r}")
    return HEAVY[fmt].render(document)
