"""The points of a werkplaats: clusters with the weight they carried, ready to write about.

Weight is what the samenvatting ranks by: how many participants raised a point (counted
twice: saying it yourself is more than agreeing), every +1 and every vote once, and a star
from the facilitator as three. A contribution without a participant key (typed in from a
flip-chart, or spoken) counts as one voice of its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from noviwerk.domain import (
    DEFAULT_KERNVRAGEN,
    ContributionRecord,
    KernvraagSpec,
    Veld,
    WerkplaatsRecord,
)
from noviwerk.synthesis.cluster import Clustering, Group, cluster_contributions
from noviwerk.synthesis.document import Provenance
from noviwerk.synthesis.phrasing import capitalise, shorten
from noviwerk.synthesis.rode_draden import (
    STAR_WEIGHT,
    VOICE_WEIGHT,
    RodeDraad,
    rode_draden,
    voices,
)
from noviwerk.synthesis.rode_draden.groups import group_labels
from noviwerk.synthesis.rode_draden.lexicon import lexicon

_VELD_ORDER = {v: i for i, v in enumerate(Veld.values())}


def veld_sort_key(veld: str) -> tuple[int, str]:
    return (_VELD_ORDER.get(veld, len(_VELD_ORDER)), veld)


def provenance_of(records: Iterable[ContributionRecord]) -> Provenance:
    rs = list(records)
    return Provenance(tuple(sorted({r.id for r in rs})), tuple(sorted({r.number for r in rs})))


@dataclass(frozen=True)
class Point:
    cluster_id: str
    group: Group
    members: tuple[ContributionRecord, ...]  # bijlage order, merged ones included
    representative: ContributionRecord
    label: str
    voices: int
    plus_ones: int
    votes: int
    is_starred: bool
    weight: float
    centrality: float
    kernvraag_position: int | None
    velden: tuple[str, ...]
    labels: tuple[str, ...]
    provenance: Provenance

    @property
    def support(self) -> int:
        return self.plus_ones + self.votes

    @property
    def first_number(self) -> int:
        return self.members[0].number

    @property
    def carried_weight(self) -> bool:
        """More than one lone voice: several said it, others backed it, or it was starred."""
        return self.voices >= 2 or self.support > 0 or self.is_starred

    def rank_key(self) -> tuple[float, int, float, int]:
        return (-self.weight, -self.voices, -round(self.centrality, 9), self.first_number)


@dataclass
class Context:
    werkplaats: WerkplaatsRecord
    records: tuple[ContributionRecord, ...]  # bijlage order
    by_id: Mapping[int, ContributionRecord]
    clustering: Clustering
    points: tuple[Point, ...]  # ranked, heaviest first
    kernvragen: Mapping[int, KernvraagSpec]
    point_of: dict[int, Point] = field(default_factory=dict)
    rode_draden: tuple[RodeDraad, ...] = ()  # heaviest first

    def points_in(self, kernvraag_position: int | None) -> list[Point]:
        return [p for p in self.points if p.kernvraag_position == kernvraag_position]

    def copies(self, root_id: int) -> list[ContributionRecord]:
        """A contribution and those merged into it, in bijlage order."""
        point = self.point_of[root_id]
        return [m for m in point.members if self.clustering.root_of(m.id) == root_id]


def build_context(
    werkplaats: WerkplaatsRecord,
    contributions: Sequence[ContributionRecord],
    *,
    threshold: float | None = None,
) -> Context:
    records = tuple(sorted(contributions, key=lambda c: (c.number, c.id)))
    if len({r.id for r in records}) != len(records):
        raise ValueError("contribution ids must be unique")
    by_id = {r.id: r for r in records}
    kwargs = {} if threshold is None else {"threshold": threshold}
    clustering = cluster_contributions(records, **kwargs)
    topic = f"{werkplaats.title} {werkplaats.programme}"
    lex = lexicon(by_id, clustering) if by_id else None
    names = group_labels(by_id, clustering, topic=topic, lex=lex)
    points = [_point(g, by_id, clustering, names) for g in clustering.groups]
    points.sort(key=Point.rank_key)
    context = Context(
        werkplaats=werkplaats,
        records=records,
        by_id=by_id,
        clustering=clustering,
        points=tuple(points),
        kernvragen=kernvraag_specs(werkplaats, records),
    )
    context.point_of = {cid: p for p in points for cid in p.group.ids}
    context.rode_draden = rode_draden(records, clustering=clustering, topic=topic, lex=lex)
    return context


def kernvraag_specs(
    werkplaats: WerkplaatsRecord, records: Iterable[ContributionRecord]
) -> dict[int, KernvraagSpec]:
    """The kernvragen by position: the werkplaats' own, else the rounds', else the default."""
    specs = {i: spec for i, spec in enumerate(werkplaats.kernvragen, start=1)}
    for r in records:
        k = r.kernvraag_position
        if k is None or k in specs:
            continue
        if r.kernvraag_title:
            default = DEFAULT_KERNVRAGEN[k - 1] if 1 <= k <= len(DEFAULT_KERNVRAGEN) else None
            question = default.question if default and default.title == r.kernvraag_title else ""
            specs[k] = KernvraagSpec(r.kernvraag_title, question)
        elif not werkplaats.kernvragen and 1 <= k <= len(DEFAULT_KERNVRAGEN):
            specs[k] = DEFAULT_KERNVRAGEN[k - 1]
        else:
            specs[k] = KernvraagSpec(f"Kernvraag {k}", "")
    return specs


def _point(
    group: Group,
    by_id: Mapping[int, ContributionRecord],
    clustering: Clustering,
    names: Mapping[int, str],
) -> Point:
    members = tuple(by_id[i] for i in group.ids)
    representative = by_id[group.representative_id]
    plus_ones = sum(max(0, m.support) for m in members)
    votes = sum(max(0, m.votes) for m in members)
    starred = any(m.is_starred for m in members)
    n_voices = voices(members)
    key, position = group.key
    first = min(m.number for m in members)
    cluster_id = f"k{position}-{first}" if key == "kernvraag" else f"r{position}-{first}"
    label_counts = Counter(m.label for m in members if m.label)
    # A point of several contributions is named as a rode draad is, else by its words as
    # said ("Duurzaam", "Wat gaan we doen?"); a single one keeps its key words, which only the
    # ansichtkaart's word visual reads.
    label = names.get(group.representative_id)
    if not label:
        said = shorten(representative.text.strip().rstrip(".!"), 60)
        label = ", ".join(group.terms) if len(members) == 1 and group.terms else said
    return Point(
        cluster_id=cluster_id,
        group=group,
        members=members,
        representative=representative,
        label=capitalise(label),
        voices=n_voices,
        plus_ones=plus_ones,
        votes=votes,
        is_starred=starred,
        weight=VOICE_WEIGHT * n_voices + plus_ones + votes + (STAR_WEIGHT if starred else 0.0),
        centrality=clustering.centrality(group.representative_id),
        kernvraag_position=by_id[group.root_ids[0]].kernvraag_position,
        velden=tuple(sorted({m.veld for m in members if m.veld}, key=veld_sort_key)),
        labels=tuple(sorted(label_counts, key=lambda lb: (-label_counts[lb], lb))),
        provenance=provenance_of(members),
    )
