"""Tagged PDFs from WeasyPrint joined into one, with pikepdf (qpdf).

A long bouwsteen is printed in pieces at once, the text and the bijlage in one or two
pieces (see ``bouwsteen_pdf.render``), and joined here. Appending pages is not enough for a tagged PDF:
the reader's structure (headings, lists, list items) lives in a tree of its own that points
into the pages, and each page finds its part of that tree through a key in the parent tree.
So each later part's structure elements become children of the first part's Document
element, its parent-tree keys move past those before it, its bookmarks go under the first
part's top bookmark (the h1, as if printed in one piece), and its named destinations join
the first part's. Page labels tell a viewer how each part numbers its pages.

Written for the shape WeasyPrint (62 to 70) gives a tagged PDF: one Document element under
the structure root and a flat parent tree. Anything else is refused with ``ValueError``
rather than joined into a PDF whose tags would lie.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name, NameTree, NumberTree, String


@dataclass(frozen=True)
class Part:
    pdf: bytes
    # Page label prefix: "B" makes a viewer number its pages B1, B2, ...; "" plain 1, 2, ...;
    # None goes on counting from the part before.
    label: str | None = ""


def join(parts: Sequence[Part]) -> bytes:
    """One PDF of ``parts`` in order: pages, tags, bookmarks, destinations and page labels."""
    if not parts:
        raise ValueError("nothing to join")
    with ExitStack() as stack:
        # Every source stays open until the result is written: pikepdf reads lazily.
        pdfs = [stack.enter_context(pikepdf.open(io.BytesIO(part.pdf))) for part in parts]
        first = pdfs[0]
        labels: list[object] = []
        for part, pdf in zip(parts, pdfs, strict=True):
            start = 0 if pdf is first else _append(first, pdf)
            if part.label is None and labels:
                continue
            label = Dictionary(S=Name.D)
            if part.label:
                label.P = String(part.label)
            labels += [start, label]
        first.Root.PageLabels = Dictionary(Nums=Array(labels))
        out = io.BytesIO()
        # deterministic_id: the same parts always give the same bytes (files are kept by key)
        first.save(out, deterministic_id=True,
                   object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()


def _append(target: pikepdf.Pdf, source: pikepdf.Pdf) -> int:
    """Append ``source`` to ``target``; returns the index of its first page in ``target``."""
    start = len(target.pages)
    tree, source_tree = _structure_root(target), _structure_root(source)
    document, source_document = _document_element(tree), _document_element(source_tree)
    parent_tree, source_parent_tree = NumberTree(tree.ParentTree), NumberTree(source_tree.ParentTree)
    offset = int(tree.get("/ParentTreeNextKey", 0))
    offset = max([offset, *(int(key) + 1 for key, _ in parent_tree.items())])

    target.pages.extend(source.pages)  # qpdf remembers each copied object: copies below reuse them
    for page in target.pages[start:]:
        _shift(page.obj, "/StructParents", offset)
        for annotation in page.obj.get("/Annots", Array()):
            _shift(annotation, "/StructParent", offset)

    # Cut the elements loose from the source's root first, or copying them would copy it too.
    kids = _as_list(source_document.get("/K", Array()))
    for kid in kids:
        if isinstance(kid, Dictionary) and "/P" in kid:
            del kid.P
    copied = [_copy(target, kid) for kid in kids]
    for kid in copied:
        if isinstance(kid, Dictionary):
            kid.P = document
    document.K = Array([*_as_list(document.get("/K", Array())), *copied])

    last_key = offset - 1
    for key, value in source_parent_tree.items():
        parent_tree[int(key) + offset] = _copy(target, value)
        last_key = max(last_key, int(key) + offset)
    tree.ParentTreeNextKey = last_key + 1

    _append_outline(target, source, start)
    _append_destinations(target, source)
    return start


def _structure_root(pdf: pikepdf.Pdf) -> Dictionary:
    tree = pdf.Root.get("/StructTreeRoot")
    if tree is None or "/ParentTree" not in tree:
        raise ValueError("not a tagged PDF: no structure tree to join")
    return tree


def _document_element(tree: Dictionary) -> Dictionary:
    kids = _as_list(tree.get("/K", Array()))
    if len(kids) != 1 or kids[0].get("/S") != Name.Document:
        raise ValueError("expected one Document element under the structure root")
    return kids[0]


def _as_list(value: object) -> list:
    return list(value) if isinstance(value, Array) else [value]


def _shift(obj: Dictionary, key: str, offset: int) -> None:
    if key in obj:
        obj[key] = int(obj[key]) + offset


def _copy(target: pikepdf.Pdf, value: object) -> object:
    """``value`` from another PDF, usable in ``target``: indirect objects are copied by qpdf
    (once each: a page or element copied before is the same object again), direct arrays
    and dictionaries rebuilt around them."""
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return target.copy_foreign(value)
    if isinstance(value, Array):
        return Array([_copy(target, item) for item in value])
    if isinstance(value, Dictionary):
        return Dictionary({key: _copy(target, item) for key, item in value.items()})
    return value


def _append_outline(target: pikepdf.Pdf, source: pikepdf.Pdf, start: int) -> None:
    """The source's bookmarks, under the target's last top-level bookmark where it has one
    (WeasyPrint's h1: the document title), pointing at the appended pages."""
    with source.open_outline() as source_outline:
        items = [_outline_item(target, item) for item in source_outline.root]
    if not items:
        return
    with target.open_outline() as outline:
        parent = outline.root[-1].children if outline.root else outline.root
        parent.extend(items)


def _outline_item(target: pikepdf.Pdf, item: pikepdf.OutlineItem) -> pikepdf.OutlineItem:
    copy = pikepdf.OutlineItem(item.title, destination=_copy(target, item.destination))
    copy.is_closed = item.is_closed
    copy.children.extend(_outline_item(target, child) for child in item.children)
    return copy


def _append_destinations(target: pikepdf.Pdf, source: pikepdf.Pdf) -> None:
    source_names = source.Root.get("/Names")
    if source_names is None or "/Dests" not in source_names:
        return
    if "/Names" not in target.Root:
        target.Root.Names = target.make_indirect(Dictionary())
    names = target.Root.Names
    if "/Dests" not in names:
        names.Dests = NameTree.new(target).obj
    destinations = NameTree(names.Dests)
    for name, destination in NameTree(source_names.Dests).items():
        if name not in destinations:  # the first part's anchor wins, as in one document
            destinations[name] = _copy(target, destination)
