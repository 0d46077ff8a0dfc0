"""Importing the 会员汇总表 of an association: read → judge (preview) → commit, at scale.

The file is laid out like the paper table (title rows, a header merged over two rows, the columns in
any order under their usual names); ``core.tabular`` reads it and ``members.cleaning`` cleans every
cell. Cleaning is memoised per column and value: a roster of 100,000 people holds few distinct
sexes, education levels or birth months, so each is cleaned once.

Matching (idempotent re-imports), kept simple on purpose: a row is the same person as someone who
already holds a live membership (筹备登记/申请中/正式会员) in *this* association when the ID numbers'
keyed digests are equal, or else when name and phone are equal. Nobody outside the association is
matched or touched: an importer can neither see nor change another 科协's people. A matched person
is updated with the row's non-empty cells (an empty cell never clears stored data) and keeps their
membership as it is; anyone else becomes a new person with an approved membership joined on
入会日期 (or today).

All valid rows are written in one transaction (PostgreSQL COPY for the new rows, executemany on
SQLite), with one audit entry per created or updated person and one for the import; a refused row
is reported with every bad cell (row, column as headed in the file, value, reason) and left out.
"""

from __future__ import annotations

import datetime
import json
import operator
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from kexie.accounts import scoping
from kexie.accounts.permissions import require
from kexie.core import audit, crypto
from kexie.core.errors import DomainError
from kexie.core.masking import mask_id_number, mask_phone
from kexie.core.models import SYSTEM_ACTOR, AuditEntry
from kexie.core.tabular import (
    FORMULA_REASON,
    CellError,
    Column,
    Table,
    check_size,
    display,
    normalise,
    read_table,
)

from . import importers
from .cleaning import PERSON_FIELDS, text
from .enums import MembershipStatus
from .models import Membership, Person

# Header texts matched in uploaded files: they stay Chinese whatever the page language.
COLUMNS: tuple[Column, ...] = (
    *importers.COLUMNS,
    Column("ethnicity", "民族"),
    Column("id_number", "身份证号", ("身份证号码", "身份证", "公民身份号码", "证件号码")),
    Column("degree", "学位", ("最高学位",)),
    Column("school", "毕业院校", ("毕业学校", "院校")),
    Column("major", "专业", ("所学专业",)),
    Column("title_series", "职称系列", ("专业技术职务系列",)),
    Column("department", "部门", ("所在部门", "工作部门")),
    Column("specialty", "专业特长", ("特长",)),
    Column("achievements", "主要科技成果", ("科技成果",)),
    Column("societies", "已加入的学会", ("所在学会", "学会会员")),
    Column("email", "电子邮箱", ("邮箱", "Email", "E-mail", "电子邮件")),
    Column("joined_on", "入会日期", ("入会时间",)),
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
# A phone as the masked export writes it (138****0001): matched against the stored phone's mask,
# never stored, so the paper export can be imported back without changing anything.
MASKED_PHONE = re.compile(r"^\d{3}\*{4}\d{4}$")
_PERSONAL = frozenset({"phone", "id_number"})
# Fields not worth memoising: nearly every value is different.
_UNIQUE_FIELDS = frozenset({"name", "phone", "id_number", "email", "achievements"})


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


# --- reading and judging ----------------------------------------------------------------------------

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


class _Cleaner:
    """Cleans cells, remembering the outcome per (column, value)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, type, Any], tuple[dict[str, Any], DomainError | None]] = {}

    def clean(self, name: str, raw: Any) -> tuple[dict[str, Any], DomainError | None]:
        memo = name not in _UNIQUE_FIELDS
        if memo:
            key = (name, type(raw), raw)
            hit = self._cache.get(key)
            if hit is not None:
                return hit
        try:
            if name == "title":
                values = {}
                for field_name, value in importers._title(raw).items():
                    values[field_name] = PERSON_FIELDS[field_name](value)
                result = (values, None)
            elif name == "joined_on":
                result = ({"joined_on": clean_joined_on(raw)}, None)
            elif name == "phone" and isinstance(raw, str) and MASKED_PHONE.match(raw):
                result = ({"_phone_mask": raw}, None)
            else:
                result = ({name: PERSON_FIELDS[name](raw)}, None)
        except DomainError as exc:
            result = ({}, exc)
        if memo:
            self._cache[key] = result
        return result


def read_roster(data: bytes, *, filename: str) -> Table:
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


class _Judge:
    def __init__(self, table: Table, association, progress: Callable[[int, int], None] | None):
        self.table = table
        self.association = association
        self.progress = progress
        self.cleaner = _Cleaner()
        self.plan = RosterPlan()
        self.by_digest, self.by_name_phone, self.stored = _existing(association)
        self.seen_digest: dict[str, int] = {}
        self.seen_key: dict[tuple[str, str], int] = {}
        self.seen_person: dict[int, int] = {}
        self._cells: dict[tuple[str, type, Any], tuple[dict[str, Any] | None, str | None]] = {}
        self._formulas = bool(table._formulas)
        self._digest = crypto.digester()

    def label(self, name: str) -> str:
        name = "title" if name in ("title_level", "title_name") else name
        return self.table.label(name, LABELS.get(name, name))

    def run(self) -> RosterPlan:
        """Column by column and value by value: a cell's outcome (normalised, cleaned or refused) is
        computed once per distinct value of its column, except in the columns of unique values."""
        columns = [
            (name, position, name in _UNIQUE_FIELDS or self._formulas)
            for name, position in self.table.positions.items()
            if name != "seq"
        ]
        data_rows = self.table.data_rows
        cached = self._cells.get
        for index, (number, cells) in enumerate(self.table.raw_rows(), start=1):
            width = len(cells)
            values: dict[str, Any] = {}
            errors: list[CellError] = []
            filled = False
            for name, position, uncached in columns:
                raw = cells[position] if position < width else None
                if raw is None or raw == "":
                    continue
                hit = None if uncached else cached((name, raw.__class__, raw))
                cleaned, reason = hit if hit is not None else self.cell(number, name, raw)
                if cleaned is None and reason is None:
                    continue  # blank after normalising (spaces)
                filled = True
                if reason is not None:
                    errors.append(CellError(number, self.label(name), display(raw), reason))
                else:
                    values.update(cleaned)
            if self.progress and index % BATCH == 0:
                self.progress(index, data_rows)
            if not filled:
                continue  # an empty line, or only 序号 filled (a numbered line of the template)
            self.plan.total_rows += 1
            if "name" not in values and not any(e.column == self.label("name") for e in errors):
                errors.append(CellError(number, self.label("name"), "", gettext("姓名不能为空。")))
            if errors:
                self.plan.errors.extend(errors)
                continue
            self.place(number, cells, values)
        return self.plan

    def cell(self, number: int, name: str, raw: Any) -> tuple[dict[str, Any] | None, str | None]:
        unique = name in _UNIQUE_FIELDS
        key = (name, raw.__class__, raw)
        value = normalise(raw)
        if value is None:
            result: tuple[dict[str, Any] | None, str | None] = (None, None)
        elif self.table.is_formula(number, name, value):
            return None, str(FORMULA_REASON)  # never cached: it depends on the cell, not the value
        else:
            cleaned, error = self.cleaner.clean(name, value)
            if error is not None:
                result = (None, error.message)
            else:  # a value cleaned to nothing sets nothing (the columns set distinct fields)
                for v in cleaned.values():
                    if v == "" or v is None:
                        cleaned = {k: v for k, v in cleaned.items() if v != "" and v is not None}
                        break
                result = (cleaned, None)
        if not unique:
            self._cells[key] = result
        return result

    def _duplicate(self, number: int, cells: list[Any], first: int) -> None:
        self.plan.errors.append(
            CellError(
                number,
                self.label("name"),
                display(cells[self.table.positions["name"]]),
                gettext("与第%(row)d行是同一人（身份证号相同，或姓名和电话相同），请只保留一行。")
                % {"row": first},
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


def judge(table: Table, association, *, progress: Callable[[int, int], None] | None = None) -> RosterPlan:
    """Everything an import would do, without writing anything."""
    plan = _Judge(table, association, progress).run()
    if plan.total_rows == 0:
        raise DomainError(gettext("文件中没有会员数据：表头下面的行都是空的。"), field="file")
    return plan


# --- writing ----------------------------------------------------------------------------------------


def _after_batch(written: int) -> None:
    """Called after each batch of rows is sent to the database (a seam for progress and for tests that
    make the writer fail midway)."""


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def _insert(model, columns: tuple[str, ...], rows: Iterable[tuple]) -> int:
    """Send rows to a table the fast way: COPY on PostgreSQL, executemany in batches elsewhere."""
    table = model._meta.db_table
    names = ", ".join(_qn(c) for c in columns)
    connection.ensure_connection()
    n = 0
    if connection.vendor == "postgresql":
        with (
            connection.connection.cursor() as cursor,
            cursor.copy(f"COPY {_qn(table)} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
                n += 1
                if n % BATCH == 0:
                    _after_batch(n)
        return n
    sql = f"INSERT INTO {_qn(table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
    batch: list[tuple] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            n += 1
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                batch.clear()
                _after_batch(n)
        if batch:
            cursor.executemany(sql, batch)
    return n


def _reserve_ids(model, count: int) -> list[int]:
    """``count`` fresh primary keys for rows written by COPY with their ids."""
    if not count:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [r[0] for r in cursor.fetchall()]
    first = (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1  # SQLite: one writer at a time
    return list(range(first, first + count))


# json.dumps(value, ensure_ascii=False) builds a new encoder on every call: one encoder, bound once.
_json = json.JSONEncoder(ensure_ascii=False).encode


def _write(plan: RosterPlan, association, *, by, note: str) -> None:
    now = timezone.now()
    today = timezone.localdate()
    adapt = connection.ops.adapt_datetimefield_value
    stamp = adapt(now)
    person_ids = _reserve_ids(Person, len(plan.creates))
    enterprise_id = association.enterprise_id
    encrypt = crypto.encrypter()

    empty = dict.fromkeys(STORED, "")
    stored_values = operator.itemgetter(*STORED)

    def people():
        for pk, values in zip(person_ids, plan.creates, strict=True):
            number = values.get("id_number", "")
            yield (
                pk,
                *stored_values({**empty, **values}),
                encrypt(number),
                values["_digest"],
                mask_id_number(number),
                enterprise_id,
                stamp,
                stamp,
            )

    _insert(
        Person,
        ("id", *STORED, "id_cipher", "id_digest", "id_masked", "enterprise_id", "created_at", "updated_at"),
        people(),
    )
    _insert(
        Membership,
        (
            "person_id",
            "association_id",
            "status",
            "joined_on",
            "decided_at",
            "decided_by_id",
            "note",
            "created_at",
        ),
        (
            (
                pk,
                association.pk,
                MembershipStatus.APPROVED,
                values.get("joined_on") or today,
                stamp,
                by.pk,
                "",
                stamp,
            )
            for pk, values in zip(person_ids, plan.creates, strict=True)
        ),
    )
    if plan.updates:
        _write_updates(plan, now)
    _audit(plan, person_ids, by=by, note=note, stamp=stamp)


def _write_updates(plan: RosterPlan, now) -> None:
    people = Person.objects.in_bulk([pk for pk, _values, _changes in plan.updates])
    fields: set[str] = set()
    for pk, values, changes in plan.updates:
        person = people[pk]
        person.updated_at = now
        for name in changes:
            if name == "id_number":
                person.id_number = values["id_number"]
                fields.update(("id_cipher", "id_digest", "id_masked"))
            else:
                setattr(person, name, values[name])
                fields.add(name)
    Person.objects.bulk_update(people.values(), [*sorted(fields), "updated_at"], batch_size=1000)


def _audit(plan: RosterPlan, person_ids: list[int], *, by, note: str, stamp) -> None:
    person_type = ContentType.objects.get_for_model(Person).pk
    # The command line acts as the platform (no user row): the system actor, as in ``audit.record``.
    actor = (by.pk, by.get_username()) if getattr(by, "pk", None) else (None, SYSTEM_ACTOR)

    def created():
        for pk, values in zip(person_ids, plan.creates, strict=True):
            changes = {
                n: [None, _shown(n, v) if n in _PERSONAL else v]
                for n, v in values.items()
                if n[0] != "_" and n != "joined_on"
            }
            yield (stamp, *actor, "create", person_type, str(pk), values["name"][:255], _json(changes), note)

    def updated():
        for pk, values, changes in plan.updates:
            yield (stamp, *actor, "update", person_type, str(pk), values["name"][:255], _json(changes), note)

    columns = (
        "at",
        "actor_id",
        "actor_name",
        "action",
        "content_type_id",
        "object_id",
        "object_repr",
        "changes",
        "note",
    )
    _insert(AuditEntry, columns, created())
    _insert(AuditEntry, columns, updated())


def write_plan(plan: RosterPlan, association, *, by) -> None:
    """Write the judged rows, all in the caller's transaction; then one entry for the import itself."""
    note = f"导入会员汇总表：{association.name}"  # the audit log is a permanent record kept in Chinese
    _write(plan, association, by=by, note=note)
    audit.record(
        actor=by if getattr(by, "pk", None) else None,
        action="import",
        instance=association,
        changes={"members_created": [None, len(plan.creates)], "members_updated": [None, len(plan.updates)]},
        note=f"导入会员汇总表：新增{len(plan.creates)}人，更新{len(plan.updates)}人，未变{plan.unchanged}人，拒绝{plan.refused}行。",
    )
    plan.written = True


# --- the services -----------------------------------------------------------------------------------


def _lock(association) -> None:
    """One import of an association at a time: a second waits for the first to commit."""
    type(association).objects.select_for_update().filter(pk=association.pk).first()


def import_roster(
    association_pk,
    *,
    by,
    data: bytes,
    filename: str,
    commit: bool = False,
    strict: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> RosterPlan:
    """Judge a roster file for the association and, with ``commit``, write its valid rows in one
    transaction (with ``strict``, only when no row is refused). Returns the plan; ``plan.written``
    tells whether anything was written. ``DomainError`` when the file as a whole cannot be used."""
    require(by, "roster.import")
    association = scoping.get_roster_association(by, association_pk, write=True)
    check_size(len(data))
    table = read_roster(data, filename=filename)
    if not commit:
        return judge(table, association, progress=progress)
    with transaction.atomic():
        _lock(association)
        plan = judge(table, association, progress=progress)
        if (strict and plan.errors) or not (plan.creates or plan.updates or plan.unchanged):
            return plan
        write_plan(plan, association, by=by)
    return plan
