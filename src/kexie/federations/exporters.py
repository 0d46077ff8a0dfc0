"""The unit member list as an .xlsx file (``core.exporters``): a title row, the header, one row per
unit; every text is a text cell, so a name such as ``=cmd`` (or ``+``, ``-``, ``@``) stays text and
never becomes a formula; the representative's phone is masked by its column, as on the page."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext

from kexie.core.exporters import ExportColumn, Exporter
from kexie.core.masking import mask_phone

from .enums import DuesStatus
from .models import UnitMember


def _columns(year: int) -> list[ExportColumn]:
    return [
        ExportColumn(gettext("序号"), 6),
        ExportColumn(gettext("单位名称"), 36),
        ExportColumn(gettext("统一社会信用代码"), 22),
        ExportColumn(gettext("入会名义"), 10),
        ExportColumn(gettext("会员层级"), 14),
        ExportColumn(gettext("入会日期"), 12),
        ExportColumn(gettext("状态"), 8),
        ExportColumn(gettext("退会日期"), 12),
        ExportColumn(gettext("单位代表"), 10),
        ExportColumn(gettext("代表职务"), 12),
        ExportColumn(gettext("代表电话"), 14, mask_phone),
        ExportColumn(gettext("%(year)s年应缴会费（元）") % {"year": year}, 16),
        ExportColumn(gettext("%(year)s年缴费状态") % {"year": year}, 12),
    ]


def rows(units: Iterable[UnitMember]) -> Iterable[list]:
    """One row per unit; the representative's phone as stored (the exporter's column masks it)."""
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
            u.representative_phone,
            float(u.dues_amount) if getattr(u, "dues_amount", None) is not None else "",
            DuesStatus(dues_status).label if dues_status else gettext("未生成"),
        ]


class UnitsExporter(Exporter):
    formats = ("xlsx",)
    numbers = True
    freeze = (0, 2)

    def __init__(self, *, title: str, year: int, units: Iterable[UnitMember]):
        self._title, self.year, self.units = title, year, units
        self.sheet_name = gettext("单位会员")

    def title(self) -> str:
        return self._title

    def columns(self) -> list[ExportColumn]:
        return _columns(self.year)

    def rows(self):
        return rows(self.units)


def render(*, title: str, year: int, units: Iterable[UnitMember]) -> bytes:
    return UnitsExporter(title=title, year=year, units=units).render("xlsx").content
