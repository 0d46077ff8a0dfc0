"""The import framework: an importer is a list of column objects that clean and assign, judged row
by row over a table read by ``core.tabular`` (files written with xlsxwriter and as CSV bytes)."""

from __future__ import annotations

import io

import xlsxwriter
from django.utils.translation import gettext

from kexie.core.errors import DomainError
from kexie.core.importers import ImportColumn, Importer, field
from kexie.core.tabular import FORMULA_REASON, read_table

CLEANED: list[str] = []


def clean_age(value) -> int:
    CLEANED.append(str(value))
    if not str(value).isdigit() or not 0 < int(value) < 120:
        raise DomainError(gettext("年龄不在合理范围内。"), field="age")
    return int(value)


def clean_level(value) -> dict[str, str]:
    """One cell, two fields: 高级工程师 → the level and the title's name."""
    text = str(value)
    return {"level": "senior" if text.startswith("高级") else "other", "title": text}


class Tagged(ImportColumn):
    def assign(self, values, cleaned):
        values.setdefault("tags", []).append(cleaned["tag"])


class PeopleImporter(Importer):
    columns = (
        ImportColumn("seq", "序号"),  # recognised, never cleaned
        ImportColumn("name", "姓名", ("名字",), required=True, clean=field("name", str.strip), memo=False),
        ImportColumn("age", "年龄", clean=field("age", clean_age)),
        ImportColumn("level", "职称", clean=clean_level),
        ImportColumn(
            "code", "编号", clean=field("code", str.upper), fast=lambda raw: raw if raw.isdigit() else None
        ),
        Tagged("tag", "标签", clean=field("tag", str)),
    )

    def __init__(self, table):
        super().__init__(table)
        self.taken: list[tuple[int, dict, list]] = []

    def take(self, number, cells, values, errors):
        self.taken.append((number, values, [(e.row, e.column, e.value, e.reason) for e in errors]))


CSV = (
    "某公司名单\r\n"
    "序号,名字,年龄,职称,编号,标签\r\n"
    "1, 张伟 ,45,高级工程师,007,甲\r\n"
    "2,李娜,45,工程师,ab1,乙\r\n"
    ",,,,,\r\n"
    "3,,,,,\r\n"
    "4,王强,200,,,\r\n"
)


def test_columns_clean_and_assign_with_the_files_own_headers():
    CLEANED.clear()
    importer = PeopleImporter(read_table(CSV.encode(), filename="名单.csv", columns=PeopleImporter.columns))
    importer.judge()
    assert [number for number, _values, _errors in importer.taken] == [
        3,
        4,
        7,
    ]  # blank and 序号-only lines skipped
    (_, zhang, no_errors), (_, li, _), (_, wang, refused) = importer.taken
    assert zhang == {
        "name": "张伟",
        "age": 45,
        "level": "senior",
        "title": "高级工程师",
        "code": "007",
        "tags": ["甲"],
    }
    assert no_errors == []
    assert li["code"] == "AB1" and li["level"] == "other" and li["tags"] == ["乙"]
    assert refused == [(7, "年龄", "200", "年龄不在合理范围内。")] and wang == {"name": "王强"}
    assert CLEANED == ["45", "200"]  # each distinct age once: the column is memoised
    assert importer.label("name") == "名字" and importer.label("tag") == "标签"


def test_a_formula_cell_is_refused_and_never_cleaned():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for col, label in enumerate(["姓名", "年龄"]):
        sheet.write_string(0, col, label)
    sheet.write_string(1, 0, "张伟")
    sheet.write_formula(1, 1, "=40+5", None, 45)
    sheet.write_string(2, 0, "李娜")
    sheet.write_number(2, 1, 45)
    book.close()
    CLEANED.clear()
    importer = PeopleImporter(
        read_table(buffer.getvalue(), filename="x.xlsx", columns=PeopleImporter.columns)
    )
    importer.judge()
    (_, zhang, errors), (_, li, no_errors) = importer.taken
    assert errors == [(2, "年龄", "45", str(FORMULA_REASON))] and "age" not in zhang
    assert li["age"] == 45 and no_errors == []
    assert CLEANED == ["45"]  # the formula's cached value was never cleaned


def test_progress_is_reported_every_so_many_rows():
    seen = []

    class Every(PeopleImporter):
        progress_every = 2

    rows = "".join(f"{n},人{n},30,,,\r\n" for n in range(1, 6))
    table = read_table(f"序号,姓名,年龄\r\n{rows}".encode(), filename="a.csv", columns=Every.columns)
    importer = Every(table)
    importer.progress = lambda done, total: seen.append((done, total))
    importer.judge()
    assert seen == [(2, 5), (4, 5)] and len(importer.taken) == 5
