"""The contributions of one werkplaats as Markdown, CSV or JSON: every visible contribution, grouped
by kernvraag and round, numbered as in the bijlage.

Contributions are typed by the public, so whatever they contain stays inert text here:
Markdown escapes everything that could become markup or HTML, CSV defuses cells a
spreadsheet would run as a formula, and every format drops control characters. The JSON
has the shape ``services.imports.import_werkplaatsen`` reads, so a werkplaats' contributions can be moved
between programmes or instances.

Pure: takes ``domain`` records, returns ``str``; knows nothing of Flask or the database.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..domain import ContributionRecord, Source, WerkplaatsKind, WerkplaatsRecord, slug
from ..enum_texts import dutch
from ..synthesis.phrasing import format_date_nl
from ..text_rules import strip_control

MIMETYPES: dict[str, str] = {
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
}
FORMATS: tuple[str, ...] = tuple(MIMETYPES)

JSON_FORMAT = "noviwerk.oogst/1"

CSV_COLUMNS: tuple[str, ...] = (
    "nummer",
    "kernvraag",
    "kernvraag_titel",
    "ronde",
    "ronde_vraag",
    "soort",
    "veld",
    "organisatie",
    "bron",
    "deelnemer",
    "tekst",
)

# --- grouping -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundGroup:
    position: int
    prompt: str
    contributions: tuple[ContributionRecord, ...]


@dataclass(frozen=True)
class KernvraagGroup:
    position: int | None  # None: rounds not aimed at a kernvraag
    title: str | None
    question: str | None
    rounds: tuple[RoundGroup, ...]

    @property
    def count(self) -> int:
        return sum(len(r.contributions) for r in self.rounds)


def grouped(
    werkplaats: WerkplaatsRecord, contributions: Sequence[ContributionRecord]
) -> list[KernvraagGroup]:
    """Kernvragen in order (also those without contributions), each with its rounds in order,
    each with its contributions by number; rounds without a kernvraag come last."""
    questions = {i: k for i, k in enumerate(werkplaats.kernvragen, 1)}
    titles: dict[int | None, str | None] = {i: k.title for i, k in questions.items()}
    rounds: dict[int | None, dict[int, list[ContributionRecord]]] = {i: {} for i in questions}
    prompts: dict[int, str] = {}
    for c in contributions:
        titles.setdefault(c.kernvraag_position, c.kernvraag_title)
        rounds.setdefault(c.kernvraag_position, {}).setdefault(c.round_position, []).append(c)
        prompts.setdefault(c.round_position, c.round_prompt)
    order = sorted(rounds, key=lambda k: (k is None, k or 0))
    return [
        KernvraagGroup(
            position=k,
            title=titles.get(k),
            question=questions[k].question if k in questions else None,
            rounds=tuple(
                RoundGroup(pos, prompts[pos], tuple(sorted(rows, key=lambda c: (c.number, c.id))))
                for pos, rows in sorted(rounds[k].items())
            ),
        )
        for k in order
        if k is not None or rounds[k]
    ]


def ordered(
    werkplaats: WerkplaatsRecord, contributions: Sequence[ContributionRecord]
) -> list[ContributionRecord]:
    """The contributions in the order every format lists them."""
    return [
        c for g in grouped(werkplaats, contributions) for r in g.rounds for c in r.contributions
    ]


def _kind_label(kind: str | None) -> str | None:
    return dutch(WerkplaatsKind(kind)) if kind in WerkplaatsKind.values() else kind


def _plain(text: str | None) -> str:
    return strip_control(text or "")


def _meta(c: ContributionRecord) -> list[str]:
    """Label, veld, organisation, and the source when it was not a phone (flap, mondeling)."""
    parts = [c.label, c.veld, c.organisation]
    if c.source in (Source.FLAP.value, Source.MONDELING.value):
        parts.append(f"bron: {c.source}")
    return [_plain(p) for p in parts if p]


# --- file names ---------------------------------------------------------------------------


def filename(werkplaats: WerkplaatsRecord, fmt: str, *, nr: int | None = None) -> str:
    """``werkplaats-8-water-verbindt.md``: the programme number when known, else the id."""
    return f"werkplaats-{nr if nr is not None else werkplaats.id}-{slug(werkplaats.title)}.{fmt}"


# --- Markdown -----------------------------------------------------------------------------

# Every character that can open or close inline markup or raw HTML, or a GFM table cell.
_MD_INLINE = re.compile(r"([\\`*_{}\[\]<>#|~])")
# An entity such as &lt; or &#60; would render as the character it names.
_MD_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# What makes a line a list item, heading underline, quote or thematic break.
_MD_LINE_START = re.compile(r"^(\s*)([-+=]|\d+(?=[.)]))")


def md_escape(text: str | None) -> str:
    """One line of inert Markdown text: shows exactly ``text``, never markup or HTML."""
    line = " ".join(_plain(text).split())
    line = _MD_INLINE.sub(r"\\\1", line)
    line = _MD_ENTITY.sub(r"\\&", line)
    # Escape the character after a leading number ("1." → "1\."), or a leading - + =.
    m = _MD_LINE_START.match(line)
    if m:
        head = m.group(2)
        if head.isdigit():
            line = line[: m.end()] + "\\" + line[m.end() :]
        else:
            line = line[: m.start(2)] + "\\" + line[m.start(2) :]
    return line


def md_block(text: str | None, indent: int) -> str:
    """A possibly multi-line text inside a list item: each line escaped, hard line breaks."""
    lines = [md_escape(line) for line in _plain(text).split("\n")]
    lines = [line for line in lines if line]
    return ("\\\n" + " " * indent).join(lines)


def render_markdown(
    werkplaats: WerkplaatsRecord,
    contributions: Sequence[ContributionRecord],
    *,
    nr: int | None = None,
) -> str:
    groups = grouped(werkplaats, contributions)
    total = sum(g.count for g in groups)
    out = [f"# {md_escape(werkplaats.title)}", ""]
    head = [
        ("Programma", werkplaats.programme),
        ("Nr", str(nr) if nr is not None else None),
        ("Datum", format_date_nl(werkplaats.starts_on) or None),
        ("Plaats", werkplaats.place),
        ("Soort", _kind_label(werkplaats.kind)),
        ("Thema", werkplaats.theme),
        ("Organisatie", werkplaats.organisation),
        ("Trekker", werkplaats.trekker),
        ("Bijdragen", str(total)),
    ]
    out += [f"- **{key}:** {md_escape(value)}" for key, value in head if value]
    out.append("")
    if not total:
        out += ["_Er zijn (nog) geen zichtbare bijdragen._", ""]
    for g in groups:
        if g.position is None:
            out.append("## Overige rondes")
        else:
            title = f" — {md_escape(g.title)}" if g.title else ""
            out.append(f"## Kernvraag {g.position}{title}")
        out.append("")
        if g.question:
            out += [f"_{md_escape(g.question)}_", ""]
        if not g.rounds:
            out += ["Geen bijdragen.", ""]
        for r in g.rounds:
            prompt = "" if r.prompt == g.question else f": {md_escape(r.prompt)}"
            out += [f"### Ronde {r.position}{prompt}", ""]
            for c in r.contributions:
                marker = f"{c.number}. "
                line = marker + md_block(c.text, len(marker))
                meta = _meta(c)
                if meta:
                    line += " — *" + " · ".join(md_escape(m) for m in meta) + "*"
                out.append(line)
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# --- CSV ----------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str | int | None) -> str | int:
    """A cell a spreadsheet shows as text: one that would start a formula gets a leading '."""
    if value is None:
        return ""
    if isinstance(value, int):
        return value
    text = _plain(value)
    if text.startswith(_FORMULA_START) or text.lstrip().startswith(_FORMULA_START):
        return "'" + text
    return text


def cell_value(text: str) -> str:
    """What ``csv_cell`` was given: a cell it defused gets its leading ' back off, so a table
    that went out comes back in as it was (an import reads it as text, never a formula)."""
    rest = text[1:]
    if text.startswith("'") and (
        rest.startswith(_FORMULA_START) or rest.lstrip().startswith(_FORMULA_START)
    ):
        return rest
    return text


def render_csv(
    werkplaats: WerkplaatsRecord,
    contributions: Sequence[ContributionRecord],
    *,
    nr: int | None = None,
) -> str:
    """One row per contribution; UTF-8 with a byte order mark so Excel reads the accents."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for c in ordered(werkplaats, contributions):
        writer.writerow(
            [
                csv_cell(v)
                for v in (
                    c.number,
                    c.kernvraag_position,
                    c.kernvraag_title,
                    c.round_position,
                    c.round_prompt,
                    c.label,
                    c.veld,
                    c.organisation,
                    c.source,
                    c.participant_key,
                    c.text,
                )
            ]
        )
    return "\ufeff" + buffer.getvalue()


# --- JSON ---------------------------------------------------------------------------------


def _or_none(text: str | None) -> str | None:
    return _plain(text) or None


def render_json(
    werkplaats: WerkplaatsRecord,
    contributions: Sequence[ContributionRecord],
    *,
    nr: int | None = None,
) -> str:
    """The import format (``werkplaatsen[].contributions[]``) with the export's extras."""
    item = {
        "nr": nr,
        "titel": _plain(werkplaats.title),
        "datum": werkplaats.starts_on.isoformat() if werkplaats.starts_on else None,
        "soort": werkplaats.kind,
        "hoofdonderwerp": _or_none(werkplaats.theme),
        "organisatie": _or_none(werkplaats.organisation),
        "plaats": _or_none(werkplaats.place),
        "programma": _plain(werkplaats.programme),
        "trekker": _or_none(werkplaats.trekker),
        "kernvragen": [
            {"nr": i, "titel": _plain(k.title), "vraag": _plain(k.question)}
            for i, k in enumerate(werkplaats.kernvragen, 1)
        ],
        "contributions": [
            {
                "nummer": c.number,
                "kernvraag": c.kernvraag_position,
                "kernvraag_titel": _or_none(c.kernvraag_title),
                "ronde": c.round_position,
                "ronde_vraag": _plain(c.round_prompt),
                "soort": c.label,
                "veld": c.veld,
                "organisatie": _or_none(c.organisation),
                "bron": c.source,
                "deelnemer": c.participant_key,
                "text": _plain(c.text),
                **({"tafel": _plain(c.tafel)} if c.tafel else {}),  # where it was posted
            }
            for c in ordered(werkplaats, contributions)
        ],
    }
    document = {"formaat": JSON_FORMAT, "werkplaatsen": [item]}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


RENDERERS = {"md": render_markdown, "csv": render_csv, "json": render_json}


def render(
    fmt: str,
    werkplaats: WerkplaatsRecord,
    contributions: Sequence[ContributionRecord],
    *,
    nr: int | None = None,
) -> str:
    if fmt not in RENDERERS:
        raise ValueError(f"unknown export format {fmt!r}")
    return RENDERERS[fmt](werkplaats, contributions, nr=nr)
