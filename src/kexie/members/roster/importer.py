"""The 会员汇总表 importer: one for the roster of an association and for the founding members of a
科协 being founded (``founding.services.import_founding_roster``), read → judge (the preview) →
commit, at scale.

The file is laid out like the paper table (title rows, a header merged over two rows, the columns in
any order under their usual names); ``core.tabular`` reads it and the importer's columns
(``core.importers.ImportColumn``) clean every cell with ``members.cleaning``. Cleaning is memoised
per column and value: a roster of 100,000 people holds few distinct sexes, education levels or birth
months, so each is cleaned once; plain names, phones, ID numbers and e-mails take checked fast paths.

Matching (idempotent re-imports), kept simple on purpose: a row is the same person as someone who
already holds a live membership (筹备登记/申请中/正式会员) in *this* association when the ID numbers'
keyed digests are equal, or else when name and phone are equal. Nobody outside the association is
matched or touched: an importer can neither see nor change another 科协's people. A matched person
is updated with the row's non-empty cells (an empty cell never clears stored data) and keeps their
membership as it is; anyone else becomes a new person with an approved membership joined on
入会日期 (or today) — for a 科协 being founded, a founding membership (筹备登记), and the file has
only the paper table's columns (``PAPER_COLUMNS``).

Writing is ``roster.writing``: every valid row in one transaction, the new people while the file is
still being judged; a refused row is reported with every bad cell (row, column as headed in the
file, value, reason) and left out. See docs/decisions/0004-roster-import-writes-while-judging.md.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from kexie.core import crypto
from kexie.core.errors import DomainError
from kexie.core.importers import Fields, ImportColumn, Importer
from kexie.core.importers import field as sets
from kexie.core.masking import mask_id_number, mask_phone
from kexie.core.tabular import CellError, Table, display, read_table

from ..cleaning import FAST_PATHS, PERSON_FIELDS, clean_person, text
from ..enums import MembershipStatus
from ..models import Person

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


_JOINED = re.compile(r"^(\d{4})[.\-/年](\d{1,2})(?:[.\-/月](\d{1,2})日?)?月?$|^(\d{4})(\d{2})(\d{2})$")


def clean_joined_on(value: Any) -> datetime.date | None:
    """入会日期: a date cell, 2020-05-01, 2020.5.1, 2020年5月1日, 20200501 or a month (its first day)."""
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    else:
        raw = text(value).replace(" ", "")
        if not raw:
            return None
        match = _JOINED.match(raw)
        try:
            if match is None:
                raise ValueError(raw)
            parts = [g for g in match.groups() if g is not None]
            day = datetime.date(int(parts[0]), int(parts[1]), int(parts[2]) if len(parts) > 2 else 1)
        except ValueError as exc:
            raise DomainError(
                gettext("入会日期“%(value)s”无法识别，请写成 2020-05-01。") % {"value": raw},
                field="joined_on",
            ) from exc
    if day > timezone.localdate():
        raise DomainError(
            gettext("入会日期“%(value)s”晚于今天，请检查是否填错。") % {"value": day.isoformat()},
            field="joined_on",
        )
    return day


def _clean_title(value: Any) -> Fields:
    """职称: a level, or a title name its level is read from (then both are kept)."""
    return {name: PERSON_FIELDS[name](v) for name, v in _title(value).items()}


# A phone as the masked export writes it (138****0001): matched against the stored phone's mask,
# never stored, so the paper export can be imported back without changing anything.
MASKED_PHONE = re.compile(r"^\d{3}\*{4}\d{4}$")


def _clean_phone(value: Any) -> Fields:
    if isinstance(value, str) and MASKED_PHONE.match(value):
        return {"_phone_mask": value}
    return {"phone": PERSON_FIELDS["phone"](value)}


def _column(name: str, label: str, aliases: tuple[str, ...] = (), **options) -> ImportColumn:
    """A column setting the person's field of its name, through its cleaner and fast path; a column
    of nearly unique values is not memoised."""
    return ImportColumn(
        name,
        label,
        aliases,
        clean=options.pop("clean", None) or sets(name, PERSON_FIELDS[name]),
        fast=FAST_PATHS.get(name),
        memo=name not in _UNIQUE_FIELDS,
        **options,
    )


# Fields not worth memoising: nearly every value is different.
_UNIQUE_FIELDS = frozenset({"name", "phone", "id_number", "email", "achievements"})

# Header texts matched in uploaded files: they stay Chinese whatever the page language.
# The paper table's columns (the 会员汇总表 of a founding has these only) …
PAPER_COLUMNS: tuple[ImportColumn, ...] = (
    ImportColumn("seq", "序号", ("编号", "序", "No")),
    _column("name", "姓名", ("会员姓名", "名字"), required=True),
    _column("sex", "性别"),
    _column("birth_month", "出生年月", ("出生日期", "出生年月日", "出生时间", "生日")),
    _column("education", "文化程度", ("学历", "最高学历", "学历学位", "学历/学位")),
    _column("political", "政治面貌", ("政治身份",)),
    ImportColumn("title", "职称", ("技术职称", "专业技术职称", "职称等级", "职称级别"), clean=_clean_title),
    _column("position", "职务", ("工作单位职务", "行政职务", "职务/岗位", "岗位")),
    _column(
        "phone",
        "电话",
        ("手机", "联系电话", "手机号", "手机号码", "联系方式", "电话号码"),
        clean=_clean_phone,
    ),
)
# … and an association's roster these too.
COLUMNS: tuple[ImportColumn, ...] = (
    *PAPER_COLUMNS,
    _column("ethnicity", "民族"),
    _column("id_number", "身份证号", ("身份证号码", "身份证", "公民身份号码", "证件号码")),
    _column("degree", "学位", ("最高学位",)),
    _column("school", "毕业院校", ("毕业学校", "院校")),
    _column("major", "专业", ("所学专业",)),
    _column("title_series", "职称系列", ("专业技术职务系列",)),
    _column("department", "部门", ("所在部门", "工作部门")),
    _column("specialty", "专业特长", ("特长",)),
    _column("achievements", "主要科技成果", ("科技成果",)),
    _column("societies", "已加入的学会", ("所在学会", "学会会员")),
    _column("email", "电子邮箱", ("邮箱", "Email", "E-mail", "电子邮件")),
    ImportColumn("joined_on", "入会日期", ("入会时间",), clean=lambda v: {"joined_on": clean_joined_on(v)}),
)
LABELS = {c.name: c.label for c in COLUMNS}
# The person's fields an import may set (in this order in audit entries and exports).
FIELDS = (
    "name",
    "sex",
    "birth_month",
    "education",
    "political",
    "title_level",
    "title_name",
    "position",
    "phone",
    "id_number",
    "ethnicity",
    "degree",
    "school",
    "major",
    "title_series",
    "department",
    "specialty",
    "achievements",
    "societies",
    "email",
)
STORED = tuple(f for f in FIELDS if f != "id_number")
LIVE = (MembershipStatus.FOUNDING, MembershipStatus.APPLIED, MembershipStatus.APPROVED)
BATCH = 5000
SAMPLE = 20


@dataclass
class RosterPlan:
    """What an import would do (preview) or did (commit)."""

    total_rows: int = 0
    creates: list[dict[str, Any]] = field(default_factory=list)
    # (person id, the values to set, {field: [before, after]} with personal data masked)
    updates: list[tuple[int, dict[str, Any], dict[str, list[Any]]]] = field(default_factory=list)
    unchanged: int = 0
    errors: list[CellError] = field(default_factory=list)
    sample_rows: list[dict[str, Any]] = field(default_factory=list)
    written: bool = False

    @property
    def refused(self) -> int:
        return len({e.row for e in self.errors})

    @property
    def counts(self) -> dict[str, int]:
        return {
            "to_create": len(self.creates),
            "to_update": len(self.updates),
            "unchanged": self.unchanged,
            "refused": self.refused,
        }

    def error_dicts(self) -> list[dict[str, Any]]:
        return [e.as_dict() for e in self.errors]

    def summary_lines(self) -> list[str]:
        """The counts as the command line prints them: stable, one per line (see ``import_roster``)."""
        c = self.counts
        return [
            f"新增 {c['to_create']}",
            f"更新 {c['to_update']}",
            f"无变化 {c['unchanged']}",
            f"拒绝 {c['refused']}",
        ]


@dataclass
class RosterImportResult:
    """What a founding import did (the founding page shows it)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # (row in the spreadsheet, column as headed in the file, the value, why it was refused)
    errors: list[tuple[int, str, str, str]] = field(default_factory=list)

    @property
    def refused_rows(self) -> int:
        return len({row for row, *_rest in self.errors})

    @classmethod
    def of(cls, plan: RosterPlan) -> RosterImportResult:
        errors = [(e.row, e.column, e.value, e.reason) for e in plan.errors]
        if not plan.written:
            return cls(errors=errors)
        return cls(len(plan.creates), len(plan.updates), plan.unchanged, errors)


# --- reading and judging ----------------------------------------------------------------------------


def read_roster(data: bytes, *, filename: str, founding: bool = False) -> Table:
    if founding:
        return read_table(data, filename=filename, columns=PAPER_COLUMNS)
    return read_table(data, filename=filename, columns=COLUMNS, max_rows=settings.KEXIE_ROSTER_MAX_ROWS)


def _existing(association) -> tuple[dict[str, int], dict[tuple[str, str], int], dict[int, dict[str, Any]]]:
    """The association's people: by ID digest, by (name, phone) and (name, masked phone), and their
    stored values (one query)."""
    people = Person.objects.filter(
        memberships__association=association, memberships__status__in=LIVE
    ).values_list("pk", "id_digest", "id_masked", *STORED)
    by_digest: dict[str, int] = {}
    by_name_phone: dict[tuple[str, str], int] = {}
    stored: dict[int, dict[str, Any]] = {}
    for pk, digest, masked, *values in people:
        record = dict(zip(STORED, values, strict=True))
        record["id_digest"], record["id_masked"] = digest, masked
        stored[pk] = record
        if digest:
            by_digest.setdefault(digest, pk)
        by_name_phone.setdefault((record["name"], record["phone"]), pk)
        if record["phone"]:
            by_name_phone.setdefault((record["name"], mask_phone(record["phone"])), pk)
    return by_digest, by_name_phone, stored


def _shown(name: str, value: Any) -> Any:
    if name == "phone":
        return mask_phone(value)
    if name == "id_number":
        return mask_id_number(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


class RosterImporter(Importer):
    """Judges a 会员汇总表 for an association: each filled row creates a person, updates one, changes
    nothing, or is refused. ``sink``, when given, receives the people to create in batches as soon
    as they are judged (a commit writes them meanwhile)."""

    columns = COLUMNS

    def __init__(
        self,
        table: Table,
        association,
        progress: Callable[[int, int], None] | None = None,
        sink: Callable[[list[dict[str, Any]], int], None] | None = None,
        *,
        founding: bool = False,
    ):
        if founding:
            self.columns = PAPER_COLUMNS
        super().__init__(table, progress)
        self.progress_every = BATCH
        self.association = association
        self.sink = sink
        self.sent = 0
        self.plan = RosterPlan()
        self.by_digest, self.by_name_phone, self.stored = _existing(association)
        self.seen_digest: dict[str, int] = {}
        self.seen_key: dict[tuple[str, str], int] = {}
        self.seen_person: dict[int, int] = {}
        self._digest = crypto.digester()
        self._same = (
            gettext("与第%(row)d行是同一人（姓名和电话相同），请只保留一行。")
            if founding
            else gettext("与第%(row)d行是同一人（身份证号相同，或姓名和电话相同），请只保留一行。")
        )

    def label(self, name: str) -> str:
        return super().label("title" if name in ("title_level", "title_name") else name)

    def run(self) -> RosterPlan:
        self.judge()
        if self.sink is not None and len(self.plan.creates) > self.sent:
            self.send(0)
        return self.plan

    def take(self, number: int, cells: list[Any], values: dict[str, Any], errors: list[CellError]) -> None:
        self.plan.total_rows += 1
        if "name" not in values and not any(e.column == self.label("name") for e in errors):
            errors.append(CellError(number, self.label("name"), "", gettext("姓名不能为空。")))
        if errors:
            self.plan.errors.extend(errors)
            return
        self.place(number, cells, values)
        # The first batch is small, so that PostgreSQL starts early.
        if self.sink is not None and len(self.plan.creates) - self.sent >= (
            BATCH if self.sent else BATCH // 5
        ):
            self.send(self.table.data_rows - number + self.table.header_row)

    def send(self, left: int) -> None:
        """Hand the people to create judged since the last batch to the writer (``left``: the rows
        not judged yet, at most as many people more)."""
        creates = self.plan.creates
        self.sink(creates[self.sent :], left)
        self.sent = len(creates)

    def _duplicate(self, number: int, cells: list[Any], first: int) -> None:
        self.plan.errors.append(
            CellError(
                number,
                self.label("name"),
                display(cells[self.table.positions["name"]]),
                self._same % {"row": first},
            )
        )

    def place(self, number: int, cells: list[Any], values: dict[str, Any]) -> None:
        digest = self._digest(values["id_number"]) if values.get("id_number") else ""
        key = (values["name"], values.get("phone") or values.get("_phone_mask", ""))
        first = (self.seen_digest.get(digest) if digest else None) or self.seen_key.get(key)
        if first is not None:
            return self._duplicate(number, cells, first)
        pk = (self.by_digest.get(digest) if digest else None) or self.by_name_phone.get(key)
        if pk is not None and pk in self.seen_person:
            return self._duplicate(number, cells, self.seen_person[pk])
        if digest:
            self.seen_digest[digest] = number
        self.seen_key[key] = number
        values["_row"] = number
        values["_digest"] = digest
        if pk is None:
            self.plan.creates.append(values)
            if len(self.plan.sample_rows) < SAMPLE:
                changes = {n: [None, _shown(n, v)] for n, v in values.items() if not n.startswith("_")}
                self.plan.sample_rows.append(
                    {"row": number, "name": values["name"], "action": "create", "changes": changes}
                )
            return
        self.seen_person[pk] = number
        changes = self.changes(self.stored[pk], values)
        if not changes:
            self.plan.unchanged += 1
            return
        self.plan.updates.append((pk, values, changes))
        if len(self.plan.sample_rows) < SAMPLE:
            self.plan.sample_rows.append(
                {"row": number, "name": values["name"], "action": "update", "changes": changes}
            )

    @staticmethod
    def changes(stored: dict[str, Any], values: dict[str, Any]) -> dict[str, list[Any]]:
        changes: dict[str, list[Any]] = {}
        for name, value in values.items():
            if name.startswith("_") or name == "joined_on":
                continue
            if name == "id_number":
                if values["_digest"] != stored["id_digest"]:
                    changes[name] = [stored["id_masked"], mask_id_number(value)]
            elif stored[name] != value:
                changes[name] = [_shown(name, stored[name]), _shown(name, value)]
        return changes


def judge(
    table: Table,
    association,
    *,
    progress: Callable[[int, int], None] | None = None,
    sink: Callable[[list[dict[str, Any]], int], None] | None = None,
    founding: bool = False,
) -> RosterPlan:
    """Everything an import would do, without writing anything: that is the preview. ``sink``, when
    given, receives the people to create in batches as soon as they are judged (``commit``)."""
    plan = RosterImporter(table, association, progress, sink, founding=founding).run()
    if plan.total_rows == 0:
        raise DomainError(gettext("文件中没有会员数据：表头下面的行都是空的。"), field="file")
    return plan
