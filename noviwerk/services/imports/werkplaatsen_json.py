"""Werkplaatsen with their contributions, from JSON: ``import_werkplaatsen``.

The shape is ``{"werkplaatsen": [{…, "contributions": [{…}]}]}``, which is also what
``export_werkplaats(…, "json")`` writes, so a werkplaats' contributions can move between programmes. Problems
are placed by path (``werkplaatsen[0].contributions[3]``).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from ...database import let_other_writers_in, write_transaction
from ...domain import (
    DEFAULT_KERNVRAGEN,
    MAX_CONTRIBUTION_CHARS,
    MAX_ORGANISATION_CHARS,
    Label,
    RoundState,
    Source,
    Veld,
)
from ...extensions import db
from ...models import Contribution, Programme, Round, Theme, Werkplaats, utcnow
from .. import search_index
from ..rounds import rounds_from_template
from .checks import Check, fmt, show
from .report import MAX_IMPORT_ROWS, ImportReport
from .targets import (
    BATCH,
    DEMO_PROGRAMME,
    Existing,
    WerkplaatsEntry,
    go_on,
    match_all,
    programme_named,
    write,
)

_W_KEYS = {
    "nr",
    "titel",
    "datum",
    "soort",
    "hoofdonderwerp",
    "organisatie",
    "plaats",
    "contributions",
}
_W_EXPORT_KEYS = {"programma", "trekker", "kernvragen"}  # written by the export, not read
_C_KEYS = {"kernvraag", "soort", "veld", "organisatie", "text"}
_C_EXPORT_KEYS = {"nummer", "kernvraag_titel", "ronde", "ronde_vraag", "bron", "deelnemer", "tafel"}
_TOP_KEYS = {"werkplaatsen", "about", "formaat"}


@dataclass
class _JsonContribution:
    where: str
    kernvraag: int
    text: str
    label: str | None
    veld: Veld | None
    organisation: str


@dataclass(kw_only=True)
class _JsonWerkplaats(WerkplaatsEntry):
    contributions: list[_JsonContribution] = field(default_factory=list)
    invalid_contributions: int = 0
    ok: bool = True


def _unknown_keys(report: ImportReport, where: str, obj: dict, known: Iterable[str]) -> None:
    for key in obj:
        if key not in known:
            report.note(where, _("onbekend veld '%(k)s' wordt niet ingelezen", k=show(key)))


def _json_contribution(
    report: ImportReport, where: str, obj: object, kernvragen: int
) -> _JsonContribution | None:
    check = Check(report, where)
    if not isinstance(obj, dict):
        check.error(_("een bijdrage moet een object zijn ({…})"))
        return None
    _unknown_keys(report, where, obj, _C_KEYS | _C_EXPORT_KEYS)
    kernvraag = check.whole(obj.get("kernvraag"), "kernvraag", required=True)
    if kernvraag is not None and kernvraag > kernvragen:
        check.error(
            _(
                "kernvraag %(k)d bestaat niet; dit programma heeft kernvraag 1 tot en met %(n)d",
                k=kernvraag,
                n=kernvragen,
            )
        )
    text = check.text(obj.get("text"), "text", MAX_CONTRIBUTION_CHARS, required=True, lines=True)
    label = check.choice(obj.get("soort"), "soort", Label.values())
    veld = check.choice(obj.get("veld"), "veld", Veld.values())
    organisation = check.text(obj.get("organisatie"), "organisatie", MAX_ORGANISATION_CHARS)
    if not check.ok or kernvraag is None:
        return None
    return _JsonContribution(
        where, kernvraag, text, label, Veld(veld) if veld else None, organisation
    )


def _json_werkplaats(
    report: ImportReport, index: int, obj: object, kernvragen: int
) -> _JsonWerkplaats | None:
    where = f"werkplaatsen[{index}]"
    check = Check(report, where)
    if not isinstance(obj, dict):
        check.error(_("een werkplaats moet een object zijn ({…})"))
        return None
    _unknown_keys(report, where, obj, _W_KEYS | _W_EXPORT_KEYS)
    item = _JsonWerkplaats(where=where, **check.werkplaats_fields(obj.get, required=False))
    raw = obj.get("contributions", [])
    if not isinstance(raw, list):
        check.error(_("contributions moet een lijst zijn ([…])"))
        raw = []
    for j, c in enumerate(raw):
        parsed = _json_contribution(report, f"{where}.contributions[{j}]", c, kernvragen)
        if parsed is None:
            item.invalid_contributions += 1
        else:
            item.contributions.append(parsed)
    item.ok = check.ok
    return item


def _read_json(data: bytes, report: ImportReport) -> list | None:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        report.error(_("bestand"), _("dit bestand is geen UTF-8-tekst"))
        return None
    except json.JSONDecodeError as e:
        report.error(
            _("bestand"),
            _(
                "geen geldige JSON (regel %(l)d, kolom %(c)d): %(m)s",
                l=e.lineno,
                c=e.colno,
                m=e.msg,
            ),
        )
        return None
    except RecursionError:
        report.error(_("bestand"), _("de JSON is te diep genest"))
        return None
    if not isinstance(document, dict) or not isinstance(document.get("werkplaatsen"), list):
        report.error(
            _("bestand"),
            _('verwacht een object met een lijst "werkplaatsen": {"werkplaatsen": […]}'),
        )
        return None
    _unknown_keys(report, _("bestand"), document, _TOP_KEYS)
    if not document["werkplaatsen"]:
        report.error(_("bestand"), _('de lijst "werkplaatsen" is leeg'))
        return None
    return document["werkplaatsen"]


def import_werkplaatsen(
    data: bytes,
    *,
    source: str = "bestand",
    programme_name: str = DEMO_PROGRAMME,
    skip_invalid: bool = False,
    max_rows: int = MAX_IMPORT_ROWS,
) -> ImportReport:
    """Import werkplaatsen with their contributions (JSON) into ``programme_name``; a file
    of more than ``max_rows`` werkplaatsen and contributions together is refused whole.

    A werkplaats with the same nr, or else title, gets the contributions (its stored fields
    stay; empty ones are filled in); others are created. Each contribution goes into the
    werkplaats' round of its kernvraag (closed rounds from the kernvragen are made where
    missing) with source ``import``, and takes the werkplaats' next seq so walls see it.
    Importing the same file again adds nothing: each contribution has a key made of its
    werkplaats, kernvraag, text and how often that text occurred before it.
    """
    report = ImportReport(source=source, programme=programme_name)
    items = _read_json(data, report)
    if items is not None and _records(items) > max_rows:
        report.error(
            _("bestand"),
            _(
                "het bestand heeft meer dan %(n)d werkplaatsen en bijdragen samen; "
                "splits het in delen van hooguit %(n)d",
                n=max_rows,
            ),
        )
        items = None
    if items is None:
        report.unreadable = True
        return report
    _store(report, items, programme_name, skip_invalid)
    report.sort()
    return report


def _records(items: list) -> int:
    return sum(
        1 + (len(c) if isinstance(i, dict) and isinstance(c := i.get("contributions"), list) else 0)
        for i in items
    )


def _store(report: ImportReport, items: list, programme_name: str, skip_invalid: bool) -> None:
    """Check and match every record (reads only), then write them in batches."""
    programme = programme_named(programme_name)
    kernvragen = len(programme.kernvragen) if programme is not None else len(DEFAULT_KERNVRAGEN)
    parsed = [_json_werkplaats(report, i, obj, kernvragen) for i, obj in enumerate(items)]
    valid = [p if p is not None and p.ok else None for p in parsed]
    pairs = match_all(report, valid, Existing(programme))
    # Records: each werkplaats and each of its contributions.
    total = sum(1 + len(p.contributions) + p.invalid_contributions if p else 1 for p in parsed)
    kept = sum(1 + len(item.contributions) for item, _w in pairs)
    if not go_on(report, total, kept, skip_invalid):
        return
    write(
        report, programme, programme_name, pairs, _fill_blanks, note_new=True, then=_contributions
    )


def _fill_blanks(
    report: ImportReport, werkplaats: Werkplaats, item: _JsonWerkplaats, theme: Theme | None
) -> bool:
    """Fill in what the werkplaats lacks; where it differs, the stored value stays (noted)."""
    filled = False
    pairs = [
        ("nr", "nr", item.nr, werkplaats.nr),
        ("starts_at", "datum", item.starts_at, werkplaats.starts_at),
        ("theme_id", "hoofdonderwerp", theme.id if theme else None, werkplaats.theme_id),
        ("organisation", "organisatie", item.organisation or None, werkplaats.organisation or None),
        ("place", "plaats", item.place or None, werkplaats.place or None),
        ("kind", "soort", item.kind, werkplaats.kind),
    ]
    for attr, label, new, old in pairs:
        if new is None or new == old:
            continue
        if attr == "starts_at" and old is not None and old.date() == new.date():
            continue
        if old is None:
            setattr(werkplaats, attr, new)
            filled = True
            continue
        if attr == "theme_id":
            old, new = (werkplaats.theme.name if werkplaats.theme else old), item.theme
        report.note(
            item.where,
            _(
                "%(f)s in het bestand (%(new)s) wijkt af van de werkplaats (%(old)s); "
                "de werkplaats houdt %(old)s",
                f=label,
                new=fmt(getattr(new, "value", new)),
                old=fmt(getattr(old, "value", old)),
            ),
        )
    return filled


def _client_key(werkplaats_id: int, kernvraag: int, occurrence: int, text: str) -> str:
    digest = hashlib.sha256(f"{werkplaats_id}\x1f{kernvraag}\x1f{occurrence}\x1f{text}".encode())
    return "import-" + digest.hexdigest()[:40]


def _rounds_by_kernvraag(
    report: ImportReport, programme: Programme, werkplaats: Werkplaats, needed: set[int], where: str
) -> dict[int, Round]:
    """The round each kernvraag's contributions go into: the werkplaats' first round aimed at
    it. A werkplaats without rounds gets the template's, closed (the session is history)."""
    now = utcnow()
    if not werkplaats.rounds:
        made = rounds_from_template(werkplaats)
        for rnd in made:
            rnd.state = RoundState.GESLOTEN
            rnd.closed_at = now
        report.rounds_created += len(made)
    position_of = {kv.id: kv.position for kv in programme.kernvragen}
    rounds: dict[int, Round] = {}
    for rnd in sorted(werkplaats.rounds, key=lambda r: r.position):
        if rnd.kernvraag_id in position_of:
            rounds.setdefault(position_of[rnd.kernvraag_id], rnd)
    for kv in programme.kernvragen:
        if kv.position in needed and kv.position not in rounds:
            rnd = Round(
                position=len(werkplaats.rounds) + 1,
                prompt=kv.question,
                kernvraag_id=kv.id,
                state=RoundState.GESLOTEN,
                closed_at=now,
            )
            werkplaats.rounds.append(rnd)
            werkplaats.state_version = (werkplaats.state_version or 0) + 1
            rounds[kv.position] = rnd
            report.rounds_created += 1
            report.note(
                where,
                _("ronde %(r)d aangemaakt voor kernvraag %(k)d", r=rnd.position, k=kv.position),
            )
    db.session.flush()
    return rounds


def _contributions(
    report: ImportReport, programme: Programme, werkplaats: Werkplaats, item: _JsonWerkplaats
) -> None:
    """The item's contributions not yet present, ``BATCH`` per write transaction."""
    round_ids = _round_ids(report, programme, werkplaats, item)
    present = set(
        db.session.scalars(
            sa.select(Contribution.client_key).where(
                Contribution.werkplaats_id == werkplaats.id,
                Contribution.participant_id.is_(None),
                Contribution.client_key.is_not(None),
            )
        )
    )
    occurrences: Counter[tuple[int, str]] = Counter()
    already = 0
    todo: list[tuple[str, _JsonContribution]] = []
    for c in item.contributions:
        occurrences[(c.kernvraag, c.text)] += 1
        key = _client_key(werkplaats.id, c.kernvraag, occurrences[(c.kernvraag, c.text)], c.text)
        if key in present:
            already += 1
            continue
        present.add(key)
        todo.append((key, c))
    if already:
        report.contributions_present += already
        report.note(
            item.where,
            _(
                "%(n)d bijdragen stonden er al (eerder geïmporteerd) en zijn overgeslagen",
                n=already,
            ),
        )
    for start in range(0, len(todo), BATCH):
        let_other_writers_in()
        _add(report, werkplaats.id, round_ids, todo[start : start + BATCH])


@write_transaction
def _round_ids(
    report: ImportReport, programme: Programme, werkplaats: Werkplaats, item: _JsonWerkplaats
) -> dict[int, int]:
    needed = {c.kernvraag for c in item.contributions}
    rounds = _rounds_by_kernvraag(report, programme, werkplaats, needed, item.where)
    return {kernvraag: rnd.id for kernvraag, rnd in rounds.items()}


@write_transaction
def _add(
    report: ImportReport,
    werkplaats_id: int,
    round_ids: dict[int, int],
    todo: list[tuple[str, _JsonContribution]],
) -> None:
    """One batch: its change numbers taken at once, its rows inserted in one statement."""
    last = db.session.execute(
        sa.update(Werkplaats)
        .where(Werkplaats.id == werkplaats_id)
        .values(last_seq=Werkplaats.last_seq + len(todo))
        .returning(Werkplaats.last_seq)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    first = last - len(todo) + 1
    rows = [
        {
            "werkplaats_id": werkplaats_id,
            "round_id": round_ids[c.kernvraag],
            "participant_id": None,
            "seq": first + i,
            "first_seq": first + i,
            "client_key": key,
            "text": c.text,
            "label": c.label,
            "source": Source.IMPORT,
            "veld": c.veld,
            "organisation": c.organisation,
        }
        for i, (key, c) in enumerate(todo)
    ]
    written = db.session.execute(
        sa.insert(Contribution).returning(Contribution.id, Contribution.text), rows
    ).all()
    # A bulk insert passes the ORM's events: the full-text index is told here, in the same
    # transaction.
    search_index.index_contributions(db.session.connection(), written)
    report.contributions_imported += len(rows)
