"""The NOVI's own tag set: its 21 nationale belangen and 4 prioriteiten, an optional tag on a
contribution (the regie's "Meer") and on a rode draad (the trekker's rode-draden forms),
counted per programme on the oogst.

Source: the seed "Van NOVI naar NOVEX – In een notendop" (Edo Kort, ministerie van BZK;
``shared/seeds/van-novi-naar-novex.txt``): its numbered list of nationale belangen and its
slide "Prioriteiten NOVI", word for word, with the slide's line breaks (and the hyphens that
split a word over two lines) joined. ``tests/test_tags.py`` reads them back in the seed.

Pure vocabulary: the keys are what the database stores, so never renumber them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .domain import StrEnum


class TagKind(StrEnum):
    PRIORITEIT = "prioriteit"
    NATIONAAL_BELANG = "nationaal belang"


@dataclass(frozen=True)
class Tag:
    key: str  # stored: "belang-7", "prioriteit-2"
    kind: TagKind
    number: int
    text: str


_BELANGEN = (
    "Bevorderen van een duurzame ontwikkeling van Nederland als geheel en van alle onderdelen "
    "van de fysieke leefomgeving",
    "Realiseren van een goede leefomgevingskwaliteit",
    "Waarborgen en versterken van grensoverschrijdende en internationale relaties",
    "Waarborgen en bevorderen van een gezonde en veilige fysieke leefomgeving",
    "Zorg dragen voor een woningvoorraad die aansluit op de woonbehoeften",
    "Waarborgen en realiseren van een veilig, robuust en duurzaam mobiliteitssysteem",
    "In stand houden en ontwikkelen van de hoofdinfrastructuur voor mobiliteit",
    "Waarborgen van een goede toegankelijkheid van de leefomgeving",
    "Zorg dragen voor nationale veiligheid en ruimte bieden voor militaire activiteiten",
    "Beperken van klimaatverandering",
    "Realiseren van een betrouwbare, betaalbare en veilige energievoorziening, die in 2050 "
    "CO2-arm is, en de daarbij behorende hoofdinfrastructuur",
    "Waarborgen van de hoofdinfrastructuur voor transport van stoffen via (buis)leidingen",
    "Realiseren van een toekomstbestendige, circulaire economie",
    "Waarborgen van de waterveiligheid en de klimaatbestendigheid (inclusief vitale "
    "infrastructuur voor water en mobiliteit)",
    "Waarborgen van een goede waterkwaliteit, duurzame drinkwatervoorziening en voldoende "
    "beschikbaarheid van zoetwater",
    "Waarborgen en versterken van een aantrekkelijk ruimtelijk-economisch vestigingsklimaat",
    "Realiseren en behouden van een kwalitatief hoogwaardige digitale connectiviteit",
    "Ontwikkelen van een duurzame voedsel- en agroproductie",
    "Behouden en versterken van cultureel erfgoed en landschappelijke en natuurlijke "
    "kwaliteiten van (inter)nationaal belang",
    "Verbeteren en beschermen van natuur en biodiversiteit",
    "Ontwikkelen van een duurzame visserij",
)

_PRIORITEITEN = (
    "Sterke en gezonde steden en regio’s",
    "Toekomstbestendige ontwikkeling landelijk gebied",
    "Ruimte voor klimaatadaptatie en energietransitie",
    "Duurzaam economisch groeipotentieel",
)

# The prioriteiten first: four broad ones to choose from quickly, then the 21 belangen.
TAGS: tuple[Tag, ...] = tuple(
    Tag(f"prioriteit-{n}", TagKind.PRIORITEIT, n, text) for n, text in enumerate(_PRIORITEITEN, 1)
) + tuple(
    Tag(f"belang-{n}", TagKind.NATIONAAL_BELANG, n, text) for n, text in enumerate(_BELANGEN, 1)
)
TAG_BY_KEY: dict[str, Tag] = {t.key: t for t in TAGS}
MAX_KEY_CHARS = 16


def tag_keys(keys) -> tuple[str, ...]:
    """The known keys among ``keys``, once each, in the tag set's order."""
    wanted = set(keys)
    return tuple(t.key for t in TAGS if t.key in wanted)


def unknown_keys(keys) -> list[str]:
    return sorted({k for k in keys if k not in TAG_BY_KEY})


__all__ = ["MAX_KEY_CHARS", "TAGS", "TAG_BY_KEY", "Tag", "TagKind", "tag_keys", "unknown_keys"]
