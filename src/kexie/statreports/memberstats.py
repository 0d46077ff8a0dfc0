"""Member statistics: full members (正式会员) live on a date, counted by 职称, age band, sex or education,
for a region and each of its children, and per association; every count opens the list behind it.

Counted in the database (one GROUP BY per table), never in Python, so a national view over millions of
memberships is a handful of queries. A person in two 科协 is counted once in each: the statistics are
of each organisation's members (会员人次), as its own roll shows them.

Age bands are whole years on the statistics date, the birth month counting as the birthday:
≤35, 36–45, 46–55, >55 (``AgeBand``); no birth month recorded → “未填出生年月”.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, CharField, Count, F, QuerySet, Value, When
from django.db.models.functions import Substr
from django.utils.translation import gettext, gettext_lazy

from kexie.accounts import scoping
from kexie.associations.models import Association
from kexie.associations.permissions import get_association_for_user
from kexie.core.errors import DomainError, NotFound
from kexie.members.enums import Education, Sex, TitleLevel
from kexie.members.models import Membership
from kexie.regions.models import Region

from .enums import AgeBand, Dimension
from .permissions import counted_memberships
from .prefill import age_cutoff, live_memberships_q

PARAMS = frozenset({"region", "association", "by", "on", "value", "child", "page", "format"})
UNKNOWN = ""  # a blank profile field
UNKNOWN_LABEL = gettext_lazy("未填写")

CHOICES = {
    Dimension.TITLE_LEVEL: TitleLevel.choices,
    Dimension.SEX: Sex.choices,
    Dimension.EDUCATION: Education.choices,
    Dimension.AGE_BAND: AgeBand.choices,
}


def columns(dimension: str) -> list[tuple[str, Any]]:
    """The values a dimension takes, in order, with their labels (blank last, where it can occur)."""
    values = list(CHOICES[Dimension(dimension)])
    if dimension != Dimension.AGE_BAND:
        values.append((UNKNOWN, UNKNOWN_LABEL))
    return values


def age_band(on: datetime.date):
    """The age band of a membership's person on ``on``, as an SQL expression."""
    birth = "person__birth_month"
    return Case(
        When(**{birth: ""}, then=Value(AgeBand.UNKNOWN)),
        When(**{f"{birth}__gt": age_cutoff(on, 36)}, then=Value(AgeBand.UP_TO_35)),
        When(**{f"{birth}__gt": age_cutoff(on, 46)}, then=Value(AgeBand.FROM_36_TO_45)),
        When(**{f"{birth}__gt": age_cutoff(on, 56)}, then=Value(AgeBand.FROM_46_TO_55)),
        default=Value(AgeBand.OVER_55),
        output_field=CharField(),
    )


def key(dimension: str, on: datetime.date):
    if dimension == Dimension.AGE_BAND:
        return age_band(on)
    return F(f"person__{dimension}")


@dataclass(frozen=True)
class Query:
    """What a statistics request asks for, read from query parameters (pages and API alike)."""

    dimension: str
    on: datetime.date
    region: Region | None = None
    association: Association | None = None


API_PARAMS = frozenset({"region", "association", "by", "on"})


def _day(params, today: datetime.date) -> datetime.date:
    if not params.get("on"):
        return today
    try:
        return datetime.date.fromisoformat(str(params.get("on")).strip())
    except ValueError as exc:
        raise DomainError(gettext("统计日期应为YYYY-MM-DD格式。"), field="on") from exc


def _place(user, params) -> tuple[Region | None, Association | None]:
    """The region or association counted: asked for (in reach, else absent), or the user's own."""
    region = association = None
    code = (params.get("region") or "").strip()
    if code:
        region = Region.objects.filter(code=code).first()
        if region is None or not scoping.region_in_reach(user, region):
            raise NotFound(gettext("地区不存在。"))
    if params.get("association"):
        association = get_association_for_user(user, str(params.get("association")).strip())
    elif region is None:
        region = scoping.home_region(user)
        scope = scoping.scope_of(user)
        if region is None and scope.secretary_of and not scope.everything:
            association = Association.objects.select_related("region").get(pk=min(scope.secretary_of))
    return region, association


def parse(user, params, *, today: datetime.date, allowed: frozenset[str] = PARAMS) -> Query:
    """Unknown parameters and bad values are refused by name; a region or association out of reach
    is absent (404)."""
    for name in params:
        if name not in allowed:
            raise DomainError(gettext("未知的参数“%(name)s”。") % {"name": name}, field=name)
    dimension = (params.get("by") or Dimension.TITLE_LEVEL).strip()
    if dimension not in Dimension.values:
        raise DomainError(
            gettext("统计维度“%(value)s”不是有效选项。") % {"value": dimension[:30]}, field="by"
        )
    on = _day(params, today)
    region, association = _place(user, params)
    return Query(dimension=dimension, on=on, region=region, association=association)


def memberships(user, query: Query) -> QuerySet[Membership]:
    """The live memberships within the user's reach that the query is about."""
    # A 科协 dissolved by then has no members any more.
    qs = counted_memberships(user).filter(live_memberships_q(query.on))
    qs = qs.exclude(association__dissolved_on__lte=query.on)
    if query.association is not None:
        qs = qs.filter(association=query.association)
    if query.region is not None:
        qs = qs.filter(association__region__path__startswith=query.region.path)
    return qs


@dataclass
class Row:
    label: str
    counts: dict[str, int]
    total: int
    region: Region | None = None
    association: Association | None = None

    def cells(self, cols: list[tuple[str, Any]]) -> list[tuple[str, int]]:
        return [(code, self.counts.get(code, 0)) for code, _ in cols]


@dataclass
class Table:
    query: Query
    columns: list[tuple[str, Any]]
    total: Row
    children: list[Row] = field(default_factory=list)

    def rows(self) -> list[tuple[Row, list[tuple[str, int]]]]:
        """Each row with its counts in column order (for templates)."""
        return [(row, row.cells(self.columns)) for row in [self.total, *self.children]]


def _row(label: str, counts: dict[str, int], **kw) -> Row:
    return Row(label=label, counts=counts, total=sum(counts.values()), **kw)


def _add(bucket: dict[str, int], value: str | None, n: int) -> None:
    bucket[value or UNKNOWN] = bucket.get(value or UNKNOWN, 0) + n


def table(user, query: Query) -> Table:
    """The total for the query's area and one row per child region: one GROUP BY over the members
    (by child region and value; the area's own associations group under no child), one for the names
    of the children."""
    cols = columns(query.dimension)
    zero = dict.fromkeys((c for c, _ in cols), 0)
    qs = memberships(user, query).annotate(k=key(query.dimension, query.on))
    totals = dict(zero)
    if query.association is not None:
        for row in qs.values("k").annotate(n=Count("pk")).order_by():
            _add(totals, row["k"], row["n"])
        return Table(query=query, columns=cols, total=_row(query.association.name, totals))
    if query.region is not None:
        label, parent_path = query.region.name, query.region.path
        children = list(Region.objects.filter(parent=query.region).order_by("code"))
    else:
        label, parent_path = gettext("全国"), ""
        children = list(Region.objects.filter(parent__isnull=True).order_by("code"))
    counts: dict[str, dict[str, int]] = {c.code: dict(zero) for c in children}
    child = Substr("association__region__path", len(parent_path) + 1, 6)
    for row in qs.annotate(child=child).values("child", "k").annotate(n=Count("pk")).order_by():
        _add(totals, row["k"], row["n"])
        if row["child"] in counts:
            _add(counts[row["child"]], row["k"], row["n"])
    result = Table(query=query, columns=cols, total=_row(label, totals))
    result.children = [_row(c.name, counts[c.code], region=c) for c in children]
    return result


def by_association(user, query: Query, associations: list[Association]) -> list[Row]:
    """One row per association of a page of them (one query)."""
    cols = columns(query.dimension)
    counts = {a.pk: dict.fromkeys((c for c, _ in cols), 0) for a in associations}
    grouped = (
        memberships(user, query)
        .filter(association__in=associations)
        .annotate(k=key(query.dimension, query.on))
        .values("association_id", "k")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in grouped:
        _add(counts[row["association_id"]], row["k"], row["n"])
    return [_row(a.name, counts[a.pk], association=a) for a in associations]


def associations_with_members(user, query: Query) -> QuerySet[Association]:
    """The associations that have live members in the query's area (for the per-association table)."""
    ids = memberships(user, query).values("association_id")
    return Association.objects.filter(pk__in=ids).select_related("region").order_by("region_id", "name")


def drill_down(user, query: Query, *, value: str | None, child: str | None = None) -> QuerySet[Membership]:
    """The memberships behind one count: the value of the dimension (``None`` = any), optionally one
    child region of the query's area. Ordered by association and name."""
    qs = memberships(user, query)
    if child:
        region = Region.objects.filter(code=child).first()
        if region is None or query.region is not None and region.parent_id != query.region.pk:
            raise DomainError(
                gettext("下级地区“%(code)s”不在本统计范围内。") % {"code": child[:12]}, field="child"
            )
        qs = qs.filter(association__region__path__startswith=region.path)
    if value is not None:
        allowed = {c for c, _ in columns(query.dimension)}
        if value not in allowed:
            raise DomainError(
                gettext("统计值“%(value)s”不是有效选项。") % {"value": value[:30]}, field="value"
            )
        qs = qs.annotate(k=key(query.dimension, query.on)).filter(k=value)
    return qs.select_related("person", "association").order_by("association_id", "person__name", "pk")
