"""What is due or overdue in the associations a user may see."""

from __future__ import annotations

import datetime

from django.utils import timezone

from kexie.accounts import scoping
from kexie.associations.enums import Kind, Status

from .models import WorkReport
from .services import due_date, term_end


def missing_reports(user, *, year: int, kind: str, today: datetime.date | None = None) -> list:
    """Active enterprise and joint 科协 in reach that have not sent the report once it is due."""
    today = today or timezone.localdate()
    if today <= due_date(year, kind):
        return []
    sent = WorkReport.objects.filter(year=year, kind=kind).values("association_id")
    return list(
        scoping.associations(user)
        .filter(
            kind__in=[Kind.ENTERPRISE, Kind.JOINT], status=Status.ACTIVE, founded_on__lt=due_date(year, kind)
        )
        .exclude(pk__in=sent)
        .select_related("region")
        .order_by("region_id", "name")
    )


def renewals_due(user, *, within_days: int = 90, today: datetime.date | None = None) -> list[tuple]:
    """(association, term end, days left — negative when overdue) for terms ending within the window."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=within_days)
    rows = []
    qs = (
        scoping.associations(user)
        .filter(kind__in=[Kind.ENTERPRISE, Kind.JOINT], status=Status.ACTIVE, founded_on__isnull=False)
        .prefetch_related("renewals")
        .select_related("region")
    )
    for association in qs.iterator(chunk_size=2000):
        end = term_end(association)
        if end is not None and end <= horizon:
            rows.append((association, end, (end - today).days))
    return sorted(rows, key=lambda row: row[1])
