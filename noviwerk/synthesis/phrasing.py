"""Small pieces of Dutch for the sentences a bouwsteen is written in."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

_NUMBER_WORDS = (
    "nul", "één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien",
    "elf", "twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien", "achttien",
    "negentien", "twintig",
)  # fmt: skip


def number(n: int) -> str:
    """Numbers up to twenty in words, as Dutch house styles write them; larger in digits."""
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)


def count(n: int, singular: str, plural: str) -> str:
    return f"{number(n)} {singular if n == 1 else plural}"


def join(items: Sequence[str], last: str = "en") -> str:
    """``a, b en c``."""
    items = [i for i in items if i]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    # A comma before the last "en" when an item has "en" in it, so "landbouw en
    # waterkwaliteit" reads as one item: "bodemdaling, landbouw en waterkwaliteit, en energie".
    before = "," if len(items) > 2 and any(f" {last} " in i for i in items) else ""
    return f"{', '.join(items[:-1])}{before} {last} {items[-1]}"


def squash(text: str) -> str:
    """One line, single spaces: how a contribution reads inside a sentence or a table."""
    return " ".join(text.split())


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def without_end_stop(text: str) -> str:
    """Drop a closing full stop (or several), keep ? and ! which carry meaning."""
    text = squash(text)
    while text.endswith((".", "…", ";", ",", ":")):
        text = text[:-1].rstrip()
    return text


def as_sentence(text: str) -> str:
    """A contribution as a sentence of the draft: capital first, closing stop if it has none."""
    text = capitalise(without_end_stop(text))
    # A post of emoji alone ("🙂") is shown as it was sent: a full stop would make it prose.
    if not any(c.isalnum() for c in text):
        return text
    return text if text.endswith(("?", "!")) else text + "."


def quoted(text: str) -> str:
    """Dutch typographic quotes around a contribution's words."""
    return f"\u2018{without_end_stop(text)}\u2019"


def shorten(text: str, limit: int = 140) -> str:
    """Cut at a word boundary, with an ellipsis, for a wording inside a longer sentence."""
    text = squash(text)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "\u2026"


_VELD_PHRASES = {
    "interdepartementaal": "het interdepartementale veld",
    "interbestuurlijk": "het interbestuurlijke veld",
    "kennis en advies": "het veld kennis en advies",
    "maatschappelijk": "het maatschappelijke veld",
}


def veld_phrase(veld: str) -> str:
    """A veld as a sentence names it: "het interbestuurlijke veld"."""
    return _VELD_PHRASES.get(veld, f"het veld {veld}")


# --- dates and bijlage numbers as every export writes them --------------------------------

_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip


def format_date_nl(value: date | None) -> str:
    """``8 oktober 2015``; the way a Dutch document writes a date."""
    if value is None:
        return ""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def format_references(numbers: Iterable[int]) -> str:
    """Bijlage numbers as a reader scans them: ``[3, 7–9, 12]``; empty when there are none."""
    ordered = sorted(set(numbers))
    if not ordered:
        return ""
    runs: list[list[int]] = []
    for n in ordered:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts: list[str] = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{run[0]}\u2013{run[-1]}")
        else:
            parts.extend(str(n) for n in run)
    return "[" + ", ".join(parts) + "]"
