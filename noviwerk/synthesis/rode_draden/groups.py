"""Labels for the points of a kernvraag, named the way rode draden are.

A point of two or more contributions is named by the noun phrase its members share, in their
own words ("Netcongestie", "Energiecoöperaties van bewoners", "Regionale bereikbaarheid"),
never by a list of stems. The seed is the term most members say as a word of their own; a
point whose members share no nameable term is named by the noun phrase its representative
opens with, else by its words up to the first pause ("Durf te experimenteren en durf te
falen", "Minder praten"). A single contribution gets no label: it is listed as written; one
with copies merged into it is named like a point.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

from noviwerk.domain import ContributionRecord
from noviwerk.synthesis.cluster import Clustering
from noviwerk.synthesis.phrasing import capitalise, shorten, without_end_stop
from noviwerk.synthesis.rode_draden.lexicon import Lexicon, lexicon, topic_terms
from noviwerk.synthesis.rode_draden.naming import label_for, leading_noun_phrase
from noviwerk.synthesis.text import without_bullet, without_lead_in
from noviwerk.synthesis.wordclass import verb_label

SEEDS_TRIED = 4


def group_labels(
    by_id: Mapping[int, ContributionRecord],
    clustering: Clustering,
    *,
    topic: str = "",
    lex: Lexicon | None = None,
) -> dict[int, str]:
    """A label per group of two or more standing contributions, by representative id.

    ``by_id`` in bijlage order. Deterministic: a group's label depends only on its members'
    words and the werkplaats' vocabulary.
    """
    groups = [g for g in clustering.groups if len(g.ids) >= 2]
    if not groups:
        return {}
    lex = lex or lexicon(by_id, clustering)
    topical = topic_terms(topic, lex.canonical)
    out: dict[int, str] = {}
    for g in groups:
        roots = list(g.root_ids)
        spread = Counter(t for r in roots for t in lex.whole.get(r, ()))
        seeds = sorted(
            (t for t, n in spread.items() if n >= 2 and len(t) >= 3 and not t.isdigit()),
            key=lambda t: (-spread[t], t in topical, -len(t), t),
        )
        label = None
        for seed in seeds[:SEEDS_TRIED]:
            label = label_for(seed, roots, lex.words_of, lex.about, topical, lex.term_parts)
            if label and not verb_label(label, [by_id[r].text for r in roots]):
                break
            label = None
        said = without_bullet(by_id[g.representative_id].text)
        text = without_lead_in(said)
        label = label or leading_noun_phrase(text) or _opening_words(text, said)
        if label:
            out[g.representative_id] = capitalise(label)
    return out


OPENING_WORDS = 8


def _opening_words(text: str, said: str) -> str:
    """Its words up to the first pause, when they make a phrase and ask nothing; else the
    start of what was ``said``, shortened; "" for a question or one word ("Ja.", "Duurzaam!")."""
    head, *rest = re.split(r"([,;:.!?])", text.strip(), maxsplit=1)
    if rest and rest[0] == "?":
        return ""
    ws = head.split()
    if 2 <= len(ws) <= OPENING_WORDS:
        return " ".join(ws)
    return shorten(without_end_stop(said), 60) if len(ws) > OPENING_WORDS else ""


__all__ = ["group_labels"]
