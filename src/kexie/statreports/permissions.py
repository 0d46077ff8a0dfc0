"""Who may see, fill and review the yearly statistics tables, and whose members are counted.

科协 staff see the tables of their region and of every region below it; a table is filled by the
staff of its own 科协 and reviewed by the level directly above (a province's by the platform
admins). Member statistics count the memberships in reach: staff their region subtree, a secretary
their own association.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from kexie.accounts.enums import Role as R
from kexie.accounts.permissions import STAFF, define, has_perm
from kexie.accounts.scoping import scope_of, under
from kexie.core.errors import get_or_not_found
from kexie.members.models import Membership
from kexie.regions.models import Region

from .enums import EDITABLE_STATES
from .models import StatReport

define(
    {
        "statreport.view": STAFF,
        "statreport.fill": {R.STAFF_REVIEWER},
        "statreport.review": {R.STAFF_REVIEWER},
        "memberstats.view": STAFF | {R.SECRETARY},
    }
)


def stat_reports_for_user(user) -> QuerySet[StatReport]:
    scope = scope_of(user)
    if scope.everything:
        return StatReport.objects.all()
    if not scope.staff_paths:
        return StatReport.objects.none()
    return StatReport.objects.filter(under(scope.staff_paths, "region"))


def get_stat_report_for_user(user, pk) -> StatReport:
    return get_or_not_found(
        stat_reports_for_user(user).select_related("association", "region__parent"),
        pk,
        gettext("统计报表不存在。"),
    )


def is_filer(user, region: Region) -> bool:
    """Staff of the 科协 of ``region`` itself (not of a level above), or a platform admin."""
    scope = scope_of(user)
    return scope.everything or region.path in scope.staff_paths


def is_reviewer(user, region: Region) -> bool:
    """Staff of the level directly above (county → city, city → province); a province's table is
    reviewed by the platform admins."""
    scope = scope_of(user)
    if scope.everything:
        return True
    parent = region.parent
    return parent is not None and parent.path in scope.staff_paths


def may_fill(user, report: StatReport) -> bool:
    return (
        has_perm(user, "statreport.fill")
        and is_filer(user, report.region)
        and report.state in EDITABLE_STATES
    )


def may_review(user, report: StatReport) -> bool:
    return has_perm(user, "statreport.review") and is_reviewer(user, report.region)


def counted_memberships(user) -> QuerySet[Membership]:
    """Memberships counted in member statistics: staff see their region subtree, a secretary their own
    association only, admins everything; nobody else sees any."""
    scope = scope_of(user)
    if scope.everything:
        return Membership.objects.all()
    if not (scope.staff_paths or scope.secretary_of):
        return Membership.objects.none()
    q = under(scope.staff_paths, "association__region")
    if scope.secretary_of:
        q |= Q(association_id__in=scope.secretary_of)
    return Membership.objects.filter(q)
