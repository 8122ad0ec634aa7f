"""A werkplaats of 2,000 contributions: the draft is whole, and quick enough to regenerate."""

from __future__ import annotations

import time

import pytest

from noviwerk.synthesis import document as d
from noviwerk.synthesis.bouwsteen import assemble
from tests.factories import generate

# The budget is 1 s on a 2-core machine (tests/bench/bench_bouwsteen.py measures it); the
# test allows slack for a busy CI machine and still catches an accidental O(n²).
BUDGET_SECONDS = 4.0


@pytest.fixture(scope="module")
def big():
    werkplaats, records = generate(2000, seed=3)
    start = time.process_time()
    doc = assemble(werkplaats, records)
    return doc, records, time.process_time() - start


def test_2000_contributions_assemble_within_budget(big):
    _, _, seconds = big
    assert seconds < BUDGET_SECONDS


def test_2000_contributions_all_in_the_bijlage_once(big):
    doc, records, _ = big
    assert sorted(i.contribution_id for i in doc.appendix_items()) == sorted(r.id for r in records)


def test_2000_contributions_every_passage_has_provenance(big):
    doc, _, _ = big
    assert all(p.provenance for p in doc.passages())


def test_2000_contributions_cluster_into_readable_points(big):
    doc, records, _ = big
    clusters = list(doc.clusters())
    assert sum(c.contributions for c in clusters) == len(records)
    assert len(clusters) < len(records) / 5  # repeated points were brought together
    big_points = [c for c in clusters if c.participants >= 10]
    assert big_points and all(c.variants for c in big_points)
    summary = [s for b in doc.section("samenvatting").blocks if isinstance(b, d.PointList)
               for s in b.items]
    assert len(summary) == 5


def test_generation_is_deterministic():
    assert generate(300, seed=5) == generate(300, seed=5)
