"""JSON and CSV exports: the document with provenance, and the contributions with clusters."""

from __future__ import annotations

import csv
import io
import json

from noviwerk.export.bouwsteen import csv as bouwsteen_csv
from noviwerk.export.bouwsteen import json as bouwsteen_json
from noviwerk.synthesis.bouwsteen import assemble
from noviwerk.synthesis.document import from_dict
from tests.synthesis.builders import energie_werkplaats


def _document():
    w, records, ids = energie_werkplaats()
    return assemble(w, records), records, ids


def test_json_is_the_document_with_provenance():
    document, _, ids = _document()
    text = bouwsteen_json.render(document)
    data = json.loads(text)
    assert data["schema"] == "noviwerk.bouwsteen/1"
    assert from_dict(data) == document
    summary = next(b for b in data["sections"][0]["blocks"] if b["kind"] == "points")["items"][0]
    assert set(summary["provenance"]["ids"]) == set(ids["wind"]) | {ids["merged"]}
    assert summary["origin"] == "machine"
    assert summary["text"][: summary["strong"]] == "Windmolens"  # the label, in bold


def test_csv_has_every_contribution_with_its_cluster():
    document, records, ids = _document()
    text = bouwsteen_csv.render(document)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [int(r["bijdrage_id"]) for r in rows] == [r.id for r in records]
    wind = [r for r in rows if int(r["bijdrage_id"]) in ids["wind"]]
    assert len({r["cluster_id"] for r in wind}) == 1
    assert wind[0]["cluster_deelnemers"] == "6" and wind[0]["cluster_steun"] == "6"
    assert "windmolens" in wind[0]["cluster_label"].lower()
    merged = next(r for r in rows if int(r["bijdrage_id"]) == ids["merged"])
    assert merged["samengevoegd_met"] == "1"
