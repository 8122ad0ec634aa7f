"""The colour schemes of an ansichtkaart, after the Rijkshuisstijl palette, and the WCAG
contrast they are checked by."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Layout:
    """A colour scheme, after the Rijkshuisstijl palette, and the side of the image panel.

    Every text colour meets WCAG AA (4.5:1) on what it stands on; a test computes it.
    """

    name: str
    label: str  # as the trekker sees it
    side: str  # where the word visual goes: "right" or "left"
    band: str  # the title band
    on_band: str  # title and date
    background: str  # behind the paragraphs
    text: str  # the paragraphs
    panel: str  # behind the word visual
    term_strong: str  # the heaviest terms
    term: str
    term_soft: str  # the lightest terms
    caption: str  # "Lees de bouwsteen", on the panel

    def contrast_pairs(self) -> tuple[tuple[str, str, str], ...]:
        """(what, foreground, background) for every text on the card."""
        return (
            ("titel en datum", self.on_band, self.band),
            ("alinea's", self.text, self.background),
            ("kernwoorden (zwaarst)", self.term_strong, self.panel),
            ("kernwoorden", self.term, self.panel),
            ("kernwoorden (lichtst)", self.term_soft, self.panel),
            ("onderschrift QR-code", self.caption, self.panel),
        )


LAYOUTS: dict[str, Layout] = {
    layout_.name: layout_
    for layout_ in (
        Layout(
            "rijksblauw",
            "Rijksblauw",
            "right",
            band="#154273",
            on_band="#FFFFFF",
            background="#FFFFFF",
            text="#1A1A1A",
            panel="#E6EEF6",
            term_strong="#154273",
            term="#01689B",
            term_soft="#3D4F63",
            caption="#154273",
        ),
        Layout(
            "groen",
            "Groen",
            "left",
            band="#275937",
            on_band="#FFFFFF",
            background="#FFFFFF",
            text="#1A1A1A",
            panel="#E9F2E4",
            term_strong="#275937",
            term="#2F6B12",
            term_soft="#44523F",
            caption="#275937",
        ),
        Layout(
            "oker",
            "Oker",
            "right",
            band="#FFB612",
            on_band="#1A1A1A",
            background="#FFFFFF",
            text="#1A1A1A",
            panel="#FFF3D6",
            term_strong="#673327",
            term="#8A4100",
            term_soft="#4D4A42",
            caption="#673327",
        ),
        Layout(
            "donker",
            "Donker",
            "right",
            band="#42145F",
            on_band="#FFFFFF",
            background="#FFFFFF",
            text="#1A1A1A",
            panel="#2A0D3D",
            term_strong="#FFFFFF",
            term="#F0C8FF",
            term_soft="#CDB8DC",
            caption="#FFFFFF",
        ),
    )
}
DEFAULT_LAYOUT = "rijksblauw"


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.1 contrast ratio of two ``#RRGGBB`` colours."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


__all__ = ["DEFAULT_LAYOUT", "LAYOUTS", "Layout", "contrast_ratio"]
