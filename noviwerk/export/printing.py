"""What the bouwsteen's and the ansichtkaart's PDFs share: their templates, a plain Jinja2
environment (not Flask's: export knows nothing of the web app) in which every text passes
``clean``, and a URL fetcher that refuses everything, so WeasyPrint prints from the
template alone and never reaches the network or the file system."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from noviwerk.export.bouwsteen.common import clean

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "export"


class FetchRefused(ValueError):
    """Raised for every URL: a PDF loads nothing from outside."""


def deny_all(url: str, *args: object, **kwargs: object) -> None:
    raise FetchRefused(f"noviwerk PDF export fetches nothing: {url[:80]}")


def _finalize(value: object) -> object:
    if isinstance(value, Markup):  # our own stylesheets and numbers, trusted
        return value
    return clean(value) if isinstance(value, str) else value


def environment() -> Environment:
    """A new environment over ``templates/export``; autoescaped, strict, and every text
    cleaned of control and bidi characters on its way into the page."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.finalize = _finalize
    return env
