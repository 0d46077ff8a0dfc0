"""The one place that decides what a user may see.

Every list, detail, export and API call of scoped data goes through a function here.
Out of scope is indistinguishable from absent: ``get_*`` raise ``Http404``, and lists are
filtered in the database, so counts and search results never leak.

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

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext

from kexie.associations.enums import Kind
from kexie.associations.models import Association
from kexie.enterprises.enums import NON_STATE, STATE_OWNED
from kexie.enterprises.models import Enterprise, ImportBatch
from kexie.founding.enums import Recipient
from kexie.founding.models import Filing, FoundingApplication
from kexie.regions.models import Region

from .enums import Role

_NOTHING = Q(pk__in=[])


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
    regions: tuple[Region, ...] = field(default=(), compare=False)

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


def scope_of(user) -> Scope:
    """The user's reach, computed once per request and kept on the user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    cached = getattr(user, "_kexie_scope", None)
    if cached is not None:
        return cached
    roles: set[str] = set()
    paths: dict[str, list[str]] = {"staff": [], "sasac": [], "acfic": []}
    secretary_of: set[int] = set()
    member_of: set[int] = set()
    enterprise_ids: set[int] = set()
    regions: list[Region] = []
    everything = user.is_superuser
    assignments = user.roles.select_related("region", "association__region")
    for a in assignments:
        roles.add(a.role)
        region = a.region or (a.association.region if a.association else None)
        if a.role == Role.PLATFORM_ADMIN:
            everything = True
        elif a.role in (Role.STAFF_REVIEWER, Role.STAFF_VIEWER) and region:
            paths["staff"].append(region.path)
            regions.append(region)
        elif a.role == Role.SASAC_VIEWER and region:
            paths["sasac"].append(region.path)
            regions.append(region)
        elif a.role == Role.ACFIC_VIEWER and region:
            paths["acfic"].append(region.path)
            regions.append(region)
        elif a.role == Role.SECRETARY and a.association_id:
            secretary_of.add(a.association_id)
        elif a.role == Role.MEMBER and a.association_id:
            member_of.add(a.association_id)
        elif a.role == Role.ENTERPRISE_USER and a.enterprise_id:
            enterprise_ids.add(a.enterprise_id)
    scope = Scope(
        everything=everything,
        roles=frozenset(roles),
        staff_paths=tuple(sorted(set(paths["staff"]))),
        sasac_paths=tuple(sorted(set(paths["sasac"]))),
        acfic_paths=tuple(sorted(set(paths["acfic"]))),
        secretary_of=frozenset(secretary_of),
        member_of=frozenset(member_of),
        enterprise_ids=frozenset(enterprise_ids),
        regions=tuple(regions),
    )
    user._kexie_scope = scope
    return scope


def _under(paths: tuple[str, ...], lookup: str) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{lookup}__path__startswith": path})
    return q


def _secretary_association_ids(scope: Scope) -> set[int]:
    """A secretary's associations and their sub-units (two levels are enough for 分会/小组)."""
    if not scope.secretary_of:
        return set()
    ids = set(scope.secretary_of)
    children = set(Association.objects.filter(parent_id__in=ids).values_list("id", flat=True))
    grandchildren = set(Association.objects.filter(parent_id__in=children).values_list("id", flat=True))
    return ids | children | grandchildren


def enterprise_filter(user) -> Q:
    scope = scope_of(user)
    if scope.everything:
        return Q()
    q = _under(scope.staff_paths, "region")
    if scope.sasac_paths:
        q |= _under(scope.sasac_paths, "region") & Q(ownership__in=STATE_OWNED)
    if scope.acfic_paths:
        q |= _under(scope.acfic_paths, "region") & Q(ownership__in=NON_STATE)
    if scope.secretary_of:
        ids = _secretary_association_ids(scope)
        q |= Q(associations__id__in=ids) | Q(joint_associations__id__in=ids)
    if scope.enterprise_ids:
        q |= Q(pk__in=scope.enterprise_ids)
    return q


def enterprises(user) -> QuerySet[Enterprise]:
    scope = scope_of(user)
    if scope.is_empty:
        return Enterprise.objects.none()
    qs = Enterprise.objects.filter(enterprise_filter(user))
    if scope.secretary_of:
        # The reverse joins can repeat a row; the pk sub-select keeps counts exact.
        qs = Enterprise.objects.filter(pk__in=qs.values("pk"))
    return qs


def association_filter(user) -> Q:
    scope = scope_of(user)
    if scope.everything:
        return Q()
    q = _under(scope.staff_paths, "region")
    viewer_kinds = Q(kind__in=[Kind.LOCAL, Kind.FEDERATION])
    if scope.sasac_paths:
        q |= _under(scope.sasac_paths, "region") & (viewer_kinds | Q(enterprise__ownership__in=STATE_OWNED))
    if scope.acfic_paths:
        q |= _under(scope.acfic_paths, "region") & (
            viewer_kinds | Q(enterprise__ownership__in=NON_STATE) | Q(kind=Kind.JOINT)
        )
    if scope.secretary_of:
        q |= Q(id__in=_secretary_association_ids(scope))
    if scope.member_of:
        q |= Q(id__in=scope.member_of)
    return q


def associations(user) -> QuerySet[Association]:
    if scope_of(user).is_empty:
        return Association.objects.none()
    return Association.objects.filter(association_filter(user))


def import_batches(user) -> QuerySet[ImportBatch]:
    """An import batch is seen by the user who uploaded it, and by platform admins."""
    scope = scope_of(user)
    if scope.everything:
        return ImportBatch.objects.select_related("user")
    if scope.is_empty:
        return ImportBatch.objects.none()
    return ImportBatch.objects.select_related("user").filter(user=user)


def get_import_batch(user, pk) -> ImportBatch:
    try:
        return import_batches(user).get(pk=pk)
    except (ImportBatch.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(gettext("导入批次不存在。")) from exc


def founding_applications(user) -> QuerySet[FoundingApplication]:
    """Founding applications: staff see those of enterprises in their area and those routed to
    their 科协; the preparatory group (secretary of the preparing 科协) sees its own."""
    scope = scope_of(user)
    if scope.everything:
        return FoundingApplication.objects.all()
    q = _under(scope.staff_paths, "enterprise__region") | _under(scope.staff_paths, "approver__region")
    if scope.secretary_of:
        q |= Q(association_id__in=scope.secretary_of)
    if not (scope.staff_paths or scope.secretary_of):
        return FoundingApplication.objects.none()
    return FoundingApplication.objects.filter(q)


def get_founding_application(user, pk) -> FoundingApplication:
    try:
        return (
            founding_applications(user)
            .select_related("association__region", "enterprise__region", "approver__region", "created_by")
            .get(pk=pk)
        )
    except (FoundingApplication.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("筹建申请不存在。") from exc


def filings(user) -> QuerySet[Filing]:
    """Filings (备案) in each recipient's inbox: the 科协 staff of the region for the 科协 copy, the
    国资委 viewers for state-owned enterprises' copies, the 工商联 viewers for the others."""
    scope = scope_of(user)
    if scope.everything:
        return Filing.objects.all()
    q = (
        (_under(scope.staff_paths, "region") & Q(recipient=Recipient.KEXIE))
        | (_under(scope.sasac_paths, "region") & Q(recipient=Recipient.SASAC))
        | (_under(scope.acfic_paths, "region") & Q(recipient=Recipient.ACFIC))
    )
    if not (scope.staff_paths or scope.sasac_paths or scope.acfic_paths):
        return Filing.objects.none()
    return Filing.objects.filter(q)


def get_filing(user, pk) -> Filing:
    try:
        return filings(user).select_related("application__association", "region").get(pk=pk)
    except (Filing.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("备案不存在。") from exc


def region_in_reach(user, region: Region) -> bool:
    """May the user place data (an enterprise, an association) in this region?"""
    scope = scope_of(user)
    if scope.everything:
        return True
    return any(region.path.startswith(p) for p in scope.staff_paths)


def get_enterprise(user, pk) -> Enterprise:
    try:
        return enterprises(user).select_related("region__parent__parent").get(pk=pk)
    except (Enterprise.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(gettext("企业不存在。")) from exc


def get_association(user, pk) -> Association:
    try:
        return associations(user).select_related("region", "parent", "enterprise").get(pk=pk)
    except (Association.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(gettext("组织不存在。")) from exc


def home_region(user) -> Region | None:
    """The region a user works in, used as the default filter on lists and dashboards."""
    scope = scope_of(user)
    if scope.regions:
        return min(scope.regions, key=lambda r: len(r.path))
    return None


def coverage_reach(user, region: Region | None) -> frozenset[str] | None:
    """For coverage figures of ``region`` (the whole country when None): ``None`` when the user sees
    every enterprise there, else the ownerships they see there (国资委 viewer: state-owned; 工商联
    viewer: the others). Regional figures follow the regional roles only (a secretary's own
    enterprises make no regional figure). Beyond the user's regions → ``Http404``."""
    scope = scope_of(user)
    if scope.everything:
        return None
    if region is None:
        raise Http404(gettext("行政区划不存在。"))
    if any(region.path.startswith(p) for p in scope.staff_paths):
        return None
    ownerships: set[str] = set()
    if any(region.path.startswith(p) for p in scope.sasac_paths):
        ownerships |= STATE_OWNED
    if any(region.path.startswith(p) for p in scope.acfic_paths):
        ownerships |= NON_STATE
    if not ownerships:
        raise Http404(gettext("行政区划不存在。"))
    return frozenset(str(o) for o in ownerships)
