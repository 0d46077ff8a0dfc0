"""Who may see and act on founding applications, filings and routing rules.

Reach: 科协 staff see the applications of enterprises in their area and those routed to their 科协;
the preparatory group (the secretary of the 科协 being founded) sees its own. A filing (备案) is in
each recipient's inbox: the 科协 staff of its region for the 科协 copy, the 国资委 viewers for a
state-owned enterprise's copy, the 工商联 viewers for the others. Province staff configure their
province's routing rules.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from kexie.accounts.enums import Role as R
from kexie.accounts.models import RoleAssignment
from kexie.accounts.permissions import define, has_perm
from kexie.accounts.scoping import scope_of, under
from kexie.core.errors import get_or_not_found
from kexie.regions.models import Region

from .enums import Recipient
from .models import Filing, FoundingApplication, RoutingRule

define(
    {
        "founding.open": {R.STAFF_REVIEWER, R.ENTERPRISE_USER},
        "founding.view": {R.STAFF_REVIEWER, R.STAFF_VIEWER, R.SECRETARY},
        "founding.edit": {R.SECRETARY},
        "founding.review": {R.STAFF_REVIEWER},
        "filing.view": {R.STAFF_REVIEWER, R.STAFF_VIEWER, R.SASAC_VIEWER, R.ACFIC_VIEWER},
        "filing.acknowledge": {R.STAFF_REVIEWER, R.SASAC_VIEWER, R.ACFIC_VIEWER},
        "routing.configure": {R.STAFF_REVIEWER},
    }
)

# Who acknowledges each copy of a filing.
RECIPIENT_ROLES: dict[str, frozenset[str]] = {
    Recipient.KEXIE: frozenset({R.STAFF_REVIEWER}),
    Recipient.SASAC: frozenset({R.SASAC_VIEWER}),
    Recipient.ACFIC: frozenset({R.ACFIC_VIEWER}),
}


def founding_applications_for_user(user) -> QuerySet[FoundingApplication]:
    scope = scope_of(user)
    if scope.everything:
        return FoundingApplication.objects.all()
    q = under(scope.staff_paths, "enterprise__region") | under(scope.staff_paths, "approver__region")
    if scope.secretary_of:
        q |= Q(association_id__in=scope.secretary_of)
    if not (scope.staff_paths or scope.secretary_of):
        return FoundingApplication.objects.none()
    return FoundingApplication.objects.filter(q)


def get_founding_application_for_user(user, pk) -> FoundingApplication:
    return get_or_not_found(
        founding_applications_for_user(user).select_related(
            "association__region", "enterprise__region", "approver__region", "created_by"
        ),
        pk,
        gettext("筹建申请不存在。"),
    )


def filings_for_user(user) -> QuerySet[Filing]:
    scope = scope_of(user)
    if scope.everything:
        return Filing.objects.all()
    if not (scope.staff_paths or scope.sasac_paths or scope.acfic_paths):
        return Filing.objects.none()
    q = (
        (under(scope.staff_paths, "region") & Q(recipient=Recipient.KEXIE))
        | (under(scope.sasac_paths, "region") & Q(recipient=Recipient.SASAC))
        | (under(scope.acfic_paths, "region") & Q(recipient=Recipient.ACFIC))
    )
    return Filing.objects.filter(q)


def get_filing_for_user(user, pk) -> Filing:
    return get_or_not_found(
        filings_for_user(user).select_related("application__association", "region"),
        pk,
        gettext("备案不存在。"),
    )


def may_review(user, application: FoundingApplication) -> bool:
    """Does ``user`` review for the application's approving 科协?"""
    if application.approver is None or not has_perm(user, "founding.review"):
        return False
    scope = scope_of(user)
    return scope.everything or application.approver.region.path in scope.staff_paths


def may_acknowledge(user, filing: Filing) -> bool:
    """Is ``user`` the recipient who acknowledges this copy of the filing?"""
    if not has_perm(user, "filing.acknowledge"):
        return False
    scope = scope_of(user)
    return scope.everything or bool(scope.roles & RECIPIENT_ROLES[filing.recipient])


def may_see_contacts(user, application: FoundingApplication) -> bool:
    """May ``user`` see the full phone numbers of this application (its contact, the preparatory
    group, the members and the candidates)? The preparatory group (the secretary of the 科协 being
    founded) and the staff reviewers of the approving 科协 may; everyone else who can see the
    application (viewers, other levels, platform administrators) sees them masked. Before the
    first submission there is no approving 科协 yet."""
    if application.association_id in scope_of(user).secretary_of:
        return True
    approver = application.approver
    if approver is None:
        return False
    return RoleAssignment.objects.filter(
        user=user, role=R.STAFF_REVIEWER, region_id=approver.region_id
    ).exists()


def configurable_provinces(user) -> QuerySet[Region]:
    """The provinces whose routing rules the user may change: their own, as province staff (admins: all)."""
    scope = scope_of(user)
    provinces = Region.objects.filter(level="province").order_by("code")
    if scope.everything:
        return provinces
    codes = [path.rstrip("/") for path in scope.staff_paths if path.count("/") == 1]
    return provinces.filter(code__in=codes)


def may_configure_routing(user, province_code: str) -> bool:
    if not has_perm(user, "routing.configure"):
        return False
    scope = scope_of(user)
    return scope.everything or f"{province_code}/" in scope.staff_paths


def routing_rules_for_user(user) -> QuerySet[RoutingRule]:
    """The rules of the provinces the user works in (platform admins: all)."""
    scope = scope_of(user)
    qs = RoutingRule.objects.select_related("province")
    if scope.everything:
        return qs
    provinces = {path.split("/")[0] for path in scope.staff_paths}
    return qs.filter(province_id__in=provinces)
