"""A bouwsteen as an A4 PDF, printed by WeasyPrint from ``templates/export/bouwsteen.html``.

The template is rendered with a plain ``jinja2.Environment`` (autoescaping on), not Flask's:
export knows nothing of the web app. WeasyPrint gets a URL fetcher that refuses every URL,
so a PDF is made from the template alone, never reaches the network or the file system,
and fonts come from the system (DejaVu Sans; the bijlage in DejaVu Sans Condensed where
``fonts-dejavu-extra`` is installed). The PDF is tagged (structure for screen readers) and
has Dutch as its language.

One print of one HTML document, so the pages number themselves through the whole document
("pagina 23 van 71"), the bijlage's too.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC
from functools import lru_cache

from jinja2 import Environment
from markupsafe import Markup

from noviwerk.export.bouwsteen.common import (
    bijlage_anchor,
    cluster_meta,
    hand_mark,
    head_rows,
    item_meta,
    origin_line,
    ref_links,
    refs,
    round_title,
    shows_label,
    single_meta,
    table_columns,
)
from noviwerk.export.printing import TEMPLATES, deny_all, environment
from noviwerk.synthesis.document import Document, Provenance

MIMETYPE = "application/pdf"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = environment()
    env.globals.update(
        refs=refs,
        origin_line=origin_line,
        hand_mark=hand_mark,
        citation_target=citation_target,
        bijlage_anchor=bijlage_anchor,
        cluster_meta=cluster_meta,
        item_meta=item_meta,
        round_title=round_title,
        shows_label=shows_label,
        single_meta=single_meta,
        table_columns=table_columns,
        number_cell=number_cell,
    )
    return env


FIGURE_SPACE = "\u2007"  # as wide as a digit, and no line break


def number_cell(number: int, digits: int) -> Markup:
    """``42.`` padded on the left with figure spaces (U+2007) to ``digits`` digits.

    The bijlage hangs its numbers in a margin of ``digits + 1`` ch (see ``ol.nrN`` in
    bouwsteen.css): in DejaVu Sans a digit and a figure space are 1 ch, the period and the
    space after it half a ch each, so the texts line up. Plain text rather than a styled
    box keeps 2,000 numbered items cheap to lay out.
    """
    text = str(int(number))
    # Markup: digits and figure spaces only, and ``clean`` would fold the figure spaces.
    return Markup(FIGURE_SPACE * max(0, digits - len(text)) + text + ".")  # noqa: S704


def _digits(document: Document) -> int:
    """Digits of the bijlage's widest number; 0 when it lists nothing."""
    return max((len(str(item.number)) for item in document.appendix_items()), default=0)


def citation_target(provenance: Provenance) -> int | None:
    """The bijlage number a citation links to: its first (``[3, 7\u20139]`` goes to 3); none
    when it names no number.

    One link per citation, not one per number as in the docx: at 2,000 contributions the
    PDF had some 1,200 links, each an inline box WeasyPrint lays out, draws and tags, and
    every number an id on its entry. Against the same print unlinked, per number cost 35 %
    more CPU, per citation 4 % (docs/benchmarks.md, Bouwsteen).
    """
    return next((number for _, number in ref_links(provenance) if number is not None), None)


def _cited(document: Document) -> set[int]:
    """The bijlage numbers a link goes to. Only their entries get an id: an element with an
    id gets a computed style of its own (WeasyPrint shares a style only between elements
    with the same declarations), which costs about a millisecond per entry."""
    return {n for p in document.passages() if (n := citation_target(p.provenance)) is not None}


def render_html(document: Document) -> str:
    """The HTML the PDF is printed from (also handy for a print preview)."""
    css = Markup((TEMPLATES / "bouwsteen.css").read_text(encoding="utf-8"))  # noqa: S704
    # When the version was saved, not the werkplaats' date (that is in the kop) and not
    # the clock, so a version prints the same bytes every time; none where unknown.
    made = document.made_at
    created = made.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if made else ""
    return (
        _environment()
        .get_template("bouwsteen.html")
        .render(
            document=document,
            head_rows=head_rows(document.head),
            css=css,
            created=created,
            digits=_digits(document),
            cited=_cited(document),
        )
    )


@contextmanager
def _collect_afterwards() -> Iterator[None]:
    """Hold Python's cyclic garbage collector for the length of one render, then collect once.

    WeasyPrint allocates a few million short-lived objects for a long bouwsteen, so the
    collector runs hundreds of times and a handful of those are full passes over a heap
    that holds the whole laid-out document: at 2,000 contributions about a sixth of the CPU
    time (measured with ``gc.callbacks``). Collecting the young generation once at the end
    frees what the render left in cycles (some 20 MiB more at peak meanwhile). The switch
    is process-wide: it is only switched back on if it was on, so a concurrent render or
    anyone else who turned it off is not overruled for long.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.collect(0)


def render(document: Document) -> bytes:
    """The bouwsteen as one tagged PDF."""
    from weasyprint import HTML  # heavy: load only when a PDF is asked for

    with _collect_afterwards():
        html = HTML(string=render_html(document), url_fetcher=deny_all, base_url=None)
        return html.write_pdf(pdf_tags=True, uncompressed_pdf=False)
