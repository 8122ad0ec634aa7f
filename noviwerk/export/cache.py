"""Bouwsteen PDF and docx files kept on disk by content (for ``services/export_jobs.py``).

Each file is ``<directory>/<sha256>.<ext>``: the key covers the format, the exporter (its
code, templates, libraries and the system's fonts) and the whole Document, so the same key
always means the same bytes, whichever version or werkplaats asked for it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from importlib import metadata
from pathlib import Path

from noviwerk.synthesis.document import Document, to_dict

MAX_FILES = 64
MAX_BYTES = 256 * 1024 * 1024
# What the key says about the exporter besides its files: bump to drop every cached file.
FORMAT_MARK = "1"
_EXPORTER_FILES = (
    "noviwerk/export/bouwsteen/common.py",
    "noviwerk/export/bouwsteen/docx.py",
    "noviwerk/export/bouwsteen/pdf.py",
    "templates/export/bouwsteen.css",
    "templates/export/bouwsteen.html",
)
_EXPORTER_PACKAGES = ("weasyprint", "pydyf", "fonttools", "python-docx")
ROOT = Path(__file__).resolve().parents[2]  # the repository


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
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)  # only the app's user (config.py)
    fd, temp = tempfile.mkstemp(dir=directory, prefix=f".{key}.", suffix=".tmp")  # 0600
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


def clear(directory: Path) -> None:
    """Drop every kept file: after a withdrawn text was taken out of stored versions, no
    PDF or docx printed from them before may stay on disk."""
    try:
        paths = list(directory.iterdir())
    except FileNotFoundError:
        return
    for path in paths:
        if path.is_file():
            path.unlink(missing_ok=True)
