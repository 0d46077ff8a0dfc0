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
