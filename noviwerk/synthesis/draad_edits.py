"""The trekker shapes the rode draden: rename, merge, move a contribution, drop.

The choices are kept as a list of ``DraadEdit``s in the Document and replayed, in order, on
the engine's fresh rode draden at every assembly, so they survive "Bijwerken met nieuwe
inbreng". A rode draad is named by a contribution in it: new input adds members but leaves
the old ones where they were, so the choice finds its rode draad again. A choice whose rode
draad is gone (its contributions hidden, or the engine no longer groups them) is skipped,
never an error: the trekker sees the draft as it now stands and can choose again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from noviwerk.domain import ContributionRecord
from noviwerk.synthesis.document import Document, DraadEdit
from noviwerk.synthesis.phrasing import as_sentence, capitalise, shorten, squash
from noviwerk.synthesis.rode_draden import (
    MIN_CONTRIBUTIONS,
    WORDING_LIMIT,
    RodeDraad,
    weighed,
)
from noviwerk.synthesis.sections.draden import labelled_items
from noviwerk.synthesis.text import without_lead_in

RENAME, MERGE, MOVE, DROP, TAG = "rename", "merge", "move", "drop", "tag"
OPS = (RENAME, MERGE, MOVE, DROP, TAG)
MAX_LABEL_CHARS = 80


def rename(draad: int, label: str) -> DraadEdit:
    return DraadEdit(RENAME, draad, label=squash(label))


def merge(draad: int, other: int) -> DraadEdit:
    """``other``'s rode draad joins ``draad``'s, which keeps its label."""
    return DraadEdit(MERGE, draad, other=other)


def move(contribution: int, to: int) -> DraadEdit:
    return DraadEdit(MOVE, to, other=contribution)


def drop(draad: int) -> DraadEdit:
    return DraadEdit(DROP, draad)


def tag(draad: int, keys: Iterable[str]) -> DraadEdit:
    """The rode draad's tags (``noviwerk.tags`` keys) from now on; none clears them. They
    shape nothing: the rode draden are the same, only labelled (``draad_tags``)."""
    return DraadEdit(TAG, draad, label=" ".join(keys))


def apply_edits(
    draden: Sequence[RodeDraad],
    edits: Iterable[DraadEdit],
    by_id: Mapping[int, ContributionRecord],
) -> tuple[RodeDraad, ...]:
    """``draden`` as the trekker shaped them, heaviest first; ``by_id``: the visible
    contributions, for the counts of a rode draad whose members changed."""
    out = list(draden)
    edits = tuple(e for e in edits if e.op != TAG)
    for edit in edits:
        out = _apply(out, edit, by_id)
    if edits:
        out.sort(key=lambda d: (-d.weight, -d.bijdragen, min(by_id[i].number for i in d.members)))
    return tuple(out)


def _holding(draden: Sequence[RodeDraad], contribution: int) -> int | None:
    return next((i for i, d in enumerate(draden) if contribution in d.members), None)


def _apply(
    draden: list[RodeDraad], edit: DraadEdit, by_id: Mapping[int, ContributionRecord]
) -> list[RodeDraad]:
    i = _holding(draden, edit.draad)
    if i is None:
        # The moved contribution may still lead somewhere, but not into a rode draad that
        # is gone: every op needs the one it names.
        return draden
    out = list(draden)
    if edit.op == RENAME and squash(edit.label):
        label = squash(edit.label)[:MAX_LABEL_CHARS]
        out[i] = replace(out[i], label=capitalise(label), phrase=_phrase(label, out[i], by_id))
    elif edit.op == MERGE:
        j = _holding(out, edit.other)
        if j is None or j == i:
            return draden
        taken = out[j]
        both = out[i].contrary + taken.contrary
        out[i] = _regathered(out[i], out[i].members + taken.members, by_id, both)
        out[i] = replace(
            out[i], terms=out[i].terms + tuple(t for t in taken.terms if t not in out[i].terms)
        )
        del out[j]
    elif edit.op == MOVE:
        if edit.other not in by_id or edit.other in out[i].members:
            return draden
        moved = {edit.other} | {r.id for r in by_id.values() if r.merged_into == edit.other}
        out[i] = _regathered(out[i], out[i].members + tuple(moved), by_id)
        j = next((k for k, d in enumerate(out) if k != i and edit.other in d.members), None)
        if j is not None:
            left = tuple(m for m in out[j].members if m not in moved)
            if len(left) < MIN_CONTRIBUTIONS:
                del out[j]
            else:
                out[j] = _regathered(out[j], left, by_id)
    elif edit.op == DROP:
        del out[i]
    return out


def _regathered(
    draad: RodeDraad,
    ids: Iterable[int],
    by_id: Mapping[int, ContributionRecord],
    contrary: Iterable[int] | None = None,
) -> RodeDraad:
    """``draad`` with ``ids`` as its members, counted and weighed as the engine does; what
    turns its stance (``contrary``, by default its own) stays so unless it became a member."""
    members = sorted({by_id[i] for i in ids if i in by_id}, key=lambda r: (r.number, r.id))
    kept = {m.id for m in members}
    against = draad.contrary if contrary is None else contrary
    rep = draad.representative_id
    if rep not in {m.id for m in members}:
        best = min(members, key=lambda r: (-r.backing, r.number))
        rep = best.id
    wording = (
        draad.wording
        if rep == draad.representative_id
        else as_sentence(shorten(without_lead_in(by_id[rep].text), WORDING_LIMIT))
    )
    return replace(
        draad,
        members=tuple(m.id for m in members),
        representative_id=rep,
        wording=wording,
        **weighed(members),
        contrary=tuple(c for c in dict.fromkeys(against) if c not in kept),
    )


def _phrase(label: str, draad: RodeDraad, by_id: Mapping[int, ContributionRecord]) -> str:
    """The trekker's name inside a sentence: "Water en energie" reads "water en energie",
    but a name the members write with a capital mid-sentence ("Gouda", "NOVI") keeps it."""
    first = label.split()[0]
    if not first[:1].isupper() or first[1:] != first[1:].lower():
        return label
    word = re.compile(rf"\b{re.escape(first)}\b")
    for i in draad.members:
        text = by_id[i].text if i in by_id else ""
        for match in word.finditer(text):
            before = text[: match.start()].rstrip()
            if before and before[-1] not in ".!?:;\"'\u201c\u2018(":
                return label
    return label[:1].lower() + label[1:]


# --- the rode draden as a stored draft shows them (for the trekker's forms) ---------------


@dataclass(frozen=True)
class ShownDraad:
    key: int  # the contribution that names it in a DraadEdit: its first member
    label: str
    members: tuple[int, ...]  # contribution ids
    numbers: tuple[int, ...]  # their bijlage numbers


def shown_draden(document: Document) -> tuple[ShownDraad, ...]:
    """The rode draden of ``document``'s section, as it lists them: each an item with its
    label in bold, resting on its members. None when the trekker wrote the section by hand."""
    return tuple(
        ShownDraad(
            min(s.provenance.ids), s.text[: s.strong], s.provenance.ids, s.provenance.numbers
        )
        for _block, s in labelled_items(document)
        if s.provenance.ids
    )


def draad_tags(document: Document) -> dict[int, tuple[str, ...]]:
    """Each shown rode draad's tags (by its key): the last tag edit naming one of its
    members, so tags follow a rode draad through new input and merges into it."""
    tags: dict[int, tuple[str, ...]] = {}
    draden = shown_draden(document)
    for edit in document.draad_edits:
        if edit.op != TAG:
            continue
        for d in draden:
            if edit.draad in d.members:
                tags[d.key] = tuple(edit.label.split())
    return {key: keys for key, keys in tags.items() if keys}


__all__ = [
    "DROP", "MAX_LABEL_CHARS", "MERGE", "MOVE", "OPS", "RENAME", "TAG", "ShownDraad",
    "apply_edits", "draad_tags", "drop", "merge", "move", "rename", "shown_draden", "tag",
]  # fmt: skip
