"""A summary table → Excel laid out like the paper table: a title row, the header, one row per
person. Every text is written as a string cell, so a name such as ``=cmd`` (or ``+``, ``-``, ``@``)
stays text and is never a formula (CSV/formula injection); phones keep their leading digits."""

from __future__ import annotations

import io

import xlsxwriter

A4 = 9


def render(*, sheet_name: str, title: str, subtitle: str, header, widths, rows) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    base = {"font_name": "宋体", "font_size": 11, "valign": "vcenter"}
    title_format = book.add_format({**base, "bold": True, "font_size": 16, "align": "center"})
    note_format = book.add_format({**base, "align": "left"})
    head_format = book.add_format({**base, "bold": True, "border": 1, "align": "center", "text_wrap": True})
    text_format = book.add_format({**base, "border": 1, "align": "center", "num_format": "@"})
    number_format = book.add_format({**base, "border": 1, "align": "center"})
    sheet = book.add_worksheet(sheet_name)
    last = len(header) - 1
    sheet.merge_range(0, 0, 0, last, title, title_format)
    sheet.set_row(0, 30)
    sheet.merge_range(1, 0, 1, last, subtitle, note_format)
    for col, (label, width) in enumerate(zip(header, widths, strict=True)):
        sheet.write_string(2, col, label, head_format)
        sheet.set_column(col, col, width * 4.2)
    for r, values in enumerate(rows, start=3):
        for col, value in enumerate(values):
            if isinstance(value, int) and not isinstance(value, bool):
                sheet.write_number(r, col, value, number_format)
            else:
                sheet.write_string(r, col, "" if value is None else str(value), text_format)
    sheet.freeze_panes(3, 0)
    sheet.repeat_rows(2)
    sheet.set_paper(A4)
    sheet.fit_to_pages(1, 0)
    sheet.center_horizontally()
    book.close()
    return buffer.getvalue()
