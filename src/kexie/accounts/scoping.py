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


# --- members (people, memberships) ----------------------------------------------------------------
# A person's own data is reached through their account (``Person.user``), whatever their roles: an
# S&T worker who signed up has no role until a 科协 approves them.


def memberships(user):
    """Memberships a user may see as an administrator: 科协 staff those of the associations in
    their region subtree, a secretary those of their 科协 and its sub-units. (Sees masked data;
    revealing is the secretary's, see ``permissions``.) Members see only their own: ``own_memberships``."""
    from kexie.members.models import Membership

    scope = scope_of(user)
    base = Membership.objects.select_related("person", "association")
    if scope.everything:
        return base
    q = _under(scope.staff_paths, "association__region")
    if scope.secretary_of:
        q |= Q(association_id__in=_secretary_association_ids(scope))
    if not (scope.staff_paths or scope.secretary_of):
        return Membership.objects.none()
    return base.filter(q)


def get_membership(user, pk):
    from kexie.members.models import Membership

    try:
        return memberships(user).select_related("association__region", "person__user").get(pk=pk)
    except (Membership.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(gettext("会员不存在。")) from exc


def manages_membership(user, membership) -> bool:
    """Is ``user`` the secretary of the membership's 科协 (or of the 科协 above it)? Only they may
    reveal personal data or decide; staff who see the member may not."""
    scope = scope_of(user)
    return scope.everything or membership.association_id in _secretary_association_ids(scope)


def own_person(user):
    """The person record of the signed-in user, or None (not yet a member, or not signed in)."""
    from kexie.members.models import Person

    if user is None or not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).first()


def own_memberships(user):
    from kexie.members.models import Membership

    if user is None or not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(person__user=user).select_related("association", "transferred_to")


def get_own_membership(user, pk):
    from kexie.members.models import Membership

    try:
        return own_memberships(user).select_related("person").get(pk=pk)
    except (Membership.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(gettext("会员资格不存在。")) from exc


def joinable_associations(user) -> QuerySet[Association]:
    """The 科协 anyone signed in may apply to join: active enterprise and joint 科协 (names are public)."""
    from kexie.associations.enums import Status

    if user is None or not user.is_authenticated:
        return Association.objects.none()
    return Association.objects.filter(kind__in=[Kind.ENTERPRISE, Kind.JOINT], status=Status.ACTIVE)


# --- member rosters (import and export of the 会员汇总表) ---------------------------------------------


def roster_associations(user, *, write: bool = False) -> QuerySet[Association]:
    """Associations whose roster the user may import (``write``) or export: platform admins all; a
    secretary their 科协 and its sub-units; for export also 科协 staff, their region's subtree."""
    scope = scope_of(user)
    if scope.everything:
        return Association.objects.all()
    q = Q(id__in=_secretary_association_ids(scope))
    if not write:
        q |= _under(scope.staff_paths, "region")
    return Association.objects.filter(q)


def get_roster_association(user, pk, *, write: bool = False) -> Association:
    try:
        return roster_associations(user, write=write).select_related("region", "enterprise").get(pk=pk)
    except (Association.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(gettext("组织不存在。")) from exc


def may_export_full_roster(user, association: Association) -> bool:
    """The full roster (phones and ID numbers in clear) is for the association's own secretary only:
    not for staff, and not for platform admins either."""
    return association.pk in _secretary_association_ids(scope_of(user))


def roster_jobs(user):
    """A roster job is seen by the user who started it, and by platform admins."""
    from kexie.members.models import RosterJob

    scope = scope_of(user)
    if scope.everything:
        return RosterJob.objects.select_related("association", "user")
    if scope.is_empty:
        return RosterJob.objects.none()
    return RosterJob.objects.select_related("association", "user").filter(user=user)


def get_roster_job(user, pk):
    from kexie.members.models import RosterJob

    try:
        return roster_jobs(user).get(pk=pk)
    except (RosterJob.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(gettext("任务不存在。")) from exc


# --- federations (联合会/促进会) and their unit members ---------------------------------------------
# Imported here, at the end, so that this block stays one piece (models only: no cycle).
from kexie.federations.models import Dues, UnitMember  # noqa: E402


def federations(user) -> QuerySet[Association]:
    """The federations whose unit members a user may list: 科协 staff (reviewer or viewer) whose
    region contains the federation, the federation's own staff (its secretary), platform admins."""
    scope = scope_of(user)
    qs = Association.objects.filter(kind=Kind.FEDERATION)
    if scope.everything:
        return qs
    if not (scope.staff_paths or scope.secretary_of):
        return qs.none()
    return qs.filter(_under(scope.staff_paths, "region") | Q(id__in=scope.secretary_of))


def get_federation(user, pk) -> Association:
    try:
        return federations(user).select_related("region", "parent").get(pk=pk)
    except (Association.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(gettext("联合会不存在。")) from exc


def unit_members(user) -> QuerySet[UnitMember]:
    """Unit members of the federations in reach; besides, a unit's own 科协 secretary sees their
    own unit's memberships (as the 科协 itself, or as the enterprise the 科协 belongs to)."""
    scope = scope_of(user)
    if scope.everything:
        return UnitMember.objects.all()
    q = Q(federation__in=federations(user).values("pk"))
    if scope.secretary_of:
        own_enterprises = Association.objects.filter(
            id__in=scope.secretary_of, enterprise__isnull=False
        ).values("enterprise_id")
        q |= Q(member_association_id__in=scope.secretary_of) | Q(enterprise_id__in=own_enterprises)
    elif not scope.staff_paths:
        return UnitMember.objects.none()
    return UnitMember.objects.filter(q)


def get_unit_member(user, pk) -> UnitMember:
    try:
        return (
            unit_members(user)
            .select_related("federation__region", "enterprise__region", "member_association__region")
            .get(pk=pk)
        )
    except (UnitMember.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(gettext("单位会员不存在。")) from exc


def unit_dues(user) -> QuerySet[Dues]:
    """Dues rows of the unit members in reach."""
    return Dues.objects.filter(unit__in=unit_members(user).values("pk"))


def manages_federation(user, federation: Association) -> bool:
    """Is the user the federation's own staff (its secretary), or a platform admin?"""
    scope = scope_of(user)
    return scope.everything or federation.pk in scope.secretary_of


def federation_enterprises(federation: Association) -> QuerySet[Enterprise]:
    """The enterprises a federation may admit: those registered in its region (the whole subtree)."""
    return Enterprise.objects.filter(region__path__startswith=federation.region.path)


def federation_associations(federation: Association) -> QuerySet[Association]:
    """The 科协 a federation may admit: enterprise and joint 科协 at work in its region."""
    return Association.objects.filter(
        kind__in=[Kind.ENTERPRISE, Kind.JOINT],
        status="active",
        region__path__startswith=federation.region.path,
    )


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


# --- yearly statistics tables and member statistics (statreports) -----------------------------------


def stat_reports(user):
    """Yearly statistics tables: 科协 staff see the tables of their region and of every region below
    it (the level above reviews and sums its children's); admins see all."""
    from kexie.statreports.models import StatReport

    scope = scope_of(user)
    if scope.everything:
        return StatReport.objects.all()
    if not scope.staff_paths:
        return StatReport.objects.none()
    return StatReport.objects.filter(_under(scope.staff_paths, "region"))


def get_stat_report(user, pk):
    from kexie.statreports.models import StatReport

    try:
        return stat_reports(user).select_related("association", "region__parent").get(pk=pk)
    except (StatReport.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(gettext("统计报表不存在。")) from exc


def stat_memberships(user):
    """Memberships counted in member statistics: staff see their region subtree, a secretary their own
    association only, admins everything; nobody else sees any."""
    from kexie.members.models import Membership

    scope = scope_of(user)
    if scope.everything:
        return Membership.objects.all()
    q = _under(scope.staff_paths, "association__region")
    if scope.secretary_of:
        q |= Q(association_id__in=scope.secretary_of)
    if not (scope.staff_paths or scope.secretary_of):
        return Membership.objects.none()
    return Membership.objects.filter(q)


# --- outreach: targets and outreach tasks ----------------------------------------------------------


def ancestor_paths(paths: tuple[str, ...]) -> set[str]:
    """Every path on the way down to each of ``paths`` ("410000/", "410000/410100/", …)."""
    out = set()
    for path in paths:
        codes = [c for c in path.split("/") if c]
        out |= {"".join(f"{c}/" for c in codes[: i + 1]) for i in range(len(codes))}
    return out


def targets(user):
    """Targets: 科协 staff see those of their area and of the areas above it (a province target is
    worked on in the counties); a federation's secretary sees the federation's own."""
    from kexie.outreach.models import Target

    scope = scope_of(user)
    if scope.everything:
        return Target.objects.all()
    q = _under(scope.staff_paths, "region") | Q(region__path__in=ancestor_paths(scope.staff_paths))
    if scope.secretary_of:
        q |= Q(owner_id__in=scope.secretary_of, owner__kind=Kind.FEDERATION)
    if not (scope.staff_paths or scope.secretary_of):
        return Target.objects.none()
    return Target.objects.filter(q)


def get_target(user, pk):
    from kexie.outreach.models import Target

    try:
        return targets(user).select_related("owner", "region", "created_by").get(pk=pk)
    except (Target.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(gettext("目标不存在。")) from exc


def outreach_tasks(user):
    """Outreach tasks: the staff of the region that assigned them and of the assigned 科协's region
    (with the levels above); a sibling county sees none of another county's tasks."""
    from kexie.outreach.models import OutreachTask

    scope = scope_of(user)
    if scope.everything:
        return OutreachTask.objects.all()
    if not scope.staff_paths:
        return OutreachTask.objects.none()
    return OutreachTask.objects.filter(
        _under(scope.staff_paths, "assigned_to__region") | _under(scope.staff_paths, "assigning_region")
    )


def get_outreach_task(user, pk):
    from kexie.outreach.models import OutreachTask

    try:
        return (
            outreach_tasks(user)
            .select_related("enterprise__region", "assigned_to__region", "assigning_region", "assigned_by")
            .get(pk=pk)
        )
    except (OutreachTask.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(gettext("任务不存在。")) from exc
