"""The oogst's charts as SVG: well-formed, named and described, the bars saying what the
table says, and colours that meet WCAG AA. Pure: no app."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from noviwerk.export import charts
from noviwerk.export.charts import GROUPED, SINGLE, STACKED, Chart, Series

SVG = "{http://www.w3.org/2000/svg}"


def _chart(layout=STACKED, **kw) -> Chart:
    series = (
        Series("inhoudelijk", (3, 0, 5)),
        Series("strategisch", (1, 2, 0)),
        Series("regionaal (MIRT)", (0, 1, 1)),
    )
    if layout == SINGLE:
        series = series[:1]
    defaults = dict(
        id="grafiek-test",
        title="Werkplaatsen per maand",
        description="Liggende staven, één per maand.",
        category_header="Maand",
        categories=("juni 2015", "juli 2015 & <later>", "augustus 2015"),
        series=series,
        layout=layout,
        total_header="Totaal" if layout == STACKED else "",
    )
    return Chart(**(defaults | kw))


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own output)


@pytest.mark.parametrize("layout", [SINGLE, STACKED, GROUPED])
def test_the_svg_is_well_formed_and_named_by_its_title_and_description(layout):
    chart = _chart(layout)
    root = _parse(charts.render_svg(chart))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "grafiek-test-title grafiek-test-desc"
    assert root.find(f"{SVG}title").text == "Werkplaatsen per maand"
    assert root.find(f"{SVG}title").get("id") == "grafiek-test-title"
    assert root.find(f"{SVG}desc").text == "Liggende staven, één per maand."
    assert root.find(f"{SVG}desc").get("id") == "grafiek-test-desc"
    # Scales to the width it gets: a phone shows it whole.
    assert root.get("width") == "100%" and root.get("viewBox").startswith(f"0 0 {charts.WIDTH} ")
    assert root.get("style") is None  # the page's CSP allows no inline styles
    assert all(e.get("style") is None for e in root.iter())
    # A standalone file is a well-formed XML document too.
    assert _parse(charts.standalone(charts.render_svg(chart)).split("\n", 1)[1]) is not None


@pytest.mark.parametrize("layout", [SINGLE, STACKED, GROUPED])
def test_every_bar_shows_the_number_in_the_table(layout):
    chart = _chart(layout)
    root = _parse(charts.render_svg(chart))
    bars = {
        (b.get("data-category"), b.get("data-series")): int(b.get("data-value"))
        for b in root.iter(f"{SVG}rect")
        if b.get("class") == "bar"
    }
    table = {
        (name, column): value
        for name, values in chart.rows()
        for column, value in zip(chart.columns(), values, strict=True)
        if column != chart.total_header
    }
    assert bars == {k: v for k, v in table.items() if v or layout == GROUPED}
    assert bars == charts.bar_values(chart)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    # The categories are written out (escaped, then read back as they were) ...
    assert "juli 2015 & <later>" in texts
    # ... and every bar (or stack) ends in its number.
    ends = chart.totals() if layout != GROUPED else [v for i in range(3) for v in
                                                     (s.values[i] for s in chart.series)]
    for n in ends:
        assert str(n) in texts


def test_the_table_adds_up_what_the_stack_shows():
    chart = _chart(STACKED)
    assert chart.columns() == ("inhoudelijk", "strategisch", "regionaal (MIRT)", "Totaal")
    assert chart.rows()[0] == ("juni 2015", (3, 1, 0, 4))
    assert chart.totals() == (4, 3, 6)


def test_longer_bars_for_larger_numbers():
    root = _parse(charts.render_svg(_chart(SINGLE)))
    widths = {b.get("data-category"): float(b.get("width")) for b in root.iter(f"{SVG}rect")
              if b.get("class") == "bar"}
    assert widths["augustus 2015"] > widths["juni 2015"]
    assert widths["augustus 2015"] <= charts.WIDTH - 40  # room for its number


def test_series_differ_by_pattern_not_by_colour_alone():
    root = _parse(charts.render_svg(_chart(STACKED)))
    fills = {b.get("data-series"): b.get("fill") for b in root.iter(f"{SVG}rect")
             if b.get("class") == "bar"}
    assert len(set(fills.values())) == 3
    patterns = [p.get("id") for p in root.iter(f"{SVG}pattern")]
    assert len(patterns) == 2  # the first series is solid, the others hatched or dotted
    assert all(f"url(#{p})" in fills.values() for p in patterns)
    # The legend names each series beside its swatch.
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"inhoudelijk", "strategisch", "regionaal (MIRT)"} <= set(texts)


def test_colours_meet_wcag_aa():
    for colour in charts.PALETTE:
        assert charts.contrast_ratio(colour, charts.BACKGROUND) >= 3  # graphics (1.4.11)
        assert charts.contrast_ratio(colour, "#ffffff") >= 4.5  # white numbers on a bar
    assert charts.contrast_ratio(charts.TEXT, charts.BACKGROUND) >= 4.5
    assert charts.contrast_ratio("#000000", "#ffffff") == pytest.approx(21)


def test_an_empty_chart_still_draws():
    chart = _chart(SINGLE, series=(Series("n", (0, 0, 0)),))
    assert chart.is_empty()
    root = _parse(charts.render_svg(chart))
    assert [b for b in root.iter(f"{SVG}rect") if b.get("class") == "bar"] == []
    assert [t.text for t in root.iter(f"{SVG}text")].count("0") == 3


def test_a_chart_without_categories_still_draws():
    chart = _chart(STACKED, categories=(), series=(Series("a", ()), Series("b", ())))
    assert chart.rows() == [] and chart.is_empty()
    assert _parse(charts.render_svg(chart)).find(f"{SVG}title").text == "Werkplaatsen per maand"


def test_a_chart_refuses_numbers_that_do_not_fit():
    with pytest.raises(ValueError):
        _chart(SINGLE, series=(Series("n", (1, 2)),))
    with pytest.raises(ValueError):
        _chart(SINGLE, series=(Series("n", (1, -2, 3)),))
    with pytest.raises(ValueError):
        _chart("pie")


def test_unique_ids_per_chart_so_two_fit_in_one_page():
    a = charts.render_svg(_chart(STACKED, id="a"))
    b = charts.render_svg(_chart(STACKED, id="b"))
    ids_a = {e.get("id") for e in _parse(a).iter() if e.get("id")}
    ids_b = {e.get("id") for e in _parse(b).iter() if e.get("id")}
    assert ids_a and not ids_a & ids_b


def test_largest_names_the_first_of_equals():
    assert charts.largest(["a", "b", "c"], [1, 3, 3]) == ("b", 3)
    assert charts.largest(["a"], [0]) is None
