"""A bouwsteen as an A4 PDF, printed by WeasyPrint from ``templates/export/bouwsteen.html``.

The template is rendered with a plain ``jinja2.Environment`` (autoescaping on), not Flask's:
export knows nothing of the web app. WeasyPrint gets a URL fetcher that refuses every URL,
so a PDF is made from the template alone, never reaches the network or the file system,
and fonts come from the system (DejaVu). The PDF is tagged (structure for screen readers)
and has Dutch as its language.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

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
from noviwerk.synthesis.document import Document

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
        refs=refs, cluster_meta=cluster_meta, item_meta=item_meta, round_title=round_title,
        shows_label=shows_label, single_meta=single_meta, table_columns=table_columns,
    )
    return env


def _finalize(value: object) -> object:
    if isinstance(value, Markup):  # our own stylesheet, passed as trusted
        return value
    return clean(value) if isinstance(value, str) else value


def render_html(document: Document) -> str:
    """The HTML the PDF is printed from (also handy for a print preview)."""
    css = Markup((TEMPLATES / "bouwsteen.css").read_text(encoding="utf-8"))  # noqa: S704
    created = document.head.date.isoformat() if document.head.date else ""
    return _environment().get_template("bouwsteen.html").render(
        document=document, head_rows=head_rows(document.head), css=css, created=created,
    )


def render(document: Document) -> bytes:
    from weasyprint import HTML  # heavy: load only when a PDF is asked for

    html = HTML(string=render_html(document), url_fetcher=deny_all, base_url=None)
    return html.write_pdf(pdf_tags=True, uncompressed_pdf=False)
