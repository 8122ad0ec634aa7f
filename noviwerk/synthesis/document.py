"""The neutral Document a draft bouwsteen is made of: plain frozen records, no markup.

Synthesis builds a ``Document``; export turns it into docx, PDF, Markdown, JSON or CSV; the
web layer stores it (``to_dict``/``from_dict``) and lets the trekker edit it. Every passage
that says something about what was said carries a ``Provenance``: the ids of the
contributions behind it and their numbers in the bijlage, so a reader can always check.

``origin`` marks who wrote a passage: ``"machine"`` when assembled here, ``"hand"`` once a
trekker has edited it (set by whoever applies the edit, never by synthesis). A section the
trekker edited is ``"hand"`` and may still hold machine passages they left as they were.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, ClassVar

MACHINE = "machine"
HAND = "hand"
ORIGINS = (MACHINE, HAND)

SCHEMA = "noviwerk.bouwsteen/1"

# Section ids are part of the contract with the web layer (anchors, edits, versions).
SAMENVATTING = "samenvatting"
RODE_DRADEN = "rode-draden"
OPGAVEN_KANSEN_DILEMMAS = "opgaven-kansen-dilemmas"
VERBINDINGEN = "verbindingen"
CITATEN = "citaten"
AFWIJKENDE_GELUIDEN = "afwijkende-geluiden"
BIJLAGE = "bijlage"
OVERIG = "overig"


def kernvraag_section_id(position: int) -> str:
    return f"kernvraag-{position}"


@dataclass(frozen=True)
class Provenance:
    """Where a passage came from: contribution ids and their bijlage numbers, both ascending."""

    ids: tuple[int, ...] = ()
    numbers: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.ids)

    def __add__(self, other: Provenance) -> Provenance:
        return Provenance(
            tuple(sorted(set(self.ids) | set(other.ids))),
            tuple(sorted(set(self.numbers) | set(other.numbers))),
        )

    @staticmethod
    def union(provenances: Iterable[Provenance]) -> Provenance:
        """The sources of several passages together."""
        ps = list(provenances)
        ids, numbers = {i for p in ps for i in p.ids}, {n for p in ps for n in p.numbers}
        return Provenance(tuple(sorted(ids)), tuple(sorted(numbers)))


# --- blocks -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    """One statement about the contributions, with the contributions it rests on."""

    kind: ClassVar[str] = "sentence"
    text: str
    provenance: Provenance
    origin: str = MACHINE
    strong: int = 0  # opening characters in bold (a label); text[:strong] + text[strong:]


@dataclass(frozen=True)
class Note:
    """Framing text (a kernvraag's question, counts): says nothing about content, so no source."""

    kind: ClassVar[str] = "note"
    text: str
    origin: str = MACHINE


@dataclass(frozen=True)
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    sentences: tuple[Sentence, ...]
    origin: str = MACHINE


@dataclass(frozen=True)
class PointList:
    """A bulleted list of statements (the samenvatting, verbindingen, afwijkende geluiden)."""

    kind: ClassVar[str] = "points"
    items: tuple[Sentence, ...]
    origin: str = MACHINE


@dataclass(frozen=True)
class Cluster:
    """Contributions that make the same point, shown as one."""

    kind: ClassVar[str] = "cluster"
    id: str
    kernvraag_position: int | None
    label: str
    wording: str  # the representative contribution's text
    participants: int  # "n deelnemers": distinct participants; one without a key counts once
    contributions: int
    plus_ones: int
    votes: int
    support: int  # plus_ones + votes
    is_starred: bool
    members: tuple[int, ...]  # contribution ids, merged ones included
    provenance: Provenance
    representative_id: int
    variants: tuple[Sentence, ...] = ()  # other wordings worth showing
    labels: tuple[str, ...] = ()  # soorten among the members, most frequent first
    velden: tuple[str, ...] = ()
    origin: str = MACHINE


@dataclass(frozen=True)
class TableRow:
    kind: ClassVar[str] = "row"
    cells: tuple[str, ...]
    provenance: Provenance
    origin: str = MACHINE


@dataclass(frozen=True)
class Table:
    kind: ClassVar[str] = "table"
    id: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[TableRow, ...]
    origin: str = MACHINE


@dataclass(frozen=True)
class Quote:
    kind: ClassVar[str] = "quote"
    text: str
    attribution: str
    provenance: Provenance
    origin: str = MACHINE


@dataclass(frozen=True)
class AppendixItem:
    """One contribution as listed in the bijlage."""

    kind: ClassVar[str] = "item"
    number: int
    contribution_id: int
    round_position: int
    text: str
    label: str | None = None
    veld: str | None = None
    source: str | None = None
    plus_ones: int = 0
    votes: int = 0
    is_starred: bool = False
    is_citaat: bool = False
    merged_into_number: int | None = None
    cluster_id: str | None = None

    @property
    def provenance(self) -> Provenance:
        return Provenance((self.contribution_id,), (self.number,))


@dataclass(frozen=True)
class AppendixRound:
    kind: ClassVar[str] = "round"
    position: int
    prompt: str
    kernvraag_position: int | None
    kernvraag_title: str | None
    items: tuple[AppendixItem, ...]
    origin: str = MACHINE
    # In a roll-up over several werkplaatsen (synthesis/rollup.py): whose round this is.
    werkplaats_title: str = ""
    tafel: str = ""  # where the werkplaats split into tafels: the tafel these were posted at


Block = Note | Paragraph | PointList | Cluster | Table | Quote | AppendixRound


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    blocks: tuple[Block, ...]
    origin: str = MACHINE
    # For a hand-written section: the contributions the machine text rested on when the
    # trekker took it over, so later input under it can be pointed out (editing.py).
    based_on: tuple[int, ...] = ()


@dataclass(frozen=True)
class VeldCount:
    veld: str
    participants: int
    contributions: int


@dataclass(frozen=True)
class Head:
    werkplaats_id: int
    title: str
    programme: str
    date: date | None = None
    place: str | None = None
    organisation: str | None = None
    trekker: str | None = None
    theme: str | None = None
    kind: str | None = None  # soort werkplaats
    participants: int = 0  # distinct known participants who contributed
    organisations: int = 0
    velden: tuple[VeldCount, ...] = ()
    contributions: int = 0
    rounds: int = 0
    unattributed: int = 0  # contributions without a known participant (flap, mondeling)
    # A roll-up over several werkplaatsen (synthesis/rollup.py): their titles; ``title`` then
    # names what was rolled up (a kernvraag), and ``werkplaats_id`` is 0.
    werkplaatsen: tuple[str, ...] = ()


@dataclass(frozen=True)
class DraadEdit:
    """A trekker's choice about the rode draden, replayed on every assembly (draad_edits.py).

    A rode draad is named by a contribution in it, not by its label or place, so the choice
    still finds it after new input. ``op``: rename (to ``label``), merge (``other``'s rode
    draad into ``draad``'s), move (contribution ``other`` into ``draad``'s), drop.
    """

    op: str
    draad: int
    label: str = ""
    other: int = 0


@dataclass(frozen=True)
class Document:
    title: str
    status_note: str
    head: Head
    sections: tuple[Section, ...]
    schema: str = SCHEMA
    # Where the bouwsteen stands (concept, verslag, gereed): set for an export, so a page
    # footer can say it; a stored version is always "concept" (see bouwsteen.at_stage).
    stage: str = "concept"
    # When this version was saved (UTC), set for an export: the PDF's and docx's creation date.
    made_at: datetime | None = None
    # The trekker's choices about the rode draden, in the order made (stored, not exported
    # when there are none, so a draft without them stays as it was).
    draad_edits: tuple[DraadEdit, ...] = ()

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def clusters(self) -> Iterator[Cluster]:
        for section in self.sections:
            for block in section.blocks:
                if isinstance(block, Cluster):
                    yield block

    def appendix_items(self) -> Iterator[AppendixItem]:
        for section in self.sections:
            for block in section.blocks:
                if isinstance(block, AppendixRound):
                    yield from block.items

    def passages(self) -> Iterator[Sentence | Cluster | TableRow | Quote]:
        """Every passage that makes a claim about the contributions (and so needs provenance)."""
        for section in self.sections:
            for block in section.blocks:
                yield from _block_passages(block)


def _block_passages(block: Block) -> Iterator[Sentence | Cluster | TableRow | Quote]:
    if isinstance(block, Paragraph):
        yield from block.sentences
    elif isinstance(block, PointList):
        yield from block.items
    elif isinstance(block, Cluster):
        yield block
        yield from block.variants
    elif isinstance(block, Table):
        yield from block.rows
    elif isinstance(block, Quote):
        yield block


# --- plain-data round trip (for storing versions and for the JSON export) -----------------

_BLOCK_TYPES: dict[str, type] = {
    cls.kind: cls
    for cls in (
        Sentence,
        Note,
        Paragraph,
        PointList,
        Cluster,
        TableRow,
        Table,
        Quote,
        AppendixItem,
        AppendixRound,
    )
}


# Fields added after documents were stored and exported: left out when empty, so a document
# without them stays as it was (and so does its JSON export and its cache key).
_LEFT_OUT_WHEN_EMPTY = frozenset({"draad_edits", "werkplaatsen", "werkplaats_title", "tafel"})


def to_dict(value: Any) -> Any:
    """A Document (or any part of it) as JSON-ready dicts and lists; blocks get a ``kind``."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [to_dict(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        out: dict[str, Any] = {}
        kind = getattr(type(value), "kind", None)
        if isinstance(kind, str):
            out["kind"] = kind
        for f in fields(value):
            if f.name in _LEFT_OUT_WHEN_EMPTY and not getattr(value, f.name):
                continue
            out[f.name] = to_dict(getattr(value, f.name))
        return out
    return value


def from_dict(data: Mapping[str, Any]) -> Document:
    """Rebuild a Document stored with ``to_dict``; raises ValueError on an unknown schema."""
    if data.get("schema") != SCHEMA:
        raise ValueError(f"unknown bouwsteen schema: {data.get('schema')!r}")
    head = dict(data["head"])
    head["date"] = date.fromisoformat(head["date"]) if head.get("date") else None
    head["velden"] = tuple(VeldCount(**v) for v in head.get("velden", ()))
    head["werkplaatsen"] = tuple(head.get("werkplaatsen", ()))
    return Document(
        title=data["title"],
        status_note=data["status_note"],
        stage=data.get("stage", "concept"),
        made_at=datetime.fromisoformat(data["made_at"]) if data.get("made_at") else None,
        head=Head(**head),
        sections=tuple(
            Section(
                id=s["id"],
                title=s["title"],
                blocks=tuple(_block_from_dict(b) for b in s["blocks"]),
                origin=s.get("origin", MACHINE),
                based_on=tuple(s.get("based_on", ())),
            )
            for s in data["sections"]
        ),
        schema=data["schema"],
        draad_edits=tuple(DraadEdit(**e) for e in data.get("draad_edits", ())),
    )


def _block_from_dict(data: Mapping[str, Any]) -> Any:
    cls = _BLOCK_TYPES.get(data.get("kind", ""))
    if cls is None:
        raise ValueError(f"unknown block kind: {data.get('kind')!r}")
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name == "provenance":
            value = Provenance(tuple(value["ids"]), tuple(value["numbers"]))
        elif f.name in ("sentences", "items", "rows", "variants"):
            value = tuple(_block_from_dict(v) for v in value)
        elif isinstance(value, list):
            value = tuple(value)
        kwargs[f.name] = value
    return cls(**kwargs)


__all__ = [
    "AFWIJKENDE_GELUIDEN", "BIJLAGE", "CITATEN", "HAND", "MACHINE", "OPGAVEN_KANSEN_DILEMMAS",
    "OVERIG", "RODE_DRADEN", "SAMENVATTING", "SCHEMA", "VERBINDINGEN", "AppendixItem",
    "AppendixRound", "Block", "Cluster", "Document", "DraadEdit", "Head", "Note", "Paragraph",
    "PointList", "Provenance", "Quote", "Section", "Sentence", "Table", "TableRow", "VeldCount",
    "from_dict", "kernvraag_section_id", "to_dict",
]  # fmt: skip
