"""The national demo: a million enterprises over all 2,845 counties, ~50,000 associations, and
over five million members (people with an approved membership in an enterprise or joint 科协).

Rows go to the database without model instances: PostgreSQL gets them through ``COPY … FROM STDIN``
(psycopg 3, ``write_row``), SQLite through ``executemany`` in batches of 50,000 (``core.bulk``), all in one
transaction. Ids are given explicitly (from the current maximum, under a table lock on PostgreSQL),
so the associations point at their enterprises without reading anything back, and the batch is two
contiguous id ranges that ``--reset`` deletes. For large loads the enterprise table's secondary
indexes (and, on PostgreSQL, its foreign keys) are dropped and rebuilt after the load; the same for
the people and membership tables. Members have no ID number (the encrypted columns stay empty) and
no user account. At the end the coverage statistics are counted again from the rows.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from faker import Faker

from kexie.associations.enums import JointKind, Kind, Status
from kexie.associations.models import Association
from kexie.core.bulk import quote as _qn
from kexie.core.bulk import row_writer
from kexie.coverage.services import rebuild
from kexie.enterprises.enums import STATE_OWNED
from kexie.enterprises.models import Enterprise
from kexie.members.enums import Education, MembershipStatus, Political, Sex, TitleLevel
from kexie.members.models import Membership, Person

from . import names
from .generate import COL, ENTERPRISE_COLUMNS, NATIONAL_DEFAULT, SEED, founded_on, national_rows
from .models import DemoBatch
from .province import SMALL, joint_name, routed_to_province

NATIONAL = "national"
ENTERPRISE_PHASE, REBUILD_PHASE = "企业", "重建索引和外键"
ASSOCIATION_COLUMNS = (
    "id",
    "kind",
    "joint_kind",
    "name",
    "region_id",
    "parent_id",
    "enterprise_id",
    "status",
    "founded_on",
    "term_years",
    "document_number_pattern",
    "created_at",
    "updated_at",
)
BULK_MODE_FROM = 200_000  # rows; below this, index insertions and trigger checks cost less than rebuilding
# Probability of an enterprise 科协 by size class (micro, small, medium, large); ×1.1 if high-tech.
_P_ASSOCIATION = (0.005, 0.019, 0.08, 0.25)
ENTERPRISES_PER_JOINT = 330
# Members: at least 5.2 million for the default million enterprises (pro rata for other sizes).
MEMBERS_PER_ENTERPRISE = 5.2
MEMBERS_PHASE, MEMBER_REBUILD_PHASE = "会员", "重建会员索引和外键"
PERSON_COLUMNS = (
    "id", "name", "sex", "birth_month", "education", "political", "title_level", "title_name",
    "position", "phone", "id_cipher", "id_digest", "id_masked", "ethnicity", "degree", "school", "major",
    "title_series", "department", "specialty", "achievements", "societies", "email", "enterprise_id",
    "created_at", "updated_at",
)  # fmt: skip
MEMBERSHIP_COLUMNS = ("person_id", "association_id", "status", "joined_on", "note", "created_at")
# Shares among enterprise S&T workers (roughly the 科协 member statistics of recent years).
_SEX = ((Sex.MALE.value, 0.64), (Sex.FEMALE.value, 0.36))
_EDUCATION = (
    (Education.DOCTORATE.value, 0.03),
    (Education.MASTER.value, 0.14),
    (Education.BACHELOR.value, 0.46),
    (Education.COLLEGE.value, 0.23),
    (Education.SECONDARY.value, 0.08),
    (Education.HIGH_SCHOOL.value, 0.06),
)
_TITLE = (
    (TitleLevel.SENIOR.value, 0.04),
    (TitleLevel.ASSOCIATE_SENIOR.value, 0.12),
    (TitleLevel.INTERMEDIATE.value, 0.30),
    (TitleLevel.JUNIOR.value, 0.28),
    (TitleLevel.NONE.value, 0.26),
)
_POLITICAL = (
    (Political.CPC.value, 0.27),
    (Political.CPC_PROBATIONARY.value, 0.01),
    (Political.CYL.value, 0.13),
    (Political.DEMOCRATIC_PARTY.value, 0.01),
    (Political.NON_PARTY.value, 0.01),
    (Political.MASSES.value, 0.57),
)
_TITLE_NAMES = {
    TitleLevel.SENIOR.value: "正高级工程师",
    TitleLevel.ASSOCIATE_SENIOR.value: "高级工程师",
    TitleLevel.INTERMEDIATE.value: "工程师",
    TitleLevel.JUNIOR.value: "助理工程师",
    TitleLevel.NONE.value: "",
}
_PHONE_PREFIXES = (
    "130 131 132 133 135 136 137 138 139 150 151 152 155 156 157 158 159 166 176 177 178 180 181 182 "
    "183 185 186 187 188 189 191 198 199"
).split()


@dataclass
class Deferred:
    """Indexes and foreign keys of a table, taken off for a bulk load and put back after it."""

    table: str
    indexes: list[tuple[str, str]] = field(default_factory=list)  # (name, CREATE INDEX …)
    foreign_keys: list[tuple[str, str]] = field(default_factory=list)  # (name, FOREIGN KEY … definition)


def take_off_indexes(table: str) -> Deferred:
    """PostgreSQL's advice for bulk loads: drop the plain indexes (not those behind a primary key or
    unique constraint) and the foreign keys, load, then build each index with one sort and check
    each foreign key with one join, instead of a million index insertions (the trigram index on
    names costs most) and a million deferred trigger checks. All within the load's transaction, so
    a failure restores everything."""
    deferred = Deferred(table)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
            deferred.indexes = cursor.fetchall()
            for name, _ in deferred.indexes:
                cursor.execute(f"DROP INDEX {_qn(name)}")
        return deferred
    if connection.vendor != "postgresql":
        return deferred
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s"
            " AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
            [table, _qn(table)],
        )
        deferred.indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass"
            " AND contype = 'f'",
            [_qn(table)],
        )
        deferred.foreign_keys = cursor.fetchall()
        _flush_deferred_checks(cursor)
        for name, _ in deferred.foreign_keys:
            cursor.execute(f"ALTER TABLE {_qn(table)} DROP CONSTRAINT {_qn(name)}")
        for name, _ in deferred.indexes:
            cursor.execute(f"DROP INDEX {_qn(name)}")
    return deferred


def _flush_deferred_checks(cursor) -> None:
    """PostgreSQL refuses DDL on a table with pending deferred foreign-key checks: run them now."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def put_back(deferred: Deferred) -> None:
    if not (deferred.indexes or deferred.foreign_keys):
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for _, definition in deferred.indexes:
                cursor.execute(definition)
            return
        _flush_deferred_checks(cursor)
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _, definition in deferred.indexes:
            cursor.execute(definition)
        for name, definition in deferred.foreign_keys:
            cursor.execute(f"ALTER TABLE {_qn(deferred.table)} ADD CONSTRAINT {_qn(name)} {definition}")


@dataclass
class Phase:
    name: str
    rows: int
    seconds: float
    note: str = ""

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


@dataclass
class NationalResult:
    skipped: bool = False
    enterprises: int = 0
    associations: int = 0
    covered: int = 0
    phases: list[Phase] = field(default_factory=list)
    seconds: float = 0.0
    generation_seconds: float = 0.0
    first_enterprise_id: int = 0
    first_association_id: int = 0
    members: int = 0
    coverage_cells: int = 0

    def seconds_of(self, *names: str) -> float:
        return sum(p.seconds for p in self.phases if p.name in names)

    @property
    def enterprise_rate(self) -> float:
        """Enterprises per second, writing and index rebuilding together."""
        seconds = self.seconds_of(ENTERPRISE_PHASE, REBUILD_PHASE)
        return self.enterprises / seconds if seconds else 0.0


def write_enterprise_rows(rows: Iterable[tuple], first_id: int | None = None) -> int:
    """Write bare enterprise rows (``ENTERPRISE_COLUMNS`` order) the fast way; ids from ``first_id``
    or from the database's own sequence. Returns the count. (Also the bench's COPY path.)"""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    n = 0
    table = Enterprise._meta.db_table
    if first_id is None:
        with row_writer(table, (*ENTERPRISE_COLUMNS, "created_at", "updated_at")) as write:
            for row in rows:
                write((*row, now, now))
                n += 1
    else:
        with row_writer(table, ("id", *ENTERPRISE_COLUMNS, "created_at", "updated_at")) as write:
            for n, row in enumerate(rows, start=1):
                write((first_id + n - 1, *row, now, now))
    return n


def _next_ids() -> tuple[int, int]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"LOCK TABLE {_qn(Enterprise._meta.db_table)}, {_qn(Association._meta.db_table)} "
                "IN SHARE ROW EXCLUSIVE MODE"
            )
    e = Enterprise.objects.aggregate(m=Max("id"))["m"] or 0
    a = Association.objects.aggregate(m=Max("id"))["m"] or 0
    return e + 1, a + 1


def _reset_sequences() -> None:
    through = Association.covered_enterprises.through
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Enterprise, Association, through]):
            cursor.execute(sql)


def national_batch() -> DemoBatch | None:
    return DemoBatch.objects.filter(scale=NATIONAL).order_by("-id").first()


@transaction.atomic
def delete_batch(batch: DemoBatch) -> int:
    """Delete the rows of a national batch (its covered rows, associations and enterprises).
    Table names come from the models; the id ranges are parameters."""
    through = Association.covered_enterprises.through
    e0, e1 = batch.first_enterprise_id, batch.last_enterprise_id
    a0, a1 = batch.first_association_id or 0, batch.last_association_id or -1
    person, membership = _qn(Person._meta.db_table), _qn(Membership._meta.db_table)
    with connection.cursor() as cursor:
        # The members: their memberships in the batch's associations, then the people of the batch's
        # enterprises left without any membership.
        cursor.execute(f"DELETE FROM {membership} WHERE association_id BETWEEN %s AND %s", [a0, a1])  # noqa: S608
        cursor.execute(
            f"DELETE FROM {person} WHERE enterprise_id BETWEEN %s AND %s AND NOT EXISTS "  # noqa: S608
            f"(SELECT 1 FROM {membership} m WHERE m.person_id = {person}.id)",
            [e0, e1],
        )
        cursor.execute(
            f"DELETE FROM {_qn(through._meta.db_table)} "  # noqa: S608
            "WHERE enterprise_id BETWEEN %s AND %s OR association_id BETWEEN %s AND %s",
            [e0, e1, a0, a1],
        )
        cursor.execute(f"DELETE FROM {_qn(Association._meta.db_table)} WHERE id BETWEEN %s AND %s", [a0, a1])  # noqa: S608
        cursor.execute(f"DELETE FROM {_qn(Enterprise._meta.db_table)} WHERE id BETWEEN %s AND %s", [e0, e1])  # noqa: S608
        deleted = cursor.rowcount
    batch.delete()

    rebuild()
    return deleted


def load_national(
    total: int = NATIONAL_DEFAULT, *, reset: bool = False, report: Callable[[Phase], None] | None = None
) -> NationalResult:
    """Generate and write the national scale. Skips if a national batch exists (unless ``reset``).
    ``seconds`` of the result leaves out the deletion of the old batch."""
    result = NationalResult()

    def done(phase: Phase) -> None:
        result.phases.append(phase)
        if report:
            report(phase)

    existing = national_batch()
    if existing is not None:
        if not reset:
            result.skipped = True
            result.enterprises = existing.enterprises
            result.associations = existing.associations
            result.covered = existing.covered
            return result
        t = time.perf_counter()
        deleted = delete_batch(existing)
        done(Phase("删除旧批次", deleted, time.perf_counter() - t))
    started = time.perf_counter()

    with transaction.atomic():
        _load(total, result, done)
        t = time.perf_counter()
        _reset_sequences()
        e0, a0 = result.first_enterprise_id, result.first_association_id
        DemoBatch.objects.create(
            scale=NATIONAL,
            enterprises=result.enterprises,
            associations=result.associations,
            covered=result.covered,
            first_enterprise_id=e0,
            last_enterprise_id=e0 + result.enterprises - 1,
            first_association_id=a0 if result.associations else None,
            last_association_id=a0 + result.associations - 1 if result.associations else None,
            seconds=time.perf_counter() - started,
        )
    done(Phase("提交", 0, time.perf_counter() - t))
    t = time.perf_counter()
    with connection.cursor() as cursor:
        through = Association.covered_enterprises.through
        for model in (Enterprise, Association, through, Person, Membership):
            cursor.execute(f"ANALYZE {_qn(model._meta.db_table)}")
    done(Phase("ANALYZE", 0, time.perf_counter() - t))
    t = time.perf_counter()

    result.coverage_cells = rebuild()
    done(Phase("覆盖率统计", result.coverage_cells, time.perf_counter() - t))
    result.seconds = time.perf_counter() - started
    return result


# One pass over a million generated rows writing three tables at once; each branch is a decision for
# one row (a 科协? sub-units? a joint 科协?), and a call per row would cost seconds (bench/demo_national.py).
def _load(total: int, result: NationalResult, done: Callable[[Phase], None]) -> None:  # noqa: C901
    t = time.perf_counter()
    e0, a0 = _next_ids()
    result.first_enterprise_id, result.first_association_id = e0, a0
    locals_ = dict(Association.objects.filter(kind=Kind.LOCAL).values_list("region_id", "id"))
    done(Phase("准备", 0, time.perf_counter() - t))

    rng = random.Random(SEED + 4)
    r = rng.random
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    adapt_date = connection.ops.adapt_datefield_value
    assoc_rows: list[tuple] = []
    covered_rows: list[tuple[int, int]] = []
    employees_i, name_i, high_tech_i = COL["employees"], COL["name"], COL["is_high_tech"]
    own_i, leading_i, industry_i = COL["ownership"], COL["is_leading_private"], COL["industry"]
    joint_kinds = (JointKind.PARK.value, JointKind.REGIONAL.value, JointKind.INDUSTRY.value)
    active, enterprise_kind, subunit_kind = Status.ACTIVE.value, Kind.ENTERPRISE.value, Kind.SUBUNIT.value
    subunit_names = names.SUBUNIT_NAMES
    joint_kind = Kind.JOINT.value
    st_i = COL["st_workers"]
    weights: list[tuple[int, int, int, object]] = []  # enterprise 科协: (id, enterprise, weight, founded)
    joints: list[tuple[int, list[int], object]] = []  # joint 科协: (id, covered enterprises, founded)

    def assoc(aid, kind, joint, name, region, parent, enterprise, founded) -> tuple:
        """A row in ``ASSOCIATION_COLUMNS`` order."""
        return (aid, kind, joint, name, region, parent, enterprise, active, founded, 5, "", now, now)

    t = time.perf_counter()
    generating = 0.0
    eid = e0
    aid = a0
    stream = national_rows(total)
    columns = ("id", *ENTERPRISE_COLUMNS, "created_at", "updated_at")
    deferred = take_off_indexes(Enterprise._meta.db_table) if total >= BULK_MODE_FROM else None
    with row_writer(Enterprise._meta.db_table, columns) as write:
        while True:
            g = time.perf_counter()
            item = next(stream, None)
            generating += time.perf_counter() - g
            if item is None:
                break
            county, rows = item
            region = county.code
            county_local = locals_[region]
            small: list[tuple[int, str]] = []  # (id, section) of small non-state enterprises without a 科协
            for row in rows:
                write((eid, *row, now, now))
                employees = row[employees_i]
                size = 0 if employees < 20 else 1 if employees < SMALL else 2 if employees < 1000 else 3
                p = _P_ASSOCIATION[size] * (1.1 if row[high_tech_i] else 1.0)
                if r() < p:
                    own = row[own_i]
                    parent = (
                        locals_[county.province_code]
                        if routed_to_province(county.province_code, own, row[leading_i])
                        else county_local
                    )
                    founded = adapt_date(founded_on(rng))
                    name = row[name_i]
                    st = row[st_i]
                    weights.append((aid, eid, max(3, st if st else employees // 8), founded))
                    assoc_rows.append(
                        assoc(aid, enterprise_kind, "", f"{name}科学技术协会", region, parent, eid, founded)
                    )
                    enterprise_assoc = aid
                    aid += 1
                    if size == 3 and r() < 0.15:
                        for unit in rng.sample(subunit_names, 1 + int(r() * 3)):
                            unit_name = f"{name}科协{unit}"
                            row_ = assoc(
                                aid, subunit_kind, "", unit_name, region, enterprise_assoc, eid, founded
                            )
                            assoc_rows.append(row_)
                            aid += 1
                elif size <= 1 and row[own_i] not in STATE_OWNED:
                    small.append((eid, row[industry_i]))
                eid += 1
            # Joint 科协 for the small enterprises without one: about one per 330 enterprises.
            rotation = int(region) % 3  # which kind comes first varies from county to county
            for j in range(int(len(rows) / ENTERPRISES_PER_JOINT + r())):
                if len(small) < 5:
                    break
                kind = joint_kinds[(j + rotation) % 3]
                pool = small
                if kind == JointKind.INDUSTRY:
                    same = [e for e in small if e[1] == "C"]
                    pool = same if len(same) >= 5 else small
                picked = rng.sample(pool, min(len(pool), 5 + int(r() * 16)))
                taken = set(picked)
                small = [e for e in small if e not in taken]
                section = picked[0][1]
                name = joint_name(county, kind, j // 3, section)
                founded = adapt_date(founded_on(rng))
                assoc_rows.append(assoc(aid, joint_kind, kind, name, region, county_local, None, founded))
                covered_rows.extend((aid, e) for e, _ in sorted(picked))
                joints.append((aid, [e for e, _ in sorted(picked)], founded))
                aid += 1
    result.enterprises = eid - e0
    result.generation_seconds = generating
    done(
        Phase(
            ENTERPRISE_PHASE,
            result.enterprises,
            time.perf_counter() - t,
            f"其中生成 {generating:.1f} 秒，写入 {time.perf_counter() - t - generating:.1f} 秒",
        )
    )

    if deferred is not None and (deferred.indexes or deferred.foreign_keys):
        t = time.perf_counter()
        put_back(deferred)
        done(
            Phase(
                REBUILD_PHASE,
                0,
                time.perf_counter() - t,
                f"{len(deferred.indexes)} 个索引、{len(deferred.foreign_keys)} 个外键",
            )
        )

    t = time.perf_counter()
    with row_writer(Association._meta.db_table, ASSOCIATION_COLUMNS) as write:
        for row in assoc_rows:
            write(row)
    result.associations = len(assoc_rows)
    done(Phase("组织", result.associations, time.perf_counter() - t))

    t = time.perf_counter()
    with row_writer(
        Association.covered_enterprises.through._meta.db_table, ("association_id", "enterprise_id")
    ) as write:
        for row in covered_rows:
            write(row)
    result.covered = len(covered_rows)
    done(Phase("联合科协覆盖", result.covered, time.perf_counter() - t))
    _members(total, weights, joints, result, done, now)


# One pass writing five million people and memberships (see ``_load``).
def _members(total, weights, joints, result: NationalResult, done: Callable[[Phase], None], now) -> None:  # noqa: C901
    """People with an approved membership: each enterprise 科协 gets members in proportion to its S&T
    workers (employees ÷ 8 when unknown), each joint 科协 about 15 per covered enterprise, scaled so
    the batch holds ``MEMBERS_PER_ENTERPRISE`` members per enterprise. Written with COPY; the people
    and membership tables' indexes and foreign keys are rebuilt afterwards."""
    target = int(total * MEMBERS_PER_ENTERPRISE)
    plan = [(aid, [eid], w, founded) for aid, eid, w, founded in weights]
    plan += [(aid, covered, 15 * len(covered), founded) for aid, covered, founded in joints]
    weight_sum = sum(p[2] for p in plan) or 1
    factor = target / weight_sum
    if not plan:
        return
    rng = random.Random(SEED + 5)
    r = rng.random
    choices = rng.choices

    def table(pairs):
        values = [v for v, _ in pairs]
        cum, acc = [], 0.0
        for _, w in pairs:
            acc += w
            cum.append(acc)
        return values, cum

    sexes, educations, titles, politicals = (table(x) for x in (_SEX, _EDUCATION, _TITLE, _POLITICAL))
    this_year = timezone.localdate().year
    births = [f"{y}-{m:02d}" for y in range(this_year - 62, this_year - 21) for m in range(1, 13)]
    # Ages bunch in the thirties and forties: a triangular weight over the years.
    birth_weights = [1 + min(i, len(births) - i) for i in range(len(births))]
    birth_values, birth_cum = table(list(zip(births, birth_weights, strict=True)))
    people_names = _people_names(rng)
    n_names = len(people_names)
    prefixes = _PHONE_PREFIXES
    adapt_date = connection.ops.adapt_datefield_value
    approved = MembershipStatus.APPROVED.value

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"LOCK TABLE {_qn(Person._meta.db_table)}, {_qn(Membership._meta.db_table)} "
                "IN SHARE ROW EXCLUSIVE MODE"
            )
    p0 = (Person.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    t = time.perf_counter()
    deferred = [take_off_indexes(m._meta.db_table) for m in (Membership, Person)]
    sizes = [max(3, int(weight * factor + r())) for _, _, weight, _ in plan]
    # One COPY at a time on a connection: the people first, then their memberships.
    pid = p0
    with row_writer(Person._meta.db_table, PERSON_COLUMNS) as person:
        for (_, enterprises, _, _), n in zip(plan, sizes, strict=True):
            sex = choices(sexes[0], cum_weights=sexes[1], k=n)
            education = choices(educations[0], cum_weights=educations[1], k=n)
            title = choices(titles[0], cum_weights=titles[1], k=n)
            political = choices(politicals[0], cum_weights=politicals[1], k=n)
            birth = choices(birth_values, cum_weights=birth_cum, k=n)
            n_enterprises = len(enterprises)
            for i in range(n):
                level = title[i]
                person(
                    (
                        pid, people_names[int(r() * n_names)], sex[i], birth[i], education[i], political[i],
                        level, _TITLE_NAMES[level], "", f"{prefixes[int(r() * 33)]}{int(r() * 1e8):08d}",
                        "", "", "", "", "", "", "", "", "", "", "", "", "",
                        enterprises[i % n_enterprises], now, now,
                    )
                )  # fmt: skip
                pid += 1
    pid = p0
    with row_writer(Membership._meta.db_table, MEMBERSHIP_COLUMNS) as member:
        for (aid, _, _, founded), n in zip(plan, sizes, strict=True):
            joined = adapt_date(founded)
            for _ in range(n):
                member((pid, aid, approved, joined, "", now))
                pid += 1
    result.members = pid - p0
    done(Phase(MEMBERS_PHASE, result.members * 2, time.perf_counter() - t, f"{result.members:,} 人"))
    t = time.perf_counter()
    for d in deferred:
        put_back(d)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Person, Membership]):
            cursor.execute(sql)
    done(Phase(MEMBER_REBUILD_PHASE, 0, time.perf_counter() - t))


def _people_names(rng: random.Random) -> list[str]:
    """Forty thousand Chinese names from Faker's zh_CN lists (drawn once, deterministically)."""

    fake = Faker("zh_CN")
    fake.seed_instance(rng.randrange(1 << 30))
    return [fake.name() for _ in range(40_000)]
