"""Benchmark of ``kexie demo --scale national`` against Django's plain ``bulk_create``.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kexie_bench .venv/bin/python bench/demo_national.py
    KEXIE_VAR=/tmp/kexie-bench .venv/bin/python bench/demo_national.py            # SQLite

1. Migrates the database, loads the regions and the province demo if they are missing.
2. Runs the national load (``--enterprises``, default 1,000,000; an earlier national batch is deleted
   first) and prints each phase with its rows/s.
3. Peer, measured in the same run: one sample of ``--sample`` rows (default 100,000) from the same
   generator is written twice, once through the COPY/executemany path and once through
   ``Enterprise.objects.bulk_create`` with default arguments, each in a transaction that is rolled
   back, alternating and best of ``--repeat``. Both write into the full table with all its indexes.
   Prints both rates and their ratio.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url", default=None, help="default: $DATABASE_URL, else SQLite under $KEXIE_VAR"
    )
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--skip-national", action="store_true", help="only the sample comparison")
    return parser.parse_args()


class Rollback(Exception):
    pass


def timed_and_rolled_back(fn) -> float:
    from django.db import transaction

    started = time.perf_counter()
    elapsed = 0.0
    try:
        with transaction.atomic():
            fn()
            elapsed = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    return elapsed


def main() -> int:
    args = parse_args()
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kexie.settings")
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection

    from kexie.demo import generate
    from kexie.demo.national import Phase, load_national, write_enterprise_rows
    from kexie.demo.province import ensure_regions, load_province_demo
    from kexie.enterprises.models import Enterprise

    settings = connection.settings_dict
    print(f"database: {connection.vendor} {settings['NAME']}")
    call_command("migrate", verbosity=0)
    ensure_regions()
    load_province_demo()

    if not args.skip_national:
        print(f"\nnational load, {args.enterprises:,} enterprises:")

        def report(phase: Phase) -> None:
            rate = f"{phase.rate:>12,.0f} rows/s" if phase.rows and phase.seconds else ""
            note = f"  ({phase.note})" if phase.note else ""
            print(f"  {phase.name:<12} {phase.rows:>10,} rows {phase.seconds:>7.1f} s {rate}{note}")

        result = load_national(args.enterprises, reset=True, report=report)
        rows_total = result.enterprises + result.associations + result.covered
        print(
            f"  total {result.seconds:.1f} s (without deleting an old batch): {result.enterprises:,} enterprises, "
            f"{result.associations:,} associations, {result.covered:,} covered rows\n"
            f"  enterprises incl. index rebuild: {result.enterprise_rate:,.0f} rows/s; "
            f"all rows end to end: {rows_total / result.seconds:,.0f} rows/s"
        )

    # The peer: the same sample rows through both paths.
    gen = generate.EnterpriseGenerator(seed=generate.SEED + 9, serial_start=40_000_000, name_offset=20_000)
    sample = [row for county, n in generate.national_plan(args.sample) for row in gen.rows(county, n)]
    columns = generate.ENTERPRISE_COLUMNS

    def copy_path() -> None:
        write_enterprise_rows(sample)

    def bulk_create() -> None:
        Enterprise.objects.bulk_create([Enterprise(**dict(zip(columns, row, strict=True))) for row in sample])

    best = {"copy": float("inf"), "bulk_create": float("inf")}
    for _ in range(args.repeat):
        best["bulk_create"] = min(best["bulk_create"], timed_and_rolled_back(bulk_create))
        best["copy"] = min(best["copy"], timed_and_rolled_back(copy_path))
    path = "COPY (psycopg write_row)" if connection.vendor == "postgresql" else "executemany (sqlite3)"
    copy_rate = len(sample) / best["copy"]
    bulk_rate = len(sample) / best["bulk_create"]
    print(f"\npeer, {len(sample):,}-row sample into the full table (best of {args.repeat}, rolled back):")
    print(f"  {path:<26} {best['copy']:>7.2f} s {copy_rate:>12,.0f} rows/s")
    print(f"  {'bulk_create (defaults)':<26} {best['bulk_create']:>7.2f} s {bulk_rate:>12,.0f} rows/s")
    print(f"  ratio COPY-path ÷ bulk_create: {copy_rate / bulk_rate:.1f}×")
    if not args.skip_national:
        print(
            f"  ratio national load (enterprises incl. index rebuild) ÷ bulk_create: {result.enterprise_rate / bulk_rate:.1f}×"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
