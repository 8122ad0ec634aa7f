"""The samenvatting, in the voice of the real ansichtkaarten and bouwstenen.

"Uit de gespreksronden klinkt ...": a lead, the strongest rode draden by weight (each its
label in bold and one sentence on what was said and by how many), then "De werkplaats geeft
het Rijk mee:" from the last kernvraag ("Wat mag niet ontbreken") and the dilemma's. Every
sentence cites exactly the contributions it rests on; the counts are of those contributions.
"""

from __future__ import annotations

from noviwerk.domain import Label, Veld
from noviwerk.synthesis.document import (
    SAMENVATTING,
    Note,
    Paragraph,
    PointList,
    Provenance,
    Section,
    Sentence,
)
from noviwerk.synthesis.phrasing import (
    as_sentence,
    count,
    join,
    number,
    quoted,
    shorten,
    veld_phrase,
    without_end_stop,
)
from noviwerk.synthesis.points import Context, Point
from noviwerk.synthesis.sections.draden import named, provenance, weight_line
from noviwerk.synthesis.text import without_lead_in

SUMMARY_DRADEN = 5
RIJK_KERNVRAAG = 5  # "Wat mag niet ontbreken in de Nationale Omgevingsagenda?"
RIJK_POINTS = 4
RIJK_DILEMMAS = 3
WORDING = 200
TITLE = "Samenvatting"


def samenvatting(context: Context) -> tuple[Section, list[Point]]:
    """The section, and the points whose words it quotes (not afwijkend: they are the gist)."""
    if not context.records:
        return Section(SAMENVATTING, TITLE, (Note("Er zijn nog geen bijdragen."),)), []
    blocks: list[Note | Paragraph | PointList] = [Note(_lead(context))]
    quoted_points: list[Point] = []
    draden = context.rode_draden[:SUMMARY_DRADEN]
    if draden:
        union = Provenance.union(provenance(context, d) for d in draden)
        opening = (
            f"Uit de gespreksronden komen {number(len(draden))} rode draden naar voren: "
            f"{named(draden)}."
            if len(draden) > 1
            else f"Uit de gespreksronden komt één rode draad naar voren: {draden[0].phrase}."
        )
        blocks.append(Paragraph((Sentence(opening, union),)))
        items = []
        for d in draden:
            text = f"{d.label} kwam terug in {weight_line(d)}: {quoted(d.wording)}."
            items.append(Sentence(text, provenance(context, d), strong=len(d.label)))
            quoted_points.append(context.point_of[d.representative_id])
        blocks.append(PointList(tuple(items)))
    else:
        blocks.append(
            Note(
                "Er tekenen zich nog geen rode draden af: geen onderwerp kwam in meer dan één "
                "bijdrage terug. De inbreng staat hieronder per kernvraag."
            )
        )
    rijk = _rijk_mee(context)
    if rijk:
        blocks.append(Note("De werkplaats geeft het Rijk mee:"))
        blocks.append(PointList(tuple(s for s, _ in rijk)))
        quoted_points.extend(p for _, p in rijk)
    known = {r.veld for r in context.records if r.veld}
    missing = [v for v in Veld.values() if v not in known]
    if known and missing:
        blocks.append(
            Note(
                f"Geen inbreng uit {join([veld_phrase(v) for v in missing])}; "
                "houd daar rekening mee bij het lezen."
            )
        )
    return Section(SAMENVATTING, TITLE, tuple(blocks)), quoted_points


def _lead(context: Context) -> str:
    records = context.records
    rounds = len({r.round_position for r in records})
    lead = (
        f"In {count(rounds, 'gespreksronde', 'gespreksronden')} kwamen "
        f"{count(len(records), 'bijdrage', 'bijdragen')} binnen"
    )
    known = len({r.participant_key for r in records if r.participant_key})
    if known:
        lead += f" van {count(known, 'deelnemer', 'deelnemers')}"
        unattributed = sum(1 for r in records if not r.participant_key)
        if unattributed:
            lead += f", plus {number(unattributed)} van de flap of mondeling ingebracht"
    return lead + "."


def _rijk_mee(context: Context) -> list[tuple[Sentence, Point]]:
    """What must not be missing (the last kernvraag), then the dilemma's, heaviest first."""
    out: list[tuple[Sentence, Point]] = []
    for p in context.points_in(RIJK_KERNVRAAG)[:RIJK_POINTS]:
        out.append((Sentence(_wording(p), p.provenance), p))
    dilemmas = [p for p in context.points if Label.DILEMMA.value in p.labels[:1]]
    for p in dilemmas[:RIJK_DILEMMAS]:
        text = f"Een dilemma: {quoted(_text(p))}{_said(p)}"
        out.append(
            (
                Sentence(
                    text if text.endswith(("?\u2019", "!\u2019")) else text + ".", p.provenance
                ),
                p,
            )
        )
    return out


def _text(p: Point) -> str:
    return shorten(without_lead_in(p.representative.text), WORDING)


def _said(p: Point) -> str:
    n = len(p.members)
    return f" ({count(n, 'bijdrage', 'bijdragen')})" if n > 1 else ""


def _wording(p: Point) -> str:
    return as_sentence(f"{without_end_stop(_text(p))}{_said(p)}")


__all__ = ["samenvatting"]
