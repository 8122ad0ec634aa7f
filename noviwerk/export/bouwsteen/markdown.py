"""A bouwsteen as Markdown (CommonMark with GFM tables), for wikis, mail and review.

Every text from a contribution is escaped so that it shows as typed and never becomes
markup: no emphasis, links, HTML, headings or table cells out of ``*``, ``[``, ``<``, ``#``
or ``|`` in what a participant wrote.
"""

from __future__ import annotations

import re

from noviwerk.export.bouwsteen.common import (
    clean,
    cluster_meta,
    hand_mark,
    head_rows,
    item_meta,
    origin_line,
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
    Sentence,
    Table,
)

MIMETYPE = "text/markdown; charset=utf-8"

# Inline markup characters; "&" too, so "&lt;" stays five characters instead of "<".
_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
# What turns a line into a heading, quote, list or rule when it starts one.
_LINE_START = re.compile(r"^(\s*)([#>+=\-]|\d+[.)])")


def escape(text: str | None) -> str:
    """Plain text that Markdown renders exactly as written."""
    escaped = _INLINE.sub(r"\\\1", clean(text))
    return _LINE_START.sub(lambda m: m.group(1) + _escape_start(m.group(2)), escaped)


def _escape_start(token: str) -> str:
    if token[:1].isdigit():
        return token[:-1] + "\\" + token[-1]
    return "\\" + token


def _with_refs(text: str, provenance: Provenance) -> str:
    reference = refs(provenance)  # generated digits only: nothing to escape
    return f"{text} {reference}" if reference else text


def render(document: Document) -> str:
    out: list[str] = [f"# {escape(document.title)}", "", f"*{escape(document.status_note)}*", ""]
    rows = head_rows(document.head)
    out += ["| | |", "|---|---|"]
    out += [f"| **{escape(k)}** | {escape(v)} |" for k, v in rows]
    out.append("")
    for section in document.sections:
        out += [f"## {escape(section.title)}", ""]
        if origin_line(section):
            out += [f"*{escape(origin_line(section))}*", ""]
        previous: Block | None = None
        for block in section.blocks:
            if isinstance(previous, Cluster) and not isinstance(block, Cluster):
                out.append("")  # close the list of points
            out += _block(block, hand_mark(section, block))
            previous = block
        if isinstance(previous, Cluster):
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _sentence(sentence: Sentence) -> str:
    bold, rest = sentence.text[: sentence.strong], sentence.text[sentence.strong :]
    if not bold.strip():
        return escape(sentence.text)
    # escape() trims, and the space after the bold part must survive it.
    return f"**{escape(bold)}**{' ' if rest[:1].isspace() else ''}{escape(rest)}"


def _block(block: Block, mark: str = "") -> list[str]:
    if isinstance(block, Note):
        return [f"*{escape(block.text)}*", ""]
    if isinstance(block, Paragraph):
        text = " ".join(_with_refs(escape(s.text), s.provenance) for s in block.sentences)
        return [f"{text} *{escape(mark)}*" if mark else text, ""]
    if isinstance(block, PointList):
        return [f"- {_with_refs(_sentence(s), s.provenance)}" for s in block.items] + [""]
    if isinstance(block, Cluster):
        return _cluster(block)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Quote):
        return [
            f"> \u201c{escape(block.text)}\u201d",
            f"> \u2014 {escape(block.attribution)} {refs(block.provenance)}".rstrip(),
            "",
        ]
    if isinstance(block, AppendixRound):
        return _round(block)
    return []


def _cluster(block: Cluster) -> list[str]:
    """One list item per point; consecutive points make one list."""
    wording = _with_refs(escape(block.wording), block.provenance)
    if shows_label(block):
        lines = [f"- **{escape(block.label)}** ({escape(cluster_meta(block))}): {wording}"]
    else:
        meta = single_meta(block)
        lines = [f"- {wording} *({escape(meta)})*" if meta else f"- {wording}"]
    lines += [f"  - {_with_refs(escape(v.text), v.provenance)}" for v in block.variants]
    return lines


def _table(block: Table) -> list[str]:
    columns = table_columns(block.columns)
    lines = [f"**{escape(block.caption)}**", ""]
    lines.append("| " + " | ".join(escape(c) for c in columns) + " |")
    lines.append("|" + "|".join("---" for _ in columns) + "|")
    for row in block.rows:
        cells = [escape(c) for c in row.cells] + [refs(row.provenance)]
        lines.append("| " + " | ".join(cells) + " |")
    return lines + [""]


def _round(block: AppendixRound) -> list[str]:
    lines = [f"### {escape(round_title(block))}", ""]
    if block.prompt:
        lines += [f"*{escape(block.prompt)}*", ""]
    for item in block.items:
        meta = item_meta(item)
        line = f"- **{item.number}.** {escape(item.text)}"
        lines.append(f"{line} \u2014 *{escape(meta)}*" if meta else line)
    return lines + [""]
