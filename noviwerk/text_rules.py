"""What text the app takes: controls and invisible characters refused or stripped, stacked
combining marks capped, whitespace folded (participants' posts, names, every form field and
imported cell)."""

from __future__ import annotations

import re
import unicodedata

from .domain import MAX_CONTRIBUTION_CHARS, StrEnum

# Refused: C0/C1 controls, zero-width space, LRM/RLM and the Arabic letter mark (U+061C),
# line/paragraph separators, the bidi embeddings/overrides/isolates, the word joiner and
# invisible operators (U+2060–2064), deprecated format characters (U+206A–206F), the
# Mongolian vowel separator, Hangul fillers that pass for a blank name, interlinear
# annotation marks, the BOM, and tag characters (U+E0000–E007F: invisible ASCII that can
# smuggle text past a reader) except inside an emoji subdivision flag such as 🏴󠁧󠁢󠁳󠁣󠁴󠁿.
# Allowed: ZWNJ/ZWJ (U+200C/D), which emoji such as 👩‍💻 and scripts such as Persian and
# the Indic ones need.
# A match with group 1 is such a flag (kept); any other match is a character refused.
_CONTROL = re.compile(
    r"(\U0001f3f4[\U000e0030-\U000e0039\U000e0061-\U000e007a]{1,7}\U000e007f)"
    r"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u180e\u200b\u200e\u200f\u2028\u2029"
    r"\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb"
    r"\U000e0000-\U000e007f]"
)
# Combining marks (accents) on one base character: Dutch needs one, Vietnamese two, pointed
# Hebrew up to four; hundreds stacked ("Zalgo") smear over the lines around them.
MAX_COMBINING_MARKS = 4


class TextProblem(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"
    CONTROL = "control"
    MARKS = "marks"


def clean_text(raw: str) -> str:
    """Normalise a typed text: NFC, unified newlines, trimmed.

    Control characters are not silently dropped here: ``text_problem`` reports them so the
    participant learns what was wrong instead of finding their text changed.
    """
    text = unicodedata.normalize("NFC", raw or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return text.strip()


def text_problem(text: str, limit: int = MAX_CONTRIBUTION_CHARS) -> TextProblem | None:
    """Why ``text`` (already cleaned) cannot be stored, or None when it can."""
    if not text:
        return TextProblem.EMPTY
    if _has_control(text):
        return TextProblem.CONTROL
    if _stacked_marks(text):
        return TextProblem.MARKS
    if len(text) > limit:
        return TextProblem.TOO_LONG
    return None


def strip_control(text: str) -> str:
    """Remove control characters and combining marks past ``MAX_COMBINING_MARKS`` on one
    character; for data from files and staff forms, where the text is kept, not refused."""
    text = _CONTROL.sub(lambda m: m.group(1) or "", text)
    if not _stacked_marks(text):
        return text
    out, run = [], 0
    for char in text:
        run = run + 1 if unicodedata.category(char) in _MARKS else 0
        if run <= MAX_COMBINING_MARKS:
            out.append(char)
    return "".join(out)


_MARKS = frozenset({"Mn", "Me"})


def _has_control(text: str) -> bool:
    return any(m.group(1) is None for m in _CONTROL.finditer(text))


def _stacked_marks(text: str) -> bool:
    if text.isascii():
        return False
    run = 0
    for char in text:
        if unicodedata.category(char) in _MARKS:
            run += 1
            if run > MAX_COMBINING_MARKS:
                return True
        else:
            run = 0
    return False
