"""Keeping the coverage cells equal to the rows.

Every write path that can change a figure (an enterprise's region or attributes, an association's
status, dates or covered enterprises) calls ``refresh_for`` inside its own transaction: the affected
counties are counted again from their rows (cheap: one grouped query over one county's enterprises).
``rebuild`` counts everything again (end of the demo loads, ``recount_stats --fix``), ``recount``
compares the cells with a fresh count and lists every difference.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from kexie.associations.coverage import SCOPE_FLAGS, covered_q, covering_associations
from kexie.associations.enums import Kind
from kexie.associations.models import Association
from kexie.enterprises.models import Enterprise
from kexie.regions.models import Region

from .models import CoverageCell, CoverageState

# S&T-worker thresholds answered from the cells; any other ``st_workers_min`` is counted from rows.
ST_THRESHOLDS = (0, 1, 10, 50, 100, 500, 1000)
CELL_BATCH = 5000

Key = tuple[str, str, str, int, int]  # county, ownership, industry, flags, st_bucket
Counts = tuple[int, int, int]  # in_scope, covered, own (covering enterprise 科协)


def _flags_expression():
    expression = Value(0)
    for bit, flag in enumerate(SCOPE_FLAGS):
        expression = expression + Case(When(**{flag: True}, then=Value(1 << bit)), default=Value(0))
    return expression


def _bucket_expression():
    whens = [When(st_workers__isnull=True, then=Value(0))]
    for index in range(len(ST_THRESHOLDS) - 1, -1, -1):
        whens.append(When(st_workers__gte=ST_THRESHOLDS[index], then=Value(index + 1)))
    return Case(*whens, default=Value(0), output_field=IntegerField())


def count_from_rows(counties: Iterable[str] | None, on: datetime.date) -> dict[Key, Counts]:
    """The cells of ``counties`` (all when None) counted from the enterprise rows as of ``on``."""
    qs = Enterprise.objects.all()
    if counties is not None:
        qs = qs.filter(region_id__in=list(counties))
    own = (
        covering_associations(on)
        .filter(kind=Kind.ENTERPRISE, enterprise_id=OuterRef("pk"))
        .order_by()
        .values("enterprise_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        qs.order_by()
        .annotate(
            _flags=_flags_expression(),
            _bucket=_bucket_expression(),
            _covered=Case(When(covered_q(on), then=Value(1)), default=Value(0), output_field=IntegerField()),
            _own=Coalesce(Subquery(own, output_field=IntegerField()), Value(0)),
        )
        .values("region_id", "ownership", "industry", "_flags", "_bucket")
        .annotate(in_scope=Count("pk"), covered=Sum("_covered"), own=Sum("_own"))
    )
    return {
        (r["region_id"], r["ownership"], r["industry"], r["_flags"], r["_bucket"]): (
            r["in_scope"],
            r["covered"] or 0,
            r["own"] or 0,
        )
        for r in rows
    }


def stored_cells(counties: Iterable[str] | None = None) -> dict[Key, Counts]:
    qs = CoverageCell.objects.all()
    if counties is not None:
        qs = qs.filter(county_id__in=list(counties))
    return {
        (c[0], c[1], c[2], c[3], c[4]): (c[5], c[6], c[7])
        for c in qs.values_list(
            "county_id", "ownership", "industry", "flags", "st_bucket", "in_scope", "covered", "own"
        )
    }


def _paths(codes: Iterable[str]) -> dict[str, tuple[str, str]]:
    """(province, city) of each county: the first two codes of its path."""
    out = {}
    for code, path in Region.objects.filter(code__in=list(codes)).values_list("code", "path"):
        parts = [p for p in path.split("/") if p]
        out[code] = (parts[0], parts[1] if len(parts) > 1 else parts[0])
    return out


def _write(counties: Iterable[str] | None, cells: dict[Key, Counts]) -> None:
    if counties is None:
        CoverageCell.objects.all().delete()
    else:
        CoverageCell.objects.filter(county_id__in=list(counties)).delete()
    paths = _paths({key[0] for key in cells})
    CoverageCell.objects.bulk_create(
        (
            CoverageCell(
                county_id=key[0],
                province=paths[key[0]][0],
                city=paths[key[0]][1],
                ownership=key[1],
                industry=key[2],
                flags=key[3],
                st_bucket=key[4],
                in_scope=counts[0],
                covered=counts[1],
                own=counts[2],
            )
            for key, counts in cells.items()
        ),
        batch_size=CELL_BATCH,
    )


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
    """The counties whose cells the given enterprises and associations touch."""
    counties = set(region_codes)
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


@transaction.atomic
def rebuild(on: datetime.date | None = None) -> int:
    """Count every cell again from the rows. Returns the number of cells."""
    on = on or timezone.localdate()
    cells = count_from_rows(None, on)
    _write(None, cells)
    CoverageState.objects.all().delete()
    CoverageState.objects.create(as_of=on)
    return len(cells)


def ensure_current(today: datetime.date | None = None) -> CoverageState:
    """Bring the cells to today: built once when missing; when the day changed, the counties where a
    covering association was founded or dissolved in between are counted again."""
    today = today or timezone.localdate()
    state = CoverageState.objects.first()
    if state is not None and state.as_of == today:
        return state
    with transaction.atomic():
        state = CoverageState.objects.select_for_update().first()
        if state is None:
            rebuild(today)
            return CoverageState.objects.get()
        if state.as_of != today:
            counties = counties_of(association_ids=_changed_between(state.as_of, today))
            if counties:
                _write(counties, count_from_rows(counties, today))
            state.as_of = today
            state.save()
    return state


def refresh_for(
    *,
    enterprise_ids: Iterable[int] = (),
    association_ids: Iterable[int] = (),
    region_codes: Iterable[str] = (),
) -> set[str]:
    """THE hook of every write path: count the touched counties again, inside the caller's transaction.
    Pass the enterprises and associations written, and the old region of an enterprise that moved."""
    counties = counties_of(
        enterprise_ids=enterprise_ids, association_ids=association_ids, region_codes=region_codes
    )
    counties.discard(None)
    if not counties:
        return counties
    with transaction.atomic():
        state = ensure_current()
        _write(counties, count_from_rows(counties, state.as_of))
    return counties


@dataclass(frozen=True)
class Difference:
    county: str
    ownership: str
    industry: str
    flags: int
    st_bucket: int
    stored: Counts | None
    counted: Counts | None


def recount(*, fix: bool = False) -> list[Difference]:
    """Compare every cell with a count from the rows; with ``fix``, write the counted cells of the
    counties that differ. Returns the differences found (before fixing)."""
    state = ensure_current()
    counted = count_from_rows(None, state.as_of)
    stored = stored_cells()
    differences = [
        Difference(*key, stored.get(key), counted.get(key))
        for key in sorted(set(counted) | set(stored), key=lambda k: tuple(str(x) for x in k))
        if stored.get(key) != counted.get(key)
    ]
    paths = _paths({key[0] for key in stored})
    wrong_paths = set(
        CoverageCell.objects.exclude(county_id__in=[c for c in paths if c is not None]).values_list(
            "county_id", flat=True
        )
    )
    for cell in CoverageCell.objects.values("county_id", "province", "city").distinct():
        if paths.get(cell["county_id"]) != (cell["province"], cell["city"]):
            wrong_paths.add(cell["county_id"])
    for county in sorted(wrong_paths):
        differences.append(Difference(county, "", "", 0, 0, None, None))
    if fix and differences:
        counties = {d.county for d in differences}
        with transaction.atomic():
            _write(counties, {k: v for k, v in counted.items() if k[0] in counties})
    return differences
