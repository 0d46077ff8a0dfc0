"""The statistics demo: the 2025 AK表1-1 tables of 郑州's counties — most accepted by the city, 二七区
waiting for review, 金水区 returned, the last county missing — and the 郑州 city table in draft, so
the city sees a roll-up with some counties included and others not. Idempotent: a region whose 2025
table exists is left alone; the workflow goes through the services (events, audit, notifications)."""

from __future__ import annotations

from kexie.accounts.models import User
from kexie.regions.models import Region
from kexie.statreports import services
from kexie.statreports.enums import ReportState
from kexie.statreports.models import StatReport

YEAR = 2025
CITY = "410100"
SUBMITTED, RETURNED = "410103", "410105"  # 二七区 waits for review; 金水区 was returned
OWN_STAFF = {"410102": "zhongyuan"}  # counties with a demo login file their own table; the others: admin


def load_statreports_demo() -> int:
    """Create what is missing; returns the number of tables created."""
    if StatReport.objects.filter(region_id=CITY, year=YEAR).exists():
        return 0
    admin = User.objects.get(username="admin")
    city_staff = User.objects.get(username="zhengzhou")
    counties = list(Region.objects.filter(parent_id=CITY).order_by("code"))
    created = 0
    for county in counties[:-1]:  # the last county has not filed
        if StatReport.objects.filter(region=county, year=YEAR).exists():
            continue
        filer = User.objects.get(username=OWN_STAFF[county.code]) if county.code in OWN_STAFF else admin
        report = services.open_report(by=filer, region_code=county.code, year=YEAR)
        services.update_cells(
            report.pk,
            by=filer,
            signature={"head_name": f"{county.name}科协主席", "preparer_name": f"{county.name}科协统计员"},
        )
        services.transition(report.pk, by=filer, action="submit")
        if county.code == RETURNED:
            services.transition(
                report.pk, by=city_staff, action="return", comment="联合会、促进会会员单位数请按实际填报。"
            )
        elif county.code != SUBMITTED:
            services.transition(report.pk, by=city_staff, action="accept")
        created += 1
    services.open_report(by=city_staff, region_code=CITY, year=YEAR)
    assert StatReport.objects.get(region_id=CITY, year=YEAR).state == ReportState.DRAFT
    return created + 1
