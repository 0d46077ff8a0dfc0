"""Who may see and manage a federation's unit members.

科协 staff (reviewer or viewer) whose region contains the federation see it; its own staff (its
secretary) manage it while it is at work; a unit's own 科协 secretary sees their unit's memberships
(as the 科协 itself, or as the enterprise the 科协 belongs to).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from kexie.accounts.enums import Role as R
from kexie.accounts.permissions import STAFF, define, has_perm
from kexie.accounts.scoping import scope_of, under
from kexie.associations.enums import Kind, Status
from kexie.associations.models import Association
from kexie.core.errors import DomainError, Forbidden, get_or_not_found

from .models import Dues, UnitMember

define({"federation.view": STAFF | {R.SECRETARY}, "federation.manage": {R.SECRETARY}})


def federations_for_user(user) -> QuerySet[Association]:
    scope = scope_of(user)
    qs = Association.objects.filter(kind=Kind.FEDERATION)
    if scope.everything:
        return qs
    if not (scope.staff_paths or scope.secretary_of):
        return qs.none()
    return qs.filter(under(scope.staff_paths, "region") | Q(id__in=scope.secretary_of))


def get_federation_for_user(user, pk) -> Association:
    return get_or_not_found(
        federations_for_user(user).select_related("region", "parent"), pk, gettext("联合会不存在。")
    )


def unit_members_for_user(user) -> QuerySet[UnitMember]:
    scope = scope_of(user)
    if scope.everything:
        return UnitMember.objects.all()
    q = Q(federation__in=federations_for_user(user).values("pk"))
    if scope.secretary_of:
        own_enterprises = Association.objects.filter(
            id__in=scope.secretary_of, enterprise__isnull=False
        ).values("enterprise_id")
        q |= Q(member_association_id__in=scope.secretary_of) | Q(enterprise_id__in=own_enterprises)
    elif not scope.staff_paths:
        return UnitMember.objects.none()
    return UnitMember.objects.filter(q)


def get_unit_member_for_user(user, pk) -> UnitMember:
    return get_or_not_found(
        unit_members_for_user(user).select_related(
            "federation__region", "enterprise__region", "member_association__region"
        ),
        pk,
        gettext("单位会员不存在。"),
    )


def dues_for_user(user) -> QuerySet[Dues]:
    """Dues rows of the unit members in reach."""
    return Dues.objects.filter(unit__in=unit_members_for_user(user).values("pk"))


def is_federation_staff(user, federation: Association) -> bool:
    """Is the user the federation's own staff (its secretary), or a platform admin?"""
    scope = scope_of(user)
    return scope.everything or federation.pk in scope.secretary_of


def may_manage(user, federation: Association) -> bool:
    """Whether the federation's forms are offered: its own staff, while it is at work."""
    return (
        has_perm(user, "federation.manage")
        and is_federation_staff(user, federation)
        and federation.status == Status.ACTIVE
    )


def check_manager(user, federation: Association) -> None:
    """What managing the federation needs besides the right: its own staff (else 403), at work."""
    if not is_federation_staff(user, federation):
        raise Forbidden(gettext("只有本联合会的工作人员可以办理此事项。"))
    if federation.status != Status.ACTIVE:
        raise DomainError(
            gettext("“%(name)s”当前状态为“%(status)s”，不能办理此事项。")
            % {"name": federation.name, "status": federation.get_status_display()},
            code="state",
        )
