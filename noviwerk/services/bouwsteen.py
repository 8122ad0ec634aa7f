"""The draft bouwsteen of a werkplaats: generate, regenerate, edit, restore, sign off, share.

Every save is a new ``BouwsteenVersion`` holding the whole Document (``to_dict``), so each
version can be shown, compared and restored as it was. Assembly itself is pure
(``synthesis.bouwsteen.assemble``); this module only feeds it records and stores results.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC
from functools import wraps
from typing import TypeVar

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import to_user_timezone

from ..database import write_transaction
from ..display import shown
from ..domain import AuditAction, BouwsteenStatus, VersionKind, slug
from ..export.bouwsteen import csv as bouwsteen_csv
from ..export.bouwsteen import docx as bouwsteen_docx
from ..export.bouwsteen import json as bouwsteen_json
from ..export.bouwsteen import markdown as bouwsteen_markdown
from ..export.bouwsteen import pdf as bouwsteen_pdf
from ..extensions import db
from ..models import Bouwsteen, BouwsteenEvent, BouwsteenFlag, BouwsteenVersion, User, Werkplaats
from ..synthesis import editing
from ..synthesis.bouwsteen import assemble, at_stage
from ..synthesis.document import Document, DraadEdit, from_dict, to_dict
from . import audit, export_jobs, versions
from .contributions import contribution_records, werkplaats_record
from .errors import Invalid, NotFound
from .participation import checked_text

# Allowed status moves: forward one step, or back (reopening) one step.
TRANSITIONS: dict[BouwsteenStatus, tuple[BouwsteenStatus, ...]] = {
    BouwsteenStatus.CONCEPT: (BouwsteenStatus.VERSLAG,),
    BouwsteenStatus.VERSLAG: (BouwsteenStatus.GEREED, BouwsteenStatus.CONCEPT),
    BouwsteenStatus.GEREED: (BouwsteenStatus.VERSLAG,),
}

EXPORTERS = {
    "md": (bouwsteen_markdown, "md"),
    "docx": (bouwsteen_docx, "docx"),
    "pdf": (bouwsteen_pdf, "pdf"),
    "json": (bouwsteen_json, "json"),
    "csv": (bouwsteen_csv, "csv"),
}


def machine_draft(werkplaats: Werkplaats, draad_edits: Sequence[DraadEdit] = ()) -> Document:
    """The draft as the machine assembles it from the visible contributions right now, with
    the rode draden as the trekker shaped them (``draad_edits``, kept in the Document)."""
    return assemble(
        werkplaats_record(werkplaats), contribution_records(werkplaats), draad_edits=draad_edits
    )


def find(werkplaats: Werkplaats) -> Bouwsteen | None:
    return db.session.scalar(sa.select(Bouwsteen).where(Bouwsteen.werkplaats_id == werkplaats.id))


def document_of(version: BouwsteenVersion) -> Document:
    return from_dict(version.document)


def export_document(bouwsteen: Bouwsteen, version: BouwsteenVersion | None = None) -> Document:
    """The Document an export prints. The current version as the bouwsteen now stands: a
    verslag or gereed bouwsteen says so on its first page and in its footer (a gereed one
    with who declared it so, and when). An earlier version as it was stored: a concept.
    Each with the time its version was saved, the PDF's and docx's creation date."""
    version = version or bouwsteen.current
    document = _made(version, document_of(version))
    return document if version is not bouwsteen.current else _as_it_stands(bouwsteen, document)


def _made(version: BouwsteenVersion, document: Document) -> Document:
    """``document`` saying when ``version`` was saved: when this text was made. Not the
    time of printing, so the same version always prints the same bytes (export/cache.py)."""
    return replace(document, made_at=version.created_at.replace(tzinfo=UTC))


def _as_it_stands(bouwsteen: Bouwsteen, document: Document) -> Document:
    """The current version's ``document`` with the bouwsteen's status (``at_stage``)."""
    by, on = "", None
    if bouwsteen.status == BouwsteenStatus.GEREED:
        event = next(
            (e for e in reversed(bouwsteen.events) if e.to_status == BouwsteenStatus.GEREED), None
        )
        if event is not None:
            by = event.user.name if event.user else ""
            on = to_user_timezone(event.created_at).date()
    return at_stage(document, bouwsteen.status.value, by, on)


T = TypeVar("T")
PRINT_AHEAD = "noviwerk.print_ahead"  # in the session's info while a save may print ahead


def _saves(fn: Callable[..., T]) -> Callable[..., T]:
    """``fn``, which saves a version or the status of a bouwsteen, as one write transaction.

    Given ``print_ahead`` (the caller's export settings), the saved bouwsteen's PDF and docx
    are handed to the export child once the transaction has committed, so that a download
    after the save is a file read; a save that is rolled back prints nothing. Not to be
    called inside another write: it would print before that one commits.
    """
    transaction = write_transaction(fn)

    @wraps(fn)
    def wrapper(*args, print_ahead: export_jobs.Settings | None = None, **kwargs) -> T:
        if print_ahead is not None:
            db.session.info[PRINT_AHEAD] = {}
        try:
            result = transaction(*args, **kwargs)
        finally:
            ahead = db.session.info.pop(PRINT_AHEAD, None) or {}
        for bouwsteen_id, document in ahead.items():
            export_jobs.prerender((str(print_ahead.cache_dir), bouwsteen_id), document, print_ahead)
        return result

    return wrapper


def _to_print(bouwsteen: Bouwsteen, document: Document | None = None) -> None:
    """Note the current version for printing ahead, if this save prints ahead
    (``document``: the current version's, where the caller has it at hand)."""
    ahead = db.session.info.get(PRINT_AHEAD)
    if ahead is not None:
        ahead[bouwsteen.id] = (
            export_document(bouwsteen)
            if document is None
            else _as_it_stands(bouwsteen, _made(bouwsteen.current, document))
        )


def _add_version(
    bouwsteen: Bouwsteen, document: Document, kind: VersionKind, user: User | None, note: str = ""
) -> BouwsteenVersion:
    """A new current version; ``bouwsteen`` is new or ``versions.locked`` by this save."""
    # Read, not the loaded attribute: posting keeps what it loaded, so the werkplaats in
    # this session may be a post or two behind.
    seq = db.session.scalar(
        sa.select(Werkplaats.last_seq).where(Werkplaats.id == bouwsteen.werkplaats.id)
    )
    version = BouwsteenVersion(
        kind=kind.value,
        note=note[:300],
        document=to_dict(document),
        source_seq=seq,
        created_by_id=user.id if user else None,
    )
    versions.add(bouwsteen, version)
    _to_print(bouwsteen, document)
    return version


def _locked(bouwsteen: Bouwsteen) -> Bouwsteen:
    return versions.locked(Bouwsteen, bouwsteen.id)


def _editable(bouwsteen: Bouwsteen) -> None:
    if bouwsteen.status == BouwsteenStatus.GEREED:
        raise Invalid(_("Deze bouwsteen is gereed en alleen te lezen. Heropen hem om te bewerken."))


@_saves
def open_draft(werkplaats: Werkplaats, user: User | None) -> Bouwsteen:
    """The werkplaats' bouwsteen; its draft generated as version 1, by ``user``, if it has
    none yet. Only on request (a button, the first card): a page that is only looked at
    never writes."""
    # Two first drafts at once (PostgreSQL): the second waits here, then finds the first.
    db.session.execute(
        sa.select(Werkplaats.id).where(Werkplaats.id == werkplaats.id).with_for_update()
    )
    bouwsteen = find(werkplaats)
    if bouwsteen is None:
        bouwsteen = Bouwsteen(werkplaats=werkplaats)
        db.session.add(bouwsteen)
        _add_version(bouwsteen, machine_draft(werkplaats), VersionKind.GENERATED, user)
    return bouwsteen


def new_input_count(bouwsteen: Bouwsteen) -> int:
    """Contribution changes (new, edited, withdrawn) since the current version was made."""
    current = bouwsteen.current
    return max(0, bouwsteen.werkplaats.last_seq - (current.source_seq if current else 0))


@dataclass(frozen=True)
class Regenerated:
    version: BouwsteenVersion | None
    conflicts: list[editing.Conflict]


@_saves
def regenerate(bouwsteen: Bouwsteen, user: User | None) -> Regenerated:
    """Refresh machine passages from the current input; hand-written sections stay."""
    bouwsteen = _locked(bouwsteen)
    _editable(bouwsteen)
    current = document_of(bouwsteen.current)
    merged, conflicts = editing.merge_regenerated(current, _machine_for(bouwsteen, current))
    if editing_equal(current, merged):
        return Regenerated(None, conflicts)
    return Regenerated(_add_version(bouwsteen, merged, VersionKind.REGENERATED, user), conflicts)


def editing_equal(a: Document, b: Document) -> bool:
    return to_dict(a) == to_dict(b)


def pending_conflicts(bouwsteen: Bouwsteen) -> list[editing.Conflict]:
    """Hand-written sections under which new input has arrived (for the trekker to decide)."""
    current = document_of(bouwsteen.current)
    _merged, conflicts = editing.merge_regenerated(current, _machine_for(bouwsteen, current))
    return conflicts


def _machine_for(bouwsteen: Bouwsteen, document: Document) -> Document:
    """The machine's draft now, keeping the trekker's choices about the rode draden."""
    return machine_draft(bouwsteen.werkplaats, document.draad_edits)


def _section(document: Document, section_id: str):
    section = document.section(section_id)
    if section is None:
        raise NotFound(_("Deze sectie bestaat niet."))
    return section


@_saves
def edit_section(bouwsteen: Bouwsteen, section_id: str, text: str, user: User) -> BouwsteenVersion:
    bouwsteen = _locked(bouwsteen)
    _editable(bouwsteen)
    document = document_of(bouwsteen.current)
    section = _section(document, section_id)
    try:
        new = editing.text_to_section(section, text, editing.number_to_id(document))
    except editing.EditError as e:
        raise Invalid(str(e), "text") from e
    if not new.blocks:
        raise Invalid(
            _("Een sectie kan niet leeg zijn. Zet de machinetekst terug als je hem kwijt wilt."),
            "text",
        )
    return _add_version(
        bouwsteen,
        editing.replace_section(document, new),
        VersionKind.EDITED,
        user,
        note=section.title,
    )


@_saves
def use_machine_text(bouwsteen: Bouwsteen, section_id: str, user: User) -> BouwsteenVersion:
    """Replace a (hand-written) section by the machine's current text: the trekker's choice."""
    bouwsteen = _locked(bouwsteen)
    _editable(bouwsteen)
    document = document_of(bouwsteen.current)
    machine = _machine_for(bouwsteen, document)
    if machine.section(section_id) is None and document.section(section_id) is None:
        raise NotFound(_("Deze sectie bestaat niet."))
    merged, _conflicts = editing.merge_regenerated(document, machine)
    restored = editing.restore_machine_section(merged, machine, section_id)
    title = (machine.section(section_id) or document.section(section_id)).title
    return _add_version(bouwsteen, restored, VersionKind.REGENERATED, user, note=title)


@_saves
def keep_hand_text(bouwsteen: Bouwsteen, section_id: str, user: User) -> BouwsteenVersion:
    """The trekker keeps their own text although new input arrived under it."""
    bouwsteen = _locked(bouwsteen)
    _editable(bouwsteen)
    document = document_of(bouwsteen.current)
    section = _section(document, section_id)
    kept = editing.keep_hand_text(document, _machine_for(bouwsteen, document), section_id)
    return _add_version(bouwsteen, kept, VersionKind.EDITED, user, note=section.title)


def get_version(bouwsteen: Bouwsteen, number: int) -> BouwsteenVersion:
    version = next((v for v in bouwsteen.versions if v.number == number), None)
    if version is None:
        raise NotFound(_("Deze versie bestaat niet."))
    return version


@_saves
def restore_version(bouwsteen: Bouwsteen, number: int, user: User) -> BouwsteenVersion:
    bouwsteen = _locked(bouwsteen)
    _editable(bouwsteen)
    old = get_version(bouwsteen, number)
    return _add_version(
        bouwsteen, document_of(old), VersionKind.RESTORED, user, note=_("versie %(n)d", n=number)
    )


@_saves
def set_status(bouwsteen: Bouwsteen, to: str, user: User) -> Bouwsteen:
    bouwsteen = _locked(bouwsteen)
    try:
        target = BouwsteenStatus(to)
    except ValueError:
        raise Invalid(_("Onbekende status.")) from None
    if target not in TRANSITIONS[bouwsteen.status]:
        raise Invalid(
            _(
                "Van %(a)s naar %(b)s kan niet; de volgorde is %(order)s.",
                a=shown(bouwsteen.status),
                b=shown(target),
                order=" → ".join(shown(s) for s in BouwsteenStatus),
            )
        )
    bouwsteen.events.append(
        BouwsteenEvent(from_status=bouwsteen.status.value, to_status=target.value, user_id=user.id)
    )
    audit.record(
        AuditAction.BOUWSTEEN_STATUS,
        bouwsteen.werkplaats,
        detail=f"{bouwsteen.status.value} → {target.value}",
        user=user,
    )
    bouwsteen.status = target
    db.session.flush()  # the event's time, for a gereed bouwsteen's exports
    if bouwsteen.current is not None:
        _to_print(bouwsteen)  # its exports now say the new status
    return bouwsteen


@write_transaction
def share(bouwsteen: Bouwsteen, on: bool) -> Bouwsteen:
    bouwsteen.share_token = secrets.token_urlsafe(24) if on else None
    return bouwsteen


def by_share_token(token: str) -> Bouwsteen:
    bouwsteen = db.session.scalar(sa.select(Bouwsteen).where(Bouwsteen.share_token == token))
    if bouwsteen is None or bouwsteen.current is None:
        raise NotFound(_("Deze link werkt niet (meer). Vraag de trekker om een nieuwe."))
    return bouwsteen


@write_transaction
def flag_section(bouwsteen: Bouwsteen, section_id: str, comment: str) -> BouwsteenFlag:
    if bouwsteen.status == BouwsteenStatus.GEREED:
        raise Invalid(_("Deze bouwsteen is al vastgesteld; reageren kan niet meer."))
    _section(document_of(bouwsteen.current), section_id)
    flag = BouwsteenFlag(
        section_id=section_id,
        comment=checked_text(comment, limit=1000),
        version_number=bouwsteen.current.number,
    )
    bouwsteen.flags.append(flag)
    return flag


@write_transaction
def resolve_flag(bouwsteen: Bouwsteen, flag_id: int) -> None:
    flag = next((f for f in bouwsteen.flags if f.id == flag_id), None)
    if flag is None:
        raise NotFound(_("Deze reactie bestaat niet."))
    flag.is_resolved = True


def export(
    bouwsteen: Bouwsteen,
    fmt: str,
    version: BouwsteenVersion | None = None,
    *,
    options: export_jobs.Settings,
):
    """(body, mimetype, file name) of a version (default: the current one) in ``fmt``;
    ``options``: the caller's settings for the formats printed in the export child."""
    if fmt not in EXPORTERS:
        raise Invalid(_("Onbekend exportformaat; kies md, docx, pdf, json of csv."), "format")
    module, ext = EXPORTERS[fmt]
    version = version or bouwsteen.current
    document = export_document(bouwsteen, version)
    if fmt in export_jobs.HEAVY:  # seconds of CPU: in the child, and kept (export_jobs)
        body = export_jobs.render(fmt, document, options)
    else:
        body = module.render(document)
    werkplaats = bouwsteen.werkplaats
    name = f"bouwsteen-{werkplaats.id}-{slug(werkplaats.title)}-v{version.number}.{ext}"
    return body, module.MIMETYPE, name
