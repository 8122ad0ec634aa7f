"""A bouwsteen as an A4 PDF, printed by WeasyPrint from ``templates/export/bouwsteen.html``.

The template is rendered with a plain ``jinja2.Environment`` (autoescaping on), not Flask's:
export knows nothing of the web app. WeasyPrint gets a URL fetcher that refuses every URL,
so a PDF is made from the template alone, never reaches the network or the file system,
and fonts come from the system (DejaVu Sans; the bijlage in DejaVu Sans Condensed where
``fonts-dejavu-extra`` is installed). The PDF is tagged (structure for screen readers) and
has Dutch as its language.

The bijlage is printed as a part of its own and joined to the rest (``pdf_join``): given a
helper process, the two parts are printed at the same time, which on two cores takes the
time of the longer part (the bijlage, about 60 % of a long bouwsteen) instead of both.
"""

from __future__ import annotations

import gc
import zlib
from collections.abc import Iterator
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from noviwerk.export.bouwsteen_common import (
    clean,
    cluster_meta,
    head_rows,
    item_meta,
    refs,
    round_title,
    shows_label,
    single_meta,
    table_columns,
)
from noviwerk.export.pdf_join import Part, join
from noviwerk.synthesis.document import BIJLAGE, Document

if TYPE_CHECKING:
    import pydyf

MIMETYPE = "application/pdf"
TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "export"


class FetchRefused(ValueError):
    """Raised for every URL: a bouwsteen PDF loads nothing from outside."""


def deny_all(url: str, *args: object, **kwargs: object) -> None:
    raise FetchRefused(f"noviwerk PDF export fetches nothing: {url[:80]}")


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Every text passes ``clean`` on its way into the page: no control or bidi characters.
    env.finalize = _finalize
    env.globals.update(
        refs=refs,
        cluster_meta=cluster_meta,
        item_meta=item_meta,
        round_title=round_title,
        shows_label=shows_label,
        single_meta=single_meta,
        table_columns=table_columns,
        number_cell=number_cell,
    )
    return env


def _finalize(value: object) -> object:
    if isinstance(value, Markup):  # our own stylesheet and bijlage numbers, trusted
        return value
    return clean(value) if isinstance(value, str) else value


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
    return max((len(str(item.number)) for item in document.appendix_items()), default=1)


BODY = "body"
PARTS = (BODY, BIJLAGE)
BIJLAGE_LABEL = "B"  # a viewer shows the bijlage's pages as B1, B2, ...


def parts(document: Document) -> tuple[str, ...]:
    """The parts the PDF is printed in: the body, and the bijlage where there is one."""
    return PARTS if any(s.id == BIJLAGE for s in document.sections) else (BODY,)


def render_html(document: Document, part: str = BODY) -> str:
    """The HTML one part of the PDF is printed from (also handy for a print preview)."""
    if part not in PARTS:
        raise ValueError(f"no such part: {part!r}")
    css = Markup((TEMPLATES / "bouwsteen.css").read_text(encoding="utf-8"))  # noqa: S704
    created = document.head.date.isoformat() if document.head.date else ""
    return (
        _environment()
        .get_template("bouwsteen.html")
        .render(
            document=document,
            head_rows=head_rows(document.head),
            css=css,
            created=created,
            digits=_digits(document),
            part=part,
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


DEFLATE_LEVEL = 6  # zlib's default


def _deflate_streams(_document: object, pdf: pydyf.PDF) -> None:
    """Compress the PDF's streams at zlib level 6 rather than pydyf's 9.

    A WeasyPrint ``finisher``: it runs just before the PDF is written. pydyf (0.13)
    compresses every stream at level 9, which for the 3.4 MB of page content and fonts at
    2,000 contributions took 0.29 s against 0.06 s at level 6; level 9 made the file 3 %
    smaller. Each stream pydyf would compress is compressed here instead and handed back
    as done; a stream with a filter of its own is left alone.
    """
    import pydyf

    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream) and obj.compress and "Filter" not in obj.extra:
            raw = b"\n".join(pydyf._to_bytes(item) for item in obj.stream)  # as pydyf joins
            obj.stream = [zlib.compress(raw, DEFLATE_LEVEL)]
            obj.extra["Filter"] = "/FlateDecode"
            obj.compress = False


def print_html(html: str) -> bytes:
    """One part's HTML as a tagged PDF (in a helper process, too: a plain function of text)."""
    from weasyprint import HTML  # heavy: load only when a PDF is asked for

    with _collect_afterwards():
        return HTML(string=html, url_fetcher=deny_all, base_url=None).write_pdf(
            pdf_tags=True, uncompressed_pdf=False, finisher=_deflate_streams
        )


def warm_up() -> None:
    """Load WeasyPrint, Pango and the fonts once (a helper's first job, before it is needed)."""
    print_html('<html lang="nl"><body><p>noviwerk</p></body></html>')


def render(document: Document, helper: Executor | None = None) -> bytes:
    """The bouwsteen as one PDF. With a ``helper`` (a process pool) the bijlage is printed
    there while this process prints the body; without one, or if the helper has died, both
    here. Either way the same two parts are joined, so the bytes are the same."""
    htmls = [render_html(document, part) for part in parts(document)]
    later = None
    if helper is not None and len(htmls) > 1:
        try:
            later = helper.submit(print_html, htmls[1])
        except (BrokenProcessPool, RuntimeError):  # died, or shut down: print it here
            later = None
    printed = [print_html(htmls[0])]
    if len(htmls) > 1:
        try:
            printed.append(later.result() if later is not None else print_html(htmls[1]))
        except BrokenProcessPool:
            printed.append(print_html(htmls[1]))
    if len(printed) == 1:
        return printed[0]
    return join([Part(printed[0]), Part(printed[1], BIJLAGE_LABEL)])
