"""Benchmark of the coverage statistics at national scale (not a timed test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kexie_bench .venv/bin/kexie demo --scale national
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kexie_bench .venv/bin/python bench/coverage.py

Needs the national demo (1,000,000 enterprises, ~53,000 associations, 5.2 million members) and its
demo users. For each figure it prints p50/p95 over ``--repeat`` runs of:
- ours: ``kexie.coverage.selectors.coverage`` (national → provinces, 河南 → cities, 中原区) and the
  trend, as the dashboard and the API call them (figures, association counts, region names);
- the best hand-written SQL for the same numbers over the same precomputed tables (psycopg cursor,
  no ORM), and the ratio ours ÷ it;
- for reference, the same figure counted by hand-written SQL from the rows (no precomputation);
- the county drill-down page (GET /coverage/?region=410102 as the 中原区 staff, whole HTML page) and
  the list behind one of its numbers.
It also checks that ours and the SQL from the rows give the same national figure.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=None, help="default: $DATABASE_URL")
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--rows-repeat", type=int, default=3, help="runs of the from-the-rows SQL")
    return parser.parse_args()


def timed(fn, repeat: int) -> tuple[float, float, object]:
    """p50 and p95 in milliseconds (after one warm-up run), and the last result."""
    result = fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    return statistics.median(samples), p95, result


def main() -> int:
    args = parse_args()
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kexie.settings")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from kexie.accounts.models import User
    from kexie.coverage import selectors
    from kexie.coverage.definition import CoverageScope, parse_scope
    from kexie.coverage.services import ensure_current
    from kexie.demo.models import DemoBatch
    from kexie.enterprises.models import Enterprise
    from kexie.members.models import Membership
    from kexie.regions.models import Region

    settings.ALLOWED_HOSTS = ["*"]
    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}; load average {os.getloadavg()[0]:.1f}"
    )
    if not DemoBatch.objects.filter(scale="national").exists():
        print("no national demo here: run `kexie demo --scale national` first")
        return 1
    print(
        f"{Enterprise.objects.count():,} enterprises, "
        f"{Membership.objects.filter(status='approved').count():,} approved memberships"
    )
    started = time.perf_counter()
    ensure_current()
    print(f"coverage tables current ({(time.perf_counter() - started) * 1000:.0f} ms)\n")

    admin = User.objects.get(username="admin")
    henan_staff = User.objects.get(username="henan")
    county_staff = User.objects.get(username="zhongyuan")
    henan, zhongyuan = Region.objects.get(code="410000"), Region.objects.get(code="410102")
    everything = CoverageScope()
    raw = connection.cursor().cursor  # psycopg's own cursor: no ORM on the hand-written side

    def sql(query: str, params=()):
        raw.execute(query, params)
        return raw.fetchall()

    def hand_sums(parent: str, region: str | None):
        """The same numbers over the same tables in one statement (the best a hand could do): the
        children's sums and the region's own row (for the country, the sum of the provinces), and
        the distinct joint counts of the region and its children. No state check, no names."""
        where = "parent = %s" if region is None else "(parent = %s OR region = %s)"
        params = [parent] if region is None else [parent, region]
        return sql(
            "SELECT 1, region, SUM(in_scope), SUM(covered), SUM(own) FROM coverage_coveragetotal "  # noqa: S608
            f"WHERE {where} GROUP BY region "
            "UNION ALL SELECT 2, region, joint, 0, 0 FROM coverage_coveragejointtotal "
            'WHERE (parent = %s OR region = %s) AND "group" = %s',
            [*params, parent, region or "", "all"],
        )

    def hand_rows(prefix: str):
        """The national or provincial figure counted from the rows by hand-written SQL."""
        start = len(prefix) + 1
        return sql(
            f"""
            WITH live AS (
              SELECT id, kind, enterprise_id FROM associations_association
              WHERE kind IN ('enterprise', 'joint') AND status IN ('active', 'dissolved')
                AND (founded_on <= CURRENT_DATE OR (founded_on IS NULL AND status = 'active'))
                AND ((dissolved_on IS NULL AND status = 'active') OR (dissolved_on > CURRENT_DATE AND status = 'dissolved'))
            ), covered AS (
              SELECT enterprise_id FROM live WHERE kind = 'enterprise'
              UNION SELECT c.enterprise_id FROM associations_association_covered_enterprises c
                JOIN live ON live.id = c.association_id AND live.kind = 'joint'
            )
            SELECT substr(r.path, {start}, 6), COUNT(*), COUNT(cv.enterprise_id)
            FROM enterprises_enterprise e JOIN regions_region r ON r.code = e.region_id
            LEFT JOIN covered cv ON cv.enterprise_id = e.id
            WHERE r.path LIKE %s GROUP BY 1
            """,  # noqa: S608 (start is an int)
            [prefix + "%"],
        )

    rows = []

    def report(label: str, p50: float, p95: float, note: str = "") -> None:
        rows.append((label, p50, p95, note))
        print(f"  {label:<58} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms  {note}")

    print("figures (region + every child region):")
    cases = [
        ("national → 34 provinces", admin, None, "", None, ""),
        ("河南 → 18 cities", henan_staff, henan, "410000", "410000", "410000/"),
        ("中原区 (county)", county_staff, zhongyuan, "410102", "410102", None),
    ]
    for label, user, region, parent, code, prefix in cases:
        p50, p95, ours = timed(lambda u=user, r=region: selectors.coverage(u, r, everything), args.repeat)
        h50, h95, hand = timed(lambda p=parent, c=code: hand_sums(p, c), args.repeat)
        sums = [r for r in hand if r[0] == 1 and (code is None or r[1] == code)]
        joints = {r[1]: r[2] for r in hand if r[0] == 2}
        agrees = (sum(r[2] for r in sums), sum(r[3] for r in sums), joints.get(code or "")) == (
            ours.total.in_scope,
            ours.total.covered,
            ours.total.joint_associations,
        ) and all(joints.get(f.code, 0) == f.joint_associations for f in ours.children)
        report(
            f"ours: {label}",
            p50,
            p95,
            f"in scope {ours.total.in_scope:,}, covered {ours.total.covered:,}, "
            f"rate {ours.total.rate_percent}, 企业科协 {ours.total.enterprise_associations:,}, "
            f"联合科协 {ours.total.joint_associations:,}",
        )
        report(
            f"hand SQL, same tables: {label}",
            h50,
            h95,
            f"ratio ours ÷ hand SQL: p50 {p50 / h50:.2f}×, p95 {p95 / h95:.2f}×; same figures: {agrees}",
        )
        if prefix is not None:
            r50, r95, counted = timed(lambda p=prefix: hand_rows(p), args.rows_repeat)
            in_scope = sum(n for _, n, _ in counted)
            covered = sum(c for _, _, c in counted)
            same = (in_scope, covered) == (ours.total.in_scope, ours.total.covered)
            by_child = {child: (n, c) for child, n, c in counted}
            same = same and all(
                by_child.get(f.code, (0, 0)) == (f.in_scope, f.covered) for f in ours.children
            )
            report(f"hand SQL from the rows: {label}", r50, r95, f"same figures: {same}")

    print("\nother scopes and the trend:")
    high_tech = parse_scope({"is_high_tech": "1"})
    p50, p95, _ = timed(lambda: selectors.coverage(admin, None, high_tech), max(5, args.repeat // 4))
    report("ours: national, high-tech only (fine cells)", p50, p95)
    p50, p95, _ = timed(lambda: selectors.coverage(henan_staff, henan, high_tech), max(5, args.repeat // 4))
    report("ours: 河南, high-tech only (fine cells)", p50, p95)
    import datetime

    past = datetime.date.today() - datetime.timedelta(days=365)
    p50, p95, _ = timed(lambda: selectors.coverage(henan_staff, henan, everything, past), 3)
    report("ours: 河南 a year ago (counted from the rows)", p50, p95)
    p50, p95, _ = timed(lambda: selectors.trend(admin, None, everything), args.repeat)
    report("ours: national trend, 24 month ends (kept month rows)", p50, p95)
    p50, p95, _ = timed(lambda: selectors.trend(henan_staff, henan, everything), args.repeat)
    report("ours: 河南 trend", p50, p95)
    p50, p95, _ = timed(lambda: selectors.trend(henan_staff, henan, high_tech), 3)
    report("ours: 河南 trend, high-tech only (spans from the rows)", p50, p95)

    print("\npages (whole HTML response, as the 中原区 staff):")
    client = Client()
    client.force_login(county_staff)

    def page(url: str):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    p50, p95, _ = timed(lambda: page("/"), args.repeat)
    report("GET / (home page: the platform's floor for any page)", p50, p95)
    p50, p95, _ = timed(lambda: page("/coverage/?region=410102"), args.repeat)
    report("GET /coverage/?region=410102 (county drill-down page)", p50, p95)
    p50, p95, _ = timed(lambda: page("/coverage/list/?region=410102&list=uncovered"), args.repeat)
    report("GET /coverage/list/?region=410102&list=uncovered", p50, p95)
    staff_client = Client()
    staff_client.force_login(henan_staff)
    p50, p95, _ = timed(lambda: staff_client.get("/coverage/?region=410000"), args.repeat)
    report("GET /coverage/?region=410000 (province page, as 河南 staff)", p50, p95)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
