"""The gap finder's ranking as an xlsx file (``core.exporters``): every text a text cell (a name such
as ``=cmd`` stays text, never a formula), the rank, S&T workers and score as numbers; the rows are
read in chunks, so a whole province fits."""

from __future__ import annotations

from django.utils.translation import gettext

from kexie.core.exporters import ExportColumn, Exporter
from kexie.enterprises.enums import Ownership

from . import selectors


class GapsExporter(Exporter):
    formats = ("xlsx",)
    numbers = True

    def __init__(self, qs, targets_by_id):
        self.qs = qs
        self.targets_by_id = targets_by_id
        self.sheet_name = gettext("建会缺口")

    def filename(self, fmt: str) -> str:
        return f"gaps.{fmt}"

    def columns(self) -> list[ExportColumn]:
        return [
            ExportColumn(gettext("排名"), 6),
            ExportColumn(gettext("企业名称"), 36),
            ExportColumn(gettext("统一社会信用代码"), 22),
            ExportColumn(gettext("注册地"), 14),
            ExportColumn(gettext("所有制"), 12),
            ExportColumn(gettext("科技工作者"), 10),
            ExportColumn(gettext("得分"), 8),
            ExportColumn(gettext("加分理由"), 60),
            ExportColumn(gettext("已交办"), 8),
        ]

    def rows(self):
        yes, no = gettext("是"), gettext("否")
        texts = selectors.reason_texts()
        ownership = {value: str(label) for value, label in Ownership.choices}
        for n, row in enumerate(self.qs.iterator(chunk_size=2000), start=1):
            yield (
                n,
                row.name,
                row.credit_code,
                row.region.name,
                ownership.get(row.ownership, row.ownership),
                row.st_workers,
                row.score,
                selectors.reason(row, self.targets_by_id, texts),
                yes if row.has_open_task else no,
            )


def gaps_xlsx(qs, targets_by_id, *, region) -> bytes:
    return GapsExporter(qs, targets_by_id).render("xlsx").content
