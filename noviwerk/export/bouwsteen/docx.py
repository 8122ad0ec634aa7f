"""A bouwsteen as a Word document (python-docx): what trekkers edit and circulate.

Real Heading styles (so Word's navigation pane and a table of contents work), real tables,
A4 pages, Dutch as the proofing language, and the bijlage at the end; provenance shows as
bijlage numbers in brackets after each passage. Text from contributions goes through
``clean`` first: XML cannot hold control characters and python-docx would refuse them.

The bytes are deterministic for the same Document: the package's creation date is when
the version was saved (``Document.made_at``), not the clock, and the zip entries carry a
fixed timestamp.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

from docx import Document as new_docx
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from noviwerk.export.bouwsteen.common import (
    clean,
    cluster_meta,
    hand_mark,
    head_rows,
    item_meta,
    origin_line,
    ref_links,
    refs,
    round_title,
    shows_label,
    single_meta,
    table_columns,
)
from noviwerk.synthesis.document import (
    AppendixRound,
    Block,
    Cluster,
    Document,
    Note,
    Paragraph,
    PointList,
    Provenance,
    Quote,
    Table,
)

MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_GREY = RGBColor(0x59, 0x59, 0x59)
_BLUE = RGBColor(0x15, 0x42, 0x73)  # Rijkshuisstijl donkerblauw
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
PAGE_WIDTH, MARGIN = Mm(210), Mm(25)
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN


def render(document: Document) -> bytes:
    doc = new_docx()
    _setup(doc, document)
    doc.add_heading(clean(document.title), level=0)
    note = doc.add_paragraph()
    _run(note, document.status_note, italic=True, color=_GREY)
    _head_table(doc, document)
    for section in document.sections:
        if section.id == "bijlage":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        doc.add_heading(clean(section.title), level=1)
        if origin_line(section):
            _run(doc.add_paragraph(), origin_line(section), italic=True, size=9, color=_GREY)
        for block in section.blocks:
            _block(doc, block, hand_mark(section, block))
    buffer = io.BytesIO()
    doc.save(buffer)
    return _normalise_zip(buffer.getvalue())


def _setup(doc, document: Document) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, Mm(297)
    section.left_margin = section.right_margin = MARGIN
    section.top_margin, section.bottom_margin = Mm(25), Mm(22)
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    _set_language(normal.element.get_or_add_rPr())  # other styles inherit from Normal
    for level in (0, 1, 2):
        doc.styles["Title" if level == 0 else f"Heading {level}"].font.color.rgb = _BLUE
    props = doc.core_properties
    props.title = clean(document.title)
    props.subject = "Bouwsteen"
    props.author = "noviwerk"
    props.last_modified_by = "noviwerk"
    props.language = "nl-NL"
    props.keywords = ", ".join(k for k in (document.head.theme, document.head.programme) if k)
    props.revision = 1
    _made(props, document.made_at)
    footer = section.footer.paragraphs[0]
    _run(footer, f"{document.title} \u2014 {document.stage} \u2014 pagina ", size=8, color=_GREY)
    _page_field(footer)


def _made(props, made: datetime | None) -> None:
    """Created and modified: when the version was saved (python-docx writes the values as
    UTC); left out where unknown, rather than python-docx's template's 2013."""
    if made is not None:
        props.created = props.modified = made.astimezone(UTC)
        return
    for name in ("created", "modified"):
        element = props._element.find(qn(f"dcterms:{name}"))
        if element is not None:
            props._element.remove(element)


def _set_language(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "nl-NL")


def _page_field(paragraph: DocxParagraph) -> None:
    run = paragraph.add_run()
    run.font.size = Pt(8)
    for tag, attrs in (
        ("w:fldChar", {"w:fldCharType": "begin"}),
        ("w:instrText", {}),
        ("w:fldChar", {"w:fldCharType": "end"}),
    ):
        element = OxmlElement(tag)
        for k, v in attrs.items():
            element.set(qn(k), v)
        if tag == "w:instrText":
            element.set(qn("xml:space"), "preserve")
            element.text = " PAGE "
        run._r.append(element)


def _run(
    paragraph: DocxParagraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    color: RGBColor | None = None,
):
    # clean() trims; keep one space at either end where the caller put one (" [3]").
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() else ""
    run = paragraph.add_run(lead + clean(text) + trail)
    run.bold = bold or None
    run.italic = italic or None
    if size:
        run.font.size = Pt(size)
    if color is not None:
        run.font.color.rgb = color
    return run


def _refs(paragraph: DocxParagraph, provenance: Provenance, *, lead: str = " ") -> None:
    """`` [3, 7–9]``, each number a link to its entry in the bijlage."""
    pieces = ref_links(provenance)
    if pieces and lead:
        paragraph.add_run(lead)
    for text, number in pieces:
        run = _run(paragraph, text, size=8.5, color=_GREY)
        if number is not None:
            _link(run, _bookmark_name(number))


def _bookmark_name(number: int) -> str:
    # Word's bookmark names: a letter first, then letters, digits and underscores.
    return f"bijlage_{int(number)}"


def _link(run, bookmark: str) -> None:
    """Wrap ``run`` in an internal hyperlink to ``bookmark`` (python-docx has no API for it)."""
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("w:anchor"), bookmark)
    hyperlink.set(qn("w:history"), "1")
    run._r.addprevious(hyperlink)
    hyperlink.append(run._r)


def _bookmark(paragraph: DocxParagraph, number: int) -> None:
    """Mark the whole of ``paragraph`` as the bookmark that citations of ``number`` go to."""
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), str(int(number)))
    start.set(qn("w:name"), _bookmark_name(number))
    end.set(qn("w:id"), str(int(number)))
    paragraph._p.insert(_after_properties(paragraph), start)
    paragraph._p.append(end)


def _after_properties(paragraph: DocxParagraph) -> int:
    """Index of the first child after ``w:pPr`` (which must come first)."""
    return 1 if paragraph._p.pPr is not None else 0


def _head_table(doc, document: Document) -> None:
    rows = head_rows(document.head)
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = doc.styles["Table Grid"]
    for row, (caption, value) in zip(table.rows, rows, strict=True):
        _run(row.cells[0].paragraphs[0], caption, bold=True)
        _run(row.cells[1].paragraphs[0], value)
    _widths(table, (Mm(40), TEXT_WIDTH - Mm(40)))


def _widths(table: DocxTable, widths) -> None:
    """Fixed column widths, on the grid and on every cell: Word reads the cells, LibreOffice
    the grid, and with autofit on either would size the columns to their contents again."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


# Column widths for a data table, from what its columns hold. A column whose longest
# entry is short (a soort, a count, a few bijlage numbers) gets room for that entry plus
# the cell's margins, at most NARROW_MAX; the columns of running text share what is left.
# The last column, the bijlage numbers, is never running text: it wraps at its commas.
# A character is taken as 2.3 mm: 9.5 pt bold in DejaVu Sans, what LibreOffice falls back
# to where Calibri and Carlito are missing (at 1.9 mm it broke "Deelnem|ers"); in Calibri
# that leaves some room.
_CHAR = Mm(2.3)
_CELL_MARGINS = Mm(4)
NARROW_MAX = Mm(30)
TEXT_MIN = Mm(60)


def column_widths(columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[int]:
    """Widths (EMU) that add up to the text width of the page; the last column holds the
    bijlage numbers."""
    longest = [max(len(c) for c in column) for column in zip(columns, *rows, strict=True)]
    narrow = [min(NARROW_MAX, n * _CHAR + _CELL_MARGINS) for n in longest]
    is_text = [n * _CHAR + _CELL_MARGINS > NARROW_MAX for n in longest[:-1]] + [False]
    if any(is_text):
        fixed = sum(w for w, text in zip(narrow, is_text, strict=True) if not text)
        share = sum(n for n, text in zip(longest, is_text, strict=True) if text)
        rest = max(TEXT_WIDTH - fixed, TEXT_MIN)
        widths = [rest * n // share if text else w
                  for n, w, text in zip(longest, narrow, is_text, strict=True)]
    else:  # nothing but short entries: each column as wide as it needs, in proportion
        widths = narrow
    scale = TEXT_WIDTH / sum(widths)  # fills the width; many columns: all a little narrower
    return [int(w * scale) for w in widths]


def _block(doc, block: Block, mark: str = "") -> None:
    if isinstance(block, Note):
        _run(doc.add_paragraph(), block.text, italic=True, color=_GREY)
    elif isinstance(block, Paragraph):
        p = doc.add_paragraph()
        for sentence in block.sentences:
            _run(p, sentence.text + " ")
            _refs(p, sentence.provenance)
        if mark:
            _run(p, " " + mark, italic=True, size=8.5, color=_GREY)
    elif isinstance(block, PointList):
        for sentence in block.items:
            p = doc.add_paragraph(style="List Bullet")
            bold, rest = sentence.text[: sentence.strong], sentence.text[sentence.strong :]
            if bold.strip():
                _run(p, bold, bold=True)
            _run(p, rest if bold.strip() else sentence.text)
            _refs(p, sentence.provenance)
    elif isinstance(block, Cluster):
        _cluster(doc, block)
    elif isinstance(block, Table):
        _table(doc, block)
    elif isinstance(block, Quote):
        p = doc.add_paragraph(style="Quote")
        _run(p, f"\u201c{block.text}\u201d")
        who = doc.add_paragraph()
        _run(who, f"\u2014 {block.attribution}", italic=True, color=_GREY)
        _refs(who, block.provenance)
    elif isinstance(block, AppendixRound):
        _round(doc, block)


def _cluster(doc, block: Cluster) -> None:
    p = doc.add_paragraph(style="List Bullet")
    if shows_label(block):
        _run(p, block.label, bold=True)
        _run(p, f" ({cluster_meta(block)}): ", color=_GREY)
        _run(p, block.wording)
    else:
        _run(p, block.wording)
        meta = single_meta(block)
        if meta:
            _run(p, f" ({meta})", color=_GREY)
    _refs(p, block.provenance)
    for variant in block.variants:
        v = doc.add_paragraph(style="List Bullet 2")
        _run(v, variant.text, size=9.5)
        _refs(v, variant.provenance)


def _table(doc, block: Table) -> None:
    caption = doc.add_paragraph()
    _run(caption, block.caption, bold=True)
    columns = table_columns(block.columns)
    table = doc.add_table(rows=1 + len(block.rows), cols=len(columns))
    cells = [(*(clean(c) for c in row.cells), refs(row.provenance)) for row in block.rows]
    _widths(table, column_widths(columns, cells))
    table.style = doc.styles["Table Grid"]
    header = table.rows[0]
    _repeat_header(header)
    for cell, title in zip(header.cells, columns, strict=True):
        _run(cell.paragraphs[0], title, bold=True, size=9.5)
    for row, data in zip(table.rows[1:], block.rows, strict=True):
        for cell, value in zip(row.cells[:-1], data.cells, strict=True):
            _run(cell.paragraphs[0], value, size=9.5)
        _refs(row.cells[-1].paragraphs[0], data.provenance, lead="")
    doc.add_paragraph()


def _repeat_header(row) -> None:
    """Repeat the header row on every page a long table runs over."""
    trpr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    trpr.append(flag)


def _round(doc, block: AppendixRound) -> None:
    doc.add_heading(round_title(block), level=2)
    if block.prompt:
        _run(doc.add_paragraph(), block.prompt, italic=True, color=_GREY)
    for item in block.items:
        p = doc.add_paragraph()
        p.paragraph_format.left_indent = Mm(8)
        p.paragraph_format.first_line_indent = Mm(-8)
        p.paragraph_format.space_after = Pt(2)
        _run(p, f"{item.number}.", bold=True).add_tab()
        _run(p, item.text)
        meta = item_meta(item)
        if meta:
            _run(p, f" \u2014 {meta}", size=8.5, color=_GREY)
        _bookmark(p, item.number)


def _normalise_zip(data: bytes) -> bytes:
    """Same entries, same order, fixed timestamps: identical bytes for identical input."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
