"""The oogst table uploaded in the browser: first a preview of what it would change, then,
on request, exactly that (``services.imports.preview``, the checks of ``flask
import-programme``).

The uploaded file is kept between the two steps in a private directory the web layer names
(under instance/), by a random id, with its SHA-256 and who uploaded it for which
programme; after ``MAX_AGE`` it is gone. Applying reads it again, checks the hash, plans
again and compares the plan with the one the preview showed (its fingerprint travels in the
apply form): if the programme changed in between, nothing is written and the new preview
is shown instead. Only the programme's eigenaren and beheerders upload.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from flask_babel import gettext as _

from ..database import write_transaction
from ..domain import AuditAction
from ..models import Programme, User
from . import audit
from .errors import Conflict, Forbidden, Invalid, NotFound
from .imports.preview import TablePlan, apply_plan, plan_programme
from .imports.report import ImportReport
from .permissions import can_manage_programme

MAX_AGE = 60 * 60  # seconds an upload waits for its apply
SUFFIXES = (".csv", ".xlsx")
_ID = re.compile(r"[A-Za-z0-9_-]{22}")
_XLSX = b"PK\x03\x04"
_BINARY = (b"\xd0\xcf\x11\xe0", b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b")


@dataclass(frozen=True)
class Upload:
    id: str
    programme_id: int
    user_id: int
    filename: str
    sha256: str
    created_at: float


def _allowed(user: User, programme: Programme) -> None:
    if not can_manage_programme(user, programme):
        raise Forbidden(_("Alleen eigenaren van het programma en beheerders lezen een tabel in."))


def _not_a_table() -> Invalid:
    return Invalid(
        _(
            "Dit is geen CSV- of XLSX-bestand. Kies een .csv- of .xlsx-bestand, bijvoorbeeld "
            "de download van de oogst."
        ),
        "bestand",
    )


def check_file(filename: str, data: bytes) -> None:
    """A CSV or XLSX file by name and by content, or a Dutch refusal (nothing kept)."""
    suffix = Path(filename or "").suffix.lower()
    if not data:
        raise Invalid(_("Kies een bestand om in te lezen."), "bestand")
    if suffix not in SUFFIXES:
        raise _not_a_table()
    if suffix == ".xlsx" and not data.startswith(_XLSX):
        raise _not_a_table()
    if suffix == ".csv" and (data.startswith((_XLSX, *_BINARY)) or b"\x00" in data[:65536]):
        raise _not_a_table()


def _safe_name(filename: str) -> str:
    name = Path(filename or "").name
    return "".join(c for c in name if c.isprintable())[:120] or "bestand"


def _sweep(directory: Path, now: float) -> None:
    """Uploads older than ``MAX_AGE`` go, with their data."""
    for meta in directory.glob("*.json"):
        try:
            if now - meta.stat().st_mtime > MAX_AGE:
                meta.with_suffix(".upload").unlink(missing_ok=True)
                meta.unlink(missing_ok=True)
        except OSError:
            continue


def _write(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def keep(directory: Path, programme: Programme, user: User, filename: str, data: bytes) -> Upload:
    """Check the file is a table and keep it for its preview and apply."""
    _allowed(user, programme)
    check_file(filename, data)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    now = time.time()
    _sweep(directory, now)
    upload = Upload(
        id=secrets.token_urlsafe(16),
        programme_id=programme.id,
        user_id=user.id,
        filename=_safe_name(filename),
        sha256=hashlib.sha256(data).hexdigest(),
        created_at=now,
    )
    _write(directory / f"{upload.id}.upload", data)
    _write(directory / f"{upload.id}.json", json.dumps(asdict(upload)).encode())
    return upload


def _gone() -> NotFound:
    return NotFound(
        _(
            "Deze upload bestaat niet (meer): een upload wacht een uur. "
            "Lees het bestand opnieuw in; er is niets gewijzigd."
        )
    )


def _load(
    directory: Path, upload_id: str, programme: Programme, user: User
) -> tuple[Upload, bytes]:
    _allowed(user, programme)
    if not _ID.fullmatch(upload_id or ""):
        raise _gone()
    if directory.is_dir():
        _sweep(directory, time.time())
    try:
        upload = Upload(**json.loads((directory / f"{upload_id}.json").read_text()))
        data = (directory / f"{upload_id}.upload").read_bytes()
    except (OSError, ValueError, TypeError):
        raise _gone() from None
    if upload.programme_id != programme.id or upload.user_id != user.id:
        raise _gone()
    if time.time() - upload.created_at > MAX_AGE:
        raise _gone()
    if hashlib.sha256(data).hexdigest() != upload.sha256:
        raise Invalid(_("Het bewaarde bestand is niet meer hetzelfde. Lees het opnieuw in."))
    return upload, data


def preview(
    directory: Path, upload_id: str, programme: Programme, user: User, max_rows: int
) -> tuple[Upload, TablePlan]:
    """What the kept upload would change, row by row. Writes nothing."""
    upload, data = _load(directory, upload_id, programme, user)
    return upload, plan_programme(data, programme, source=upload.filename, max_rows=max_rows)


def apply(
    directory: Path,
    upload_id: str,
    programme: Programme,
    user: User,
    fingerprint: str,
    max_rows: int,
) -> ImportReport:
    """Write what the preview with ``fingerprint`` showed; if the plan is no longer that
    (the programme changed since), refuse (Conflict) and write nothing."""
    upload, plan = preview(directory, upload_id, programme, user, max_rows)
    if plan.fingerprint() != fingerprint:
        raise Conflict(
            _(
                "Het programma is veranderd sinds de voorvertoning. Er is niets gewijzigd; "
                "bekijk de nieuwe voorvertoning hieronder."
            )
        )
    if not plan.can_apply:
        raise Invalid(_("Deze tabel verandert niets, of heeft fouten: er is niets gewijzigd."))
    report = apply_plan(plan)
    _record(programme, upload.filename)
    _forget(directory, upload.id)
    return report


@write_transaction
def _record(programme: Programme, filename: str) -> None:
    audit.record(AuditAction.OOGST_UPLOAD, programme, detail=filename)


def _forget(directory: Path, upload_id: str) -> None:
    for suffix in (".upload", ".json"):
        (directory / f"{upload_id}{suffix}").unlink(missing_ok=True)


__all__ = ["MAX_AGE", "Upload", "apply", "check_file", "keep", "preview"]
