"""Benchmark of the 会员汇总表 export (paper layout, phones masked) against django-import-export.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_roster_bench .venv/bin/python bench/roster_export.py

Run ``bench/roster_import.py`` first: it fills the bench 科协 with its 100,000 members. Exports them
as xlsx (the target: 100,000 rows in at most 2 s) and as docx, and, as the peer in the same run,
django-import-export's ``ModelResource.export()`` + ``Dataset.export("xlsx")`` of the same people
(paper columns; ``--peer-rows`` of them, extrapolated linearly), and prints the ratio.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--peer-rows", type=int, default=20_000)
    parser.add_argument("--skip-docx", action="store_true")
    return parser.parse_args()


def timed(fn):
    cpu, started = time.process_time(), time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started, time.process_time() - cpu


def peer(association, n: int) -> float:
    from import_export import fields, resources

    from kexie.members.models import Person

    columns = {
        "name": "姓名",
        "sex": "性别",
        "birth_month": "出生年月",
        "education": "文化程度",
        "political": "政治面貌",
        "title_name": "职称",
        "position": "职务",
        "phone": "电话",
    }

    class PersonResource(resources.ModelResource):
        class Meta:
            model = Person
            fields = tuple(columns)

    for attribute, label in columns.items():
        PersonResource.fields[attribute] = fields.Field(attribute=attribute, column_name=label)

    ids = Person.objects.filter(memberships__association=association).order_by("pk").values("pk")[:n]
    queryset = Person.objects.filter(pk__in=ids)
    _data, elapsed, cpu = timed(lambda: PersonResource().export(queryset=queryset).export("xlsx"))
    print(f"  django-import-export: {n:,} rows in {elapsed:.2f} s (CPU {cpu:.2f} s)")
    return elapsed


def main() -> int:
    args = parse_args()
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kexie.settings")
    import django

    django.setup()
    from django.db import connection
    from roster_import import bench_association

    from kexie.members.roster.export import export_roster

    association, user = bench_association()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    export, elapsed, cpu = timed(lambda: export_roster(association.pk, by=user, fmt="xlsx"))
    if export.rows == 0:
        print("the bench 科协 has no members: run bench/roster_import.py first")
        return 1
    print(
        f"kexie xlsx export of {export.rows:,} rows: {elapsed:.2f} s (CPU {cpu:.2f} s), {len(export.content) / 1e6:.1f} MB"
    )
    if not args.skip_docx:
        docx, d_elapsed, d_cpu = timed(lambda: export_roster(association.pk, by=user, fmt="docx"))
        print(
            f"kexie docx export of {docx.rows:,} rows: {d_elapsed:.2f} s (CPU {d_cpu:.2f} s), {len(docx.content) / 1e6:.1f} MB"
        )
    n = min(args.peer_rows, export.rows)
    extrapolated = peer(association, n) * export.rows / n
    note = "" if n == export.rows else f" (extrapolated linearly from {n:,} rows)"
    print(f"  django-import-export for {export.rows:,} rows: {extrapolated:.1f} s{note}")
    print(f"  ratio: kexie xlsx export is {extrapolated / elapsed:.1f}x faster")
    print(f"  load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
