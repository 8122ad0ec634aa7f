"""Files the app hands over: every download goes through ``file_response``."""

from __future__ import annotations

import io

from flask import Response, send_file

from ..domain import AuditAction
from ..services import audit


def file_response(
    body: bytes | str, mimetype: str, name: str, *, attachment: bool = True
) -> Response:
    """A download (or, ``attachment=False``, a file shown in the page) named ``name``."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    # send_file adds "; charset=utf-8" to text types itself: the bare type, or it says so twice
    bare = mimetype.partition(";")[0]
    return send_file(io.BytesIO(data), mimetype=bare, as_attachment=attachment, download_name=name)


def recorded_download(
    action: AuditAction, subject, body: bytes | str, mimetype: str, name: str
) -> Response:
    """A download of ``subject``'s data that goes into the audit log: who took which file.
    (Images a page shows of itself are no download: those use ``file_response``.)"""
    audit.record(action, subject, detail=name)
    return file_response(body, mimetype, name)
