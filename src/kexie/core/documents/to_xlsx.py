"""A summary table → Excel laid out like the paper table: a title row, a note row, the header, one
row per item, printed on A4 one page wide with the header on every page. Written by the one xlsx
writer (``core.xlsx_fast``, the paper-form look): every text is a string cell, so a name such as
``=cmd`` (or ``+``, ``-``, ``@``) stays text and is never a formula (CSV/formula injection); phones
keep their leading digits; whole numbers are number cells."""

from __future__ import annotations

from kexie.core.xlsx_fast import Sheet, write_book

# A width of the paper tables (relative, as in the PDF) in Excel's characters.
CHARACTERS_PER_UNIT = 4.2


def render(*, sheet_name: str, title: str, subtitle: str, header, widths, rows) -> bytes:
    sheet = Sheet(
        sheet_name,
        list(header),
        (
            [v if isinstance(v, int) and not isinstance(v, bool) else "" if v is None else str(v) for v in r]
            for r in rows
        ),
        title=title,
        note=subtitle,
        widths=[w * CHARACTERS_PER_UNIT for w in widths],
        freeze=(0, 3),
        numbers=True,
        look="form",
    )
    content, _counts = write_book([sheet])
    return content
