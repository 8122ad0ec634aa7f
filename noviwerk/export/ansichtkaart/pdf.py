"""Ansichtkaarten as PDF, printed by WeasyPrint from ``templates/export/ansichtkaart.html``.

- ``render(content)``: one page of exactly 148 × 105 mm (A6 landscape);
  ``render(content, bleed=True)``: the same card on a 154 × 111 mm sheet for a print shop, the
  colour areas running 3 mm past the trim, with crop marks (the TrimBox is the card);
- ``print_sheet(contents)``: four cards to an A4 landscape page (A6 is a quarter of A4), as many
  pages as needed, to cut at home or at the office;
- ``gallery_pdf(contents)``: one card per page, for a whole programme.

Every position comes from ``ansichtkaart_scene`` (the SVG's too), so the PDF sets the same
lines in the same places. As for the bouwsteen: a plain Jinja2 environment with autoescape,
a URL fetcher that refuses everything, DejaVu from the system (embedded in the PDF), tagged,
Dutch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from jinja2 import Environment
from markupsafe import Markup

from noviwerk.export.ansichtkaart.scene import Scene, build
from noviwerk.export.printing import TEMPLATES, FetchRefused, deny_all, environment
from noviwerk.synthesis.ansichtkaart import AnsichtkaartContent, alt_text
from noviwerk.synthesis.ansichtkaart import layout as L

MIMETYPE = "application/pdf"
A4_LANDSCAPE = (297.0, 210.0)
SHEET_SLOTS = 4


@dataclass(frozen=True)
class _Placed:
    scene: Scene
    x: float
    y: float


MARK_GAP = 0.6  # mm between a crop mark and the card's corner
MARK_WIDTH = 0.1  # mm: a hairline


def crop_marks(bleed: float) -> list[tuple[float, float, float, float]]:
    """(x, y, w, h) of the eight crop marks, in the bleed, on the trim lines' extensions.

    WeasyPrint's own ``marks: crop`` lie under the colour that runs into the bleed; these
    are drawn on top, so the cut lines show on every layout.
    """
    if not bleed:
        return []
    length = bleed - MARK_GAP
    half = MARK_WIDTH / 2
    out = []
    for cx in (0.0, L.WIDTH_MM):
        for cy in (0.0, L.HEIGHT_MM):
            hx = -bleed if cx == 0 else cx + MARK_GAP
            vy = -bleed if cy == 0 else cy + MARK_GAP
            out.append((hx, cy - half, length, MARK_WIDTH))
            out.append((cx - half, vy, MARK_WIDTH, length))
    return out


def _mm(value: float) -> str:
    return f"{value:.3f}mm"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = environment()
    env.filters["mm"] = _mm
    return env


def render_html(
    contents: Sequence[AnsichtkaartContent],
    *,
    mode: str = "single",
    bleed: bool = False,
    title: str | None = None,
) -> str:
    """The HTML a PDF is printed from: ``mode`` is "single", "gallery" or "sheet"."""
    scenes = [build(content) for content in contents]
    if mode == "sheet":
        page_w, page_h = A4_LANDSCAPE
        left = (page_w - 2 * L.WIDTH_MM) / 2
        top = (page_h - 2 * L.HEIGHT_MM) / 2
        pages = [
            [
                _Placed(s, left + (i % 2) * L.WIDTH_MM, top + (i // 2) * L.HEIGHT_MM)
                for i, s in enumerate(scenes[n : n + SHEET_SLOTS])
            ]
            for n in range(0, len(scenes), SHEET_SLOTS)
        ]
    elif mode in ("single", "gallery"):
        page_w, page_h = L.WIDTH_MM, L.HEIGHT_MM
        pages = [[_Placed(s, 0.0, 0.0)] for s in scenes]
    else:
        raise ValueError(f"unknown mode: {mode!r}")
    css = Markup((TEMPLATES / "ansichtkaart.css").read_text(encoding="utf-8"))  # noqa: S704
    first = contents[0] if contents else None
    return (
        _environment()
        .get_template("ansichtkaart.html")
        .render(
            pages=pages,
            page_w=page_w,
            page_h=page_h,
            bleed=L.BLEED if bleed else 0.0,
            marks=crop_marks(L.BLEED if bleed else 0.0),
            css=css,
            line_factor=L.ASCENT + L.DESCENT,
            title=title or (first.title if first and len(contents) == 1 else "Ansichtkaarten"),
            description=alt_text(first) if first and len(contents) == 1 else "",
            keywords=", ".join(t.text for c in contents[:1] for t in c.terms),
        )
    )


def _pdf(html: str) -> bytes:
    from weasyprint import HTML  # heavy: load only when a PDF is asked for

    return HTML(string=html, url_fetcher=deny_all, base_url=None).write_pdf(pdf_tags=True)


def render(content: AnsichtkaartContent, *, bleed: bool = False) -> bytes:
    """One card on one page: 148 × 105 mm, or 154 × 111 mm with bleed and crop marks."""
    return _pdf(render_html([content], bleed=bleed))


def print_sheet(contents: Sequence[AnsichtkaartContent]) -> bytes:
    """Four cards to an A4 landscape page (2 × 2), in order; more cards, more pages."""
    if not contents:
        raise ValueError("print_sheet needs at least one card")
    return _pdf(render_html(contents, mode="sheet"))


def gallery_pdf(contents: Sequence[AnsichtkaartContent], *, title: str | None = None) -> bytes:
    """Every card on its own A6 page, in order: the cards of a whole programme."""
    if not contents:
        raise ValueError("gallery_pdf needs at least one card")
    return _pdf(render_html(contents, mode="gallery", title=title))


__all__ = [
    "MIMETYPE",
    "FetchRefused",
    "deny_all",
    "gallery_pdf",
    "print_sheet",
    "render",
    "render_html",
]
