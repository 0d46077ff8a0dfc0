"""Coverage figures for a region, its child regions, a scope and a date, within a user's reach.

Today's figures come from the precomputed cells when the scope can be answered from them (any flags,
ownerships and industries; ``st_workers_min`` one of ``ST_THRESHOLDS``); a past or future date or an
unusual threshold is counted from the rows. Either way the numbers equal the querysets of
``kexie.coverage.definition`` (the drill-down lists are those querysets).
"""

from __future__ import annotations

import bisect
import datetime
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext

from kexie.accounts import scoping
from kexie.associations.enums import Kind
from kexie.associations.models import Association
from kexie.core.dates import parse_date
from kexie.core.errors import DomainError, NotFound
from kexie.coverage.definition import SCOPE_FLAGS, CoverageScope, covering_associations
from kexie.enterprises.enums import NON_STATE, STATE_OWNED, Ownership
from kexie.enterprises.models import Enterprise
from kexie.regions.models import Region
from kexie.regions.selectors import count_by_child

from .models import CoverageCell, CoverageJoint, CoverageMonth, CoverageTotal
from .permissions import coverage_reach
from .services import ST_THRESHOLDS, ensure_current, enterprise_spans, merged_spans, month_ends

LISTS = ("in_scope", "covered", "uncovered", "enterprise_associations", "joint_associations")


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
    Unknown or beyond reach → ``NotFound``."""
    code = (code or "").strip()
    if not code:
        home = scoping.home_region(user)
        if home is None and not scoping.scope_of(user).everything:
            raise NotFound(gettext("行政区划不存在。"))
        return home
    region = Region.objects.select_related("parent__parent").filter(code=code).first()
    if region is None:
        raise NotFound(gettext("行政区划不存在。"))
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
    if region is not None and region.level == Region.Level.COUNTY:
        q &= Q(region_id=region.code)  # a leaf: the planner then walks the region index, not the names
    elif region is not None:
        q &= Q(region__path__startswith=region.path)
    if reach is not None:
        q &= Q(ownership__in=sorted(reach))
    return q


def _from_cells(scope: CoverageScope) -> bool:
    return scope.st_workers_min is None or scope.st_workers_min in ST_THRESHOLDS


def _ownership_only(scope: CoverageScope) -> bool:
    return not (
        any(getattr(scope, f) for f in SCOPE_FLAGS) or scope.industry or scope.st_workers_min is not None
    )


def _scoped(qs: QuerySet, scope: CoverageScope, reach: frozenset[str] | None) -> QuerySet:
    """Filter cells or joint rows by the scope's attributes within the user's reach."""
    mask = sum(1 << bit for bit, flag in enumerate(SCOPE_FLAGS) if getattr(scope, flag))
    if mask:
        # The bitmasks that carry every asked flag, listed so that an index on flags serves them.
        qs = qs.filter(flags__in=[v for v in range(1 << len(SCOPE_FLAGS)) if v & mask == mask])
    ownerships = _ownerships(scope, reach)
    if ownerships is not None:
        qs = qs.filter(ownership__in=ownerships)
    if scope.industry:
        qs = qs.filter(industry__in=scope.industry)
    if scope.st_workers_min is not None:
        qs = qs.filter(st_bucket__gte=ST_THRESHOLDS.index(scope.st_workers_min) + 1)
    return qs


def _placed(qs: QuerySet, region: Region | None, county: str) -> tuple[QuerySet, str]:
    """Rows under ``region`` and the column naming each row's child region (``county`` is the name
    of the county column)."""
    if region is None:
        return qs, "province"
    if region.level == Region.Level.PROVINCE:
        return qs.filter(province=region.code), "city"
    if region.level == Region.Level.CITY:
        return qs.filter(city=region.code), county
    return qs.filter(**{county: region.code}), county


@functools.lru_cache(maxsize=4096)
def _children_of(code: str, level: str) -> tuple[tuple[str, str], ...]:
    if not code:
        qs = Region.objects.filter(level=Region.Level.PROVINCE)
    elif level == Region.Level.COUNTY:
        return ()
    else:
        qs = Region.objects.filter(parent_id=code)
    return tuple(qs.order_by("code").values_list("code", "name"))


def child_regions(region: Region | None) -> tuple[tuple[str, str], ...]:
    """(code, name) of the region's children (the provinces for the country). The divisions change
    only with ``kexie load_regions``, so each process keeps them once read."""
    return _children_of(region.code if region is not None else "", region.level if region is not None else "")


def coverage(user, region: Region | None, scope: CoverageScope, on: datetime.date | None = None) -> Coverage:
    """The figures of ``region`` and of each child region. Raises ``NotFound`` beyond the user's reach."""
    reach = coverage_reach(user, region)
    today = timezone.localdate()
    on = on or today
    children = child_regions(region)
    figures = {code: Figure(code, name) for code, name in children}
    total = Figure(region.code if region else "", region.name if region else gettext("全国"))
    from_cells = on == today and _from_cells(scope)
    if from_cells and _whole_reach(scope, reach):
        # The dashboard's usual question: one statement, unless the tables must be brought to today.
        if not _kept_figures(region, reach, today, total, figures):
            ensure_current(today)
            _kept_figures(region, reach, None, total, figures)
    elif from_cells:
        ensure_current(today)
        if _ownership_only(scope):
            _totals_from_sums(region, scope, reach, total, figures)
        else:
            qs, child = _placed(_scoped(CoverageCell.objects.all(), scope, reach), region, "county_id")
            rows = qs.values(child).annotate(i=Sum("in_scope"), c=Sum("covered"), o=Sum("own")).order_by()
            for row in rows:
                _add(total, row)
                if row[child] in figures:
                    _add(figures[row[child]], row)
        _joint_from_rows(region, scope, reach, total, figures)
    else:
        base = Enterprise.objects.filter(enterprise_filter(region, scope, reach))
        if children:
            in_scope = count_by_child(base, region)
            covered = count_by_child(base.filter(covered_within(base, on)), region)
            own = count_by_child(
                enterprise_associations(region, scope, reach, on), region, lookup="enterprise__region__path"
            )
            for code, figure in figures.items():
                figure.in_scope, figure.covered = in_scope.get(code, 0), covered.get(code, 0)
                figure.enterprise_associations = own.get(code, 0)
        total.in_scope = base.count()
        total.covered = base.filter(covered_within(base, on)).count()
        total.enterprise_associations = enterprise_associations(region, scope, reach, on).count()
        _joint_counts(region, scope, reach, on, total, figures)
    return Coverage(region, on, scope, reach, from_cells, total, [figures[code] for code, _ in children])


def _add(figure: Figure, row: Mapping[str, Any]) -> None:
    figure.in_scope += row["i"]
    figure.covered += row["c"]
    figure.enterprise_associations += row["o"]


def _totals_from_sums(region, scope, reach, total: Figure, figures: dict[str, Figure]) -> None:
    """A scope on ownership only: the region's and its children's rows of ``CoverageTotal``, in one
    query (the whole country is the sum of its provinces)."""
    ownerships = _ownerships(scope, reach)
    code = region.code if region is not None else ""
    where = Q(region=code) if region is not None and not figures else Q(parent=code) | Q(region=code)
    qs = CoverageTotal.objects.filter(where)
    if ownerships is not None:
        qs = qs.filter(ownership__in=ownerships)
    for row in qs.values("region").annotate(i=Sum("in_scope"), c=Sum("covered"), o=Sum("own")).order_by():
        if row["region"] == code or region is None:
            _add(total, row)
        if row["region"] in figures:
            _add(figures[row["region"]], row)


def _whole_reach(scope: CoverageScope, reach: frozenset[str] | None) -> bool:
    """No filter but the user's reach, and a reach with kept joint counts (all, state, non-state)."""
    return _ownership_only(scope) and not scope.ownership and _reach_group(reach) is not None


def _kept_figures(region, reach, today, total: Figure, figures: dict[str, Figure]) -> bool:
    """The figures of ``_whole_reach``: the kept sums of ``CoverageTotal`` and ``CoverageJointTotal``
    for the region and its children, read together with the tables' date in one statement. False,
    having read nothing into the figures, when the tables are not as of ``today`` or a change waits
    to be counted (``today`` None: do not check, the caller has just brought them up to date)."""
    group = _reach_group(reach)
    code = region.code if region is not None else ""
    ownerships = None if reach is None else tuple(sorted(reach))
    where, params = (
        ("region = %s", [code])
        if region is not None and not figures
        else ("(parent = %s OR region = %s)", [code, code])
    )
    if ownerships is not None:
        where += f" AND ownership IN ({', '.join(['%s'] * len(ownerships))})"
        params += list(ownerships)
    # ``where`` holds placeholders only.
    sql = (
        # The tables' date, or none while a change is waiting to be counted (``PendingCounty``).
        "SELECT 0, '', 0, 0, 0, CASE WHEN EXISTS (SELECT 1 FROM coverage_pendingcounty) THEN NULL "  # noqa: S608
        "ELSE (SELECT as_of FROM coverage_coveragestate ORDER BY id LIMIT 1) END "
        "UNION ALL "
        "SELECT 1, region, SUM(in_scope), SUM(covered), SUM(own), NULL "
        f"FROM coverage_coveragetotal WHERE {where} GROUP BY region "
        "UNION ALL "
        "SELECT 2, region, joint, 0, 0, NULL FROM coverage_coveragejointtotal "
        'WHERE (parent = %s OR region = %s) AND "group" = %s'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, code, code, group])
        rows = cursor.fetchall()
    as_of = rows[0][5]
    if today is not None and (as_of is None or str(as_of) != today.isoformat()):
        return False
    for kind, row_region, i, c, o, _ in rows[1:]:
        if kind == 1:
            row = {"i": i, "c": c, "o": o}
            if row_region == code or region is None:
                _add(total, row)
            if row_region in figures:
                _add(figures[row_region], row)
        elif row_region == code:
            total.joint_associations = i
        elif row_region in figures:
            figures[row_region].joint_associations = i
    return True


def _reach_group(reach: frozenset[str] | None) -> str | None:
    if reach is None or reach >= set(Ownership.values):
        return "all"
    if reach == STATE_OWNED:
        return "state"
    if reach == NON_STATE:
        return "nonstate"
    return None


def _joint_from_rows(region, scope, reach, total: Figure, figures: dict[str, Figure]) -> None:
    """Joint 科协 counted distinct from ``CoverageJoint`` (today's covering joint 科协 and the
    attributes they cover), for a scope the kept counts of ``_kept_figures`` do not answer."""
    qs, child = _placed(_scoped(CoverageJoint.objects.all(), scope, reach), region, "county")
    total.joint_associations = qs.values("association_id").distinct().count()
    if figures:
        for code, n in qs.values_list(child).annotate(n=Count("association_id", distinct=True)).order_by():
            if code in figures:
                figures[code].joint_associations = n


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
            .values("child")  # type: ignore[misc]  # an annotation the type plugin cannot see
            .annotate(n=Count("association_id", distinct=True))
            .values_list("child", "n")
        )
        for code, n in grouped:
            if code in figures:
                figures[code].joint_associations = n


# --- the rows behind each number ------------------------------------------------------------------


def covered_within(inside: QuerySet[Enterprise], on) -> Q:
    """``covered_q(on)`` for the enterprises of ``inside`` only: the same two sets (enterprise 科协
    and joint 科协 of ``covering_associations(on)``), each cut down to ``inside`` first, so the
    database reads the associations of a county rather than of the whole country. Tests hold it
    equal to ``covered_q`` (tests/coverage/test_figures.py)."""
    live = covering_associations(on)
    ids = inside.values("pk")
    own = live.filter(kind=Kind.ENTERPRISE, enterprise_id__in=ids).values("enterprise_id")
    through = Association.covered_enterprises.through
    joint = through.objects.filter(
        association__in=live.filter(kind=Kind.JOINT), enterprise_id__in=ids
    ).values("enterprise_id")
    return Q(pk__in=own) | Q(pk__in=joint)


def enterprises(region, scope, reach, on, which: str) -> QuerySet[Enterprise]:
    qs = Enterprise.objects.filter(enterprise_filter(region, scope, reach))
    if which == "covered":
        qs = qs.filter(covered_within(qs, on))
    elif which == "uncovered":
        qs = qs.exclude(covered_within(qs, on))
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
    reach = coverage_reach(user, region)
    if which in ("in_scope", "covered", "uncovered"):
        return enterprises(region, scope, reach, on, which).select_related("region")
    if which == "enterprise_associations":
        return enterprise_associations(region, scope, reach, on).select_related("region", "enterprise")
    if which == "joint_associations":
        return joint_associations(region, scope, reach, on).select_related("region")
    raise DomainError(gettext("列表“%(name)s”不存在。") % {"name": which}, field="list")


# --- the trend ------------------------------------------------------------------------------------


def trend(
    user, region: Region | None, scope: CoverageScope, today: datetime.date | None = None
) -> list[dict]:
    """Coverage at the end of each of the last 24 months (this month: today), from the founding and
    dissolution dates: each point equals ``covered_q(on=month_end)`` over today's enterprises in scope.
    A scope on ownership only reads the month rows kept by the services; any other scope reads the
    covering spans of its enterprises once and counts the months from them."""
    reach = coverage_reach(user, region)
    real_today = timezone.localdate()
    today = today or real_today
    days = month_ends(today)
    if today == real_today and _ownership_only(scope):
        ensure_current(today)
        current = Figure("", "")
        _totals_from_sums(region, scope, reach, current, {})
        ownerships = _ownerships(scope, reach)
        qs = (
            CoverageMonth.objects.filter(parent="")
            if region is None
            else CoverageMonth.objects.filter(region=region.code)
        )
        if ownerships is not None:
            qs = qs.filter(ownership__in=ownerships)
        by_day = dict(qs.values("day").annotate(n=Sum("covered")).values_list("day", "n").order_by())
        covered = [by_day.get(day, 0) for day in days[:-1]] + [current.covered]
        return _points(days, current.in_scope, covered)
    inside = Enterprise.objects.filter(enterprise_filter(region, scope, reach))
    in_scope = inside.count()
    starts: list[datetime.date] = []
    ends: list[datetime.date] = []
    for _, _, spans in enterprise_spans(inside).values():
        for start, end in merged_spans(spans):
            starts.append(start)
            ends.append(end)
    starts.sort()
    ends.sort()
    covered = [bisect.bisect_right(starts, day) - bisect.bisect_right(ends, day) for day in days]
    return _points(days, in_scope, covered)


def _points(days, in_scope: int, covered: list[int]) -> list[dict]:
    return [
        {
            "date": day.isoformat(),
            "month": day.strftime("%Y-%m"),
            "in_scope": in_scope,
            "covered": n,
            "rate": round(n / in_scope, 4) if in_scope else None,
        }
        for day, n in zip(days, covered, strict=True)
    ]
