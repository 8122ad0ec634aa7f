"""Ook genoemd: points said once that the samenvatting must not lose.

A point said once is no rode draad, yet a trekker names it when someone marked it: the room
backed it (+1s, votes), the facilitator starred it, a note-taker wrote it down from the flap
or the spoken round, the participant labelled it an opgave, kans or dilemma, or it says what
is *nodig*. The same holds for a contribution that joined a rode draad by an aside ("Kennis
en technologie over duurzame landbouw exporteren" joins Landbouw): its own subject is not the
theme's. Each is named by a label from its own words and cited alone; when places are left,
single remarks on a subject of their own follow ("Klimaatverandering (bij kernvraag 1)").
"""

from __future__ import annotations

from noviwerk.domain import Label, Source
from noviwerk.synthesis.document import Sentence
from noviwerk.synthesis.phrasing import capitalise, join, number, without_end_stop
from noviwerk.synthesis.points import Context, Point, provenance_of
from noviwerk.synthesis.rode_draden import RodeDraad
from noviwerk.synthesis.rode_draden.naming import leading_noun_phrase
from noviwerk.synthesis.rode_draden.subject import added_subject, demanded, head, subject_label
from noviwerk.synthesis.text import fold, without_lead_in, word_key, words
from noviwerk.synthesis.wordclass import verb_label

PLACES = 6
# Subjects said once and marked by no one still get this many places when the marked fill six.
UNMARKED_PLACES = 2
TITLE = "Ook genoemd:"
KINDS = (Label.OPGAVE.value, Label.KANS.value, Label.DILEMMA.value)
_NOTED = frozenset({Source.FLAP.value, Source.MONDELING.value})


def ook_genoemd(
    context: Context, shown: set[str], opening_phrase
) -> list[tuple[Sentence, Point]]:
    """Sentences for the points to name, heaviest first; ``shown`` are cluster ids the
    samenvatting quotes elsewhere; ``opening_phrase`` names a point without a subject label."""
    draad_of: dict[int, RodeDraad] = {}
    for d in context.rode_draden:
        for i in d.members:
            draad_of.setdefault(i, d)
    candidates: list[tuple[tuple, Point, str, RodeDraad | None]] = []
    for p in context.points:
        if p.cluster_id in shown:
            continue
        draden = {id(draad_of[m.id]): draad_of[m.id] for m in p.members if m.id in draad_of}
        if len(draden) > 1:
            continue
        draad = next(iter(draden.values()), None)
        text = p.representative.text
        noted = any(m.source in _NOTED and not m.participant_key for m in p.members)
        asks = bool(demanded(without_lead_in(text)))
        kind = next((k for k in p.labels if k in KINDS), "")
        if not (p.is_starred or p.support or noted or asks or kind):
            continue
        if draad is not None:
            subject = subject_label(text)
            if not subject or _covered(subject, context.rode_draden):
                continue  # its subject is a rode draad's: that sentence speaks for it
        # What it asks for names it best; else its opening words, which say what was said.
        label = _capital(demanded(without_lead_in(text))) or opening_phrase(text)
        if not label:
            continue
        # Said once and nowhere else first: a peripheral member is still counted in its draad.
        key = (-p.is_starred, -p.support, -noted, -asks, draad is not None, p.first_number)
        candidates.append((key, p, label, draad))
    candidates.sort(key=lambda c: c[0])
    out: list[tuple[Sentence, Point]] = []
    for _, p, label, draad in candidates[:PLACES]:
        # The label and the reasons are the representative's: it cites that and its copies.
        cited = provenance_of(context.copies(context.clustering.root_of(p.representative.id)))
        text, strong = _named(p.representative.text, label)
        out.append((Sentence(text + _why(p, draad) + ".", cited, strong=strong), p))
    named = {id(p) for _, p in out}
    named_labels = {fold(s.text[: s.strong]) for s, _ in out}
    title = {fold(w) for w in words(context.werkplaats.title)}
    draad_labels = {fold(d.label) for d in context.rode_draden}
    places = max(PLACES, len(out) + UNMARKED_PLACES)
    for p in context.points:
        if len(out) >= places:
            break
        if id(p) in named or p.cluster_id in shown or Label.DILEMMA.value in p.labels:
            continue
        if any(c[1] is p for c in candidates):
            continue  # marked, past the places: naming only an aside of it would mislead
        draad = next((draad_of[m.id] for m in p.members if m.id in draad_of), None)
        if draad is None and len(p.members) == 1:
            phrase = capitalise(leading_noun_phrase(without_lead_in(p.representative.text)))
            named_as = [(phrase, p.provenance)]
        else:
            named_as = _added_subjects(context, p)
        for phrase, cited in named_as:
            if not phrase or fold(phrase) in draad_labels | named_labels or _restates(phrase, title):
                continue
            if verb_label(phrase, [p.representative.text]):
                continue  # "Aanpassen (van …)": what is done, not to what
            named_labels.add(fold(phrase))
            out.append((Sentence(f"{phrase}{_where(p, draad)}.", cited, strong=len(phrase)), p))
            break
    return out


def _added_subjects(context: Context, p: Point):
    """Its first subject is named already (by its draad, its own sentence or a near-duplicate);
    a second one a member adds may be named nowhere ("…, en hittestress in de zomer"): that
    subject, citing that member and its copies, unless a rode draad covers it."""
    for m in p.members:
        root = context.clustering.root_of(m.id)
        if root != m.id:
            continue
        phrase = added_subject(m.text)
        if phrase and not _covered(phrase, context.rode_draden):
            yield phrase, provenance_of(context.copies(root))


def _where(p: Point, draad: RodeDraad | None) -> str:
    """ (bij kernvraag 1, genoemd naast de rode draad Wateroverlast)"""
    parts = [f"bij kernvraag {p.kernvraag_position}"] if p.kernvraag_position else []
    if draad is not None:
        parts.append(f"genoemd naast de rode draad {draad.label}")
    return f" ({', '.join(parts)})" if parts else ""


def _named(text: str, label: str) -> tuple[str, int]:
    """The words that name a point and how many of their characters are bold: its label
    alone, or, where the label had to be cut, the whole remark with its opening subject in
    bold ("**ICT** kan helpen om de stromen …"), else the words the cut kept ("**Met een
    3D-printer plastic afval uit de stad direct** omzetten …"), so nothing trails off."""
    if not label.endswith("\u2026"):
        return label, len(label)
    whole = capitalise(without_end_stop(without_lead_in(text)).strip())
    if len(whole.split()) > WHOLE_REMARK or any(stop in whole[:-1] for stop in ";?!"):
        return label, len(label)  # long, or more than one sentence: cut, as before
    for bold in (capitalise(leading_noun_phrase(whole)), label.removesuffix("\u2026")):
        if bold and whole.startswith(bold) and whole[len(bold):][:1] in (" ", ","):
            return whole, len(bold)
    return label, len(label)


# A remark named whole, its subject in bold, up to this many words; a longer one is cut.
WHOLE_REMARK = 25


def _restates(phrase: str, title: set[str]) -> bool:
    """"Luchtkwaliteit" in a werkplaats "Luchtkwaliteit in de Stad": the topic, no subject."""
    return all(fold(w) in title for w in words(phrase))


def _covered(label: str, draden) -> bool:
    """The label's head names a rode draad's binding term ("Waterschappen" and Waterschap)."""
    words = head(label)
    for d in draden:
        binding = {fold(w) for w in d.label.split()} | set(d.terms[:1])
        if any(b in w or b in word_key(w) for b in binding if len(b) >= 4 for w in words):
            return True
    return False


def _capital(text: str) -> str:
    return capitalise(" ".join(w for i, w in enumerate(text.split()) if i or fold(w) not in ("de", "het", "een")))


def _why(p: Point, draad: RodeDraad | None) -> str:
    """ (als opgave genoemd, twee keer gesteund, van de flap, bij Landbouw)"""
    parts: list[str] = []
    kind = next((k for k in p.labels if k in KINDS), "")
    if kind:
        parts.append(f"als {kind} genoemd")
    if p.support:
        parts.append(f"{number(p.support)} keer gesteund")
    if p.is_starred:
        parts.append("door de facilitator gemarkeerd")
    sources = sorted({m.source for m in p.members if m.source in _NOTED and not m.participant_key})
    if sources:
        parts.append(join(["van de flap" if s == Source.FLAP.value else "mondeling" for s in sources]))
    if draad is not None:
        parts.append(f"bij de rode draad {draad.label}")
    return f" ({', '.join(parts)})" if parts else ""


__all__ = ["PLACES", "TITLE", "ook_genoemd"]
