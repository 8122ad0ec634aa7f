"""The contributions behind a bouwsteen as CSV: one row per contribution, with its cluster.

For analysis in a spreadsheet: bijlage number, round, kernvraag, soort, veld, text, and the
cluster it was grouped into (id, label, participants, support). UTF-8 with a byte order mark
so Excel shows accents; a cell that a spreadsheet would run as a formula (``=``, ``+``,
``-``, ``@``) gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io

from noviwerk.export.bouwsteen.common import clean
from noviwerk.synthesis.document import Cluster, Document

MIMETYPE = "text/csv; charset=utf-8"

COLUMNS: tuple[str, ...] = (
    "nummer", "bijdrage_id", "ronde", "kernvraag", "soort", "veld", "bron", "tekst",
    "plus_een", "stemmen", "gemarkeerd", "citaat", "samengevoegd_met",
    "cluster_id", "cluster_label", "cluster_deelnemers", "cluster_bijdragen", "cluster_steun",
)  # fmt: skip

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: str | int | None) -> str | int:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int):
        return value
    text = clean(value)
    return "'" + text if text.lstrip().startswith(_FORMULA_START) else text


def render(document: Document) -> str:
    clusters: dict[str, Cluster] = {c.id: c for c in document.clusters()}
    kernvraag_of = {}
    for section in document.sections:
        for block in section.blocks:
            if block.kind == "round":
                kernvraag_of[block.position] = block.kernvraag_position
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for item in document.appendix_items():
        cluster = clusters.get(item.cluster_id or "")
        writer.writerow(
            [
                cell(v)
                for v in (
                    item.number,
                    item.contribution_id,
                    item.round_position,
                    kernvraag_of.get(item.round_position),
                    item.label,
                    item.veld,
                    item.source,
                    item.text,
                    item.plus_ones,
                    item.votes,
                    item.is_starred,
                    item.is_citaat,
                    item.merged_into_number,
                    item.cluster_id,
                    cluster.label if cluster else None,
                    cluster.participants if cluster else None,
                    cluster.contributions if cluster else None,
                    cluster.support if cluster else None,
                )
            ]
        )
    return "\ufeff" + buffer.getvalue()
