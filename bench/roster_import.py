"""Benchmark of the 会员汇总表 import (read, judge, preview, commit) against django-import-export.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_roster_bench .venv/bin/python bench/roster_import.py
    KEXIE_VAR=/tmp/kexie-bench .venv/bin/python bench/roster_import.py                # SQLite

1. Creates the PostgreSQL database if it is missing, migrates it, loads the regions, and makes one
   bench enterprise 科协 with its secretary (no password is hashed anywhere).
2. Generates (once, cached under /tmp) a roster of ``--rows`` people (default 100,000) with xlsxwriter
   in the paper layout: a title row, a header merged over two rows, 12 columns of realistic Chinese
   values, about 1% bad cells (10-digit phones, wrong ID check digits, birth months in the future,
   unknown 民族, unknown 性别).
3. Deletes the bench 科协's earlier members, then imports the file the way the service does: read →
   judge (the preview) → commit in one transaction. Prints each phase, the total, and the process's
   peak resident memory.
4. Peer, in the same run (first, while the 科协 is empty): django-import-export (4.x, tablib + openpyxl) imports a ``--peer-rows`` slice
   of the same rows (a plain one-row header, which tablib needs) into the same table with a
   ModelResource matching people by phone, ``dry_run=True`` (every row is saved, then rolled back).
   Its time is extrapolated linearly to ``--rows`` and the ratio printed.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CACHE = Path(tempfile.gettempdir()) / "kexie-bench"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强志明海燕红梅玉兰晓东晓明文博浩然子涵欣怡宇轩梓萱一诺思远嘉怡俊杰"
EDUCATION = ["博士研究生", "硕士研究生", "大学本科", "本科", "大学专科", "大专", "中专", "高中"]
POLITICAL = ["中共党员", "群众", "共青团员", "民主党派", "中共预备党员", "无党派人士"]
TITLES = ["正高级工程师", "高级工程师", "工程师", "助理工程师", "研究员", "副研究员", "技术员", "中级", "无"]
POSITIONS = [
    "总经理",
    "副总经理",
    "总工程师",
    "技术部经理",
    "研发工程师",
    "工艺工程师",
    "质量主管",
    "技术员",
    "项目经理",
]
ETHNIC = ["汉族"] * 20 + ["回族", "满族", "蒙古族", "壮族", "土家族"]
HEADER = [
    "序号",
    "姓名",
    "性别",
    "出生年月",
    "文化程度",
    "政治面貌",
    "职称",
    "职务",
    "电话",
    "身份证号",
    "民族",
    "电子邮箱",
]
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--peer-rows", type=int, default=10_000)
    parser.add_argument("--skip-peer", action="store_true")
    parser.add_argument("--generate", metavar="PATH", help=argparse.SUPPRESS)  # in a child process
    return parser.parse_args()


def id_number(i: int) -> tuple[str, datetime.date]:
    born = datetime.date(1960, 1, 1) + datetime.timedelta(days=i % 15000)
    first17 = f"410102{born:%Y%m%d}{i // 15000:03d}"
    return first17 + CHECK[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11], born


def people(n: int, seed: int = 20261125):
    """Rows of the 12 columns; every 100th row has one bad cell (about 1%)."""
    rng = random.Random(seed)
    for i in range(n):
        number, born = id_number(i)
        sex = "男" if int(number[16]) % 2 else "女"
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
        birth = rng.choice(
            (f"{born.year}.{born.month:02d}", f"{born.year}-{born.month}", f"{born.year}年{born.month}月")
        )
        phone = f"13{i:09d}"
        if i % 3 == 0:
            phone = f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"
        row = [
            i + 1,
            name,
            sex,
            birth,
            rng.choice(EDUCATION),
            rng.choice(POLITICAL),
            rng.choice(TITLES),
            rng.choice(POSITIONS),
            phone,
            number,
            rng.choice(ETHNIC),
            f"user{i}@example.com" if i % 4 else "",
        ]
        if i % 100 == 50:
            bad = (i // 100) % 5
            if bad == 0:
                row[8] = f"13{i:08d}"  # 10 digits
            elif bad == 1:
                row[9] = number[:17] + ("0" if number[17] != "0" else "1")  # wrong check digit
            elif bad == 2:
                row[3] = "2099.01"  # in the future
            elif bad == 3:
                row[10] = "火星族"
            else:
                row[2] = "未知"
        yield row


def write_roster(path: Path, n: int) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))  # not constant_memory: the header merges over two rows
    sheet = book.add_worksheet("会员汇总表")
    bold = book.add_format({"bold": True, "align": "center", "border": 1})
    sheet.merge_range(0, 0, 0, len(HEADER) - 1, "河南罗斯特基准科技有限公司科协会员汇总表", bold)
    for col, label in enumerate(HEADER):
        if label in ("性别", "出生年月", "文化程度"):
            continue
        sheet.merge_range(1, col, 2, col, label, bold)
    sheet.merge_range(1, 2, 1, 4, "基本情况", bold)
    sheet.write_row(2, 2, ["性别", "出生年月", "文化程度"], bold)
    for r, row in enumerate(people(n), start=3):
        sheet.write_number(r, 0, row[0])
        for c in range(1, len(row)):
            if row[c]:
                sheet.write_string(r, c, row[c])
    book.close()


def write_plain(n: int) -> bytes:
    """The same rows with a one-row header (tablib reads the first row as the header)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    for r, row in enumerate(people(n), start=1):
        sheet.write_row(r, 0, [str(v) for v in row])
    book.close()
    return buffer.getvalue()


def ensure_database() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def bench_association():
    from kexie.accounts.enums import Role
    from kexie.accounts.models import RoleAssignment, User
    from kexie.associations.enums import Kind
    from kexie.associations.models import Association
    from kexie.enterprises.models import Enterprise

    enterprise, _ = Enterprise.objects.get_or_create(
        credit_code="91410102BENCH0001X",
        defaults={"name": "河南罗斯特基准科技有限公司", "region_id": "410102", "ownership": "private"},
    )
    parent = Association.objects.get(kind=Kind.LOCAL, region_id="410102")
    association, _ = Association.objects.get_or_create(
        enterprise=enterprise,
        kind=Kind.ENTERPRISE,
        defaults={"name": "河南罗斯特基准科技有限公司科学技术协会", "region_id": "410102", "parent": parent},
    )
    user = User.objects.filter(username="roster_bench").first()
    if user is None:
        user = User(username="roster_bench")
        user.set_unusable_password()  # no hashing
        user.save()
    RoleAssignment.objects.get_or_create(user=user, role=Role.SECRETARY, association=association)
    return association, User.objects.get(pk=user.pk)


def clear(association) -> None:
    """Delete the bench 科协's earlier members in SQL (Django's delete() would load them all)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_people AS "
            "SELECT person_id FROM members_membership WHERE association_id = %s",
            [association.pk],
        )
        cursor.execute("DELETE FROM members_membership WHERE association_id = %s", [association.pk])
        cursor.execute("DELETE FROM members_person WHERE id IN (SELECT person_id FROM bench_people)")
        cursor.execute("DROP TABLE bench_people")
    if connection.vendor == "postgresql":  # as autovacuum would after a mass delete
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE members_membership")
            cursor.execute("VACUUM ANALYZE members_person")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ours(path: Path, association, user) -> dict:
    from django.db import transaction

    from kexie.core.bulk import gc_paused
    from kexie.core.tabular import check_size
    from kexie.members.roster import importer, writing

    data = path.read_bytes()
    cpu = time.process_time()
    t0 = time.perf_counter()
    check_size(len(data))
    with gc_paused():  # as the service does
        table = importer.read_roster(data, filename=path.name)
        t1 = time.perf_counter()
        with transaction.atomic():
            writing._lock(association)
            plan = writing.commit_table(table, association, by=user)
            t2 = time.perf_counter()
    t3 = time.perf_counter()
    return {
        "cpu": time.process_time() - cpu,
        "read": t1 - t0,
        "judge+write": t2 - t1,
        "commit": t3 - t2,
        "total": t3 - t0,
        "plan": plan,
    }


def peer(n: int) -> float:
    import tablib
    from django.db import transaction
    from import_export import fields, resources

    from kexie.members.models import Person

    columns = dict(
        zip(
            HEADER[1:],
            [
                "name",
                "sex",
                "birth_month",
                "education",
                "political",
                "title_name",
                "position",
                "phone",
                "id_number",
                "ethnicity",
                "email",
            ],
            strict=True,
        )
    )

    class PersonResource(resources.ModelResource):
        class Meta:
            model = Person
            fields = tuple(columns.values())
            import_id_fields = ("phone",)

    for label, attribute in columns.items():
        PersonResource.fields[attribute] = fields.Field(attribute=attribute, column_name=label)

    data = write_plain(n)
    started = time.perf_counter()
    cpu = time.process_time()
    dataset = tablib.Dataset().load(data, format="xlsx")
    with transaction.atomic():
        result = PersonResource().import_data(dataset, dry_run=True, use_transactions=True)
    elapsed = time.perf_counter() - started
    print(f"  django-import-export CPU time {time.process_time() - cpu:.2f} s")
    print(f"  django-import-export: {n:,} rows in {elapsed:.2f} s ({len(result.rows):,} rows processed)")
    return elapsed


def main() -> int:
    args = parse_args()
    if args.generate:  # a child process, so that the generator's memory is not counted
        write_roster(Path(args.generate), args.rows)
        return 0
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kexie.settings")
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from kexie.demo.province import ensure_regions

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    ensure_regions()
    association, user = bench_association()
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"roster_{args.rows}.xlsx"
    if not path.exists():
        started = time.perf_counter()
        subprocess.run(  # noqa: S603 - this very script, with our own arguments
            [sys.executable, __file__, "--generate", str(path), "--rows", str(args.rows)], check=True
        )
        print(
            f"generated {path} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s"
        )
    peer_seconds = None
    if not args.skip_peer:
        # First, while the bench 科协 is empty as for our import (its rows are rolled back anyway).
        clear(association)
        peer_seconds = peer(args.peer_rows)
    clear(association)
    before = peak_mb()
    result = ours(path, association, user)
    plan = result["plan"]
    print(f"kexie import of {args.rows:,} rows ({path.stat().st_size / 1e6:.1f} MB xlsx):")
    print(f"  counts: {plan.counts} ({len(plan.errors)} refused cells)")
    for phase in ("read", "judge+write", "commit"):
        print(f"  {phase:<12}{result[phase]:6.2f} s")
    print(f"  total       {result['total']:6.2f} s   ({args.rows / result['total']:,.0f} rows/s)")
    print(f"  of which CPU time of this process {result['cpu']:.2f} s (the rest: PostgreSQL, waiting)")
    print(f"  peak RSS {peak_mb():.0f} MB (before the import: {before:.0f} MB)")
    if peer_seconds is not None:
        extrapolated = peer_seconds * args.rows / args.peer_rows
        note = "" if args.peer_rows == args.rows else f" (extrapolated linearly from {args.peer_rows:,} rows)"
        print(f"django-import-export for {args.rows:,} rows: {extrapolated:.1f} s{note}")
        print(f"ratio: kexie is {extrapolated / result['total']:.1f}x faster")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
