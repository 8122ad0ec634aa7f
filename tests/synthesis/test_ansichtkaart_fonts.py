"""The card's font metrics: the width table is DejaVu's, and a width measured from it is never
narrower than the real font sets the text."""

from __future__ import annotations

import math

import pytest

from noviwerk.synthesis.ansichtkaart import fonts as F
from tests.synthesis.dejavu import DEJAVU, FILES, needs_fonts


def table_from_fonts() -> dict[str, str]:
    """The advance table as the module stores it, computed from the font files.

    To regenerate after a font change: print these strings into ``_WIDTHS``.
    """
    from fontTools.ttLib import TTFont

    out = {}
    for key, name in FILES.items():
        font = TTFont(DEJAVU / name)
        cmap, metrics = font.getBestCmap(), font["hmtx"]
        upm = font["head"].unitsPerEm
        out[key] = "".join(f"{math.ceil(metrics[cmap[code]][0] * 1000 / upm):04d}"
                           for code in F._CODES)
    return out


@needs_fonts
def test_width_table_is_dejavus():
    pytest.importorskip("fontTools")
    assert {k: "".join(v) for k, v in F._WIDTHS.items()} == table_from_fonts()


@needs_fonts
@pytest.mark.parametrize("font", sorted(FILES))
def test_measured_widths_are_an_upper_bound_of_the_real_ones(font):
    from PIL import ImageFont

    size_px = 200
    face = ImageFont.truetype(str(DEJAVU / FILES[font]), size_px)
    for text in ("Onder de noemer ‘Werkplaats Water verbindt’ discussieerden we",
                 "WAVE To Yo, fi fl ff: €12,50 — klimaatbestendig… ijsvogel",
                 "Agrariërs één 2040 (zoute kwel) & co."):
        ours = F.text_width(text, font, size_px)
        real = face.getlength(text)
        assert ours >= real - 0.5, (text, ours, real)
        assert ours <= real * 1.06, (text, ours, real)
    # A character outside the table (here CJK) is never measured narrower than a known one.
    widest = max(F.text_width(chr(code), font, 10) for code in F._CODES)
    assert F.text_width("\u4e2d", font, 10) >= widest
