"""The gap finder's ranking as an xlsx file. Every text is written with ``write_string`` (a name
such as ``=cmd`` stays text, never a formula); the file is written row by row (constant memory),
so a whole province fits."""

from __future__ import annotations

import io

import xlsxwriter
from django.utils.translation import gettext

from kexie.enterprises.enums import Ownership

from . import selectors


def gaps_xlsx(qs, targets_by_id, *, region) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {"in_memory": True, "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    sheet = book.add_worksheet(gettext("建会缺口"))
    header = [
        gettext("排名"),
        gettext("企业名称"),
        gettext("统一社会信用代码"),
        gettext("注册地"),
        gettext("所有制"),
        gettext("科技工作者"),
        gettext("得分"),
        gettext("加分理由"),
        gettext("已交办"),
    ]
    widths = [6, 36, 22, 14, 12, 10, 8, 60, 8]
    for col, (label, width) in enumerate(zip(header, widths, strict=True)):
        sheet.write_string(0, col, label, head)
        sheet.set_column(col, col, width)
    yes, no = gettext("是"), gettext("否")
    texts = selectors.reason_texts()
    ownership = {value: str(label) for value, label in Ownership.choices}
    for n, row in enumerate(qs.iterator(chunk_size=2000), start=1):
        sheet.write_number(n, 0, n)
        sheet.write_string(n, 1, row.name)
        sheet.write_string(n, 2, row.credit_code)
        sheet.write_string(n, 3, row.region.name)
        sheet.write_string(n, 4, ownership.get(row.ownership, row.ownership))
        if row.st_workers is not None:
            sheet.write_number(n, 5, row.st_workers)
        sheet.write_number(n, 6, row.score)
        sheet.write_string(n, 7, selectors.reason(row, targets_by_id, texts))
        sheet.write_string(n, 8, yes if row.has_open_task else no)
    book.close()
    return buffer.getvalue()
