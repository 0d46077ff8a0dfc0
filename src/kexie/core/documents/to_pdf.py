"""Blocks → HTML (``core/documents/document.html``) → PDF with WeasyPrint: A4, the CJK font
installed on the server (WenQuanYi Micro Hei), nothing fetched from anywhere."""

from __future__ import annotations

from pathlib import Path

import weasyprint
from django.template.loader import render_to_string

from .blocks import Block, Table

try:
    from weasyprint.urls import URLFetcher
except ImportError:  # WeasyPrint < 68 takes a plain function as its fetcher
    URLFetcher = None

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "core" / "documents"


class NoFetching(ValueError):
    pass


def refuse(url: str, *args, **kwargs):
    """What the URL fetcher does with every URL: the documents need nothing outside themselves,
    so nothing is fetched (no network, no local file)."""
    raise NoFetching(f"not fetched: {url}")


if URLFetcher is not None:

    class Refusing(URLFetcher):
        def fetch(self, url, headers=None):
            return refuse(url)

    def _fetcher():
        return Refusing()

else:  # pragma: no cover - older WeasyPrint

    def _fetcher():
        return lambda url, *args, **kwargs: refuse(url)


def _columns(table: Table) -> list[str]:
    total = sum(table.widths)
    return [f"{100 * w / total:.2f}%" for w in table.widths]


def html(blocks: list[Block], *, title: str) -> str:
    items = [{"block": b, "columns": _columns(b) if isinstance(b, Table) else None} for b in blocks]
    return render_to_string("core/documents/document.html", {"title": title, "items": items})


def from_html(source: str) -> bytes:
    """Relative URLs resolve against the templates folder, and every URL meets ``refuse``."""
    return weasyprint.HTML(string=source, base_url=str(TEMPLATES), url_fetcher=_fetcher()).write_pdf()


def render(blocks: list[Block], *, title: str) -> bytes:
    return from_html(html(blocks, title=title))
