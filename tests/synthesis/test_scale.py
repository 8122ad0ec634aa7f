"""A werkplaats of 2,000 contributions: the draft is whole and readable.

How fast it is assembled is measured by ``python -m tests.bench.bench_synthesis_scale``.
"""

from __future__ import annotations

import pytest

from noviwerk.synthesis import document as d
from noviwerk.synthesis.bouwsteen import assemble
from tests.factories import generate


@pytest.fixture(scope="module")
def big():
    werkplaats, records = generate(2000, seed=3)
    return assemble(werkplaats, records), records


def test_2000_contributions_all_in_the_bijlage_once(big):
    doc, records = big
    assert sorted(i.contribution_id for i in doc.appendix_items()) == sorted(r.id for r in records)


def test_2000_contributions_every_passage_has_provenance(big):
    doc, _ = big
    assert all(p.provenance for p in doc.passages())


def test_2000_contributions_cluster_into_readable_points(big):
    doc, records = big
    clusters = list(doc.clusters())
    assert sum(c.contributions for c in clusters) == len(records)
    assert len(clusters) < len(records) / 5  # repeated points were brought together
    big_points = [c for c in clusters if c.participants >= 10]
    assert big_points and all(c.variants for c in big_points)
    themes = [s for b in doc.section("rode-draden").blocks if isinstance(b, d.PointList)
              for s in b.items]
    assert 3 <= len(themes) <= 8 and all(s.strong for s in themes)
    bold = [s for b in doc.section("samenvatting").blocks[:3] if isinstance(b, d.PointList)
            for s in b.items if s.strong]
    assert len(bold) == 5  # the five heaviest rode draden


def test_generation_is_deterministic():
    assert generate(300, seed=5) == generate(300, seed=5)
