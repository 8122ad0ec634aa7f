"""Theme quality of the draft: ``.venv/bin/python -m tests.bench.bench_themes`` (``-v`` lists labels).

Three measures, each against what people wrote, not against what the engine happens to do:

1. The two sample werkplaatsen: which themes their real ansichtkaarten name appear as labels
   (a rode draad's label, or a bold phrase in the samenvatting).
2. Held-out werkplaatsen (``heldout_werkplaatsen.json``, and ``heldout_werkplaatsen_fresh.json``
   typed later, before the "Ook genoemd" rules, because the first set had been read while
   tuning), typed from other parts of the seed: recall of the themes the seed names for them,
   and whether the contrary view is listed under afwijkende geluiden. Reported per file.
3. The paraphrase set (``paraphrases.json``): precision and recall of "grouped together" in
   one rode draad, within and across kernvragen, and opposite stances grouped.

A theme is found when some label contains every word of one of its keys, folded (ö = o) and
matched by word start ("energie" finds "Energieproductie", not "Bio-energie").
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from itertools import combinations
from pathlib import Path

from noviwerk.synthesis.bouwsteen import assemble
from noviwerk.synthesis.document import AFWIJKENDE_GELUIDEN, RODE_DRADEN, SAMENVATTING
from noviwerk.synthesis.rode_draden import rode_draden
from noviwerk.synthesis.text import fold, words
from tests.bench.bench_bouwsteen import machine_line
from tests.conftest import shared_data
from tests.factories import load_sample
from tests.synthesis.builders import Contributions

HERE = Path(__file__).parent

# The themes the seed's ansichtkaarten (and, for Water verbindt, its chapter 4 and bouwsteen
# tables) name for the two sample werkplaatsen.
SAMPLE_THEMES: dict[str, list[tuple[str, list[list[str]]]]] = {
    "Ruimte voor voedsel in 2040": [
        ("experimenteerruimte/proeftuin", [["experimenteer"], ["proeftuin"], ["experiment"]]),
        ("ruimte voor voedsel", [["ruimte", "voedsel"]]),
        ("lokaal voor de regio, duurzaam voor de wereldmarkt",
         [["wereldmarkt"], ["lokaal"], ["regionale", "markt"]]),
        ("kennis exporteren", [["kennis"], ["export"]]),
        ("krachten bundelen en van elkaar leren", [["krachten"], ["bundelen"], ["leren"]]),
        ("ja, tenzij", [["tenzij"], ["uitnodigingsplanologie"]]),
    ],
    "Water verbindt": [
        ("bodemdaling en de kosten van beheer", [["bodemdaling"]]),
        ("waterkwaliteit en landbouw", [["waterkwaliteit"], ["landbouw", "water"]]),
        ("water en energie", [["energie"]]),
        ("wateroverlast", [["wateroverlast"]]),
        ("hittestress en droogte", [["hittestress"], ["droogte"], ["hitte"]]),
        ("een integrale aanpak", [["integrale"], ["integraal"]]),
    ],
}

# Paraphrase points that share a theme though they make different points, and points that
# take opposite stances on one subject (never one rode draad).
THEME_OF = {"bodemdaling-nationaal": "bodemdaling-kosten",
            "luchtkwaliteit-autos": "luchtkwaliteit-normen"}
OPPOSED = {frozenset(p) for p in (("zonneweides-ja", "zonneweides-nee"),
                                  ("hittestress-droogte", "droogte-groter"),
                                  ("wateroverlast-stad", "droogte-groter"),
                                  ("water-leidend", "waterpeil-landbouw"))}


def _ratio(hit: int, total: int) -> str:
    return f"{hit / total:.2f} ({hit}/{total})" if total else "n/a"


def labels_of(document) -> list[str]:
    """Rode draden labels and the bold phrases of the samenvatting, in order."""
    out: list[str] = []
    for section in document.sections:
        if section.id not in (SAMENVATTING, RODE_DRADEN):
            continue
        for block in section.blocks:
            for s in getattr(block, "items", ()) + getattr(block, "sentences", ()):
                if s.strong and s.text[: s.strong] not in out:
                    out.append(s.text[: s.strong])
    return out


def _found(keys: list[list[str]], labels: list[str]) -> str | None:
    for label in labels:
        ws = [fold(w) for w in words(label)]
        if any(all(any(w.startswith(fold(k)) for w in ws) for k in key) for key in keys):
            return label
    return None


def _cited_ids(block) -> set[int]:
    ids: set[int] = set()
    prov = getattr(block, "provenance", None)
    if prov is not None:
        ids.update(prov.ids)
    for s in getattr(block, "items", ()) + getattr(block, "sentences", ()):
        ids.update(s.provenance.ids)
    return ids


def judge(werkplaats, records, themes, contrary=(), verbose=False) -> tuple[int, int, int, int, list[str]]:
    document = assemble(werkplaats, records)
    labels = labels_of(document)
    lines = [f"{werkplaats.title}: labels {labels}" if verbose else f"{werkplaats.title}"]
    hit = 0
    for name, keys in themes:
        label = _found(keys, labels)
        hit += label is not None
        lines.append(f"  {'found ' if label else 'MISSED'} {name}" + (f"  ← {label}" if label else ""))
    listed = 0
    if contrary:
        afwijkend = next(s for s in document.sections if s.id == AFWIJKENDE_GELUIDEN)
        shown = set().union(*(_cited_ids(b) for b in afwijkend.blocks)) if afwijkend.blocks else set()
        for text in contrary:
            ids = {r.id for r in records if r.text.startswith(text)}
            ok = bool(ids & shown)
            listed += ok
            lines.append(f"  {'listed' if ok else 'MISSED'} contrary view: {text!r}")
    return hit, len(themes), listed, len(contrary), lines


HELDOUT = {"held-out": "heldout_werkplaatsen.json", "fresh held-out": "heldout_werkplaatsen_fresh.json"}


def heldout(name: str = "heldout_werkplaatsen.json") -> list[tuple[object, list, list, list]]:
    data = json.loads((HERE / name).read_text(encoding="utf-8"))
    out = []
    for w, (record, records) in zip(data["werkplaatsen"], load_sample(data), strict=True):
        records = [
            replace(r, participant_key=c.get("deelnemer"),
                    support=int(c.get("steun", 0)), source=c.get("bron", "telefoon"))
            for r, c in zip(records, w["contributions"], strict=True)
        ]
        themes = [(t["name"], t["keys"]) for t in w["themes"]]
        out.append((record, records, themes, w.get("contrary", [])))
    return out


def paraphrase_themes() -> list[str]:
    data = json.loads((HERE / "paraphrases.json").read_text(encoding="utf-8"))
    c = Contributions()
    point_of: dict[int, str] = {}
    kernvraag_of: dict[int, int] = {}
    for point in data["points"]:
        for kernvraag, text in point["texts"]:
            cid = c.add(kernvraag, text)
            point_of[cid], kernvraag_of[cid] = point["id"], kernvraag
    draad_of: dict[int, int] = {}
    draden = rode_draden(c.records)
    for i, d in enumerate(draden):
        for cid in d.members:
            draad_of[cid] = i
    tp = fp = opposed = 0
    same_kv, cross_kv = [0, 0], [0, 0]
    for a, b in combinations(sorted(point_of), 2):
        together = a in draad_of and draad_of.get(a) == draad_of.get(b)
        pa, pb = THEME_OF.get(point_of[a], point_of[a]), THEME_OF.get(point_of[b], point_of[b])
        same = pa == pb
        tp += together and same
        fp += together and not same
        opposed += together and frozenset((point_of[a], point_of[b])) in OPPOSED
        if point_of[a] == point_of[b]:
            bucket = same_kv if kernvraag_of[a] == kernvraag_of[b] else cross_kv
            bucket[0] += together
            bucket[1] += 1
    return [
        f"paraphrases: {len(point_of)} texts, {len(data['points'])} points, {len(draden)} rode draden "
        f"({', '.join(d.label for d in draden)})",
        f"  precision of 'one rode draad'     {_ratio(tp, tp + fp)}",
        f"  recall, same kernvraag            {_ratio(*same_kv)}",
        f"  recall, across kernvragen         {_ratio(*cross_kv)}",
        f"  opposite stances grouped          {opposed} pairs (lower = better)",
    ]


def run(verbose: bool = False) -> list[str]:
    lines: list[str] = []
    sample = json.loads(shared_data("sample-werkplaatsen.json").read_text(encoding="utf-8"))
    total = [0, 0]
    for werkplaats, records in load_sample(sample):
        hit, n, _, _, out = judge(werkplaats, records, SAMPLE_THEMES[werkplaats.title],
                                  verbose=verbose)
        total[0] += hit
        total[1] += n
        lines.extend(out)
    lines.append(f"samples: themes found {_ratio(*total)}")
    for title, name in HELDOUT.items():
        total, listed = [0, 0], [0, 0]
        for werkplaats, records, themes, contrary in heldout(name):
            hit, n, ok, m, out = judge(werkplaats, records, themes, contrary, verbose=verbose)
            total[0] += hit
            total[1] += n
            listed[0] += ok
            listed[1] += m
            lines.extend(out)
        lines.append(f"{title}: themes found {_ratio(*total)}, contrary views listed {_ratio(*listed)}")
    lines.extend(paraphrase_themes())
    return lines


def main(argv: list[str]) -> None:
    print(machine_line())
    print("\n".join(run(verbose="-v" in argv)))


if __name__ == "__main__":
    main(sys.argv[1:])
