"""Importing the 会员汇总表 of an association: read → judge (preview) → commit, at scale.

The file is laid out like the paper table (title rows, a header merged over two rows, the columns in
any order under their usual names); ``core.tabular`` reads it and ``members.cleaning`` cleans every
cell. Cleaning is memoised per column and value: a roster of 100,000 people holds few distinct
sexes, education levels or birth months, so each is cleaned once; plain names, phones, ID numbers
and e-mails take checked fast paths.

Matching (idempotent re-imports), kept simple on purpose: a row is the same person as someone who
already holds a live membership (筹备登记/申请中/正式会员) in *this* association when the ID numbers'
keyed digests are equal, or else when name and phone are equal. Nobody outside the association is
matched or touched: an importer can neither see nor change another 科协's people. A matched person
is updated with the row's non-empty cells (an empty cell never clears stored data) and keeps their
membership as it is; anyone else becomes a new person with an approved membership joined on
入会日期 (or today).

All valid rows are written in one transaction, the new people while the file is still being judged
(``_Writer``: PostgreSQL COPY from a writer thread, executemany on SQLite; ``core.bulk``), with one audit entry for
the import (which the created people point at) and one per updated person; a refused row is
reported with every bad cell (row, column as headed in the file, value, reason) and left out. See
docs/decisions/0004-roster-import-writes-while-judging.md.
"""

from __future__ import annotations

import datetime
import json
import operator
import queue
import re
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from kexie.accounts.permissions import require
from kexie.core import audit, crypto
from kexie.core.bulk import copy_text, copy_value, gc_paused, insert, reserve_ids
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
from .cleaning import FAST_PATHS, PERSON_FIELDS, text
from .enums import MembershipStatus
from .models import Membership, Person
from .permissions import get_roster_association_for_user

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


def _clean(name: str, raw: Any) -> tuple[dict[str, Any], DomainError | None]:
    """The fields a (normalised) cell sets, or the error that refuses it."""
    try:
        if name == "title":
            values = {}
            for field_name, value in importers._title(raw).items():
                values[field_name] = PERSON_FIELDS[field_name](value)
            return values, None
        if name == "joined_on":
            return {"joined_on": clean_joined_on(raw)}, None
        if name == "phone" and isinstance(raw, str) and MASKED_PHONE.match(raw):
            return {"_phone_mask": raw}, None
        return {name: PERSON_FIELDS[name](raw)}, None
    except DomainError as exc:
        return {}, exc


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
    def __init__(
        self,
        table: Table,
        association,
        progress: Callable[[int, int], None] | None,
        sink: Callable[[list[dict[str, Any]], int], None] | None = None,
    ):
        self.table = table
        self.association = association
        self.progress = progress
        self.sink = sink
        self.sent = 0
        self.plan = RosterPlan()
        self.by_digest, self.by_name_phone, self.stored = _existing(association)
        self.seen_digest: dict[str, int] = {}
        self.seen_key: dict[tuple[str, str], int] = {}
        self.seen_person: dict[int, int] = {}
        self._formulas = bool(table._formulas)
        self._digest = crypto.digester()

    def label(self, name: str) -> str:
        name = "title" if name in ("title_level", "title_name") else name
        return self.table.label(name, LABELS.get(name, name))

    def run(self) -> RosterPlan:
        """Row by row; a cell's outcome (normalised, cleaned or refused) is computed once per distinct
        value of its column (kept per column), except in the columns of unique values, where plain
        valid values take a fast path (``cleaning.FAST_PATHS``) and the rest the full cleaners. A
        sheet with formulas takes the full path everywhere (the formula cells are refused)."""
        formulas = self._formulas
        columns = [
            (
                name,
                position,
                None if name in _UNIQUE_FIELDS or formulas else {},
                None if formulas else FAST_PATHS.get(name),
            )
            for name, position in self.table.positions.items()
            if name != "seq"
        ]
        data_rows = self.table.data_rows
        cell = self.cell
        for index, (number, cells) in enumerate(self.table.raw_rows(), start=1):
            width = len(cells)
            values: dict[str, Any] = {}
            errors: list[CellError] = []
            filled = False
            for name, position, cache, fast in columns:
                raw = cells[position] if position < width else None
                if raw is None or raw == "":
                    continue
                if fast is not None and (value := fast(raw)) is not None:
                    values[name] = value
                    filled = True
                    continue
                if cache is None:
                    cleaned, reason = cell(number, name, raw)
                else:
                    key = raw if raw.__class__ is str else (raw.__class__, raw)  # 1 == 1.0 == True
                    hit = cache.get(key)
                    if hit is None:
                        hit = cache[key] = cell(number, name, raw)
                    cleaned, reason = hit
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
            # The first batch is small, so that PostgreSQL starts early.
            if self.sink is not None and len(self.plan.creates) - self.sent >= (
                BATCH if self.sent else BATCH // 5
            ):
                self.send(data_rows - index)
        if self.sink is not None and len(self.plan.creates) > self.sent:
            self.send(0)
        return self.plan

    def send(self, left: int) -> None:
        """Hand the people to create judged since the last batch to the writer (``left``: the rows
        not judged yet, at most as many people more)."""
        creates = self.plan.creates
        self.sink(creates[self.sent :], left)
        self.sent = len(creates)

    def cell(self, number: int, name: str, raw: Any) -> tuple[dict[str, Any] | None, str | None]:
        """A cell through the full path: (the fields it sets, None), (None, the reason it is refused),
        or (None, None) when it is blank once normalised."""
        value = normalise(raw)
        if value is None:
            return None, None
        if self.table.is_formula(number, name, value):
            return None, str(FORMULA_REASON)
        cleaned, error = _clean(name, value)
        if error is not None:
            return None, error.message
        # A value cleaned to nothing sets nothing (the columns set distinct fields).
        for v in cleaned.values():
            if v == "" or v is None:
                return {k: v for k, v in cleaned.items() if v != "" and v is not None}, None
        return cleaned, None

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


def judge(
    table: Table,
    association,
    *,
    progress: Callable[[int, int], None] | None = None,
    sink: Callable[[list[dict[str, Any]], int], None] | None = None,
) -> RosterPlan:
    """Everything an import would do, without writing anything: that is the preview. ``sink``, when
    given, receives the people to create in batches as soon as they are judged (``commit``)."""
    plan = _Judge(table, association, progress, sink).run()
    if plan.total_rows == 0:
        raise DomainError(gettext("文件中没有会员数据：表头下面的行都是空的。"), field="file")
    return plan


# --- writing ----------------------------------------------------------------------------------------


def _after_batch(written: int) -> None:
    """Called after each batch of rows is sent to the database (a seam for progress and for tests that
    make the writer fail midway)."""


# json.dumps(value, ensure_ascii=False) builds a new encoder on every call: one encoder, bound once.
_json = json.JSONEncoder(ensure_ascii=False).encode

PERSON_COLUMNS = (
    "id",
    *STORED,
    "id_cipher",
    "id_digest",
    "id_masked",
    "enterprise_id",
    "import_entry_id",
    "created_at",
    "updated_at",
)
# No decided_at/decided_by: as for the members a founding congress approves, the membership was
# not decided one by one; the import's audit entry (Person.import_entry) says who imported it, when.
MEMBERSHIP_COLUMNS = ("person_id", "joined_on", "association_id", "status", "note", "created_at")


class _Writer:
    """Writes the created people and their memberships batch by batch, while the rest of the file is
    still being judged.

    On PostgreSQL the judging thread turns each batch into COPY text (``send``) and a writer thread
    sends it over the transaction's own connection (the judging thread does not touch the database
    until ``close``): PostgreSQL inserts, indexes and checks the foreign keys of one batch on the
    second core while Python judges the next, and the constraints are checked per batch (``SET
    CONSTRAINTS ALL IMMEDIATE``) rather than all at the commit. Elsewhere each batch is written in
    turn. Either way everything is inside the caller's transaction: an error anywhere rolls every
    batch back."""

    def __init__(self, association, *, entry_id: int, stamp, today: datetime.date):
        self.association_id = association.pk
        self.enterprise_id = association.enterprise_id
        self.entry_id = entry_id
        self.stamp = stamp
        self.today = today
        self.encrypt = crypto.encrypter()
        self.written = 0
        self.sent = 0
        self.ids: list[int] = []
        self.raw = None
        self.error: BaseException | None = None
        self.thread: threading.Thread | None = None
        self.switch_interval = sys.getswitchinterval()
        if connection.vendor == "postgresql":
            connection.ensure_connection()
            self.raw = connection.connection
            with self.raw.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                # PostgreSQL plans each foreign-key check once per connection, at its first use. On
                # a table that was (nearly) empty then — a new platform's first roster — the plan
                # is a sequential scan, kept while the table grows by 100,000 rows: minutes instead
                # of seconds (measured: 235 s). The people's primary key index is always right.
                cursor.execute("SET LOCAL enable_seqscan = off")
            self.queue: queue.Queue[tuple[bytes, bytes, int] | None] = queue.Queue(maxsize=4)
            self.thread = threading.Thread(target=self._loop, name="roster-writer", daemon=True)
            # The writer needs the GIL for a moment at each step of a COPY; by default it would wait
            # up to 5 ms for the judging thread to let go, leaving PostgreSQL idle meanwhile.
            sys.setswitchinterval(0.0005)
            self.thread.start()

    def send(self, batch: list[dict[str, Any]], left: int = 0) -> None:
        """Write (or queue) a batch of people to create; ``left`` bounds how many may follow."""
        if self.thread is None:
            ids = reserve_ids(Person, len(batch))
            insert(Person, PERSON_COLUMNS, self._person_rows(ids, batch))
            insert(Membership, MEMBERSHIP_COLUMNS, self._membership_rows(ids, batch))
            self._written(len(batch))
            return
        self._raise()
        if not self.ids:
            # At the first batch, before the writer has anything to send (so the connection is
            # free): ids for it and for every row still to judge, in one query. The judging thread
            # then writes whole COPY lines and the writer only sends them. Ids of rows that do not
            # create anyone are left as gaps; a file that creates no one reserves none.
            self.ids = reserve_ids(Person, len(batch) + left, self.raw)
        self.queue.put(self._lines(batch))

    def close(self) -> None:
        """Wait for the last batch; re-raise the writer's error, if any."""
        if self.thread is not None:
            self.queue.put(None)
            self.thread.join()
            self.thread = None
            sys.setswitchinterval(self.switch_interval)
            self._raise()  # the transaction is aborted: nothing more to say to the database
            with self.raw.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                cursor.execute("SET LOCAL enable_seqscan TO DEFAULT")
        self._raise()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def _written(self, count: int) -> None:
        self.written += count
        _after_batch(self.written)

    def _loop(self) -> None:
        """The writer thread: one COPY per table and batch."""
        try:
            while (item := self.queue.get()) is not None:
                people, memberships, count = item
                copy_text(Person, PERSON_COLUMNS, people, self.raw)
                copy_text(Membership, MEMBERSHIP_COLUMNS, memberships, self.raw)
                self._written(count)
        except BaseException as exc:  # handed to the judging thread by send/close
            self.error = exc
            while self.queue.get() is not None:  # keep taking batches until told to stop
                pass

    # SQLite: rows as tuples for executemany.

    def _person_rows(self, ids: list[int], batch: list[dict[str, Any]]) -> Iterator[tuple]:
        empty, stored_values = dict.fromkeys(STORED, ""), operator.itemgetter(*STORED)
        constant = (self.enterprise_id, self.entry_id, self.stamp, self.stamp)
        for pk, values in zip(ids, batch, strict=True):
            number = values.get("id_number", "")
            secret = (self.encrypt(number), values["_digest"], mask_id_number(number))
            yield (pk, *stored_values({**empty, **values}), *secret, *constant)

    def _membership_rows(self, ids: list[int], batch: list[dict[str, Any]]) -> Iterator[tuple]:
        constant = (self.association_id, MembershipStatus.APPROVED, "", self.stamp)
        for pk, values in zip(ids, batch, strict=True):
            yield (pk, values.get("joined_on") or self.today, *constant)

    # PostgreSQL: the same rows as COPY text, written directly (formatting each value through the
    # driver's per-type adapters costs more than the whole COPY on the server).

    def _lines(self, batch: list[dict[str, Any]]) -> tuple[bytes, bytes, int]:
        start = self.sent
        ids = self.ids[start : start + len(batch)]
        if len(ids) < len(batch):  # cannot happen: a row creates at most one person
            raise RuntimeError("more people than rows")
        self.sent = start + len(batch)
        empty, stored_values, encrypt = dict.fromkeys(STORED, ""), operator.itemgetter(*STORED), self.encrypt
        stamp = str(self.stamp)
        tail = "\t".join((copy_value(self.enterprise_id), str(self.entry_id), stamp, stamp))
        member_tail = "\t".join((str(self.association_id), MembershipStatus.APPROVED, "", stamp))
        today = self.today.isoformat()
        tabs = len(STORED) - 1
        people, memberships = [], []
        for pk, values in zip(ids, batch, strict=True):
            number = values.get("id_number", "")
            stored = stored_values({**empty, **values})
            body = "\t".join(stored)
            if body.count("\t") != tabs or "\\" in body or "\n" in body or "\r" in body:
                body = "\t".join(map(copy_value, stored))
            people.append(
                f"{pk}\t{body}\t{encrypt(number)}\t{values['_digest']}\t{mask_id_number(number)}\t{tail}\n"
            )
            joined = values.get("joined_on")
            memberships.append(f"{pk}\t{joined.isoformat() if joined else today}\t{member_tail}\n")
        return "".join(people).encode(), "".join(memberships).encode(), len(batch)


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


def _audit_updates(plan: RosterPlan, *, by, note: str, stamp) -> None:
    """One entry per updated person, with the changed fields (personal data masked)."""
    if not plan.updates:
        return
    person_type = ContentType.objects.get_for_model(Person).pk
    # The command line acts as the platform (no user row): the system actor, as in ``audit.record``.
    actor = (by.pk, by.get_username()) if getattr(by, "pk", None) else (None, SYSTEM_ACTOR)
    insert(
        AuditEntry,
        (
            "at",
            "actor_id",
            "actor_name",
            "action",
            "content_type_id",
            "object_id",
            "object_repr",
            "changes",
            "note",
        ),
        (
            (stamp, *actor, "update", person_type, str(pk), values["name"][:255], _json(changes), note)
            for pk, values, changes in plan.updates
        ),
    )


def commit_table(table: Table, association, *, by, strict: bool = False, progress=None) -> RosterPlan:
    """Judge the table and write its valid rows, all in the caller's transaction (which the caller
    has locked with ``_lock``). The created people are written while the file is still being judged
    (with ``strict``, only once the whole file is known to be clean). One audit entry records the
    import, the people it created point at it (``Person.import_entry``), and each updated person gets
    an entry with the changed fields. When nothing can be written (or ``strict`` and a row is refused)
    the transaction is rolled back and ``plan.written`` is false."""
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    entry = audit.record(
        actor=by if getattr(by, "pk", None) else None,
        action="import",
        instance=association,
        note=f"导入会员汇总表：{association.name}",  # the audit log is a permanent record kept in Chinese
    )
    writer = _Writer(association, entry_id=entry.pk, stamp=stamp, today=timezone.localdate())
    try:
        plan = judge(table, association, progress=progress, sink=None if strict else writer.send)
        if (strict and plan.errors) or not (plan.creates or plan.updates or plan.unchanged):
            transaction.set_rollback(True)  # the writer is closed below, before the rollback
            return plan
        if strict:
            for start in range(0, len(plan.creates), BATCH):
                writer.send(plan.creates[start : start + BATCH], max(0, len(plan.creates) - start - BATCH))
    finally:
        writer.close()
    if plan.updates:
        _write_updates(plan, now)
        _audit_updates(plan, by=by, note=entry.note, stamp=stamp)
    entry.changes = {
        "members_created": [None, len(plan.creates)],
        "members_updated": [None, len(plan.updates)],
    }
    entry.note = (
        f"导入会员汇总表：新增{len(plan.creates)}人，更新{len(plan.updates)}人，"
        f"未变{plan.unchanged}人，拒绝{plan.refused}行。"
    )
    entry.save(update_fields=["changes", "note"])
    plan.written = True
    return plan


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
    association = get_roster_association_for_user(by, association_pk, write=True)
    check_size(len(data))
    with gc_paused():
        table = read_roster(data, filename=filename)
        if not commit:
            return judge(table, association, progress=progress)
        with transaction.atomic():
            _lock(association)
            return commit_table(table, association, by=by, strict=strict, progress=progress)
