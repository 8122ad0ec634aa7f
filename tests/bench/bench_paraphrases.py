"""Paraphrase quality of near-duplicate clustering: ``.venv/bin/python -m tests.bench.bench_paraphrases``.

The set (``paraphrases.json``) is written from the seed's real texts the way participants type.
Over every pair of contributions: precision and recall of "grouped together" (same cluster)
against "make the same point". Clusters stay within a kernvraag by design, so recall is given
for pairs within one kernvraag and, apart, across kernvragen (rode draden are meant to join
those). Near misses are pairs of points that share words but make different points: any pair
of their texts in one cluster is an error.
"""

from __future__ import annotations

import json
import sys
from itertools import combinations
from pathlib import Path

from noviwerk.synthesis.cluster import cluster_contributions
from tests.bench.bench_bouwsteen import machine_line
from tests.synthesis.builders import Contributions

DATA = Path(__file__).with_name("paraphrases.json")


def _ratio(hit: int, total: int) -> str:
    return f"{hit / total:.2f} ({hit}/{total})" if total else "n/a"


def run(verbose: bool = False) -> list[str]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    c = Contributions()
    point_of: dict[int, str] = {}
    kernvraag_of: dict[int, int] = {}
    text_of: dict[int, str] = {}
    for point in data["points"]:
        for kernvraag, text in point["texts"]:
            cid = c.add(kernvraag, text)
            point_of[cid], kernvraag_of[cid], text_of[cid] = point["id"], kernvraag, text
    clustering = cluster_contributions(c.records)
    group = {cid: clustering.group_of(cid).representative_id for cid in point_of}

    tp = fp = 0
    same_kv = [0, 0]  # grouped, all: same point, same kernvraag
    cross_kv = [0, 0]
    for a, b in combinations(sorted(point_of), 2):
        together = group[a] == group[b]
        same = point_of[a] == point_of[b]
        tp += together and same
        fp += together and not same
        if same:
            bucket = same_kv if kernvraag_of[a] == kernvraag_of[b] else cross_kv
            bucket[0] += together
            bucket[1] += 1
    near = [0, 0]
    misses = {frozenset(pair) for pair in data["near_misses"]}
    for a, b in combinations(sorted(point_of), 2):
        if frozenset((point_of[a], point_of[b])) in misses:
            near[0] += group[a] == group[b]
            near[1] += 1

    lines = [
        f"{len(point_of)} contributions, {len(data['points'])} points, "
        f"{len(clustering.groups)} clusters",
        f"precision of 'grouped together'     {_ratio(tp, tp + fp)}",
        f"recall, same kernvraag              {_ratio(*same_kv)}",
        f"recall, across kernvragen           {_ratio(*cross_kv)}  (clusters never cross; "
        "rode draden should)",
        f"near misses grouped (lower = better) {_ratio(*near)}",
    ]
    if verbose:
        lines.append("")
        for g in clustering.groups:
            points = sorted({point_of[cid] for cid in g.ids})
            if len(points) > 1 or len(g.ids) > 1:
                lines.append(f"[{', '.join(points)}] " + " | ".join(text_of[i] for i in g.ids))
    return lines


def main(argv: list[str]) -> None:
    print(machine_line())
    print("\n".join(run(verbose="-v" in argv)))


if __name__ == "__main__":
    main(sys.argv[1:])
