"""Who sees coverage figures: the regional roles, over their regions. 科协 staff see every enterprise
there; a 国资委 viewer the state-owned ones, a 工商联 viewer the others."""

from __future__ import annotations

from django.utils.translation import gettext

from kexie.accounts.permissions import VIEWERS, define
from kexie.accounts.scoping import scope_of
from kexie.core.errors import NotFound
from kexie.enterprises.enums import NON_STATE, STATE_OWNED

define({"coverage.view": VIEWERS})


def coverage_reach(user, region) -> frozenset[str] | None:
    """For coverage figures of ``region`` (the whole country when None): ``None`` when the user sees
    every enterprise there, else the ownerships they see there (国资委 viewer: state-owned; 工商联
    viewer: the others). Regional figures follow the regional roles only (a secretary's own
    enterprises make no regional figure). Beyond the user's regions → ``NotFound``."""
    scope = scope_of(user)
    if scope.everything:
        return None
    if region is None:
        raise NotFound(gettext("行政区划不存在。"))
    if any(region.path.startswith(p) for p in scope.staff_paths):
        return None
    ownerships: set[str] = set()
    if any(region.path.startswith(p) for p in scope.sasac_paths):
        ownerships |= STATE_OWNED
    if any(region.path.startswith(p) for p in scope.acfic_paths):
        ownerships |= NON_STATE
    if not ownerships:
        raise NotFound(gettext("行政区划不存在。"))
    return frozenset(str(o) for o in ownerships)
