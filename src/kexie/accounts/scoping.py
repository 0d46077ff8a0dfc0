"""A user's reach: the roles they hold and the nodes those roles are bound to.

This module only computes the reach (``scope_of``, once per request) and offers the pieces every
app's ``permissions.py`` builds its own rules from: ``under`` (a region subtree as a filter),
``region_in_reach`` and ``home_region``. What a user may see of enterprises, associations,
applications, members… is decided by the app that owns them (``<app>/permissions.py``: lists
filtered in the database, ``get_<thing>_for_user`` raising ``NotFound``, ``may_<action>``).

Reach by role:
- platform admin: everything;
- 科协 staff (reviewer or viewer): the subtree of their region;
- 国资委 viewer: state-owned enterprises (and their 科协) in the subtree of their region;
- 工商联 viewer: private/foreign/other enterprises (and their 科协, joint 科协) likewise;
- enterprise 科协 secretary: their association, its sub-units and the enterprises it covers;
- member: their own association;
- enterprise user: their own enterprise (and, once they start its founding, the 科协 being founded);
- service provider: no enterprise or association data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Q

from .enums import Role
from .models import RoleAssignment

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    roles: frozenset[str] = frozenset()
    staff_paths: tuple[str, ...] = ()
    sasac_paths: tuple[str, ...] = ()
    acfic_paths: tuple[str, ...] = ()
    secretary_of: frozenset[int] = frozenset()
    member_of: frozenset[int] = frozenset()
    enterprise_ids: frozenset[int] = frozenset()
    # The regions of the regional roles (Region rows, reached through the role's foreign key).
    regions: tuple[Any, ...] = field(default=(), compare=False)
    user_id: int | None = field(default=None, compare=False)

    @property
    def is_empty(self) -> bool:
        return not (
            self.everything
            or self.staff_paths
            or self.sasac_paths
            or self.acfic_paths
            or self.secretary_of
            or self.member_of
            or self.enterprise_ids
        )

    @property
    def regional_paths(self) -> tuple[str, ...]:
        return self.staff_paths + self.sasac_paths + self.acfic_paths

    @cached_property
    def managed(self) -> frozenset[int]:
        """The associations a secretary manages: their own and the sub-units below them (two levels
        are enough for 分会/小组). Computed on first use, once per request."""
        if not self.secretary_of:
            return frozenset()
        below = RoleAssignment.objects.filter(
            user_id=self.user_id, role=Role.SECRETARY, association_id__in=self.secretary_of
        ).values_list("association__children__id", "association__children__children__id")
        return frozenset(self.secretary_of | {pk for row in below for pk in row if pk is not None})


# Where each role reaches: a region subtree (of this kind) or the nodes it is bound to.
_REGIONAL = {
    Role.STAFF_REVIEWER: "staff",
    Role.STAFF_VIEWER: "staff",
    Role.SASAC_VIEWER: "sasac",
    Role.ACFIC_VIEWER: "acfic",
}
_BOUND = {
    Role.SECRETARY: ("secretary_of", "association_id"),
    Role.MEMBER: ("member_of", "association_id"),
    Role.ENTERPRISE_USER: ("enterprise_ids", "enterprise_id"),
}


def scope_of(user) -> Scope:
    """The user's reach, computed once per request and kept on the user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    cached = getattr(user, "_kexie_scope", None)
    if cached is not None:
        return cached
    roles: set[str] = set()
    paths: dict[str, set[str]] = {"staff": set(), "sasac": set(), "acfic": set()}
    bound: dict[str, set[int]] = {"secretary_of": set(), "member_of": set(), "enterprise_ids": set()}
    regions: list[Any] = []
    everything = user.is_superuser
    for a in user.roles.select_related("region", "association__region"):
        roles.add(a.role)
        everything = everything or a.role == Role.PLATFORM_ADMIN
        region = a.region or (a.association.region if a.association else None)
        if a.role in _REGIONAL and region is not None:
            paths[_REGIONAL[a.role]].add(region.path)
            regions.append(region)
        elif a.role in _BOUND and getattr(a, _BOUND[a.role][1]):
            bound[_BOUND[a.role][0]].add(getattr(a, _BOUND[a.role][1]))
    scope = Scope(
        everything=everything,
        roles=frozenset(roles),
        staff_paths=tuple(sorted(paths["staff"])),
        sasac_paths=tuple(sorted(paths["sasac"])),
        acfic_paths=tuple(sorted(paths["acfic"])),
        **{name: frozenset(ids) for name, ids in bound.items()},
        regions=tuple(regions),
        user_id=user.pk,
    )
    user._kexie_scope = scope
    return scope


def under(paths: tuple[str, ...], lookup: str) -> Q:
    """Rows whose region (reached by ``lookup``, e.g. ``"region"`` or ``"association__region"``) lies
    in the subtree of one of ``paths``; nothing when ``paths`` is empty."""
    q = NOTHING
    for path in paths:
        q |= Q(**{f"{lookup}__path__startswith": path})
    return q


def region_in_reach(user, region) -> bool:
    """May the user place data (an enterprise, an association) in this region?"""
    scope = scope_of(user)
    if scope.everything:
        return True
    return any(region.path.startswith(p) for p in scope.staff_paths)


def home_region(user):
    """The region a user works in, used as the default filter on lists and dashboards."""
    scope = scope_of(user)
    if scope.regions:
        return min(scope.regions, key=lambda r: len(r.path))
    return None


def ancestor_paths(paths: tuple[str, ...]) -> set[str]:
    """Every path on the way down to each of ``paths`` ("410000/", "410000/410100/", …)."""
    out = set()
    for path in paths:
        codes = [c for c in path.split("/") if c]
        out |= {"".join(f"{c}/" for c in codes[: i + 1]) for i in range(len(codes))}
    return out
