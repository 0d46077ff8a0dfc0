"""Scoped reads: the tables a user may see, the roll-up of the children's accepted tables, the list of
children that have not filed by the deadline."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext

from kexie.regions.models import Region

from .enums import FILED_STATES, ReportState
from .lines import CODES
from .models import StatCell, StatReport
from .permissions import stat_reports_for_user
from .services import due_date


def reports(user, *, year: int | None = None):
    qs = stat_reports_for_user(user).select_related("association", "region")
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "region_id")


def cells(report: StatReport) -> list[StatCell]:
    return list(report.cells.select_related("changed_by").order_by("code"))


def events(report: StatReport):
    return report.events.select_related("actor").order_by("at", "id")


@dataclass
class ChildStatus:
    region: Region
    report: StatReport | None

    @property
    def state_label(self) -> str:

        return self.report.get_state_display() if self.report else gettext("未填报")


@dataclass
class Rollup:
    """The sum of the children's accepted tables, with who is included and who is not."""

    region: Region
    year: int
    totals: dict[str, int] = field(default_factory=dict)
    included: list[ChildStatus] = field(default_factory=list)
    missing: list[ChildStatus] = field(default_factory=list)

    @property
    def has_children(self) -> bool:
        return bool(self.included or self.missing)


def _children(region: Region) -> list[Region]:
    return list(Region.objects.filter(parent=region).order_by("code"))


def rollup(user, region: Region, year: int) -> Rollup:
    """Children's tables summed: only accepted ones count; the others are listed as missing."""
    children = _children(region)
    by_region = {
        r.region_id: r
        for r in stat_reports_for_user(user).filter(region__in=children, year=year).select_related("region")
    }
    result = Rollup(region=region, year=year, totals=dict.fromkeys(CODES, 0))
    accepted = []
    for child in children:
        report = by_region.get(child.pk)
        status = ChildStatus(child, report)
        if report is not None and report.state == ReportState.ACCEPTED:
            result.included.append(status)
            accepted.append(report.pk)
        else:
            result.missing.append(status)
    if accepted:
        sums = StatCell.objects.filter(report_id__in=accepted).values("code").annotate(total=Sum("filed"))
        for row in sums:
            result.totals[row["code"]] = int(row["total"] or 0)
    return result


def deadline_end(year: int) -> datetime.datetime:
    """The last moment a year's table counts as filed on time (the due day, local time)."""
    day = due_date(year)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def not_filed(user, region: Region, year: int) -> list[ChildStatus]:
    """The children whose 科协 had not filed (submitted or accepted) by the deadline: no table, still a
    draft or returned, or first sent after the due day."""
    end = deadline_end(year)
    children = _children(region)
    on_time = set(
        stat_reports_for_user(user)
        .filter(
            region__in=children,
            year=year,
            state__in=FILED_STATES,
            first_submitted_at__lte=end,
        )
        .values_list("region_id", flat=True)
    )
    by_region = {r.region_id: r for r in stat_reports_for_user(user).filter(region__in=children, year=year)}
    return [ChildStatus(c, by_region.get(c.pk)) for c in children if c.pk not in on_time]
