"""Bouwsteen PDF and docx: printed in a child process, kept on disk by content.

A PDF of 2,000 contributions costs some 3.6 to 4.5 s of CPU (docs/benchmarks.md). Printed
in the web worker it holds the GIL all that time, and in SQLite mode that one process also
serves the live room. So the two heavy formats are printed by one spawned child per
process, which imports only ``noviwerk.export`` and ``noviwerk.synthesis`` (never the app)
and prints part of a PDF's bijlage in a helper process of its own (``export/child.py``).
Each result is kept under ``instance/exports/<sha256>.<ext>``: the key covers the format,
the exporter (its code, templates and libraries) and the whole Document, so the
same key always means the same bytes, whichever version or werkplaats asked for it.

After a new version is saved, its PDF and docx are printed in the background (``prerender``,
newest version per bouwsteen first), so the trekker's download is usually a file read. A
download of a file that is being printed waits for that print rather than starting another.
Where no child process can be started, downloads print in-process and nothing is printed
ahead.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import multiprocessing
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from flask import current_app

from ..export import child
from ..export.bouwsteen import docx as bouwsteen_docx
from ..export.bouwsteen import pdf as bouwsteen_pdf
from ..synthesis.document import Document, to_dict

log = logging.getLogger(__name__)

HEAVY = {"pdf": bouwsteen_pdf, "docx": bouwsteen_docx}
MAX_FILES = 64
MAX_BYTES = 256 * 1024 * 1024
# What the key says about the exporter besides its files: bump to drop every cached file.
FORMAT_MARK = "1"
_EXPORTER_FILES = (
    "noviwerk/export/bouwsteen/common.py",
    "noviwerk/export/bouwsteen/docx.py",
    "noviwerk/export/bouwsteen/pdf.py",
    "noviwerk/export/pdf_join.py",
    "templates/export/bouwsteen.css",
    "templates/export/bouwsteen.html",
)
_EXPORTER_PACKAGES = ("weasyprint", "pydyf", "fonttools", "python-docx", "pikepdf")
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Settings:
    cache_dir: Path
    in_child: bool = True


def settings() -> Settings:
    """This app's settings, taken in the request (background threads have no app context)."""
    config = current_app.config
    directory = config.get("NOVIWERK_EXPORT_CACHE_DIR") or Path(current_app.instance_path) / "exports"
    return Settings(Path(directory), bool(config.get("NOVIWERK_EXPORT_IN_CHILD", True)))


# --- the key and the files --------------------------------------------------------------


def system_fonts() -> bytes:
    """The font files fontconfig offers, sorted: WeasyPrint picks the PDF's fonts from them
    (without fonts-dejavu-extra the bijlage falls back to DejaVu Sans, and the file changes).
    ``-`` where ``fc-list`` cannot be run; then emptying the directory after a font change is
    up to whoever changes it."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return b"-"
    try:
        listed = subprocess.run(  # noqa: S603 - a fixed command, no outside input
            [fc_list, "--format", "%{file}\\n"], capture_output=True, check=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return b"-"
    return b"\n".join(sorted(set(listed.splitlines())))


@functools.cache
def exporter_mark() -> str:
    """A digest of everything besides the Document that decides the bytes of a PDF or docx:
    the exporter's files, its libraries' versions and the system's fonts. Taken once per
    process: a font installed while the app runs counts from its next start."""
    digest = hashlib.sha256(FORMAT_MARK.encode())
    digest.update(system_fonts() + b"\0")
    for name in _EXPORTER_FILES:
        digest.update(name.encode() + b"\0" + (ROOT / name).read_bytes())
    for package in _EXPORTER_PACKAGES:
        try:
            version = metadata.version(package)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{package}={version}\0".encode())
    return digest.hexdigest()


def cache_key(fmt: str, document: Document) -> str:
    """sha256 of format, exporter and the Document as canonical JSON.

    ``to_dict`` with sorted keys rather than ``bouwsteen_json.render``: it is what the
    version stores, takes a sixth of the time, and does not fold texts together first.
    """
    canonical = json.dumps(
        to_dict(document), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    digest = hashlib.sha256(f"{fmt}\0{exporter_mark()}\0".encode())
    digest.update(canonical.encode())
    return digest.hexdigest()


def _path(directory: Path, key: str, fmt: str) -> Path:
    return directory / f"{key}.{fmt}"


def cached(directory: Path, key: str, fmt: str) -> bytes | None:
    path = _path(directory, key, fmt)
    try:
        body = path.read_bytes()
    except FileNotFoundError:  # never made, or pruned by another process just now
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: pruned last
    return body


def store(directory: Path, key: str, fmt: str, body: bytes) -> None:
    """Write atomically (a reader sees the whole file or none), then prune to the cap."""
    directory.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=directory, prefix=f".{key}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(body)
        os.replace(temp, _path(directory, key, fmt))
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    prune(directory)


def prune(directory: Path, max_files: int = MAX_FILES, max_bytes: int = MAX_BYTES) -> None:
    """Keep the newest files within both caps; temp files of a crashed write go after an hour."""
    entries = []
    for path in directory.iterdir():
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        if path.name.startswith("."):
            if path.suffix == ".tmp" and stat.st_mtime < time.time() - 3600:
                path.unlink(missing_ok=True)
            continue
        entries.append((stat.st_mtime, stat.st_size, path))
    entries.sort(reverse=True)
    kept = total = 0
    for _mtime, size, path in entries:
        if kept < max_files and total + size <= max_bytes:
            kept += 1
            total += size
        else:
            path.unlink(missing_ok=True)


# --- this process's child and what it is printing --------------------------------------


class _NoChildren(Exception):
    """Process pools are unavailable here."""


@dataclass
class _Jobs:
    lock: threading.Lock = field(default_factory=threading.Lock)
    pool: ProcessPoolExecutor | None = None
    no_children: bool = False
    running: dict[str, Future] = field(default_factory=dict)  # by cache key
    wanted: dict[object, tuple[Document, Path]] = field(default_factory=dict)  # by bouwsteen
    prerendering: bool = False
    prerenderer: threading.Thread | None = None
    rendered: Counter = field(default_factory=Counter)  # ("child"|"here", fmt): renders begun
    wake: threading.Condition = field(init=False)

    def __post_init__(self) -> None:
        self.wake = threading.Condition(self.lock)


# By process id: a forked process (a gunicorn worker) must not use its parent's pool or
# futures; it makes its own on first use.
_jobs: dict[int, _Jobs] = {}
_jobs_lock = threading.Lock()


def _here() -> _Jobs:
    pid = os.getpid()
    jobs = _jobs.get(pid)
    if jobs is None:
        with _jobs_lock:
            jobs = _jobs.setdefault(pid, _Jobs())
    return jobs


def _forget_parent() -> None:
    global _jobs_lock
    _jobs_lock = threading.Lock()  # the parent's could have been held by one of its threads
    _jobs.clear()


os.register_at_fork(after_in_child=_forget_parent)


def child_pids() -> list[int]:
    """The pids of this process's export children (for tests and operators)."""
    pool = _here().pool
    return list(getattr(pool, "_processes", None) or {}) if pool else []


def rendered() -> Counter:
    """Renders begun in this process so far, by (``"child"`` or ``"here"``, format)."""
    jobs = _here()
    with jobs.lock:
        return Counter(jobs.rendered)


def _submit(jobs: _Jobs, fmt: str, document: Document) -> Future:
    """Hand one render to the child (under ``jobs.lock``), replacing a broken pool once."""
    for _attempt in range(2):
        if jobs.pool is None:
            if jobs.no_children:
                raise _NoChildren
            try:
                jobs.pool = ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=child.start,
                    initargs=(os.getpid(),),
                )
            except (ImportError, NotImplementedError, OSError) as e:
                jobs.no_children = True
                log.warning("no child process for exports; printing in-process: %s", e)
                raise _NoChildren from e
        pool = jobs.pool
        try:
            future = pool.submit(child.render, fmt, document)
        except BrokenProcessPool:  # the child died (killed, out of memory): a new one
            jobs.pool = None
            pool.shutdown(wait=False, cancel_futures=True)
            continue
        except OSError as e:  # the child could not be started at all
            jobs.pool = None
            jobs.no_children = True
            pool.shutdown(wait=False, cancel_futures=True)
            log.warning("cannot start a child for exports; printing in-process: %s", e)
            raise _NoChildren from e
        jobs.rendered["child", fmt] += 1
        return future
    raise BrokenProcessPool("the export child died twice in a row")


def _usable(future: Future) -> bool:
    return not future.done() or (not future.cancelled() and future.exception() is None)


def _finished(jobs: _Jobs, key: str, fmt: str, directory: Path, future: Future) -> None:
    # The file goes first: a download between the two steps then finds it.
    if not future.cancelled() and future.exception() is None:
        try:
            store(directory, key, fmt, future.result())
        except OSError:
            log.warning("could not keep the %s export in %s", fmt, directory, exc_info=True)
    with jobs.lock:
        if jobs.running.get(key) is future:
            del jobs.running[key]


def _start(jobs: _Jobs, fmt: str, document: Document, key: str, directory: Path) -> Future:
    """The render of ``key`` already under way, or a new one."""
    with jobs.lock:
        future = jobs.running.get(key)
        if future is not None and _usable(future):
            return future
        future = _submit(jobs, fmt, document)
        jobs.running[key] = future
    future.add_done_callback(functools.partial(_finished, jobs, key, fmt, directory))
    return future


def _in_child(fmt: str, document: Document, key: str, directory: Path) -> bytes:
    jobs = _here()
    for attempt in (1, 2):
        future = _start(jobs, fmt, document, key, directory)
        try:
            return future.result()
        except BrokenProcessPool:
            if attempt == 2:
                raise
            log.warning("the export child died while printing %s; once more in a new one", fmt)
    raise AssertionError("unreachable")


def render(fmt: str, document: Document, options: Settings) -> bytes:
    """The ``fmt`` ("pdf" or "docx") file of ``document``: from disk, or printed now."""
    key = cache_key(fmt, document)
    body = cached(options.cache_dir, key, fmt)
    if body is not None:
        return body
    if options.in_child:
        try:
            return _in_child(fmt, document, key, options.cache_dir)
        except _NoChildren:
            pass
    jobs = _here()
    with jobs.lock:
        jobs.rendered["here", fmt] += 1
    body = HEAVY[fmt].render(document)
    try:
        store(options.cache_dir, key, fmt, body)
    except OSError:
        log.warning("could not keep the %s export in %s", fmt, options.cache_dir, exc_info=True)
    return body


# --- printing ahead ---------------------------------------------------------------------


def prerender(slot: object, document: Document, options: Settings) -> None:
    """Print ``document`` as PDF and docx in the background; returns at once.

    ``slot`` is the bouwsteen: a newer version replaces one that is still waiting, so ten
    quick saves print once, not ten times. Only with a child process: printing ahead in
    the web process itself would cost the room what this module is there to spare it.
    """
    jobs = _here()
    if not options.in_child or jobs.no_children:
        return
    with jobs.wake:
        jobs.wanted.pop(slot, None)
        jobs.wanted[slot] = (document, options.cache_dir)
        if jobs.prerenderer is None or not jobs.prerenderer.is_alive():
            jobs.prerenderer = threading.Thread(
                target=_prerender_loop, args=(jobs,), name="noviwerk-prerender", daemon=True
            )
            jobs.prerenderer.start()
        jobs.wake.notify()


def _prerender_loop(jobs: _Jobs) -> None:
    while True:
        with jobs.wake:
            jobs.prerendering = False
            jobs.wake.notify_all()
            while not jobs.wanted:
                jobs.wake.wait()
            slot = next(iter(jobs.wanted))
            document, directory = jobs.wanted.pop(slot)
            jobs.prerendering = True
        for fmt in ("pdf", "docx"):
            with jobs.lock:
                if slot in jobs.wanted:  # already out of date
                    break
            try:
                key = cache_key(fmt, document)
                if cached(directory, key, fmt) is None:
                    _in_child(fmt, document, key, directory)
            except _NoChildren:
                break
            except Exception:
                log.exception("printing bouwsteen %s ahead as %s failed", slot, fmt)


def settle(timeout: float = 60.0) -> bool:
    """Wait until nothing is printing or waiting to be printed (tests, benchmarks)."""
    jobs = _here()
    deadline = time.monotonic() + timeout
    with jobs.wake:
        while jobs.wanted or jobs.prerendering or jobs.running:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            jobs.wake.wait(min(left, 0.05))  # running renders end in the pool's thread
    return True
