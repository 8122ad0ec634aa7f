"""What every bouwsteen export shares: clean text, references, the Dutch captions.

Contributions are typed by the public. Before any format sees a text, ``clean`` drops
control and bidi-override characters (and what XML 1.0 cannot hold), so a stray byte can
neither break a docx nor flip the reading order of a PDF line; each format then escapes
what is special to it.
"""

from __future__ import annotations

import re

from noviwerk.synthesis.document import (
    BIJLAGE,
    HAND,
    AppendixItem,
    AppendixRound,
    Block,
    Cluster,
    Head,
    Provenance,
    Section,
    VeldCount,
)
from noviwerk.synthesis.phrasing import count, format_date_nl, format_references, number
from noviwerk.synthesis.tafels import named_tafels
from noviwerk.text_rules import strip_control

# Characters XML 1.0 forbids (beyond the C0/C1 controls strip_control already removes).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

REFERENCES_COLUMN = "Bijlage"


def clean(text: str | None) -> str:
    """Safe plain text on one line: no controls, single spaces."""
    if not text:
        return ""
    return " ".join(_XML_ILLEGAL.sub("", strip_control(text)).split())


MAX_REFERENCES = 12


def refs(provenance: Provenance, limit: int = MAX_REFERENCES) -> str:
    """``[3, 7–9]``: the bijlage numbers behind a passage.

    A point made by eighty people would bury its sentence under eighty numbers; past
    ``limit`` the first ones are shown and the rest counted (JSON and CSV keep them all).
    """
    numbers = provenance.numbers
    if len(numbers) <= limit:
        return format_references(numbers)
    shown = format_references(numbers[: limit - 2])
    return f"{shown[:-1]} en nog {len(numbers) - (limit - 2)}]"


# Who wrote a section, under its title in every export: machine text is disclosed as such,
# and what a trekker wrote is never passed off as the machine's summary of the input.
MACHINE_SECTION = "Samengesteld uit de bijdragen."
HAND_SECTION = "Met de hand geschreven door de trekker."
MIXED_SECTION = (
    "Bewerkt door de trekker: tekst gemarkeerd met \u2018(trekker)\u2019 schreef de trekker "
    "zelf, de rest is samengesteld uit de bijdragen."
)
TREKKER_MARK = "(trekker)"


def is_mixed(section: Section) -> bool:
    """A section the trekker edited that still holds machine passages they left as they were."""
    return section.origin == HAND and any(b.origin != HAND for b in section.blocks)


def origin_line(section: Section) -> str:
    if section.id == BIJLAGE:
        return ""  # the contributions themselves, as typed
    if section.origin != HAND:
        return MACHINE_SECTION
    return MIXED_SECTION if is_mixed(section) else HAND_SECTION


def hand_mark(section: Section, block: Block) -> str:
    """``(trekker)`` after a trekker's own passage where machine passages stand beside it."""
    return TREKKER_MARK if block.origin == HAND and is_mixed(section) else ""


# In ``refs`` every digit run before " en nog" is a bijlage number (format_references
# writes only numbers, commas, en dashes and brackets); the count after it is not.
_NUMBER_OR_REST = re.compile(r"(\d+)|( en nog .*)", re.S)


def ref_links(provenance: Provenance, limit: int = MAX_REFERENCES) -> list[tuple[str, int | None]]:
    """``refs`` in pieces, each bijlage number with the number it links to:
    ``[("[", None), ("3", 3), (", ", None), ("7", 7), ("\u2013", None), ("9", 9), ("]", None)]``.

    Cut from the text ``refs`` prints, so the citation reads the same linked or not; in a
    range both ends link. The docx makes each number a link to its bijlage entry; the PDF
    links a citation as a whole, to its first number's (``pdf.citation_target``).
    """
    text, pieces, start = refs(provenance, limit), [], 0
    for match in _NUMBER_OR_REST.finditer(text):
        if match.group(2) is not None:
            break
        if match.start() > start:
            pieces.append((text[start : match.start()], None))
        pieces.append((match.group(1), int(match.group(1))))
        start = match.end()
    if start < len(text):
        pieces.append((text[start:], None))
    return pieces


def bijlage_anchor(number: int) -> str:
    """The name of bijlage entry ``number`` as a link target: ``b-12`` (the PDF's element id)."""
    return f"b-{int(number)}"


def cluster_meta(cluster: Cluster) -> str:
    """``9 deelnemers · 12 × +1 · 3 stemmen · gemarkeerd``: data, so digits."""
    parts = [f"{cluster.participants} {'deelnemer' if cluster.participants == 1 else 'deelnemers'}"]
    if cluster.plus_ones:
        parts.append(f"{cluster.plus_ones} \u00d7 +1")
    if cluster.votes:
        parts.append(f"{cluster.votes} {'stem' if cluster.votes == 1 else 'stemmen'}")
    if cluster.is_starred:
        parts.append("gemarkeerd")
    return " \u00b7 ".join(parts)


def shows_label(cluster: Cluster) -> bool:
    """A label helps to scan a point made several times; on a single contribution it repeats it."""
    return cluster.contributions > 1


def single_meta(cluster: Cluster) -> str:
    """Meta for a single contribution: only what adds to "one participant said this"."""
    return cluster_meta(cluster) if cluster.plus_ones or cluster.votes or cluster.is_starred else ""


def head_rows(head: Head) -> list[tuple[str, str]]:
    """The kop as (caption, value) rows, leaving out what is not known."""
    rows = [
        ("Kernvraag", head.title) if head.werkplaatsen else ("Werkplaats", head.title),
        ("Werkplaatsen", _werkplaatsen_line(head.werkplaatsen)),
        ("Programma", head.programme),
        ("Datum", format_date_nl(head.date)),
        ("Plaats", head.place or ""),
        ("Organisatie", head.organisation or ""),
        ("Trekker", head.trekker or ""),
        ("Thema", head.theme or ""),
        ("Soort", "regionaal (MIRT)" if head.kind == "regionaal" else head.kind or ""),
    ]
    who = []
    if head.participants:
        who.append(count(head.participants, "deelnemer", "deelnemers"))
    if head.organisations:
        who.append(f"van {count(head.organisations, 'organisatie', 'organisaties')}")
    if head.velden:
        who.append(f"uit {count(len(head.velden), 'veld', 'velden')}")
    if not head.contributions:
        # Nobody has said anything yet: "onbekend" would suggest posts whose authors are not known.
        rows.append(("Deelnemers", "nog geen"))
    else:
        rows.append(("Deelnemers", " ".join(who) if head.participants else "onbekend"))
    if head.velden:
        rows.append(("Velden", ", ".join(_veld_line(v) for v in head.velden)))
    contributions = count(head.contributions, "bijdrage", "bijdragen")
    if head.contributions:
        contributions += f" in {count(head.rounds, 'gespreksronde', 'gespreksronden')}"
    else:
        contributions = "nog geen"
    if head.unattributed:
        contributions += f", waarvan {number(head.unattributed)} zonder bekende deelnemer"
    rows.append(("Bijdragen", contributions))
    return [(k, clean(v)) for k, v in rows if v]


def _werkplaatsen_line(titles: tuple[str, ...]) -> str:
    """A roll-up's werkplaatsen: ``drie: Water verbindt; Geel in omgevingsvisies; Energie``."""
    if not titles:
        return ""
    return f"{number(len(titles))}: {'; '.join(titles)}"


def _veld_line(v: VeldCount) -> str:
    """``interbestuurlijk (vier deelnemers, tien bijdragen)``: who, and how much they said."""
    said = [count(v.participants, "deelnemer", "deelnemers")] if v.participants else []
    said.append(count(v.contributions, "bijdrage", "bijdragen"))
    return f"{v.veld} ({', '.join(said)})"


def round_title(block: AppendixRound) -> str:
    title = f"Ronde {block.position}"
    if block.werkplaats_title:  # a roll-up's bijlage: rounds of several werkplaatsen
        title = f"{block.werkplaats_title} \u00b7 ronde {block.position}"
    if block.kernvraag_position is not None and block.kernvraag_title:
        title += f" \u00b7 kernvraag {block.kernvraag_position}: {block.kernvraag_title}"
    if block.tafel:
        title += f" \u00b7 {named_tafels([block.tafel])}"
    return clean(title)


def item_meta(item: AppendixItem) -> str:
    """``trend · maatschappelijk · flap · samengevoegd met 12``."""
    parts = [p for p in (item.label, item.veld) if p]
    if item.source in ("flap", "mondeling"):
        parts.append(item.source)
    if item.plus_ones:
        parts.append(f"+{item.plus_ones}")
    if item.votes:
        parts.append(f"{item.votes} {'stem' if item.votes == 1 else 'stemmen'}")
    if item.is_starred:
        parts.append("gemarkeerd")
    if item.merged_into_number is not None:
        parts.append(f"samengevoegd met {item.merged_into_number}")
    return clean(" \u00b7 ".join(parts))


def table_columns(columns: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(clean(c) for c in columns) + (REFERENCES_COLUMN,)
