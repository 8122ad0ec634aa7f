"""Fitting an ansichtkaart's words to the card: fragments that give way, least needed first.

A paragraph is made of fragments; while the card is too full, ``fit`` drops the optional
ones (highest ``drop`` first), then takes a fragment's shorter variants, and only then
shortens a wording a clause or else a word at a time, with "…" (``shorten_once``). Nothing is
ever cut inside a word. Which fragment is least needed is the writer's choice (``text``).
"""

from __future__ import annotations

from dataclasses import dataclass

import noviwerk.synthesis.ansichtkaart.layout as measure
from noviwerk.synthesis.document import Provenance
from noviwerk.synthesis.phrasing import squash, without_end_stop


@dataclass
class Fragment:
    """A piece of a paragraph, with the shorter ways to say it."""

    variants: list[tuple[str, str, str]]  # (lead, wording, close): the text is their join
    provenance: Provenance
    drop: int = 0  # 0: never dropped; higher: dropped sooner
    chosen: int = 0

    @property
    def text(self) -> str:
        text = "".join(self.variants[self.chosen])
        # A shortened wording ends in "…", which closes the sentence by itself.
        return text.replace("\u2026.", "\u2026").replace("\u2026\u2019.", "\u2026\u2019")

    def shorter(self) -> bool:
        """One step shorter: the next variant, or one clause or word less with "…"."""
        if self.chosen + 1 < len(self.variants):
            self.chosen += 1
            return True
        lead, wording, close = self.variants[self.chosen]
        cut = shorten_once(wording)
        if cut is None:
            return False
        close = close.rstrip(".") if close not in (".", "?", "!") else ""
        self.variants[self.chosen] = (lead, cut, close)
        return True


def shorten_once(wording: str) -> str | None:
    """A wording one clause (or else one word) shorter, ending in "…"; None when too short."""
    body = wording[:-1] if wording.endswith("\u2026") else without_end_stop(wording)
    words_ = body.split()
    if len(words_) <= 3:
        return None
    half = len(body) * 0.5
    for mark in ("; ", ": ", " \u2014 ", " \u2013 ", ", "):
        at = body.rfind(mark)
        if at >= half:
            return body[:at].rstrip(" ,;:") + "\u2026"
    return " ".join(words_[:-1]).rstrip(" ,;:\u2013\u2014") + "\u2026"


def capped(text: str, limit: int) -> str:
    """``text`` shortened a clause or a word at a time until it has at most ``limit`` characters."""
    while len(text) > limit:
        shorter = shorten_once(text)
        if shorter is None:
            break
        text = shorter
    return text


def fit(
    paragraphs: list[list[Fragment]], geo: measure.Geometry
) -> tuple[tuple[str, Provenance], ...]:
    """The three paragraphs, cut down until each and all together fit the card."""
    while True:
        texts = [_join(fs) for fs in paragraphs]
        lines = [len(measure.body_lines(t, geo)) for t in texts]
        over = [i for i in range(3) if lines[i] > geo.paragraph_max_lines]
        if not over and sum(lines) <= geo.total_lines:
            break
        if over:  # a paragraph too long by itself gives up its own least needed part
            targets = over
        else:  # too long together: the least needed part of the whole card goes first
            ranked = sorted(
                ((f.drop, i) for i in range(3) for f in paragraphs[i] if f.drop), reverse=True
            )
            targets = [ranked[0][1]] if ranked else sorted(range(3), key=lambda i: -lines[i])
        if not any(_cut_down(paragraphs[i]) for i in targets):
            raise AssertionError("a card paragraph cannot be made to fit")  # pragma: no cover
    return tuple((_join(fs), Provenance.union(f.provenance for f in fs)) for fs in paragraphs)


def _join(fragments: list[Fragment]) -> str:
    return " ".join(f.text for f in fragments).strip()


def _cut_down(fragments: list[Fragment]) -> bool:
    optional = [f for f in fragments if f.drop > 0]
    if optional:
        fragments.remove(max(optional, key=lambda f: (f.drop, fragments.index(f))))
        return True
    return any(f.shorter() for f in sorted(fragments, key=lambda f: -len(f.text)))


def fit_title(title: str, geo: measure.Geometry) -> str:
    title = squash(title)
    while len(measure.title_lines(title, geo)) > geo.title_max_lines:
        shorter = shorten_once(title)
        if shorter is None:  # pragma: no cover - the prefix alone always fits
            break
        title = shorter
    return title


__all__ = ["Fragment", "capped", "fit", "fit_title", "shorten_once"]
