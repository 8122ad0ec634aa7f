"""A trekker's edits to a draft, and regeneration that never overwrites them silently.

A section is edited as plain text: one paragraph per passage, each ending in its bijlage
references (``… [3, 7–9]``). Saving turns the text back into passages: one left exactly as
it was stays what it was, machine text with its own sources; any other is the trekker's,
and cites only the references the trekker left or typed. A paragraph without any cites
nothing, so no reader takes a trekker's own words for what participants said. Regenerating takes the new machine draft, keeps every hand-written section,
and reports where new input arrived under hand-written text, so the trekker can choose.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from .document import (
    BIJLAGE,
    HAND,
    MACHINE,
    AppendixRound,
    Block,
    Cluster,
    Document,
    Note,
    Paragraph,
    PointList,
    Provenance,
    Quote,
    Section,
    Sentence,
    Table,
)
from .phrasing import format_references

MAX_SECTION_CHARS = 20_000
# Sections that are data, not prose: regenerated every time, never edited by hand.
NOT_EDITABLE = frozenset({BIJLAGE})

_REFS = re.compile(
    r"\[(\s*\d+(?:\s*[\u2013\-]\s*\d+)?(?:\s*,\s*\d+(?:\s*[\u2013\-]\s*\d+)?)*\s*)\]"
)


# --- section <-> editable text ------------------------------------------------------------


def section_provenance(section: Section) -> Provenance:
    return Provenance.union(p for block in section.blocks for p in _block_provenances(block))


def _block_provenances(block: Block) -> Iterable[Provenance]:
    if isinstance(block, Paragraph):
        yield from (s.provenance for s in block.sentences)
    elif isinstance(block, PointList):
        yield from (s.provenance for s in block.items)
    elif isinstance(block, Cluster):
        yield block.provenance
    elif isinstance(block, Table):
        yield from (r.provenance for r in block.rows)
    elif isinstance(block, Quote):
        yield block.provenance
    elif isinstance(block, AppendixRound):
        yield from (i.provenance for i in block.items)


def _with_refs(text: str, provenance: Provenance) -> str:
    ref = format_references(provenance.numbers)
    return f"{text} {ref}" if ref else text


def _chunks(section: Section) -> list[tuple[str, Block]]:
    """The section's editable paragraphs, each with the block it stands for when kept as is.

    A passage the trekker leaves untouched comes back as that block: the machine's text
    keeps its origin and exactly its own sources, sentence by sentence.
    """
    out: list[tuple[str, Block]] = []

    def one(text: str, provenance: Provenance, origin: str) -> None:
        sentence = Sentence(text, provenance, origin=origin)
        out.append((_with_refs(text, provenance), Paragraph((sentence,), origin=origin)))

    for block in section.blocks:
        if isinstance(block, Note):
            out.append((block.text, block))
        elif isinstance(block, Paragraph):
            text = " ".join(_with_refs(s.text, s.provenance) for s in block.sentences)
            out.append((text, block))
        elif isinstance(block, PointList):
            for s in block.items:
                one(s.text, s.provenance, s.origin)
        elif isinstance(block, Cluster):
            head = f"{block.label}: {block.wording}" if block.label else block.wording
            count = f"({block.participants} deelnemers)" if block.participants > 1 else ""
            one(" ".join(p for p in (head, count) if p), block.provenance, block.origin)
        elif isinstance(block, Table):
            for row in block.rows:
                one(" — ".join(c for c in row.cells if c), row.provenance, row.origin)
        elif isinstance(block, Quote):
            quoted = f"\u201c{block.text}\u201d"
            if block.attribution:
                quoted += f" ({block.attribution})"
            one(quoted, block.provenance, block.origin)
    return [(" ".join(text.split()), block) for text, block in out if text.strip()]


def section_to_text(section: Section) -> str:
    """The section as the trekker edits it: paragraphs separated by a blank line."""
    return "\n\n".join(text for text, _ in _chunks(section))


def parse_references(text: str) -> tuple[int, ...]:
    """Bijlage numbers cited in a text: ``[3, 7–9]`` gives (3, 7, 8, 9)."""
    numbers: set[int] = set()
    for match in _REFS.finditer(text):
        for part in match.group(1).split(","):
            bounds = re.split(r"[\u2013\-]", part)
            lo, hi = int(bounds[0]), int(bounds[-1])
            if 0 < lo <= hi and hi - lo < 5000:
                numbers.update(range(lo, hi + 1))
    return tuple(sorted(numbers))


class EditError(ValueError):
    """The edited text cannot be accepted; the message says why (Dutch)."""


def text_to_section(section: Section, text: str, number_to_id: dict[int, int]) -> Section:
    """A hand-written version of ``section`` from the trekker's text.

    A paragraph left exactly as it was stays what it was (machine text keeps its origin and
    its own sources). Any other paragraph is the trekker's: it cites the bijlage numbers the
    trekker kept or typed, each sentence the references that follow it, and nothing else.
    A paragraph without references cites nothing: readers must never take a trekker's own
    words for something participants said. Unknown numbers are refused, so a reference
    always leads somewhere.
    """
    if section.id in NOT_EDITABLE:
        raise EditError(
            "De bijlage wordt altijd uit de bijdragen opgebouwd en kan niet worden bewerkt."
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > MAX_SECTION_CHARS:
        raise EditError(f"Een sectie is hooguit {MAX_SECTION_CHARS} tekens.")
    unchanged = dict(_chunks(section))
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = " ".join(chunk.split())
        if not chunk:
            continue
        numbers = parse_references(chunk)
        unknown = [n for n in numbers if n not in number_to_id]
        if unknown:
            raise EditError(
                "Verwijzing naar onbekende bijdrage(n) "
                + ", ".join(str(n) for n in unknown)
                + ": de bijlage heeft die nummers niet."
            )
        kept = unchanged.get(chunk)
        blocks.append(kept or Paragraph(_cited_sentences(chunk, number_to_id), origin=HAND))
    # based_on: what the machine text rested on when the trekker took the section over, so
    # that later input under it can be pointed out (merge_regenerated).
    based_on = section.based_on if section.origin == HAND else section_provenance(section).ids
    return Section(section.id, section.title, tuple(blocks), origin=HAND, based_on=based_on)


_LEADING_PUNCTUATION = re.compile(r"^[.,;:!?)]+")


def _cited_sentences(chunk: str, number_to_id: dict[int, int]) -> tuple[Sentence, ...]:
    """The trekker's paragraph as sentences, each citing the references that follow it.

    "Eerst dit [2]. Dan dat." gives "Eerst dit." citing 2 and "Dan dat." citing nothing.
    A reference that leads the paragraph belongs to the text after it; a bracket that names
    no bijlage number ("[0]") is left in the text as the trekker typed it.
    """
    pieces: list[tuple[str, set[int]]] = []  # text before a reference, and that reference
    position = 0
    for match in _REFS.finditer(chunk):
        numbers = parse_references(match.group(0))
        if numbers:
            pieces.append((chunk[position : match.start()], set(numbers)))
            position = match.end()
    pieces.append((chunk[position:], set()))
    cited: list[tuple[str, set[int]]] = []
    leading: set[int] = set()
    for between, numbers in pieces:
        text = between.strip()
        stop = _LEADING_PUNCTUATION.match(text) if cited else None
        if stop:  # "belangrijk [2]. Daarna": the full stop ends the sentence before it
            cited[-1] = (cited[-1][0] + stop.group(0), cited[-1][1])
            text = text[stop.end() :].strip()
        if text:
            cited.append((text, leading | numbers))
            leading = set()
        elif cited:  # "… [1] [2]": both cite the sentence before them
            cited[-1][1].update(numbers)
        else:
            leading |= numbers
    if leading:  # references and no text at all
        cited.append(("", leading))
    return tuple(
        Sentence(
            text,
            Provenance(tuple(sorted(number_to_id[n] for n in numbers)), tuple(sorted(numbers))),
            origin=HAND,
        )
        for text, numbers in cited
    )


def number_to_id(document: Document) -> dict[int, int]:
    return {item.number: item.contribution_id for item in document.appendix_items()}


def keep_hand_text(document: Document, machine: Document, section_id: str) -> Document:
    """The trekker has seen the new input and keeps their text: stop pointing it out."""
    section, fresh = document.section(section_id), machine.section(section_id)
    if section is None or fresh is None or section.origin != HAND:
        return document
    based_on = tuple(sorted(set(section.based_on) | set(section_provenance(fresh).ids)))
    return replace_section(document, replace(section, based_on=based_on))


def replace_section(document: Document, new: Section) -> Document:
    sections = tuple(new if s.id == new.id else s for s in document.sections)
    return replace(document, sections=sections)


def restore_machine_section(document: Document, machine: Document, section_id: str) -> Document:
    """Put the machine text of ``section_id`` back (the trekker chose to)."""
    fresh = machine.section(section_id)
    if fresh is None:
        return document
    return replace_section(document, fresh)


# --- regeneration -------------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    """New input arrived in a section that the trekker wrote by hand."""

    section_id: str
    title: str
    new_ids: tuple[int, ...]


def merge_regenerated(current: Document, machine: Document) -> tuple[Document, list[Conflict]]:
    """The fresh machine draft with every hand-written section of ``current`` kept.

    Hand sections are never replaced here. Where the machine draft now rests on
    contributions the hand text did not (new input), a Conflict says so, for the trekker
    to decide. Head and bijlage always follow the contributions.
    """
    kept = {s.id: s for s in current.sections if s.origin == HAND}
    sections: list[Section] = []
    conflicts: list[Conflict] = []
    for fresh in machine.sections:
        hand = kept.pop(fresh.id, None)
        if hand is None:
            sections.append(fresh)
            continue
        sections.append(_renumber(hand, machine))
        # New input: contributions the machine now cites here that it did not when the
        # trekker took the section over (not merely ones the trekker chose to leave out).
        new_ids = set(section_provenance(fresh).ids) - set(hand.based_on)
        if new_ids:
            conflicts.append(Conflict(fresh.id, fresh.title, tuple(sorted(new_ids))))
    # A hand section whose machine counterpart vanished (e.g. a kernvraag without input now)
    # stays, at the end: what a person wrote is never dropped by a machine.
    sections.extend(_renumber(s, machine) for s in kept.values())
    return replace(machine, sections=tuple(sections)), conflicts


def _renumber(section: Section, machine: Document) -> Section:
    """Bijlage numbers shift when input arrives: keep hand references on the same contribution."""
    id_to_number = {item.contribution_id: item.number for item in machine.appendix_items()}

    def fix(p: Provenance) -> Provenance:
        ids = tuple(i for i in p.ids if i in id_to_number)  # hidden since: drop the link
        return Provenance(ids, tuple(sorted(id_to_number[i] for i in ids)))

    blocks: list[Block] = []
    for block in section.blocks:
        if isinstance(block, Paragraph):
            block = replace(
                block,
                sentences=tuple(replace(s, provenance=fix(s.provenance)) for s in block.sentences),
            )
        blocks.append(block)
    return replace(section, blocks=tuple(blocks))


# --- versions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed"
    text: str


def diff_lines(old: Sequence[str], new: Sequence[str], context: int = 2) -> list[DiffLine]:
    """What changed between two renderings, line by line, with a little context."""
    out: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=list(old), b=list(new), autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if out:
            out.append(DiffLine("same", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.extend(DiffLine("same", line) for line in old[i1:i2])
            if tag in ("replace", "delete"):
                out.extend(DiffLine("removed", line) for line in old[i1:i2])
            if tag in ("replace", "insert"):
                out.extend(DiffLine("added", line) for line in new[j1:j2])
    return out


def origins(document: Document) -> dict[str, str]:
    """Section id → "machine" or "hand", for showing who wrote what."""
    return {s.id: (HAND if s.origin == HAND else MACHINE) for s in document.sections}
