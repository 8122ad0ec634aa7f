"""The NOVI's tag set is the seed's: 21 nationale belangen and 4 prioriteiten, word for word."""

from __future__ import annotations

import re

from noviwerk.tags import TAG_BY_KEY, TAGS, TagKind
from tests.conftest import SHARED_DATA


def _squashed(text: str) -> str:
    """Without the slide's line breaks and the hyphens that split a word over two lines."""
    return re.sub(r"[\s\-.]+", "", text).casefold()


def test_the_tag_set_is_read_from_the_seed():
    seed = SHARED_DATA.parent / "seeds" / "van-novi-naar-novex.txt"
    text = seed.read_text()
    belangen = [t for t in TAGS if t.kind == TagKind.NATIONAAL_BELANG]
    prioriteiten = [t for t in TAGS if t.kind == TagKind.PRIORITEIT]
    assert [t.number for t in belangen] == list(range(1, 22))
    assert [t.number for t in prioriteiten] == list(range(1, 5))
    for t in belangen:  # numbered as in the seed's list
        number = re.search(rf"(?m)^\s*{t.number}\. (.+?)(?=\n\s*\n|\n\s*\d+\. )", text, re.S)
        assert number and _squashed(number[1]) == _squashed(t.text), t.key
    after = _squashed(text.split("Prioriteiten NOVI", 1)[1])
    for t in prioriteiten:
        assert _squashed(t.text) in after, t.key
    assert len(TAG_BY_KEY) == 25 and all(len(k) <= 16 for k in TAG_BY_KEY)
