"""The DejaVu font files the exports set the card in, for tests that measure against them."""

from pathlib import Path

import pytest

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
FILES = {"sans": "DejaVuSans.ttf", "sans-bold": "DejaVuSans-Bold.ttf",
         "serif": "DejaVuSerif.ttf", "serif-bold": "DejaVuSerif-Bold.ttf"}
needs_fonts = pytest.mark.skipif(not (DEJAVU / "DejaVuSans.ttf").exists(),
                                 reason="fonts-dejavu-core is not installed")
