"""The bouwsteen's section on verbindingen: links participants laid between themes,
regions, scales and time."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from noviwerk.domain import ContributionRecord, Label
from noviwerk.synthesis.document import (
    VERBINDINGEN,
    Note,
    PointList,
    Section,
    Sentence,
    Table,
    TableRow,
)
from noviwerk.synthesis.lexicon import THEMES, link_kinds_in, themes_in
from noviwerk.synthesis.phrasing import as_sentence, capitalise, count, join
from noviwerk.synthesis.points import Context, Point, provenance_of
from noviwerk.synthesis.text import fold

MAX_LINK_ROWS = 10
_LABEL_LEAD = re.compile(r"^\s*verbinding(en)?\s*:\s*(?=\S.{7})", re.IGNORECASE)


def _verbinding_kernvragen(context: Context) -> set[int]:
    named = {k for k, spec in context.kernvragen.items() if "verbind" in fold(spec.title)}
    if named:
        return named
    return {3} if not context.werkplaats.kernvragen else set()


@dataclass(frozen=True)
class _Link:
    point: Point
    themes: tuple[str, ...]  # as named in the wording shown, never from elsewhere
    kinds: tuple[str, ...]


def _links(context: Context) -> list[_Link]:
    """The points that lay a link, each with the themes and kinds its own wording names.

    A point is a link when a contribution in it joins two themes (or is labelled
    verbinding, or names a kind of link), but the heading above its wording names only
    what that wording says: a theme from another member, let alone one nobody raised,
    would put words in the participants' mouths.
    """
    kernvragen = _verbinding_kernvragen(context)
    out: list[_Link] = []
    for p in context.points:
        labelled = any(m.label == Label.VERBINDING.value for m in p.members)
        if p.kernvraag_position not in kernvragen and not labelled:
            continue
        themes = themes_in(p.representative.text)[:3]
        kinds = link_kinds_in(p.representative.text, themes)
        joins = any(len(themes_in(m.text)) >= 2 for m in p.members)
        if labelled or joins or kinds:
            out.append(_Link(p, themes, kinds))
    return out


def _names_all(wording: str, themes: tuple[str, ...]) -> bool:
    """Whether a text already opens by naming its themes ("Water en energie: …")."""
    opening = fold(wording.split(":")[0][:80])
    return all(f" {t} " in f" {opening} " for t in themes)


def verbindingen(context: Context) -> Section:
    links = _links(context)
    blocks: list[Note | Table | PointList] = []
    if not links:
        blocks.append(Note("Er zijn (nog) geen verbindingen ingebracht."))
        return Section(VERBINDINGEN, "Verbindingen", tuple(blocks))
    blocks.append(
        Note(
            "Betekenisvolle verbindingen tussen sectoren, regio's, schaalniveaus en "
            "in de tijd, zoals deelnemers ze legden."
        )
    )
    theme_order = {t: i for i, (t, _) in enumerate(THEMES)}
    # A pair of themes cites exactly the contributions that name both.
    pairs: dict[tuple[str, str], list[ContributionRecord]] = defaultdict(list)
    for link in links:
        for m in link.point.members:
            for a, b in combinations(sorted(themes_in(m.text), key=theme_order.__getitem__), 2):
                pairs[(a, b)].append(m)
    # A pair named once is in the list below already; the table shows what recurs.
    recurring = {pair: ms for pair, ms in pairs.items() if len({m.id for m in ms}) >= 2}
    if recurring:
        ranked = sorted(recurring.items(), key=lambda kv: (-len({m.id for m in kv[1]}), kv[0]))[
            :MAX_LINK_ROWS
        ]
        blocks.append(
            Table(
                id="verbonden-themas",
                caption="Verbonden thema's",
                columns=("Thema's", "Bijdragen"),
                rows=tuple(
                    TableRow((f"{a} \u2013 {b}", str(len({m.id for m in ms}))), provenance_of(ms))
                    for (a, b), ms in ranked
                ),
            )
        )
    items: list[Sentence] = []
    for link in links:
        # "Verbinding: …" repeats the section's title and would stand after a heading.
        wording = as_sentence(_LABEL_LEAD.sub("", link.point.representative.text, count=1))
        # Two themes named is a link between sectoren; say only what that does not.
        extra = [k for k in link.kinds if k != "tussen sectoren"]
        kinds = f" ({join(extra)})" if extra else ""
        if len(link.themes) >= 2 and not _names_all(wording, link.themes):
            text = f"{capitalise(join(list(link.themes)))}{kinds}: {wording}"
        elif len(link.themes) >= 2:
            text = f"{wording[:-1]}{kinds}." if kinds and wording.endswith(".") else wording
        elif link.kinds:
            text = f"Verbinding {join(list(link.kinds))}: {wording}"
        else:
            text = wording
        if link.point.voices >= 2:
            text = (
                f"{text[:-1] if text.endswith('.') else text} "
                f"({count(link.point.voices, 'deelnemer', 'deelnemers')})."
            )
        items.append(Sentence(text, link.point.provenance))
    blocks.append(PointList(tuple(items)))
    return Section(VERBINDINGEN, "Verbindingen", tuple(blocks))
