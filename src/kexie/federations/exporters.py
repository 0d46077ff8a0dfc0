"""The unit member list as an .xlsx file. Every text cell is written with ``write_string``, so a
name such as ``=cmd`` (or ``+``, ``-``, ``@``) stays text and never becomes a formula; phones are
masked as on the page."""

from __future__ import annotations

import io
from collections.abc import Iterable

import xlsxwriter
from django.utils.translation import gettext

from kexie.core.masking import mask_phone

from .enums import DuesStatus
from .models import UnitMember


def header(year: int) -> list[str]:
    return [
        gettext("序号"),
        gettext("单位名称"),
        gettext("统一社会信用代码"),
        gettext("入会名义"),
        gettext("会员层级"),
        gettext("入会日期"),
        gettext("状态"),
        gettext("退会日期"),
        gettext("单位代表"),
        gettext("代表职务"),
        gettext("代表电话"),
        gettext("%(year)s年应缴会费（元）") % {"year": year},
        gettext("%(year)s年缴费状态") % {"year": year},
    ]


def rows(units: Iterable[UnitMember]) -> Iterable[list]:
    for n, u in enumerate(units, start=1):
        enterprise = u.enterprise or (u.member_association.enterprise if u.member_association else None)
        dues_status = getattr(u, "dues_status", None)
        yield [
            n,
            u.unit_name,
            enterprise.credit_code if enterprise else "",
            gettext("企业") if u.enterprise_id else gettext("科协"),
            u.get_tier_display(),
            u.joined_on.isoformat(),
            u.get_status_display(),
            u.withdrawn_on.isoformat() if u.withdrawn_on else "",
            u.representative_name,
            u.representative_position,
            mask_phone(u.representative_phone),
            float(u.dues_amount) if getattr(u, "dues_amount", None) is not None else "",
            DuesStatus(dues_status).label if dues_status else gettext("未生成"),
        ]


def render(*, title: str, year: int, units: Iterable[UnitMember]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    head = book.add_format({"bold": True, "border": 1, "text_wrap": True, "valign": "vcenter"})
    text = book.add_format({"border": 1, "num_format": "@"})
    number = book.add_format({"border": 1})
    sheet = book.add_worksheet(gettext("单位会员"))
    sheet.write_string(0, 0, title, book.add_format({"bold": True, "font_size": 14}))
    for col, label in enumerate(header(year)):
        sheet.write_string(1, col, label, head)
    for r, values in enumerate(rows(units), start=2):
        for col, value in enumerate(values):
            if isinstance(value, int | float) and not isinstance(value, bool):
                sheet.write_number(r, col, value, number)
            else:
                sheet.write_string(r, col, str(value), text)
    for col, width in enumerate((6, 36, 22, 10, 14, 12, 8, 12, 10, 12, 14, 16, 12)):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(2, 0)
    book.close()
    return buffer.getvalue()
