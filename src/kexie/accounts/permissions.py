"""What each role may do (function level). What it may *see* is decided in ``scoping``.

A missing permission is a 403; an object outside the user's reach is a 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from .enums import Role
from .scoping import scope_of

R = Role
VIEWERS = {R.STAFF_REVIEWER, R.STAFF_VIEWER, R.SASAC_VIEWER, R.ACFIC_VIEWER}

PERMISSIONS: dict[str, frozenset[str]] = {
    "enterprise.view": frozenset(VIEWERS | {R.SECRETARY, R.ENTERPRISE_USER}),
    "enterprise.create": frozenset({R.STAFF_REVIEWER}),
    "enterprise.edit": frozenset({R.STAFF_REVIEWER, R.SECRETARY}),
    "enterprise.import": frozenset({R.STAFF_REVIEWER}),
    "association.view": frozenset(VIEWERS | {R.SECRETARY, R.MEMBER}),
    "audit.view": frozenset(VIEWERS | {R.SECRETARY}),
    "region.view": frozenset(set(R)),
    "founding.open": frozenset({R.STAFF_REVIEWER, R.ENTERPRISE_USER}),
    "founding.view": frozenset({R.STAFF_REVIEWER, R.STAFF_VIEWER, R.SECRETARY}),
    "founding.edit": frozenset({R.SECRETARY}),
    "founding.review": frozenset({R.STAFF_REVIEWER}),
    "filing.view": frozenset({R.STAFF_REVIEWER, R.STAFF_VIEWER, R.SASAC_VIEWER, R.ACFIC_VIEWER}),
    "filing.acknowledge": frozenset({R.STAFF_REVIEWER, R.SASAC_VIEWER, R.ACFIC_VIEWER}),
    "routing.configure": frozenset({R.STAFF_REVIEWER}),
    "association.manage": frozenset({R.SECRETARY}),
    "association.supervise": frozenset({R.STAFF_REVIEWER}),
    # Members of an association: staff see them (masked), its secretary manages them and alone
    # may reveal a phone or an ID number (audited).
    "member.view": frozenset({R.STAFF_REVIEWER, R.STAFF_VIEWER, R.SECRETARY}),
    "member.manage": frozenset({R.SECRETARY}),
    "member.reveal": frozenset({R.SECRETARY}),
    "roster.import": frozenset({R.SECRETARY}),
    "roster.export": frozenset({R.SECRETARY, R.STAFF_REVIEWER, R.STAFF_VIEWER}),
    "roster.export_full": frozenset({R.SECRETARY}),
    "federation.view": frozenset({R.STAFF_REVIEWER, R.STAFF_VIEWER, R.SECRETARY}),
    "federation.manage": frozenset({R.SECRETARY}),
    "statreport.view": frozenset({R.STAFF_REVIEWER, R.STAFF_VIEWER}),
    "statreport.fill": frozenset({R.STAFF_REVIEWER}),
    "statreport.review": frozenset({R.STAFF_REVIEWER}),
    "memberstats.view": frozenset({R.STAFF_REVIEWER, R.STAFF_VIEWER, R.SECRETARY}),
    "target.view": frozenset({R.STAFF_REVIEWER, R.STAFF_VIEWER, R.SECRETARY}),
    "target.manage": frozenset({R.STAFF_REVIEWER, R.SECRETARY}),
    "outreach.view": frozenset({R.STAFF_REVIEWER, R.STAFF_VIEWER}),
    "outreach.assign": frozenset({R.STAFF_REVIEWER}),
    "outreach.track": frozenset({R.STAFF_REVIEWER}),
    "coverage.view": frozenset(VIEWERS),
}


def has_perm(user, perm: str) -> bool:
    if user is None or not user.is_authenticated:
        return False
    scope = scope_of(user)
    if scope.everything:
        return True
    return bool(scope.roles & PERMISSIONS[perm])


def require(user, perm: str) -> None:
    if not has_perm(user, perm):
        raise PermissionDenied(gettext("您的角色无权执行此操作。"))
