"""The samenvatting, in the voice of the real ansichtkaarten and bouwstenen.

"Uit de gespreksronden klinkt ...": a lead, the strongest rode draden by weight (each its
label in bold and one sentence on what was said and by how many), then "De werkplaats geeft
het Rijk mee:" from the last kernvraag ("Wat mag niet ontbreken") and the dilemma's. Every
sentence cites exactly the contributions it rests on; the counts are of those contributions.
"""

from __future__ import annotations

import re

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
    capitalise,
    count,
    join,
    number,
    quoted,
    shorten,
    veld_phrase,
    without_end_stop,
)
from noviwerk.synthesis.points import Context, Point
from noviwerk.synthesis.rode_draden import RodeDraad
from noviwerk.synthesis.rode_draden.naming import leading_noun_phrase
from noviwerk.synthesis.rode_draden.subject import QUESTION_OPENERS, subject_label
from noviwerk.synthesis.sections.draden import provenance
from noviwerk.synthesis.sections.ook_genoemd import TITLE as OOK_GENOEMD
from noviwerk.synthesis.sections.ook_genoemd import ook_genoemd
from noviwerk.synthesis.text import fold, lemma, without_lead_in, words
from noviwerk.synthesis.wordclass import PREPOSITIONS

SUMMARY_DRADEN = 5
RIJK_KERNVRAAG = 5  # "Wat mag niet ontbreken in de Nationale Omgevingsagenda?"
RIJK_POINTS = 4
RIJK_DILEMMAS = 3
OPENING_WORDS = 9
WHOLE_WORDS = 12  # a remark this short is named whole
WORDING = 200
TITLE = "Samenvatting"


def samenvatting(context: Context) -> tuple[Section, list[Point]]:
    """The section, and the points whose words it quotes (not afwijkend: they are the gist).

    Each theme gets one sentence on what was said and by how many: its weight, and the
    words of one member, short and another than the Rode draden section quotes where one
    fits.
    """
    if not context.records:
        return Section(SAMENVATTING, TITLE, (Note("Er zijn nog geen bijdragen."),)), []
    blocks: list[Note | Paragraph | PointList] = [Note(_lead(context))]
    quoted_points: list[Point] = []
    draden = context.rode_draden[:SUMMARY_DRADEN]
    if draden:
        union = Provenance.union(provenance(context, d) for d in draden)
        listing = join([d.phrase for d in draden])
        opening = f"Uit de gespreksronden klinkt een gemeenschappelijke roep om aandacht voor {listing}."
        blocks.append(Paragraph((Sentence(opening, union),)))
        items = [
            Sentence(_draad_sentence(d, context), provenance(context, d), strong=len(d.label))
            for d in draden
        ]
        blocks.append(PointList(tuple(items)))
    else:
        blocks.append(
            Note(
                "Er tekenen zich nog geen rode draden af: geen onderwerp kwam in meer dan één "
                "bijdrage terug. De inbreng staat hieronder per kernvraag."
            )
        )
    rijk = _rijk_mee(context)
    opvallend = ook_genoemd(context, {p.cluster_id for _, p in rijk}, _opening_phrase)
    if opvallend:
        blocks.append(Note(OOK_GENOEMD))
        blocks.append(PointList(tuple(s for s, _ in opvallend)))
        quoted_points.extend(p for _, p in opvallend)
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


# What kind of point the members made, named with the count: "(één opgave, twee dilemma's)".
KINDS = {
    Label.OPGAVE.value: ("opgave", "opgaven"),
    Label.KANS.value: ("kans", "kansen"),
    Label.DILEMMA.value: ("dilemma", "dilemma's"),
}


def _draad_sentence(d: RodeDraad, context: Context) -> str:
    """``Bodemdaling kwam terug in zes bijdragen uit vijf kernvragen, over kosten en beheer.``"""
    said = count(d.bijdragen, "bijdrage", "bijdragen")
    if not d.unattributed and d.deelnemers != d.bijdragen:
        said += f" van {count(d.deelnemers, 'deelnemer', 'deelnemers')}"
    # "Landbouw en waterkwaliteit kwamen terug", "Windmolens kwamen terug": the plural.
    verb = "kwamen" if _plural(d.label) else "kwam"
    text = f"{d.label} {verb} terug in {said}"
    if len(d.kernvragen) >= 2:
        text += f" uit {count(len(d.kernvragen), 'kernvraag', 'kernvragen')}"
    kinds = [context.by_id[i].label for i in d.members if i in context.by_id]
    named = [count(kinds.count(k), *forms) for k, forms in KINDS.items() if kinds.count(k)]
    every = [forms[1] for k, forms in KINDS.items() if kinds and kinds.count(k) == len(kinds)]
    if every:  # "twee bijdragen, beide kansen"
        n = len(kinds)
        text += f", {'beide' if n == 2 else 'alle ' + number(n)} {every[0]}"
    elif named:  # "zes bijdragen uit vijf kernvragen, waaronder één opgave en één dilemma"
        text += f", waaronder {join(named)}"
    if d.steun:
        text += f", {number(d.steun)} keer gesteund"
    if d.is_starred:
        text += ", door de facilitator gemarkeerd"
    said_as = _said_as(d, context)
    if said_as:
        text += f", zoals {quoted(said_as)}"
    if d.also:
        text += f", in samenhang met {join(list(d.also))}"
    return text + "."


SAID_WORDS = (4, 20)  # a member quoted in the samenvatting: a statement, not a paragraph


def _said_as(d: RodeDraad, context: Context) -> str:
    """The words of the most typical member that states (asks nothing) and names the theme
    in the words of its label, in a short sentence, preferring one the Rode draden section does not
    quote already; "" when none fits."""
    named = [fold(w) for w in words(d.label) if len(w) >= 4 and fold(w) not in PREPOSITIONS]
    fitting = [
        r for i in d.members if (r := context.by_id.get(i)) is not None
        and SAID_WORDS[0] <= len(r.text.split()) <= SAID_WORDS[1]
        and any(w in fold(r.text) for w in named) and "?" not in r.text
    ]
    centrality = context.clustering.centrality
    fitting.sort(key=lambda r: (r.id == d.representative_id, -centrality(r.id), r.number))
    return fitting[0].text if fitting else ""


def _plural(label: str) -> bool:
    """Two subjects, or a head noun in the plural ("Windmolens", "Kosten van beheer")."""
    before: list[str] = []
    for w in words(label):
        if fold(w) in PREPOSITIONS:
            break
        before.append(fold(w))
    if "en" in before:
        return True
    noun = before[-1] if before else ""
    return noun.endswith(("en", "s")) and (lemma(noun) != noun or noun.endswith("ies"))


def _opening_phrase(text: str) -> str:
    """The words a contribution opens with, up to its first pause: its subject, briefly.

    A short remark is named whole (up to WHOLE_WORDS); a longer one up to where its first
    subordinate clause begins ("De bestaande gebouwde omgeving zo aanpassen | dat steden …"),
    which needs no ellipsis; else its first words, with one."""
    text = without_end_stop(without_lead_in(text)).strip()
    if len(text.split()) <= WHOLE_WORDS and not any(stop in text for stop in ";?!"):
        return capitalise(text)  # "… kweken: bewustwording en een mentaliteitsverandering"
    for stop in (":", ";", "?", "!"):
        head = text.split(stop, 1)[0].strip()
        if len(head.split()) >= 2:
            text = head
    ws = text.split()
    if len(ws) <= WHOLE_WORDS:
        return capitalise(text)
    clause = next((i for i, w in enumerate(ws) if fold(w) in _CLAUSE_START), None)
    # Not after "in", "en" …: there "die", "dat" point at a noun ("investeren in die wijken").
    if clause is not None and 3 <= clause <= OPENING_WORDS and fold(ws[clause - 1]) not in _DANGLING:
        return capitalise(" ".join(ws[:clause]).rstrip(","))
    head = text.split(",", 1)[0].split()
    ws = head if 3 <= len(head) <= OPENING_WORDS else ws[:OPENING_WORDS]
    while ws and fold(ws[-1]) in _DANGLING:
        ws.pop()
    return capitalise(" ".join(ws).rstrip(",") + "\u2026")


# Words a shortened phrase must not end on ("… en meer van").
_DANGLING = frozenset("en of van voor op in met de het een dat die te om bij naar meer".split())
# Words that open a subordinate clause: what comes before them names the subject.
_CLAUSE_START = frozenset("dat die zodat waardoor omdat waarmee waarin wanneer doordat".split())


def _lead(context: Context) -> str:
    records = context.records
    rounds = len({r.round_position for r in records})
    lead = (
        f"In {count(rounds, 'gespreksronde', 'gespreksronden')} "
        f"{'kwam' if len(records) == 1 else 'kwamen'} "
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
        text = _wording(p, _to_the_rijk)
        # The subject in bold, so that the reader sees what is asked of the Rijk at a glance.
        phrase = capitalise(leading_noun_phrase(text))
        strong = len(phrase) if phrase and text.startswith(phrase) else 0
        out.append((Sentence(text, p.provenance, strong=strong), p))
    dilemmas = [p for p in context.points if Label.DILEMMA.value in p.labels[:1]]
    for p in dilemmas[:RIJK_DILEMMAS]:
        asked = _question_put(without_lead_in(p.representative.text))
        if asked is not None:  # named by the question it puts, as the seed's dilemma's are
            question, rest = asked  # "**Wie heeft de lead?** Een dilemma: ‘Openheid …’"
            text = f"{question} Een dilemma: {quoted(shorten(rest, WORDING))}{_said(p)}"
            label = question
        else:  # its subject in bold ("Nationale norm, een dilemma: ‘Moet het Rijk …’")
            label = subject_label(p.representative.text)
            text = f"{label}, een dilemma" if label else "Een dilemma"
            text += f": {quoted(_text(p))}{_said(p)}"
        if not text.endswith(("?\u2019", "!\u2019")):
            text += "."
        out.append((Sentence(text, p.provenance, strong=len(label)), p))
    return out


def _question_put(text: str) -> tuple[str, str] | None:
    """The short question a dilemma puts beside what it says, and the words to quote with it:
    "Openheid over stromen is nodig, maar wie heeft de lead?" puts "Wie heeft de lead?"
    (quoted whole); "Welke lock-ins ontstaan er? Keuzes … werken lang door" puts its opening
    question (the rest quoted). None for a post that is one question and nothing else (its
    subject names it), whose question is long, or that asks nothing a question word opens."""
    sentences = _SENTENCE_END.split(text.strip())
    at = next((i for i, s in enumerate(sentences) if s.endswith("?")), None)
    if at is None:
        return None
    question = sentences[at]
    # Not at ": ", which follows a topic the question is about ("Ongelijkheid: wat …?").
    for cut in (", maar ", "; ", ", en "):
        head, _, tail = question.rpartition(cut)
        if head and tail.split() and fold(tail.split()[0]) in QUESTION_OPENERS:
            question = tail
            break
    asked = words(question)
    if (
        len(asked) < 2
        or fold(asked[0]) not in QUESTION_OPENERS
        or len(question.split()) > DILEMMA_QUESTION_WORDS
        or question == text.strip()
    ):
        return None
    rest = text
    if at == 0 and question == sentences[0]:  # it opens with the question: quote the rest
        rest = " ".join(sentences[1:])
    return capitalise(question), rest


# A dilemma's question in bold: at most this many words ("Wie heeft de lead?").
DILEMMA_QUESTION_WORDS = 10
# A sentence ends where the next begins with a capital or a quote, not after "bijv." or "o.a.".
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-ZÀ-Ý\u2018\u201c\"'])")


def _text(p: Point) -> str:
    return shorten(without_lead_in(p.representative.text), WORDING)


def _said(p: Point) -> str:
    n = len(p.members)
    return f" ({count(n, 'bijdrage', 'bijdragen')})" if n > 1 else ""


def _wording(p: Point, fit=lambda text: text) -> str:
    return as_sentence(f"{without_end_stop(fit(_text(p)))}{_said(p)}")


def _to_the_rijk(text: str) -> str:
    """Under "De werkplaats geeft het Rijk mee:" the Rijk need not be named again: "Het Rijk
    moet de samenwerking tussen stad en land verbeteren" → "Samenwerking tussen stad en land
    verbeteren", whose subject then shows in bold."""
    rest = _ADDRESSED.sub("", text, count=1)
    if rest == text or len(rest.split()) < 2:
        return text
    return capitalise(_ARTICLE.sub("", rest, count=1))


_ADDRESSED = re.compile(
    r"^(?:het\s+|de\s+)?(?:rijk|rijksoverheid|overheid|kabinet)\s*(?::|\bmoet\b)\s*", re.IGNORECASE
)
_ARTICLE = re.compile(r"^(?:de|het)\s+", re.IGNORECASE)


__all__ = ["samenvatting"]
