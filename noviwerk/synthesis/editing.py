"""A trekker's edits to a draft, and regeneration that never overwrites them silently.

A section is edited as plain text: one paragraph per passage, each ending in its bijlage
references (``… [3, 7–9]``). Saving turns the text back into hand-written sentences whose
provenance comes from the references the trekker left or typed; a paragraph without any
keeps the provenance of the section it replaced, so nothing in the draft loses its link to
what was said. Regenerating takes the new machine draft, keeps every hand-written section,
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
    format_references,
)

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


def section_to_text(section: Section) -> str:
    """The section as the trekker edits it: paragraphs separated by a blank line."""
    parts: list[str] = []
    for block in section.blocks:
        if isinstance(block, Note):
            parts.append(block.text)
        elif isinstance(block, Paragraph):
            parts.append(" ".join(_with_refs(s.text, s.provenance) for s in block.sentences))
        elif isinstance(block, PointList):
            parts.extend(_with_refs(s.text, s.provenance) for s in block.items)
        elif isinstance(block, Cluster):
            head = f"{block.label}: {block.wording}" if block.label else block.wording
            count = f"({block.participants} deelnemers)" if block.participants > 1 else ""
            parts.append(_with_refs(" ".join(p for p in (head, count) if p), block.provenance))
        elif isinstance(block, Table):
            parts.extend(
                _with_refs(" — ".join(c for c in row.cells if c), row.provenance)
                for row in block.rows
            )
        elif isinstance(block, Quote):
            quoted = f"\u201c{block.text}\u201d"
            if block.attribution:
                quoted += f" ({block.attribution})"
            parts.append(_with_refs(quoted, block.provenance))
    return "\n\n".join(p.strip() for p in parts if p.strip())


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

    Each paragraph becomes one hand sentence. Its provenance is the bijlage numbers it cites
    (unknown numbers are refused, so a reference always leads somewhere); without any, it
    inherits the provenance of the section it replaces.
    """
    if section.id in NOT_EDITABLE:
        raise EditError(
            "De bijlage wordt altijd uit de bijdragen opgebouwd en kan niet worden bewerkt."
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > MAX_SECTION_CHARS:
        raise EditError(f"Een sectie is hooguit {MAX_SECTION_CHARS} tekens.")
    inherited = section_provenance(section)
    sentences: list[Sentence] = []
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
        if numbers:
            provenance = Provenance(tuple(sorted(number_to_id[n] for n in numbers)), numbers)
            chunk = _REFS.sub("", chunk).strip()
        else:
            provenance = inherited
        sentences.append(Sentence(chunk, provenance, origin=HAND))
    blocks: tuple[Block, ...] = tuple(Paragraph((s,), origin=HAND) for s in sentences)
    based_on = section.based_on if section.origin == HAND else inherited.ids
    return Section(section.id, section.title, blocks, origin=HAND, based_on=based_on)


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
