"""A person's own data as a workbook (``core.exporters``): the account and the person as
field / value rows, the memberships and the offices as tables; every cell text. Their own data, in
full: the caller is the person and the download is audited."""

from __future__ import annotations

from kexie.core.exporters import Exporter
from kexie.core.xlsx_fast import Sheet


def _text(value) -> str:
    return "" if value is None else str(value)


class MyDataExporter(Exporter):
    formats = ("xlsx",)
    full = True

    def __init__(self, data: dict):
        self.data = data

    def sheets(self) -> list[Sheet]:
        sheets = [
            Sheet(
                part, None, ([key, _text(value)] for key, value in self.data[part].items()), widths=[24, 24]
            )
            for part in ("account", "person")
        ]
        for part in ("memberships", "offices"):
            rows = self.data[part]
            header = list(rows[0]) if rows else None
            sheets.append(Sheet(part, header, ([_text(v) for v in item.values()] for item in rows)))
        return sheets
