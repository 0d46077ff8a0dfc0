"""The list behind a coverage figure as an xlsx file (``core.exporters``): the enterprises in scope,
covered or not, or the 科协 that cover them; every cell text (credit codes stay text)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kexie.core.exporters import ExportColumn, Exporter

ENTERPRISE_LISTS = ("in_scope", "covered", "uncovered")


class CoverageListExporter(Exporter):
    formats = ("xlsx",)

    def __init__(self, rows, which: str, region, sheet_title: str):
        self.items, self.which, self.region = rows, which, region
        self.sheet_name = sheet_title[:31]

    def filename(self, fmt: str) -> str:
        return f"coverage-{self.region.code if self.region else '100000'}-{self.which}.{fmt}"

    def columns(self) -> list[ExportColumn]:
        if self.which in ENTERPRISE_LISTS:
            titles = [
                _("企业名称"),
                _("统一社会信用代码"),
                _("注册地"),
                _("所有制"),
                _("行业门类"),
                _("企业标签"),
                _("科技工作者"),
            ]
        else:
            titles = [_("名称"), _("类型"), _("所在地区"), _("所在企业"), _("成立日期")]
        return [ExportColumn(str(title), 0) for title in titles]

    def rows(self):
        if self.which in ENTERPRISE_LISTS:
            items = self.items.order_by("name", "pk").select_related("region__parent__parent")
            for e in items.iterator(chunk_size=2000):
                yield [
                    e.name,
                    e.credit_code,
                    e.region.full_name,
                    e.get_ownership_display(),
                    e.industry,
                    "、".join(str(f) for f in e.flags),
                    "" if e.st_workers is None else str(e.st_workers),
                ]
            return
        items = self.items.order_by("name", "pk").select_related("region__parent__parent", "enterprise")
        for a in items.iterator(chunk_size=2000):
            yield [
                a.name,
                str(a.kind_label),
                a.region.full_name,
                a.enterprise.name if a.enterprise_id else "",
                a.founded_on.isoformat() if a.founded_on else "",
            ]
