"""The bouwsteen's section on afwijkende geluiden.

**Afwijkende geluiden** are views that go against what most of the werkplaats said: a
summary would lose them, and a trekker wants them kept. A contribution is listed when its own
point was raised by at most two participants and one of these holds (strongest first), even
when the samenvatting names it too:

1. *Against its theme.* It is about the same thing as a point several participants raised
   (cosine with that point's centroid at least ``TOPIC_MIN``), yet turns it around: it is
   negated where the point is not (or the reverse), or it says so with a contrast marker
   ("juist", "integendeel", "in plaats van", "groter probleem dan", "eerder … dan",
   "niet … maar"). Also a lone member of a main point whose negation differs from the rest.
2. *Against the room.* It makes a contrasting claim ("Droogte is een groter probleem dan te
   veel water") about what the room's heaviest points or the werkplaats' title speak of,
   even though it shares too little with any one point to be "about the same thing".
3. *A lone contrary voice.* It uses a strong contrast marker about something else, and
   the samenvatting does not already name it.

Which veld a view comes from does not make it afwijkend; a view that agrees with the point it
is closest to never is (the most repeated point's members least of all). Each view is shown
with its weight: how many participants made it and how often it was backed. At most
``MAX_DISSENT`` are listed. The heuristic is a prompt for the trekker, not a verdict.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from noviwerk.domain import ContributionRecord
from noviwerk.synthesis.document import AFWIJKENDE_GELUIDEN, Note, PointList, Section, Sentence
from noviwerk.synthesis.phrasing import count, number, quoted, shorten
from noviwerk.synthesis.points import Context, Point, provenance_of
from noviwerk.synthesis.text import NEGATIONS, Analysed, fold, stop_words, without_lead_in, words

TOPIC_MIN = 0.2
MAX_DISSENT = 8
ROOM_POINTS = 3  # the heaviest points stand for what "the room" said
# Comparisons that weigh one thing against another ("groter probleem dan", "eerder … dan"):
# "meer energie dan ze gebruiken" compares amounts and turns nothing around.
_WEIGHING = frozenset(
    "groter grotere belangrijker urgenter nijpender eerder liever zwaarder erger".split()
)
# Phrases that deny the room's concern rather than negate a wish: "segregatie valt wel mee",
# "krimp is geen probleem", "het gevaar wordt overdreven". The view turns the theme around.
_DENIALS = (
    ("valt", "wel", "mee"),
    ("valt", "best", "mee"),
    ("valt", "mee"),
    ("is", "geen", "probleem"),
    ("zijn", "geen", "probleem"),
    ("vormt", "geen", "probleem"),
    ("niet", "zo", "erg"),
    ("overdreven",),
    ("wordt", "opgeblazen"),
)

_FILLER_ADVERBS = frozenset("eigenlijk helemaal echt toch gewoon nu nog heus zeker ook".split())


@dataclass(frozen=True)
class _Dissent:
    score: int
    point: Point  # the contribution's own point: its weight is the view's weight
    record: ContributionRecord
    text: str
    alone: bool = False  # a member speaking against the rest of its own point
    # What the text quotes and counts it against: cited with it, for the sentence rests on it.
    against: tuple[ContributionRecord, ...] = ()


def afwijkende_geluiden(context: Context, *, summarised: list[Point]) -> Section:
    found: dict[str, _Dissent] = {}

    # A rode draad's member is its majority, never afwijkend from what turns the draad.
    turned_by = {m: set(dr.contrary) for dr in context.rode_draden for m in dr.members}

    def offer(d: _Dissent) -> None:
        if any(a.id in turned_by.get(d.record.id, ()) for a in d.against):
            return
        # One view per small point (its best-scored wording); a member of a main point alone.
        key = str(d.record.id) if d.alone else d.point.cluster_id
        current = found.get(key)
        if current is None or (d.score, -d.record.number) > (current.score, -current.record.number):
            found[key] = d

    cl = context.clustering
    in_summary = {p.cluster_id for p in summarised}
    block_sizes = Counter(p.kernvraag_position for p in context.points for _ in p.members)
    main = [
        p
        for p in context.points
        if p.voices >= 3 or (p.voices >= 2 and block_sizes[p.kernvraag_position] < 20)
    ]

    # 1a. A lone member of a main point whose negation (or denial: "valt wel mee") differs
    # from the rest of that point.
    for p in main:
        roots = list(p.group.root_ids)
        negated = Counter(cl.analysed(r).negated for r in roots)
        denies = {r for r in roots if _denies(cl.analysed(r).tokens)}
        minority = [
            r
            for r in roots
            if negated[cl.analysed(r).negated] * 3 <= len(roots)
            or (r in denies and len(denies) * 3 <= len(roots))
        ]
        for rid in minority:
            r = context.by_id[rid]
            alone = _alone(context, p, rid)
            rest = tuple(m for m in p.members if m not in alone.members)
            offer(_Dissent(4, alone, r, _against(p, r), alone=True, against=rest))

    room = _room_words(context, main)
    is_main = {id(p) for p in main}
    near_main = cl.similarities_to_groups([q.group for q in main])
    for p in context.points:
        if p.voices > 2 or id(p) in is_main:
            continue
        for rid in p.group.root_ids:
            r = context.by_id[rid]
            a = cl.analysed(rid)
            turns = _turns_around(a)
            near = [(s, main[k]) for k, s in near_main(rid) if s >= TOPIC_MIN and main[k] is not p]
            if near:
                _, q = max(near, key=lambda sq: (sq[0], -sq[1].first_number))
                if turns or a.negated != _mostly_negated(context, q):
                    offer(_Dissent(5 if turns else 3, p, r, _against(q, r), against=q.members))
                continue  # close to a point and agreeing with it: not afwijkend
            # A dilemma weighs two sides by nature; the table of dilemma's keeps it.
            if turns and r.label != "dilemma" and _speaks_of(a, room):
                offer(_Dissent(3, p, r, f"Tegen de teneur van de werkplaats in: {quoted(r.text)}"))
            elif a.strong_contrast and p.cluster_id not in in_summary:
                offer(_Dissent(2, p, r, f"Een tegengeluid: {quoted(r.text)}"))

    # 2. A point that turns a rode draad's stance, wherever it was said ("Geen windmolens op
    # land" in the last round, after windmolens op land in four): the engine left it out.
    for draad in context.rode_draden:
        backing = tuple(context.by_id[i] for i in draad.members if i in context.by_id)
        for p in dict.fromkeys(context.point_of.get(i) for i in draad.contrary):
            if p is None or any(m.id in draad.members for m in p.members):
                continue  # the trekker moved (part of) it into the draad
            r = p.representative
            who = (count(draad.bijdragen, "bijdrage", "bijdragen") if draad.unattributed
                   else count(draad.deelnemers, "deelnemer", "deelnemers"))
            said = f"Tegenover de rode draad {draad.label} ({who}) klonk ook: {quoted(r.text)}"
            offer(_Dissent(4, p, r, said, against=backing))

    chosen = sorted(found.values(), key=lambda d: (-d.score, d.record.number))[:MAX_DISSENT]
    chosen.sort(key=lambda d: d.record.number)
    blocks: list[Note | PointList] = []
    if chosen:
        blocks.append(
            Note(
                "Standpunten die ingaan tegen wat de meesten inbrachten, en die in een "
                "samenvatting makkelijk verdwijnen. Automatisch gevonden: weeg ze zelf."
            )
        )
        items = [
            Sentence(f"{d.text} ({_weight(d.point)}).", provenance_of(d.point.members + d.against))
            for d in chosen
        ]
        blocks.append(PointList(tuple(items)))
    else:
        blocks.append(
            Note(
                "Er zijn geen duidelijk afwijkende geluiden herkend; de bijlage bevat alle inbreng."
            )
        )
    return Section(AFWIJKENDE_GELUIDEN, "Afwijkende geluiden", tuple(blocks))


def _turns_around(a: Analysed) -> bool:
    """Whether a text says it goes against something, beyond a plain "niet" or "geen"."""
    if a.strong_contrast or _denies(a.tokens):
        return True
    tokens = a.tokens
    for i, word in enumerate(tokens):
        if word == "dan" and any(t in _WEIGHING for t in tokens[max(0, i - 4) : i]):
            return True
    # "niet X, maar Y": a negation, then what is said instead.
    negations = [i for i, t in enumerate(tokens) if t in NEGATIONS]
    return bool(negations) and "maar" in tokens[negations[0] :]


def _denies(tokens: tuple[str, ...]) -> bool:
    """Whether a text plays the concern down ("valt wel mee", "is geen probleem")."""
    # "is eigenlijk geen probleem", "valt toch wel mee": an adverb between changes nothing.
    joined = f" {' '.join(t for t in tokens if t not in _FILLER_ADVERBS)} "
    return any(f" {' '.join(d)} " in joined for d in _DENIALS)


def _mostly_negated(context: Context, point: Point) -> bool:
    negated = Counter(context.clustering.analysed(r).negated for r in point.group.root_ids)
    return negated[True] > negated[False]


def _room_words(context: Context, main: list[Point]) -> frozenset[str]:
    """The content words of the heaviest points and of the werkplaats' title and theme."""
    texts = [r.text for p in main[:ROOM_POINTS] for r in p.members]
    head = context.werkplaats
    texts += [head.title or "", head.theme or ""]
    stops = stop_words()
    return frozenset(
        w for t in texts for w in map(fold, words(t)) if len(w) >= 4 and w not in stops
    )


def _speaks_of(a: Analysed, room: frozenset[str]) -> bool:
    """Whether a text names what the room speaks of, also inside a compound (water in
    wateroverlast)."""
    for term, _, _ in a.terms:
        if len(term) < 4:
            continue
        for w in room:
            if term == w or (len(term) >= 5 and term in w) or (len(w) >= 5 and w in term):
                return True
    return False


def _alone(context: Context, point: Point, root_id: int) -> Point:
    """A dissenting member of a larger point weighs as one view, not as the whole point."""
    members = tuple(context.copies(root_id))
    return replace(
        point,
        members=members,
        voices=len({m.participant_key or m.id for m in members}),
        plus_ones=sum(max(0, m.support) for m in members),
        votes=sum(max(0, m.votes) for m in members),
    )


def _weight(point: Point) -> str:
    """``twee deelnemers, drie keer onderschreven``: how much a view carried."""
    parts = [count(point.voices, "deelnemer", "deelnemers")]
    if point.plus_ones:
        parts.append(f"{number(point.plus_ones)} keer onderschreven")
    if point.votes:
        parts.append(count(point.votes, "stem", "stemmen"))
    return ", ".join(parts)


def _against(point: Point, record: ContributionRecord) -> str:
    said = quoted(shorten(without_lead_in(point.representative.text), 100))
    who = count(point.voices, "deelnemer", "deelnemers")
    return f"Tegenover {said} ({who}) klonk ook: {quoted(record.text)}"
