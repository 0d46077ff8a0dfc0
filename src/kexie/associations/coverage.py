"""The definition of coverage, written once.

An enterprise is *covered* on a date if on that date it has an active enterprise 科协, or is among the
enterprises of an active joint 科协 (园区/区域联建/行业统建). An association is active on a date from
its founding date (成立日期) up to, not including, its dissolution date (撤销日期); a 科协 still being
founded (筹备中) or never founded (未成立) covers no one. An active association without a recorded
founding date (registered before the platform) covers from always.

Statistics may precompute, but every figure must agree with these querysets (``kexie recount_stats``).
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from .enums import Kind, Status
from .models import Association

COVERING_KINDS = (Kind.ENTERPRISE, Kind.JOINT)


def covering_associations(on: datetime.date | None = None) -> QuerySet[Association]:
    """Enterprise and joint 科协 active on ``on`` (today by default)."""
    on = on or timezone.localdate()
    founded = Q(founded_on__lte=on) | Q(founded_on__isnull=True, status=Status.ACTIVE)
    not_dissolved = Q(dissolved_on__isnull=True, status=Status.ACTIVE) | Q(
        dissolved_on__gt=on, status=Status.DISSOLVED
    )
    return Association.objects.filter(
        founded & not_dissolved, kind__in=COVERING_KINDS, status__in=(Status.ACTIVE, Status.DISSOLVED)
    )


def covered_q(on: datetime.date | None = None) -> Q:
    """A filter on ``Enterprise`` for the enterprises covered on ``on``."""
    live = covering_associations(on)
    own = live.filter(kind=Kind.ENTERPRISE).values("enterprise_id")
    joint = Association.covered_enterprises.through.objects.filter(
        association__in=live.filter(kind=Kind.JOINT)
    ).values("enterprise_id")
    return Q(pk__in=own) | Q(pk__in=joint)
