"""Writing a judged 会员汇总表: every valid row in one transaction, the new people while the rest of
the file is still being judged (``_Writer``: PostgreSQL COPY from a writer thread, executemany on
SQLite; both through ``core.bulk``).

An association's roster import writes one audit entry for the import (which the created people
point at) and one per updated person; a founding import (``import_founding``, called by the founding
procedure under its lock) writes founding memberships, one entry per created and per updated person,
and leaves the import's entry to the founding application. See
docs/decisions/0004-roster-import-writes-while-judging.md.
"""

from __future__ import annotations

import datetime
import json
import operator
import queue
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from kexie.accounts.permissions import require
from kexie.core import audit, crypto
from kexie.core.bulk import copy_text, copy_value, gc_paused, insert, reserve_ids
from kexie.core.masking import mask_id_number
from kexie.core.models import SYSTEM_ACTOR, AuditEntry
from kexie.core.tabular import Table, check_size

from ..enums import MembershipStatus
from ..models import Membership, Person
from ..permissions import get_roster_association_for_user
from . import importer
from .importer import STORED, RosterImportResult, RosterPlan, judge, read_roster


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

    def __init__(
        self,
        association,
        *,
        entry_id: int | None,
        stamp,
        today: datetime.date | None,
        status: str = MembershipStatus.APPROVED,
    ):
        self.association_id = association.pk
        self.enterprise_id = association.enterprise_id
        self.entry_id = entry_id
        self.stamp = stamp
        self.today = today
        self.status = status
        self.encrypt = crypto.encrypter()
        self.written = 0
        self.sent = 0
        self.ids: list[int] = []
        self.written_ids: list[int] = []  # the ids of the people sent, in the order sent
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
            self.written_ids.extend(ids)
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
        constant = (self.association_id, self.status, "", self.stamp)
        for pk, values in zip(ids, batch, strict=True):
            yield (pk, values.get("joined_on") or self.today, *constant)

    # PostgreSQL: the same rows as COPY text, written directly (formatting each value through the
    # driver's per-type adapters costs more than the whole COPY on the server).

    def _lines(self, batch: list[dict[str, Any]]) -> tuple[bytes, bytes, int]:
        start = self.sent
        ids = self.ids[start : start + len(batch)]
        self.written_ids.extend(ids)
        if len(ids) < len(batch):  # cannot happen: a row creates at most one person
            raise RuntimeError("more people than rows")
        self.sent = start + len(batch)
        empty, stored_values, encrypt = dict.fromkeys(STORED, ""), operator.itemgetter(*STORED), self.encrypt
        stamp = str(self.stamp)
        tail = "\t".join((copy_value(self.enterprise_id), copy_value(self.entry_id), stamp, stamp))
        member_tail = "\t".join((str(self.association_id), self.status, "", stamp))
        today = copy_value(self.today and self.today.isoformat())
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


def _audit_creates(association, plan: RosterPlan, ids: list[int], *, by, note: str) -> None:
    """A founding import: one entry per created person with their initial values (masked), as when
    they are registered one by one (a founding roster has tens of people, not 100,000)."""
    fields = ("name", "sex", "birth_month", "education", "political", "title_level", "title_name", "position")
    people = []
    for pk, values in zip(ids, plan.creates, strict=True):
        stored = {name: values[name] for name in STORED if values.get(name, "") != ""}
        people.append(Person(pk=pk, enterprise_id=association.enterprise_id, **stored))
    audit.record_many(
        actor=by,
        action="create",
        items=[(p, audit.diff({}, audit.snapshot(p, (*fields, "phone")))) for p in people],
        note=note,
    )


def commit_table(
    table: Table,
    association,
    *,
    by,
    strict: bool = False,
    progress: Callable[[int, int], None] | None = None,
    founding: bool = False,
) -> RosterPlan:
    """Judge the table and write its valid rows, all in the caller's transaction (which the caller
    has locked with ``_lock``). The created people are written while the file is still being judged
    (with ``strict``, only once the whole file is known to be clean). One audit entry records the
    import, the people it created point at it (``Person.import_entry``), and each updated person gets
    an entry with the changed fields; a ``founding`` import writes founding memberships and one entry
    per created person instead of the import's entry (the founding application records it). When
    nothing can be written (or ``strict`` and a row is refused) the transaction is rolled back and
    ``plan.written`` is false."""
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    # The audit log is a permanent record kept in Chinese.
    note = f"导入会员汇总表：{association.name}"
    entry = None
    if not founding:
        entry = audit.record(
            actor=by if getattr(by, "pk", None) else None, action="import", instance=association, note=note
        )
    writer = _Writer(
        association,
        entry_id=entry.pk if entry else None,
        stamp=stamp,
        today=None if founding else timezone.localdate(),
        status=MembershipStatus.FOUNDING if founding else MembershipStatus.APPROVED,
    )
    try:
        plan = judge(
            table, association, progress=progress, sink=None if strict else writer.send, founding=founding
        )
        if (strict and plan.errors) or not (plan.creates or plan.updates or plan.unchanged):
            transaction.set_rollback(True)  # the writer is closed below, before the rollback
            return plan
        if strict:
            batch = importer.BATCH
            for start in range(0, len(plan.creates), batch):
                writer.send(plan.creates[start : start + batch], max(0, len(plan.creates) - start - batch))
    finally:
        writer.close()
    if plan.updates:
        _write_updates(plan, now)
        _audit_updates(plan, by=by, note=note, stamp=stamp)
    plan.written = True
    if founding:
        _audit_creates(association, plan, writer.written_ids, by=by, note=note)
        return plan
    entry.changes = {
        "members_created": [None, len(plan.creates)],
        "members_updated": [None, len(plan.updates)],
    }
    entry.note = (
        f"导入会员汇总表：新增{len(plan.creates)}人，更新{len(plan.updates)}人，"
        f"未变{plan.unchanged}人，拒绝{plan.refused}行。"
    )
    entry.save(update_fields=["changes", "note"])
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


def import_founding(association, *, by, data: bytes, filename: str) -> RosterImportResult:
    """The 会员汇总表 of a 科协 being founded, in one go (no preview): its valid rows become founding
    members (筹备登记), matched within the association's live memberships, in the caller's
    transaction; every refused cell is reported. The founding procedure checks who may and holds
    the application's lock (``founding.services.import_founding_roster``)."""
    check_size(len(data))
    table = read_roster(data, filename=filename, founding=True)
    with transaction.atomic():
        plan = commit_table(table, association, by=by, founding=True)
    return RosterImportResult.of(plan)
