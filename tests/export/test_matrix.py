"""The verbindingen matrix as SVG: well-formed, named and described, each cell saying what
the table beside it says, in shades that keep their numbers readable. Pure: no app."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from noviwerk.export import matrix
from noviwerk.export.charts import BACKGROUND
from noviwerk.export.matrix import Matrix

SVG = "{http://www.w3.org/2000/svg}"


def _matrix(**kw) -> Matrix:
    defaults = dict(
        id="verbindingen-test",
        title="Thema's en rode draden",
        description="In hoeveel werkplaatsen per thema.",
        row_header="Thema",
        rows=("Klimaat", "Natuur & <landschap>"),
        columns=("Bodemdaling", "Zonnepanelen op daken van bedrijven en scholen"),
        values=((2, 0), (1, 3)),
        details=(("Water verbindt, Juli", ""), ("Geel", "A, B, C")),
    )
    return Matrix(**(defaults | kw))


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own output)


def test_the_svg_is_an_image_named_by_its_title_and_description():
    root = _parse(matrix.render_svg(_matrix()))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "verbindingen-test-title verbindingen-test-desc"
    assert root.find(f"{SVG}title").text == "Thema's en rode draden"
    assert root.find(f"{SVG}desc").text == "In hoeveel werkplaatsen per thema."
    assert root.get("width") == "100%"
    assert all(e.get("style") is None for e in root.iter())  # the CSP allows no inline styles


def test_every_cell_shows_the_number_of_the_table():
    m = _matrix()
    root = _parse(matrix.render_svg(m))
    cells = {
        (c.get("data-row"), c.get("data-column")): int(c.get("data-value"))
        for c in root.iter(f"{SVG}rect")
        if c.get("class") == "cell"
    }
    table = {(row, m.columns[j]): v for row, values in m.table() for j, v in enumerate(values)}
    assert cells == table == matrix.cell_values(m)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Natuur & <landschap>" in texts  # escaped, and read back as written
    assert sorted(t for t in texts if t.isdigit()) == ["1", "2", "3"]  # an empty cell: no number
    # A long column name is cut in the drawing, whole in the cell's title.
    assert "Zonnepanelen op daken van bedrijven en scholen" not in texts
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert "Natuur & <landschap> \u00d7 Zonnepanelen op daken van bedrijven en scholen: 3 (A, B, C)" in titles


@pytest.mark.parametrize("fill, ink", matrix.SHADES)
def test_every_shade_keeps_its_number_readable(fill, ink):
    assert matrix.contrast_ratio(fill, ink) >= 4.5
    assert matrix.contrast_ratio(matrix.EMPTY_OUTLINE, BACKGROUND) >= 3


def test_more_is_darker():
    shades = [matrix.shade(v, 6)[0] for v in (1, 3, 6)]
    assert shades == [s for s, _ in matrix.SHADES]


def test_values_must_fit_the_rows_and_columns():
    with pytest.raises(ValueError):
        _matrix(values=((1,), (2, 3)))
    with pytest.raises(ValueError):
        _matrix(values=((1, -1), (2, 3)))
