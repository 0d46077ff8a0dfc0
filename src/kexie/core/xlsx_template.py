"""Workbooks to fill in (import templates) that need what the fast writer does not write: drop-down
lists (data validation), formats per column. The one place xlsxwriter is used, always with formulas
and URLs off (a text never becomes a formula or a link). Exports go through ``core.xlsx_fast``."""

from __future__ import annotations

import io
from collections.abc import Callable

import xlsxwriter
from xlsxwriter.workbook import Workbook


def build(fill: Callable[[Workbook], None]) -> bytes:
    """The xlsx that ``fill`` writes into a fresh in-memory workbook."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    fill(book)
    book.close()
    return buffer.getvalue()
