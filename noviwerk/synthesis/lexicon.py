"""Which themes and sectors a contribution links, and what kind of link it is.

The NOVI werkplaatsen looked for "betekenisvolle verbindingen" between sectoren, regio's,
schaalniveaus and in de tijd (the PBL's four kinds). A small hand-kept lexicon of Dutch word
parts finds the themes a text names; Dutch compounds are why it matches parts of words
("waterbesparing" names water, "veenweidelandschap" names landschap).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from noviwerk.synthesis.text import fold

# (theme as written in the bouwsteen, word parts that name it). Parts of four letters or
# fewer, and parts marked "^", only match at the start of a word: "boer" is in "boerderij"
# but "stroom" must not be found in "reststroom".
THEMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "water",
        (
            "water",
            "kwel",
            "delta",
            "dijk",
            "rivier",
            "piekbui",
            "neerslag",
            "peil",
            "stroomgebied",
        ),
    ),
    ("bodem", ("bodem", "ondergrond", "grondwater")),
    ("klimaat", ("klimaat", "hitte", "droogte", "co2", "broeikas")),
    (
        "energie",
        (
            "energie",
            "warmte",
            "zonne",
            "windmol",
            "windturb",
            "windpark",
            "gaswinning",
            "elektri",
            "^stroom",
        ),
    ),
    (
        "landbouw",
        ("landbouw", "agrari", "boer", "veehouder", "mest", "teelt", "gewas", "akkerbouw"),
    ),
    ("voedsel", ("voedsel", "voeding", "korte keten")),
    ("natuur", ("natuur", "biodivers", "ecolog", "ecosys")),
    ("landschap", ("landschap", "veenweide", "polder")),
    ("cultureel erfgoed", ("cultuur", "erfgoed", "identiteit", "histori", "monument")),
    (
        "circulaire economie",
        ("circulair", "grondstof", "reststro", "biobased", "kringloop", "hergebruik", "afval"),
    ),
    (
        "economie",
        (
            "economi",
            "verdienmodel",
            "bedrij",
            "markt",
            "werkgelegen",
            "export",
            "concurren",
            "innovatie",
        ),
    ),
    (
        "mobiliteit",
        (
            "mobiliteit",
            "vervoer",
            "verkeer",
            "bereikba",
            "fiets",
            "spoor",
            "auto",
            "openbaar vervoer",
            "logistiek",
            "knooppunt",
        ),
    ),
    ("wonen", ("wonen", "woning", "huisvest", "verstedelijk", "bouwopgave")),
    ("gezondheid", ("gezond", "luchtkwaliteit", "geluid", "fijnstof")),
    ("veiligheid", ("veilig", "risico", "overstroming")),
    ("digitalisering", ("digita", "data", "platform", "smart", "sensor")),
    ("stad", ("stad", "steden", "stedelijk")),
    ("platteland", ("platteland", "landelijk gebied", "buitengebied", "dorp")),
)

# Words that start like a theme's part but name something else: a verbinding must never name
# a theme nobody raised ("stroomgebied" is water, not energie; "autonomie" is no auto).
NOT_THEME_WORDS: dict[str, tuple[str, ...]] = {
    "energie": ("stroomgebied", "stroomop", "stroomaf", "stroomlijn", "stroomdal"),
    "mobiliteit": ("autonom", "autoriteit", "autochto"),
    "gezondheid": ("geluiden",),  # "afwijkende geluiden" are voices, not noise
}

# What kind of link a text makes, after the PBL's four kinds of betekenisvolle verbindingen.
LINK_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "tussen regio's",
        ("regio", "grens", "grenz", "provincie", "stad en land", "ommeland", "randstad"),
    ),
    (
        "tussen schaalniveaus",
        (
            "schaal",
            "lokaal",
            "lokale",
            "nationaal",
            "nationale",
            "internationa",
            "europ",
            "mondia",
            "wereldmarkt",
        ),
    ),
    (
        "in de tijd",
        (
            "lange termijn",
            "toekomst",
            "verleden",
            "histori",
            "generatie",
            "2030",
            "2040",
            "2050",
            "2100",
            "tijdelijk",
        ),
    ),
)


def _pattern(parts: Sequence[str]) -> re.Pattern[str]:
    """One regex per theme over " word word …": start-only parts must follow a space."""
    alternatives = []
    for part in parts:
        start_only = part.startswith("^") or len(part) <= 4 or " " in part
        literal = re.escape(part.lstrip("^"))
        alternatives.append(f"(?<= ){literal}" if start_only else literal)
    return re.compile("|".join(alternatives))


_THEME_PATTERNS = tuple((theme, _pattern(parts)) for theme, parts in THEMES)
_NOT_THEME_PATTERNS = {
    theme: re.compile(r"(?<= )(?:" + "|".join(map(re.escape, words)) + r")\w*")
    for theme, words in NOT_THEME_WORDS.items()
}
_KIND_PATTERNS = tuple((kind, _pattern(parts)) for kind, parts in LINK_KINDS)


def _words(text: str) -> str:
    """The folded text as " word word word", so a match's word index is its spaces before."""
    folded = fold(text)
    return " " + " ".join("".join(c if c.isalnum() else " " for c in folded).split())


def themes_in(text: str) -> tuple[str, ...]:
    """The themes a text names, in the order it names them."""
    joined = _words(text)
    found: list[tuple[int, int, str]] = []
    for order, (theme, pattern) in enumerate(_THEME_PATTERNS):
        words = joined
        if theme in _NOT_THEME_PATTERNS:
            # Masked, not removed: a match's word index gives the order of the themes.
            words = _NOT_THEME_PATTERNS[theme].sub(lambda m: "_" * len(m.group(0)), joined)
        match = pattern.search(words)
        if match:
            found.append((joined.count(" ", 0, match.start()), order, theme))
    found.sort()
    themes = [t for _, _, t in found]
    # "circulaire economie" names economie too; the broader theme adds nothing there.
    if "circulaire economie" in themes and "economie" in themes:
        themes.remove("economie")
    return tuple(themes)


def link_kinds_in(text: str, themes: Sequence[str]) -> tuple[str, ...]:
    """Which of the four kinds of verbinding a text makes; sectoren when it joins themes."""
    joined = _words(text)
    kinds = ["tussen sectoren"] if len(themes) >= 2 else []
    kinds.extend(kind for kind, pattern in _KIND_PATTERNS if pattern.search(joined))
    return tuple(kinds)
