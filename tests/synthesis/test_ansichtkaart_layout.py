"""The card's measurements: lines never run wider than the column, and the word visual is
packed without overlaps, inside its box, font size by weight.

The overlap test does not trust the module's own metrics: it measures every placed term
again with Pillow on the real DejaVu font files.
"""

from __future__ import annotations

from itertools import combinations

import pytest

from noviwerk.synthesis.ansichtkaart import layout as L
from tests.synthesis.dejavu import DEJAVU, FILES, needs_fonts

TERMS = [
    ("wateroverlast", 1.0), ("waterschappen", 0.9), ("landbouw", 0.75), ("energie", 0.74),
    ("bodemdaling", 0.66), ("zoute kwel", 0.57), ("water", 0.57), ("kosten", 0.49),
    ("stad", 0.49), ("piekbuien", 0.43), ("beheer", 0.36), ("veenweidegebieden", 0.33),
    ("investeringen", 0.33), ("klimaatverandering", 0.33), ("agrariërs", 0.33),
    ("actieprogramma", 0.33), ("bestaande gebouwde omgeving", 0.33), ("bedrijven", 0.33),
    ("gewassen", 0.33), ("waterkwaliteit", 0.33),
]


def test_wrap_never_exceeds_the_width_and_never_splits_a_word():
    text = ("Uit de gespreksronden tijdens de werkplaats klinkt een roep om samen met de buren "
            "elkaars regelgeving, plannen en visies te delen. Daarna komt de samenwerking vaak "
            "vanzelf op gang.")
    for width in (32.0, 40.0, 75.8):
        lines = L.wrap(text, "serif", L.BODY.size, width)
        assert " ".join(lines) == text
        assert all(L.text_width(line, "serif", L.BODY.size) <= width for line in lines)
        assert all(line == line.strip() for line in lines)


def test_a_word_wider_than_the_line_is_broken_between_characters():
    url = "https://noviwerk.example.nl/" + "abcdefghij" * 8
    lines = L.wrap(f"Zie {url} voor meer.", "serif", L.BODY.size, 40.0)
    assert "".join(lines[1:-1]) + lines[-1].split(" ")[0] == url or url in "".join(lines)
    assert all(L.text_width(line, "serif", L.BODY.size) <= 40.0 for line in lines)


@pytest.mark.parametrize("side", ["left", "right"])
def test_the_geometry_keeps_every_part_apart_and_on_the_ansichtkaart(side):
    geo = L.geometry(side)
    content = L.Box(0, 0, L.WIDTH_MM, L.HEIGHT_MM)
    for part in (geo.band, geo.title, geo.text, geo.panel, geo.cloud, geo.cloud_full, geo.qr):
        assert content.contains(part)
    assert not geo.text.overlaps(geo.panel)
    assert geo.panel.contains(geo.cloud) and geo.panel.contains(geo.qr)
    assert not geo.cloud.overlaps(geo.qr)
    assert geo.text.y >= geo.band.bottom
    assert geo.total_lines * L.BODY.leading + 2 * L.PARAGRAPH_GAP <= geo.text.h
    assert geo.total_lines >= 2 * geo.paragraph_max_lines
    with pytest.raises(ValueError):
        L.geometry("boven")


def _pillow_box(term: L.PlacedTerm, scale: float = 40.0) -> tuple[float, float, float, float]:
    """The term's ink box in mm, measured by Pillow on the real font (``scale`` px per mm)."""
    from PIL import ImageFont

    face = ImageFont.truetype(str(DEJAVU / FILES[term.font]), round(term.size * scale))
    left, top, right, bottom = face.getbbox(term.text, anchor="ls")
    return (term.x + left / scale, term.baseline + top / scale,
            term.x + right / scale, term.baseline + bottom / scale)


@needs_fonts
@pytest.mark.parametrize("box", [L.geometry().cloud, L.geometry().cloud_full,
                                 L.Box(10, 10, 42, 36)])
def test_the_word_visual_has_no_overlaps_and_stays_in_its_box(box):
    placed = L.place_terms(TERMS, box)
    assert placed is not None and len(placed) == len(TERMS)
    inks = [_pillow_box(p) for p in placed]
    tolerance = 0.05
    for (x0, y0, x1, y1) in inks:
        assert x0 >= box.x - tolerance and x1 <= box.right + tolerance
        assert y0 >= box.y - tolerance and y1 <= box.bottom + tolerance
    for a, b in combinations(inks, 2):
        apart = (a[2] <= b[0] + tolerance or b[2] <= a[0] + tolerance
                 or a[3] <= b[1] + tolerance or b[3] <= a[1] + tolerance)
        assert apart, (a, b)
    # The module's own (full-height) boxes do not overlap either.
    for a, b in combinations(placed, 2):
        assert not a.box.overlaps(b.box), (a, b)
        assert box.contains(a.box)


def test_the_word_visual_sizes_by_weight_and_centres_the_heaviest():
    box = L.geometry().cloud
    placed = L.place_terms(TERMS, box)
    by_text = {p.text: p for p in placed}
    for a, b in combinations(TERMS, 2):
        if a[1] > b[1]:
            assert by_text[a[0]].size >= by_text[b[0]].size
    heaviest = by_text["wateroverlast"]
    middle = box.y + box.h / 2
    rows = sorted({p.baseline for p in placed}, key=lambda y: abs(y - middle))
    assert heaviest.baseline in rows[:2]  # the middle row (rows above and below differ by one)
    assert heaviest.font == "sans-bold" and by_text["gewassen"].font == "sans"
    assert min(p.size for p in placed) >= L.TERM_MIN


def test_the_word_visual_is_deterministic_and_shrinks_to_fit():
    box = L.Box(0, 0, 42, 36)
    assert L.place_terms(TERMS, box) == L.place_terms(TERMS, box)
    roomy = L.place_terms(TERMS[:3], L.geometry().cloud)
    tight = L.place_terms(TERMS, box)
    assert max(p.size for p in tight) < max(p.size for p in roomy)
    assert L.place_terms([], box) == ()
    assert L.place_terms([("x", 1.0)] * 200, box) is None
    assert L.place_terms([("onmogelijklangwoord" * 3, 1.0)], box) is None


def test_equal_weights_give_equal_sizes():
    placed = L.place_terms([("water", 2.0), ("land", 2.0), ("lucht", 2.0)], L.geometry().cloud)
    assert len({p.size for p in placed}) == 1
