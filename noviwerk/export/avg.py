"""What noviwerk keeps about one participant, as a file for them ("Mijn gegevens"): JSON
and CSV of the plain record that ``services.avg.my_data`` builds."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .contributions import csv_cell
from .tables import table_csv

FORMAT = "noviwerk.mijn-gegevens/1"
MIMETYPES = {"json": "application/json; charset=utf-8", "csv": "text/csv; charset=utf-8"}
CSV_COLUMNS = (
    "werkplaats", "datum", "naam", "organisatie", "veld", "meegedaan_op", "bewaard_tot",
    "ronde", "vraag", "soort", "status", "geplaatst_op", "tekst",
)  # fmt: skip


def render_json(data: Mapping[str, Any]) -> str:
    return json.dumps({"formaat": FORMAT, **data}, ensure_ascii=False, indent=1) + "\n"


def render_csv(data: Mapping[str, Any]) -> str:
    """One row per contribution, each with who and where (one row if there are none);
    UTF-8 with a byte order mark so Excel reads the accents."""
    person = data["deelnemer"]
    head = [
        data["werkplaats"]["titel"],
        data["werkplaats"]["datum"],
        person["naam"],
        person["organisatie"],
        person["veld"],
        person["meegedaan_op"],
        data["bewaard_tot"],
    ]
    tails = (
        [c["ronde"], c["vraag"], c["soort"], c["status"], c["geplaatst_op"], c["tekst"]]
        if c
        else [None] * 6
        for c in data["bijdragen"] or [None]
    )
    return table_csv(CSV_COLUMNS, ([csv_cell(v) for v in head + tail] for tail in tails))


def render(fmt: str, data: Mapping[str, Any]) -> str:
    return render_json(data) if fmt == "json" else render_csv(data)
