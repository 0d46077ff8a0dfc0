"""Keeping the coverage tables equal to the rows.

The apps below announce what they change (an enterprise created, edited or moved; an association
created, founded, abandoned or dissolved); coverage notes the counties concerned in its outbox
(``receivers``, ``PendingCounty``) inside the writer's transaction, and the next read of the figures
(``ensure_current``) counts those counties again from their rows (cheap: a few grouped queries over one
county's enterprises), then sums their city, province and the country again from the county rows.
``rebuild`` counts everything again (end of the demo loads, ``recount_stats --fix``); ``recount``
compares every stored row with a fresh count from the rows.
"""

from __future__ import annotations

import calendar
import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.utils import timezone

from kexie.associations.enums import Kind, Status
from kexie.associations.models import Association
from kexie.core.bulk import insert
from kexie.coverage.definition import SCOPE_FLAGS, covered_q, covering_associations
from kexie.enterprises.enums import STATE_OWNED
from kexie.enterprises.models import Enterprise
from kexie.regions.models import Region

from .models import (
    CoverageCell,
    CoverageJoint,
    CoverageJointTotal,
    CoverageMonth,
    CoverageState,
    CoverageTotal,
    PendingCounty,
)

# S&T-worker thresholds answered from the cells; any other ``st_workers_min`` is counted from rows.
ST_THRESHOLDS = (0, 1, 10, 50, 100, 500, 1000)
TREND_MONTHS = 24

CellKey = tuple[str, str, str, int, int]  # county, ownership, industry, flags, st_bucket
JointKey = tuple[int, str, str, str, int, int]  # association, county, ownership, industry, flags, st_bucket
MonthKey = tuple[str, str, datetime.date]  # region, ownership, day


# --- the month ends of the trend -----------------------------------------------------------------


def month_ends(today: datetime.date, months: int = TREND_MONTHS) -> list[datetime.date]:
    """The last day of each of the ``months - 1`` months before this one, then today."""
    days = [today]
    year, month = today.year, today.month
    for _ in range(months - 1):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        days.append(datetime.date(year, month, calendar.monthrange(year, month)[1]))
    return sorted(days)


def stored_days(as_of: datetime.date) -> list[datetime.date]:
    """The month ends kept in ``CoverageMonth`` (the trend's last point, today, is the totals)."""
    return month_ends(as_of)[:-1]


def covering_span(status: str, founded: datetime.date | None, dissolved: datetime.date | None):
    """The days an association covers, as (start, end) with end excluded (None = unbounded),
    exactly as ``covering_associations``; None when it covers no day."""
    if status == Status.ACTIVE:
        return None if dissolved is not None else (founded, None)
    if status == Status.DISSOLVED and founded is not None and dissolved is not None:
        return (founded, dissolved)
    return None


def merged_spans(spans: Iterable[tuple]) -> list[list[datetime.date]]:
    low, high = datetime.date.min, datetime.date.max
    merged: list[list[datetime.date]] = []
    for start, end in sorted((s or low, e or high) for s, e in spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def enterprise_spans(enterprises) -> dict[int, tuple[str, str, list[tuple]]]:
    """For the enterprises of the queryset ``enterprises``: (county, ownership, spans of every
    enterprise or joint 科协 that covers them on some day), for those with at least one."""
    ids = enterprises.values("pk")
    statuses = (Status.ACTIVE, Status.DISSOLVED)
    through = Association.covered_enterprises.through
    fields = ("enterprise_id", "enterprise__region_id", "enterprise__ownership")
    own = Association.objects.filter(
        kind=Kind.ENTERPRISE, status__in=statuses, enterprise_id__in=ids
    ).values_list(*fields, "status", "founded_on", "dissolved_on")
    joint = through.objects.filter(
        association__kind=Kind.JOINT, association__status__in=statuses, enterprise_id__in=ids
    ).values_list(*fields, "association__status", "association__founded_on", "association__dissolved_on")
    spans: dict[int, tuple[str, str, list[tuple]]] = {}
    for rows in (own, joint):
        for enterprise_id, region, ownership, status, founded, dissolved in rows.iterator(chunk_size=10_000):
            span = covering_span(status, founded, dissolved)
            if span is not None:
                spans.setdefault(enterprise_id, (region, ownership, []))[2].append(span)
    return spans


# --- counting from the rows ----------------------------------------------------------------------


def _flags_expression(prefix: str = ""):
    expression: Any = Value(0)
    for bit, flag in enumerate(SCOPE_FLAGS):
        expression = expression + Case(When(**{prefix + flag: True}, then=Value(1 << bit)), default=Value(0))
    return expression


def _bucket_expression(prefix: str = ""):
    whens = [When(**{prefix + "st_workers__isnull": True}, then=Value(0))]
    for index in range(len(ST_THRESHOLDS) - 1, -1, -1):
        whens.append(When(**{prefix + "st_workers__gte": ST_THRESHOLDS[index]}, then=Value(index + 1)))
    return Case(*whens, default=Value(0), output_field=IntegerField())


def _in_counties(qs, counties, lookup: str):
    return qs if counties is None else qs.filter(**{f"{lookup}__in": list(counties)})


def count_cells(counties: Iterable[str] | None, on: datetime.date) -> dict[CellKey, tuple[int, int, int]]:
    """The cells of ``counties`` (all when None) counted from the rows as of ``on``."""
    keys = ("region_id", "ownership", "industry", "_flags", "_bucket")
    rows = (
        _in_counties(Enterprise.objects.order_by(), counties, "region_id")
        .annotate(
            _flags=_flags_expression(),
            _bucket=_bucket_expression(),
            _covered=Case(When(covered_q(on), then=Value(1)), default=Value(0), output_field=IntegerField()),
        )
        .values(*keys)
        .annotate(n=Count("pk"), c=Sum("_covered"))
    )
    cells = {tuple(r[k] for k in keys): [r["n"], r["c"] or 0, 0] for r in rows}
    own_keys = ("enterprise__region_id", "enterprise__ownership", "enterprise__industry", "_flags", "_bucket")
    own = (
        _in_counties(
            covering_associations(on).filter(kind=Kind.ENTERPRISE).order_by(),
            counties,
            "enterprise__region_id",
        )
        .annotate(_flags=_flags_expression("enterprise__"), _bucket=_bucket_expression("enterprise__"))
        .values(*own_keys)
        .annotate(n=Count("pk"))
    )
    for r in own:
        cells[tuple(r[k] for k in own_keys)][2] = r["n"]
    return {key: tuple(v) for key, v in cells.items()}


def count_joint(counties: Iterable[str] | None, on: datetime.date) -> set[JointKey]:
    through = Association.covered_enterprises.through
    keys = (
        "association_id",
        "enterprise__region_id",
        "enterprise__ownership",
        "enterprise__industry",
        "_flags",
        "_bucket",
    )
    rows = (
        _in_counties(
            through.objects.filter(
                association__in=covering_associations(on).filter(kind=Kind.JOINT)
            ).order_by(),
            counties,
            "enterprise__region_id",
        )
        .annotate(_flags=_flags_expression("enterprise__"), _bucket=_bucket_expression("enterprise__"))
        .values_list(*keys)
        .distinct()
    )
    return set(rows)


def count_months(counties: Iterable[str] | None, days: list[datetime.date]) -> dict[MonthKey, int]:
    """Enterprises covered at each of ``days``, per county and ownership (the leaf month rows)."""
    spans = enterprise_spans(_in_counties(Enterprise.objects.all(), counties, "region_id"))
    counts: Counter = Counter()
    for region, ownership, spans_ in spans.values():
        merged = merged_spans(spans_)
        for day in days:
            if any(start <= day < end for start, end in merged):
                counts[(region, ownership, day)] += 1
    return dict(counts)


# --- regions as chains of codes ------------------------------------------------------------------


def chains(counties: Iterable[str]) -> dict[str, list[str]]:
    """The codes of each county's path, from the province down to the county."""
    return {
        code: [p for p in path.split("/") if p]
        for code, path in Region.objects.filter(code__in=list(counties)).values_list("code", "path")
    }


def _province_city(chain: list[str]) -> tuple[str, str]:
    return chain[0], chain[1] if len(chain) > 1 else chain[0]


# --- writing ---------------------------------------------------------------------------------------


def _write_leaves(counties: Iterable[str] | None, on: datetime.date, paths: dict[str, list[str]]) -> None:
    """Count the counties (all when None) from the rows and replace their leaf rows."""
    cells = count_cells(counties, on)
    joint = count_joint(counties, on)
    months = count_months(counties, stored_days(on))
    if counties is None:
        CoverageCell.objects.all().delete()
        CoverageJoint.objects.all().delete()
        CoverageMonth.objects.all().delete()
    else:
        counties = list(counties)
        CoverageCell.objects.filter(county_id__in=counties).delete()
        CoverageJoint.objects.filter(county__in=counties).delete()
        CoverageMonth.objects.filter(region__in=counties, leaf=True).delete()
    insert(
        CoverageCell,
        (
            "county_id",
            "province",
            "city",
            "ownership",
            "industry",
            "flags",
            "st_bucket",
            "in_scope",
            "covered",
            "own",
        ),
        [(k[0], *_province_city(paths[k[0]]), *k[1:], *v) for k, v in cells.items()],
    )
    insert(
        CoverageJoint,
        ("association_id", "county", "province", "city", "ownership", "industry", "flags", "st_bucket"),
        [(k[0], k[1], *_province_city(paths[k[1]]), *k[2:]) for k in joint],
    )
    insert(
        CoverageMonth,
        ("region", "parent", "province", "city", "leaf", "ownership", "day", "covered"),
        [
            (
                k[0],
                paths[k[0]][-2] if len(paths[k[0]]) > 1 else "",
                *_province_city(paths[k[0]]),
                True,
                k[1],
                k[2],
                n,
            )
            for k, n in months.items()
        ],
    )


def ownership_group(ownership: str) -> str:
    return "state" if ownership in STATE_OWNED else "nonstate"


def joint_totals(pairs: Iterable[tuple[str, int, str]]) -> dict[tuple[str, str], int]:
    """(region, association, ownership) → distinct joint 科协 per (region, group)."""
    seen: dict[tuple[str, str], set[int]] = defaultdict(set)
    for region, association, ownership in pairs:
        seen[(region, "all")].add(association)
        seen[(region, ownership_group(ownership))].add(association)
    return {key: len(ids) for key, ids in seen.items()}


def _write_sums(regions: dict[int, set[str]], parents: dict[str, str]) -> None:
    """Sum the totals (every level, from the cells) and the month rows (provinces and cities, from
    the county leaves) of ``regions`` ({depth in the path: codes}; None = all)."""
    columns = {0: "province", 1: "city", 2: "county_id"}
    for depth, chosen in regions.items():
        if not chosen:
            continue
        codes = sorted(chosen)
        CoverageTotal.objects.filter(region__in=codes).delete()
        column = columns[depth]
        rows = (
            CoverageCell.objects.filter(**{f"{column}__in": codes})
            .values(column, "ownership")
            .annotate(i=Sum("in_scope"), c=Sum("covered"), o=Sum("own"))
            .order_by()
        )
        insert(
            CoverageTotal,
            ("region", "parent", "ownership", "in_scope", "covered", "own"),
            [(r[column], parents[r[column]], r["ownership"], r["i"], r["c"], r["o"]) for r in rows],
        )
        CoverageJointTotal.objects.filter(region__in=codes).delete()
        joint_column = {0: "province", 1: "city", 2: "county"}[depth]
        pairs = (
            CoverageJoint.objects.filter(**{f"{joint_column}__in": codes})
            .values_list(joint_column, "association_id", "ownership")
            .distinct()
        )
        insert(
            CoverageJointTotal,
            ("region", "parent", "group", "joint"),
            [(region, parents[region], group, n) for (region, group), n in joint_totals(pairs).items()],
        )
    _write_month_sums({d: c for d, c in regions.items() if d < 2}, parents)


def _write_month_sums(regions: dict[int, set[str]], parents: dict[str, str]) -> None:
    """Sum the county leaves of ``CoverageMonth`` into the month rows of the given provinces (depth
    0) and cities (depth 1)."""
    for depth, chosen in regions.items():
        if not chosen:
            continue
        month_column = "province" if depth == 0 else "city"
        # A county directly under a province is its own leaf at depth 1: no sum for it.
        codes = [c for c in chosen if not (depth == 1 and parents.get(f"leaf:{c}"))]
        CoverageMonth.objects.filter(region__in=codes, leaf=False).delete()
        rows = (
            CoverageMonth.objects.filter(leaf=True, **{f"{month_column}__in": codes})
            .values(month_column, "ownership", "day")
            .annotate(n=Sum("covered"))
            .order_by()
        )
        insert(
            CoverageMonth,
            ("region", "parent", "province", "city", "leaf", "ownership", "day", "covered"),
            [
                (
                    r[month_column],
                    parents[r[month_column]],
                    r[month_column] if depth == 0 else parents[r[month_column]],
                    "" if depth == 0 else r[month_column],
                    False,
                    r["ownership"],
                    r["day"],
                    r["n"],
                )
                for r in rows
            ],
        )


def _write_national_joint() -> None:
    """The country's joint 科协 counted distinct (a joint 科协 may cover enterprises of two provinces);
    its row has region "" and parent "*", so it is nobody's child."""
    CoverageJointTotal.objects.filter(region="").delete()
    pairs = (
        ("", a, o) for a, o in CoverageJoint.objects.values_list("association_id", "ownership").distinct()
    )
    insert(
        CoverageJointTotal,
        ("region", "parent", "group", "joint"),
        [(region, "*", group, n) for (region, group), n in joint_totals(pairs).items()],
    )


def _regions_of(paths: dict[str, list[str]]) -> tuple[dict[int, set[str]], dict[str, str]]:
    regions: dict[int, set[str]] = {0: set(), 1: set(), 2: set()}
    parents: dict[str, str] = {}
    for county, chain in paths.items():
        for depth, code in enumerate(chain):
            regions[depth].add(code)
            parents[code] = chain[depth - 1] if depth else ""
        if len(chain) == 2:
            parents[f"leaf:{county}"] = "1"
    return regions, parents


def _all_paths() -> dict[str, list[str]]:
    return {
        code: [p for p in path.split("/") if p]
        for code, path in Region.objects.filter(level=Region.Level.COUNTY).values_list("code", "path")
    }


@transaction.atomic
def rebuild(on: datetime.date | None = None) -> int:
    """Count every table again from the rows (which also answers every change noted so far). Returns
    the number of cells."""
    on = on or timezone.localdate()
    handled = list(PendingCounty.objects.values_list("pk", flat=True))
    paths = _all_paths()
    _write_leaves(None, on, paths)
    CoverageTotal.objects.all().delete()
    CoverageJointTotal.objects.all().delete()
    CoverageMonth.objects.filter(leaf=False).delete()
    _write_sums(*_regions_of(paths))
    _write_national_joint()
    CoverageState.objects.all().delete()
    CoverageState.objects.create(as_of=on)
    PendingCounty.objects.filter(pk__in=handled).delete()
    return CoverageCell.objects.count()


def _refresh(counties: set[str], on: datetime.date) -> None:
    paths = chains(counties)
    counties = set(paths)
    if not counties:
        return
    _write_leaves(counties, on, paths)
    _write_sums(*_regions_of(paths))
    _write_national_joint()


def _changed_between(start: datetime.date, end: datetime.date) -> set[int]:
    """Covering associations whose founding or dissolution date lies in (start, end]."""
    low, high = min(start, end), max(start, end)
    return set(
        Association.objects.filter(kind__in=(Kind.ENTERPRISE, Kind.JOINT))
        .filter(Q(founded_on__gt=low, founded_on__lte=high) | Q(dissolved_on__gt=low, dissolved_on__lte=high))
        .values_list("pk", flat=True)
    )


def counties_of(
    *,
    enterprise_ids: Iterable[int] = (),
    association_ids: Iterable[int] = (),
    region_codes: Iterable[str] = (),
) -> set[str]:
    """The counties whose rows the given enterprises and associations touch."""
    counties = {c for c in region_codes if c}
    enterprise_ids = set(enterprise_ids)
    association_ids = set(association_ids)
    if association_ids:
        enterprise_ids |= set(
            Association.objects.filter(pk__in=association_ids, enterprise__isnull=False).values_list(
                "enterprise_id", flat=True
            )
        )
        through = Association.covered_enterprises.through
        enterprise_ids |= set(
            through.objects.filter(association_id__in=association_ids).values_list("enterprise_id", flat=True)
        )
    if enterprise_ids:
        counties |= set(Enterprise.objects.filter(pk__in=enterprise_ids).values_list("region_id", flat=True))
    return counties


def _roll_months(old: datetime.date, today: datetime.date, paths: dict[str, list[str]]) -> None:
    """The trend's month ends moved (a new month began since ``old``): drop the leaf month rows of the
    days no longer kept, count each new month end from the rows — one grouped query per day, with
    ``covered_q``, the definition — and sum every province and city again."""
    keep = stored_days(today)
    new_days = sorted(set(keep) - set(stored_days(old)))
    CoverageMonth.objects.filter(leaf=True).exclude(day__in=keep).delete()
    CoverageMonth.objects.filter(leaf=True, day__in=new_days).delete()
    rows = []
    for day in new_days:
        counted = (
            Enterprise.objects.filter(covered_q(day))
            .values_list("region_id", "ownership")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for county, ownership, n in counted:
            chain = paths.get(county)
            if chain is None:  # an enterprise outside any county: not in the cells either
                continue
            parent = chain[-2] if len(chain) > 1 else ""
            rows.append((county, parent, *_province_city(chain), True, ownership, day, n))
    insert(
        CoverageMonth, ("region", "parent", "province", "city", "leaf", "ownership", "day", "covered"), rows
    )
    regions, parents = _regions_of(paths)
    _write_month_sums({0: regions[0], 1: regions[1]}, parents)


def ensure_current(today: datetime.date | None = None) -> CoverageState:
    """Bring the tables to today and to every change announced so far: built once when missing; the
    counties noted in ``PendingCounty`` (the outbox the writes fill) are counted again and their rows
    removed; when the day changed, so are the counties where a covering association was founded or
    dissolved in between; when the month changed, the trend's month ends move too (``_roll_months``).
    All in one transaction, one at a time (a second reader waits, then finds nothing left to do)."""
    today = today or timezone.localdate()
    state = CoverageState.objects.first()
    if state is not None and state.as_of == today and not PendingCounty.objects.exists():
        return state
    with transaction.atomic():
        state = CoverageState.objects.select_for_update().first()
        new_month = state is not None and (state.as_of.year, state.as_of.month) != (today.year, today.month)
        if state is None or (new_month and today < state.as_of):  # (back in time: tests, clocks)
            rebuild(today)
            return CoverageState.objects.get()
        if new_month:
            _roll_months(state.as_of, today, _all_paths())
        pending = dict(PendingCounty.objects.values_list("pk", "county"))
        counties = set(pending.values())
        if state.as_of != today:
            counties |= counties_of(association_ids=_changed_between(state.as_of, today))
        if counties:
            _refresh(counties, today)
        PendingCounty.objects.filter(pk__in=list(pending)).delete()
        if state.as_of != today:
            state.as_of = today
            state.save()
    return state


# --- checking ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    table: str
    key: tuple
    stored: object
    counted: object

    def __str__(self) -> str:
        return f"{self.table} {self.key}: stored {self.stored} counted {self.counted}"


def _compare(table: str, stored: dict, counted: dict) -> list[Difference]:
    return [
        Difference(table, key, stored.get(key), counted.get(key))
        for key in sorted(set(stored) | set(counted), key=lambda k: tuple(str(x) for x in k))
        if stored.get(key) != counted.get(key)
    ]


def recount(*, fix: bool = False) -> list[Difference]:
    """Compare every stored row with a count from the rows (cells, joint rows, county month rows,
    and the totals and month sums derived from them); with ``fix``, rebuild. Returns the
    differences found (before fixing)."""
    state = ensure_current()
    paths = _all_paths()
    cells = count_cells(None, state.as_of)
    joint = count_joint(None, state.as_of)
    months = count_months(None, stored_days(state.as_of))
    stored_cells = {
        r[:5]: tuple(r[5:])
        for r in CoverageCell.objects.values_list(
            "county_id", "ownership", "industry", "flags", "st_bucket", "in_scope", "covered", "own"
        )
    }
    cell_places = {
        (county, province, city)
        for county, province, city in CoverageCell.objects.values_list(
            "county_id", "province", "city"
        ).distinct()
    }
    differences = _compare("cell", stored_cells, cells)
    differences += [
        Difference("cell place", (county,), (province, city), _province_city(paths.get(county, [county])))
        for county, province, city in cell_places
        if (province, city) != _province_city(paths.get(county, [county]))
    ]
    stored_joint = set(
        CoverageJoint.objects.values_list(
            "association_id", "county", "ownership", "industry", "flags", "st_bucket"
        )
    )
    differences += _compare("joint", {k: 1 for k in stored_joint}, {k: 1 for k in joint})
    totals: Counter = Counter()
    sums: Counter = Counter()
    for (county, ownership, *_), (n, c, o) in cells.items():
        for code in paths[county]:
            totals[(code, ownership, "in_scope")] += n
            totals[(code, ownership, "covered")] += c
            totals[(code, ownership, "own")] += o
    expected_totals = {
        (code, own): (
            totals[(code, own, "in_scope")],
            totals[(code, own, "covered")],
            totals[(code, own, "own")],
        )
        for code, own, field in totals
        if field == "in_scope"
    }
    stored_totals = {
        (r[0], r[1]): tuple(r[2:])
        for r in CoverageTotal.objects.values_list("region", "ownership", "in_scope", "covered", "own")
    }
    differences += _compare("total", stored_totals, expected_totals)
    for (county, ownership, day), n in months.items():
        for code in paths[county]:
            sums[(code, ownership, day)] += n
    expected_joint = joint_totals(
        (code, association, ownership)
        for association, county, ownership, *_ in joint
        for code in ["", *paths[county]]
    )
    stored_joint_totals = {
        (r[0], r[1]): r[2] for r in CoverageJointTotal.objects.values_list("region", "group", "joint")
    }
    differences += _compare("joint total", stored_joint_totals, expected_joint)
    stored_months = {
        (r[0], r[1], r[2]): r[3]
        for r in CoverageMonth.objects.values_list("region", "ownership", "day", "covered")
    }
    differences += _compare("month", stored_months, dict(sums))
    if fix and differences:
        rebuild(state.as_of)
    return differences
