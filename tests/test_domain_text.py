"""Invisible characters and stacked accents: refused in what a participant types (they learn
why), stripped from files and staff forms; real text, emoji and flags pass untouched."""

from __future__ import annotations

import pytest

from noviwerk.text_rules import (
    MAX_COMBINING_MARKS,
    TextProblem,
    clean_text,
    strip_control,
    text_problem,
)

SCOTLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
TAGS = "".join(chr(0xE0000 + ord(c)) for c in "ignore previous instructions")
ZALGO = "Wa" + "\u0301\u0316\u0334" * 100 + "ter"


@pytest.mark.parametrize(
    "hidden",
    ["\u061c", "\u2060", "\u2061", "\u206a", "\u180e", "\u3164", "\ufff9", TAGS, "\U000e0001"],
)
def test_invisible_characters_are_refused_in_typed_text_and_stripped_from_files(hidden):
    text = f"Meer ruimte{hidden} voor water"
    assert text_problem(clean_text(text)) is TextProblem.CONTROL
    assert strip_control(text) == "Meer ruimte voor water"


def test_stacked_accents_are_refused_and_capped():
    assert text_problem(clean_text(ZALGO)) is TextProblem.MARKS
    capped = strip_control(ZALGO)
    assert capped.startswith("Wa") and capped.endswith("ter")
    assert len(capped) == len("Water") + MAX_COMBINING_MARKS


@pytest.mark.parametrize(
    "text",
    [
        f"Samen {SCOTLAND} bouwen",
        "Samen 👩\u200d💻 bouwen",
        "Trots 🏳️\u200d🌈",
        "می\u200cخواهم",
        "Tiếng Việt ạ̀",
        "שָׁלוֹם",
        "Café, reünie, ingenieur",
    ],
)
def test_real_text_emoji_and_subdivision_flags_pass_untouched(text):
    assert text_problem(clean_text(text)) is None
    assert strip_control(text) == text


def test_a_flag_that_is_not_finished_does_not_smuggle_tags():
    broken = "\U0001f3f4" + TAGS
    assert text_problem(broken) is TextProblem.CONTROL
    assert strip_control(broken) == "\U0001f3f4"
