"""Importing the member roster (会员汇总表) of a 科协 being founded.

The file is laid out like the paper table: a title row (“XX公司科协会员汇总表”), a header that may be
merged over two rows, the columns 序号, 姓名, 性别, 出生年月, 文化程度, 政治面貌, 职称, 职务, 电话 in any
order and under the names people give them. ``core.tabular`` reads it; ``members.cleaning`` cleans
every row (all of a row's errors at once); the valid rows are written together, in one
transaction, by ``founding.services.import_founding_members`` (editable state, ``founding.edit``,
the application within reach). Rows with an error are reported and left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext

from kexie.accounts.permissions import require
from kexie.core.errors import DomainError
from kexie.core.tabular import CellError, Column, Row, Table, check_size, read_table
from kexie.founding.permissions import get_founding_application_for_user
from kexie.founding.services import import_founding_members

from .cleaning import clean_person, text

# Header texts matched in uploaded files: they stay Chinese whatever the page language.
COLUMNS: tuple[Column, ...] = (
    Column("seq", "序号", ("编号", "序", "No")),
    Column("name", "姓名", ("会员姓名", "名字"), required=True),
    Column("sex", "性别"),
    Column("birth_month", "出生年月", ("出生日期", "出生年月日", "出生时间", "生日")),
    Column("education", "文化程度", ("学历", "最高学历", "学历学位", "学历/学位")),
    Column("political", "政治面貌", ("政治身份",)),
    Column("title", "职称", ("技术职称", "专业技术职称", "职称等级", "职称级别")),
    Column("position", "职务", ("工作单位职务", "行政职务", "职务/岗位", "岗位")),
    Column("phone", "电话", ("手机", "联系电话", "手机号", "手机号码", "联系方式", "电话号码")),
)
IGNORED = frozenset({"seq"})
LABELS = {c.name: c.label for c in COLUMNS}


@dataclass
class RosterImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # (row in the spreadsheet, column as headed in the file, the value, why it was refused)
    errors: list[tuple[int, str, str, str]] = field(default_factory=list)

    @property
    def refused_rows(self) -> int:
        return len({row for row, *_rest in self.errors})


# --- 职称: a level, or a title name the level is read from ------------------------------------------

_SENIOR_NAMES = frozenset({"教授", "研究员", "主任医师", "主任药师", "主任护师", "正高级"})
_JUNIOR_NAMES = frozenset({"医师", "药师", "护师", "医士", "技术员", "员"})


def title_level_of(name: str) -> str:
    """The level (正高/副高/中级/初级) of a professional title as people write it in the roster
    (“高级工程师”, “工程师”, “助理工程师”…), or "" when the name does not tell."""
    if name in _SENIOR_NAMES or name.startswith(("正高", "教授级")):
        return "senior"
    if name.startswith(("副高", "高级", "副")):
        return "associate_senior"
    if name in _JUNIOR_NAMES or (name.startswith(("助理", "初级")) and name != "助理研究员"):
        return "junior"
    if name.startswith("中级") or name == "助理研究员" or name.endswith(("师", "讲师")):
        return "intermediate"
    return ""


def _title(value: Any) -> dict[str, str]:
    """A 职称 cell to ``title_level`` (and ``title_name`` when a title, not a level, was written)."""
    raw = text(value).replace(" ", "")
    _values, errors = clean_person({"title_level": raw}, partial=True)
    if not errors:
        return {"title_level": raw}
    level = title_level_of(raw)
    if level:
        return {"title_level": level, "title_name": raw}
    return {"title_level": raw}  # refused by the cleaner, naming the allowed levels


# --- reading ------------------------------------------------------------------------------------


def _row_values(row: Row) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, value in row.values.items():
        if name in IGNORED:
            continue
        if name == "title":
            data.update(_title(value))
        else:
            data[name] = value
    return data


def _is_blank(row: Row) -> bool:
    """Only 序号 filled (a numbered empty line of the template, or a footnote in that column)."""
    return not (set(row.texts) - IGNORED)


def _column_of(field_name: str) -> str:
    return "title" if field_name in ("title_level", "title_name") else field_name


class _Reader:
    def __init__(self, table: Table):
        self.table = table
        self.errors: list[CellError] = []
        self.people: list[dict[str, Any]] = []
        self._rows_by_key: dict[tuple[str, str], int] = {}

    def label(self, name: str) -> str:
        name = _column_of(name)
        return self.table.label(name, LABELS.get(name, name))

    def read(self) -> None:
        for row in self.table:
            if _is_blank(row):
                continue
            self.errors.extend(row.errors)  # formulas
            formula_columns = {e.column for e in row.errors}
            values, errors = clean_person(_row_values(row))
            cell_errors = [
                CellError(
                    row.number,
                    self.label(e.field or "name"),
                    row.texts.get(_column_of(e.field or ""), ""),
                    e.message,
                )
                for e in errors
                if self.label(e.field or "name") not in formula_columns
            ]
            if not cell_errors and not row.errors:
                key = (values["name"], values.get("phone", ""))
                first = self._rows_by_key.get(key)
                if first is not None:
                    cell_errors.append(
                        CellError(
                            row.number,
                            self.label("name"),
                            row.texts.get("name", ""),
                            gettext("与第%(row)d行是同一人（姓名和电话相同），请只保留一行。")
                            % {"row": first},
                        )
                    )
                else:
                    self._rows_by_key[key] = row.number
            if cell_errors or row.errors:
                self.errors.extend(cell_errors)
                continue
            self.people.append(values)


def import_founding_roster(application_pk, *, by, upload) -> RosterImportResult:
    """Read the uploaded 会员汇总表 and register its valid rows as founding members of the
    application's 科协 (one transaction); report every refused cell. ``TabularError`` (a
    ``DomainError`` on ``file``) when the file as a whole cannot be used."""
    # Who may, and where, before the file is opened; the service checks again under its lock.
    require(by, "founding.edit")
    get_founding_application_for_user(by, application_pk)
    check_size(upload.size or 0)
    data = upload.read(settings.KEXIE_IMPORT_MAX_BYTES + 1)
    table = read_table(data, filename=upload.name or "", columns=COLUMNS)
    reader = _Reader(table)
    reader.read()
    result = RosterImportResult(errors=[(e.row, e.column, e.value, e.reason) for e in reader.errors])
    if not reader.people:
        if not reader.errors:
            raise DomainError(gettext("文件中没有会员数据：表头下面的行都是空的。"), field="file")
        return result
    result.created, result.updated, result.unchanged = import_founding_members(
        application_pk, by=by, people=reader.people
    )
    return result
