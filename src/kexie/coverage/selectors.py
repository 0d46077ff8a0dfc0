"""Coverage figures for a region, its child regions, a scope and a date, within a user's reach.

Today's figures come from the precomputed cells when the scope can be answered from them (any flags,
ownerships and industries; ``st_workers_min`` one of ``ST_THRESHOLDS``); a past or future date or an
unusual threshold is counted from the rows. Either way the numbers equal the querysets of
``kexie.associations.coverage`` (the drill-down lists are those querysets).
"""

from __future__ import annotations

import bisect
import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext

from kexie.accounts import scoping
from kexie.associations.coverage import SCOPE_FLAGS, CoverageScope, covered_q, covering_associations
from kexie.associations.enums import Kind, Status
from kexie.associations.models import Association
from kexie.core.dates import parse_date
from kexie.core.errors import DomainError
from kexie.enterprises.models import Enterprise
from kexie.regions.models import Region
from kexie.regions.selectors import count_by_child

from .models import CoverageCell
from .services import ST_THRESHOLDS, ensure_current

LISTS = ("in_scope", "covered", "uncovered", "enterprise_associations", "joint_associations")
TREND_MONTHS = 24


@dataclass
class Figure:
    code: str
    name: str
    in_scope: int = 0
    covered: int = 0
    enterprise_associations: int = 0
    joint_associations: int = 0

    @property
    def uncovered(self) -> int:
        return self.in_scope - self.covered

    @property
    def rate(self) -> float | None:
        """Covered ÷ in scope; None when nothing is in scope (shown as "—")."""
        return self.covered / self.in_scope if self.in_scope else None

    @property
    def rate_percent(self) -> str:
        return "—" if self.rate is None else f"{self.rate * 100:.1f}%"


@dataclass
class Coverage:
    region: Region | None
    on: datetime.date
    scope: CoverageScope
    ownerships: frozenset[str] | None  # the user's reach: None = every ownership
    from_cells: bool
    total: Figure
    children: list[Figure] = field(default_factory=list)


def parse_region(user, code: str | None) -> Region | None:
    """The region asked for (the user's home region when none; the whole country for admins).
    Unknown or beyond reach → Http404."""
    from django.http import Http404

    code = (code or "").strip()
    if not code:
        home = scoping.home_region(user)
        if home is None and not scoping.scope_of(user).everything:
            raise Http404(gettext("行政区划不存在。"))
        return home
    region = Region.objects.select_related("parent__parent").filter(code=code).first()
    if region is None:
        raise Http404(gettext("行政区划不存在。"))
    return region


def parse_day(params, name: str = "date") -> datetime.date:
    raw = str(params.get(name) or "").strip()
    if not raw:
        return timezone.localdate()
    try:
        return parse_date(raw, name, gettext("统计日期"))
    except DomainError:
        raise
    except (TypeError, ValueError) as exc:
        raise DomainError(gettext("统计日期应为 YYYY-MM-DD 格式。"), field=name) from exc


def _ownerships(scope: CoverageScope, reach: frozenset[str] | None) -> tuple[str, ...] | None:
    """The ownerships counted: the scope's choice within the user's reach (None = all)."""
    if reach is None:
        return scope.ownership or None
    if not scope.ownership:
        return tuple(sorted(reach))
    return tuple(sorted(set(scope.ownership) & reach))


def enterprise_filter(region: Region | None, scope: CoverageScope, reach: frozenset[str] | None) -> Q:
    """The enterprises in scope for ``region`` within the user's reach (a filter on Enterprise)."""
    q = scope.q()
    if region is not None:
        q &= Q(region__path__startswith=region.path)
    if reach is not None:
        q &= Q(ownership__in=sorted(reach))
    return q


def _from_cells(scope: CoverageScope) -> bool:
    return scope.st_workers_min is None or scope.st_workers_min in ST_THRESHOLDS


def _cell_query(
    region: Region | None, scope: CoverageScope, reach: frozenset[str] | None
) -> tuple[QuerySet, str]:
    qs = CoverageCell.objects.all()
    if region is None:
        child = "province"
    elif region.level == Region.Level.PROVINCE:
        qs, child = qs.filter(province=region.code), "city"
    elif region.level == Region.Level.CITY:
        qs, child = qs.filter(city=region.code), "county_id"
    else:
        qs, child = qs.filter(county_id=region.code), "county_id"
    mask = sum(1 << bit for bit, flag in enumerate(SCOPE_FLAGS) if getattr(scope, flag))
    if mask:
        qs = qs.annotate(_masked=F("flags").bitand(mask)).filter(_masked=mask)
    ownerships = _ownerships(scope, reach)
    if ownerships is not None:
        qs = qs.filter(ownership__in=ownerships)
    if scope.industry:
        qs = qs.filter(industry__in=scope.industry)
    if scope.st_workers_min is not None:
        qs = qs.filter(st_bucket__gte=ST_THRESHOLDS.index(scope.st_workers_min) + 1)
    return qs, child


def child_regions(region: Region | None) -> list[Region]:
    if region is None:
        return list(Region.objects.filter(level=Region.Level.PROVINCE).order_by("code"))
    if region.level == Region.Level.COUNTY:
        return []
    return list(region.children.order_by("code"))


def coverage(user, region: Region | None, scope: CoverageScope, on: datetime.date | None = None) -> Coverage:
    """The figures of ``region`` and of each child region. Raises Http404 beyond the user's reach."""
    reach = scoping.coverage_reach(user, region)
    today = timezone.localdate()
    on = on or today
    children = child_regions(region)
    figures = {r.code: Figure(r.code, r.name) for r in children}
    total = Figure(region.code if region else "", region.name if region else gettext("全国"))
    from_cells = on == today and _from_cells(scope)
    if from_cells:
        ensure_current(today)
        qs, child = _cell_query(region, scope, reach)
        rows = qs.values(child).annotate(i=Sum("in_scope"), c=Sum("covered"), o=Sum("own")).order_by()
        for row in rows:
            total.in_scope += row["i"]
            total.covered += row["c"]
            total.enterprise_associations += row["o"]
            figure = figures.get(row[child])
            if figure is not None:
                figure.in_scope, figure.covered, figure.enterprise_associations = row["i"], row["c"], row["o"]
    else:
        base = Enterprise.objects.filter(enterprise_filter(region, scope, reach))
        if children:
            in_scope = count_by_child(base, region)
            covered = count_by_child(base.filter(covered_q(on)), region)
            own = count_by_child(
                enterprise_associations(region, scope, reach, on), region, lookup="enterprise__region__path"
            )
            for code, figure in figures.items():
                figure.in_scope, figure.covered = in_scope.get(code, 0), covered.get(code, 0)
                figure.enterprise_associations = own.get(code, 0)
        total.in_scope = base.count()
        total.covered = base.filter(covered_q(on)).count()
        total.enterprise_associations = enterprise_associations(region, scope, reach, on).count()
    _joint_counts(region, scope, reach, on, total, figures)
    return Coverage(region, on, scope, reach, from_cells, total, [figures[r.code] for r in children])


def _joint_counts(region, scope, reach, on, total: Figure, figures: dict[str, Figure]) -> None:
    """Joint 科协 covering at least one enterprise in scope: overall, and under each child region
    (a joint 科协 covering enterprises of two children counts under both)."""
    through = Association.covered_enterprises.through
    rows = through.objects.filter(
        association__in=covering_associations(on).filter(kind=Kind.JOINT),
        enterprise__in=Enterprise.objects.filter(enterprise_filter(region, scope, reach)),
    )
    total.joint_associations = rows.values("association_id").distinct().count()
    if figures:
        start = (len(region.path) if region is not None else 0) + 1
        grouped = (
            rows.annotate(child=Substr("enterprise__region__path", start, 6))
            .values("child")
            .annotate(n=Count("association_id", distinct=True))
            .values_list("child", "n")
        )
        for code, n in grouped:
            if code in figures:
                figures[code].joint_associations = n


# --- the rows behind each number ------------------------------------------------------------------


def enterprises(region, scope, reach, on, which: str) -> QuerySet[Enterprise]:
    qs = Enterprise.objects.filter(enterprise_filter(region, scope, reach))
    if which == "covered":
        qs = qs.filter(covered_q(on))
    elif which == "uncovered":
        qs = qs.exclude(covered_q(on))
    return qs


def enterprise_associations(region, scope, reach, on) -> QuerySet[Association]:
    inside = Enterprise.objects.filter(enterprise_filter(region, scope, reach)).values("pk")
    return covering_associations(on).filter(kind=Kind.ENTERPRISE, enterprise_id__in=inside)


def joint_associations(region, scope, reach, on) -> QuerySet[Association]:
    through = Association.covered_enterprises.through
    inside = Enterprise.objects.filter(enterprise_filter(region, scope, reach)).values("pk")
    ids = through.objects.filter(enterprise_id__in=inside).values("association_id")
    return covering_associations(on).filter(kind=Kind.JOINT, pk__in=ids)


def rows_behind(user, region, scope, on, which: str) -> QuerySet:
    """The list behind one number of the dashboard; its length is that number."""
    reach = scoping.coverage_reach(user, region)
    if which in ("in_scope", "covered", "uncovered"):
        return enterprises(region, scope, reach, on, which).select_related("region")
    if which == "enterprise_associations":
        return enterprise_associations(region, scope, reach, on).select_related("region", "enterprise")
    if which == "joint_associations":
        return joint_associations(region, scope, reach, on).select_related("region")
    raise DomainError(gettext("列表“%(name)s”不存在。") % {"name": which}, field="list")


# --- the trend ------------------------------------------------------------------------------------


def month_ends(today: datetime.date, months: int = TREND_MONTHS) -> list[datetime.date]:
    """The last day of each of the ``months - 1`` months before this one, then today."""
    days = [today]
    year, month = today.year, today.month
    for _ in range(months - 1):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        days.append(datetime.date(year, month, calendar.monthrange(year, month)[1]))
    return sorted(days)


_NEVER = None


def _interval(status: str, founded: datetime.date | None, dissolved: datetime.date | None):
    """The days an association covers, as [start, end) (None = unbounded), following
    ``covering_associations``; None when it covers no day."""
    if founded is None and status != Status.ACTIVE:
        return _NEVER
    if status == Status.ACTIVE:
        if dissolved is not None:
            return _NEVER
        return (founded, None)
    if status == Status.DISSOLVED:
        if dissolved is None:
            return _NEVER
        return (founded, dissolved)
    return _NEVER


def trend(
    user, region: Region | None, scope: CoverageScope, today: datetime.date | None = None
) -> list[dict]:
    """Coverage at the end of each of the last 24 months, from the founding and dissolution dates:
    each point equals ``covered_q(on=month_end)`` over today's enterprises in scope. One read of the
    covering intervals, then the covered enterprises are counted per month by their merged intervals."""
    reach = scoping.coverage_reach(user, region)
    today = today or timezone.localdate()
    days = month_ends(today)
    inside = Enterprise.objects.filter(enterprise_filter(region, scope, reach))
    in_scope = inside.count()
    ids = inside.values("pk")
    statuses = (Status.ACTIVE, Status.DISSOLVED)
    through = Association.covered_enterprises.through
    intervals: dict[int, list] = {}
    own = Association.objects.filter(
        kind=Kind.ENTERPRISE, status__in=statuses, enterprise_id__in=ids
    ).values_list("enterprise_id", "status", "founded_on", "dissolved_on")
    joint = through.objects.filter(
        association__kind=Kind.JOINT, association__status__in=statuses, enterprise_id__in=ids
    ).values_list(
        "enterprise_id", "association__status", "association__founded_on", "association__dissolved_on"
    )
    for rows in (own, joint):
        for enterprise_id, status, founded, dissolved in rows.iterator(chunk_size=10_000):
            span = _interval(status, founded, dissolved)
            if span is not None:
                intervals.setdefault(enterprise_id, []).append(span)
    low, high = datetime.date.min, datetime.date.max
    starts: list[datetime.date] = []
    ends: list[datetime.date] = []
    for spans in intervals.values():
        merged: list[list[datetime.date]] = []
        for start, end in sorted((s or low, e or high) for s, e in spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        for start, end in merged:
            starts.append(start)
            ends.append(end)
    starts.sort()
    ends.sort()
    points = []
    for day in days:
        covered = bisect.bisect_right(starts, day) - bisect.bisect_right(ends, day)
        points.append(
            {
                "date": day.isoformat(),
                "month": day.strftime("%Y-%m"),
                "in_scope": in_scope,
                "covered": covered,
                "rate": round(covered / in_scope, 4) if in_scope else None,
            }
        )
    return points
