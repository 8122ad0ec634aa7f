"""A bouwsteen as an A4 PDF, printed by WeasyPrint from ``templates/export/bouwsteen.html``.

The template is rendered with a plain ``jinja2.Environment`` (autoescaping on), not Flask's:
export knows nothing of the web app. WeasyPrint gets a URL fetcher that refuses every URL,
so a PDF is made from the template alone, never reaches the network or the file system,
and fonts come from the system (DejaVu Sans; the bijlage in DejaVu Sans Condensed where
``fonts-dejavu-extra`` is installed). The PDF is tagged (structure for screen readers) and
has Dutch as its language.

The bijlage is printed in pieces of its own and joined to the rest (``pdf_join``): given a
helper process, one piece is printed there while this process prints the text and the
other, which on two cores takes about half the time of printing it all in one process.
"""

from __future__ import annotations

import gc
import zlib
from collections.abc import Iterator
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from noviwerk.export.bouwsteen.common import (
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
from noviwerk.synthesis.document import BIJLAGE, AppendixRound, Document, Section

if TYPE_CHECKING:
    import pydyf

MIMETYPE = "application/pdf"
TEMPLATES = Path(__file__).resolve().parents[3] / "templates" / "export"


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


@dataclass(frozen=True)
class Piece:
    """One of the HTML documents a bouwsteen PDF is printed from, and joined in order."""

    bijlage: bool = False
    rounds: tuple[int, ...] = ()  # the bijlage's rounds in it, by their place in the bijlage
    opens: bool = False  # has the bijlage's heading and introduction


BODY = Piece()
BIJLAGE_LABEL = "B"  # a viewer shows the bijlage's pages as B1, B2, ...
# From the benchmark at 2,000 contributions: a character of the body's HTML costs WeasyPrint
# about 1.4 times one of a bijlage item's text, and the side that prints the body also
# joins the pieces at the end; 1.6 counts both.
BODY_WEIGHT = 1.6


def _rounds(section: Section) -> list[AppendixRound]:
    return [b for b in section.blocks if isinstance(b, AppendixRound)]


def _round_cost(block: AppendixRound) -> int:
    return sum(len(item.text) + len(item_meta(item)) + 8 for item in block.items)


def plan(document: Document, body_html: str) -> list[Piece]:
    """The pieces to print: the body, then the bijlage in at most two pieces of whole rounds.

    The first bijlage piece goes to the helper, the body and the second piece are printed
    here one after the other; the cut is where the two sides come out nearest in cost
    (characters, the body's weighted). Where the body costs as much as the whole bijlage
    (up to several hundred contributions) the bijlage stays one piece, and its rounds
    follow each other on the page; a second piece starts its round on a new page.
    """
    section = document.section(BIJLAGE)
    if section is None:
        return [BODY]
    rounds = _rounds(section)
    if len(rounds) < 2:
        return [BODY, Piece(bijlage=True, rounds=tuple(range(len(rounds))), opens=True)]
    costs = [_round_cost(block) for block in rounds]
    body = BODY_WEIGHT * len(body_html)
    cut = min(range(1, len(rounds) + 1),
              key=lambda k: max(sum(costs[:k]), body + sum(costs[k:])))
    pieces = [BODY, Piece(bijlage=True, rounds=tuple(range(cut)), opens=True)]
    if cut < len(rounds):
        pieces.append(Piece(bijlage=True, rounds=tuple(range(cut, len(rounds)))))
    return pieces


def render_html(document: Document, piece: Piece = BODY) -> str:
    """The HTML one piece of the PDF is printed from (also handy for a print preview)."""
    section = document.section(BIJLAGE)
    rounds = _rounds(section) if section is not None else []
    members = [rounds[i] for i in piece.rounds]

    def shown(block: object) -> bool:
        """Whether ``block``, of a section being printed, belongs in this piece."""
        if not piece.bijlage:
            return True
        if isinstance(block, AppendixRound):
            return any(block is member for member in members)
        return piece.opens

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
            piece=piece,
            shown=shown,
            has_rounds=bool(rounds),
        )
    )


def piece_htmls(document: Document) -> list[str]:
    """The HTML of every piece of the PDF (``plan``), in the order they are joined."""
    body_html = render_html(document, BODY)
    return [body_html, *(render_html(document, piece) for piece in plan(document, body_html)[1:])]


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
    """The bouwsteen as one PDF. With a ``helper`` (a process pool) the first bijlage piece
    is printed there while this process prints the body and the rest (``plan``); without
    one, or if the helper has died, all here. Either way the same pieces are joined, so the
    bytes are the same."""
    htmls = piece_htmls(document)
    if len(htmls) == 1:
        return print_html(htmls[0])
    handed = _hand_over(helper, htmls[1])
    body = print_html(htmls[0])
    rest = [print_html(html) for html in htmls[2:]]
    return join_pieces([body, _taken_back(handed, htmls[1]), *rest])


def join_pieces(printed: list[bytes]) -> bytes:
    """The printed pieces as one PDF, the bijlage's pages labelled B1, B2, ... across its
    pieces."""
    if len(printed) == 1:
        return printed[0]
    labels = ["", BIJLAGE_LABEL, *([None] * (len(printed) - 2))]
    return join([Part(pdf, label) for pdf, label in zip(printed, labels, strict=True)])


def _hand_over(helper: Executor | None, html: str) -> Future | None:
    if helper is None:
        return None
    try:
        return helper.submit(print_html, html)
    except (BrokenProcessPool, RuntimeError):  # died, or shut down: printed here instead
        return None


def _taken_back(handed: Future | None, html: str) -> bytes:
    if handed is not None:
        try:
            return handed.result()
        except BrokenProcessPool:  # died while printing it
            pass
    return print_html(html)
