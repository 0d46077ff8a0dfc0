"""Who may see the organisation tree.

Reach (``associations_for_user``): 科协 staff the associations of their region's subtree; 国资委 and
工商联 viewers the local 科协 and federations there, and the 科协 of the enterprises they oversee
(工商联 also the joint 科协); a secretary their association and its sub-units; a member their own.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from kexie.accounts.enums import Role as R
from kexie.accounts.permissions import VIEWERS, define
from kexie.accounts.scoping import scope_of, under
from kexie.core.errors import get_or_not_found
from kexie.enterprises.enums import NON_STATE, STATE_OWNED

from .enums import Kind, Status
from .models import Association

define({"association.view": VIEWERS | {R.SECRETARY, R.MEMBER}})


def association_filter(user) -> Q:
    scope = scope_of(user)
    if scope.everything:
        return Q()
    q = under(scope.staff_paths, "region")
    viewer_kinds = Q(kind__in=[Kind.LOCAL, Kind.FEDERATION])
    if scope.sasac_paths:
        q |= under(scope.sasac_paths, "region") & (viewer_kinds | Q(enterprise__ownership__in=STATE_OWNED))
    if scope.acfic_paths:
        q |= under(scope.acfic_paths, "region") & (
            viewer_kinds | Q(enterprise__ownership__in=NON_STATE) | Q(kind=Kind.JOINT)
        )
    if scope.secretary_of:
        q |= Q(id__in=scope.managed)
    if scope.member_of:
        q |= Q(id__in=scope.member_of)
    return q


def associations_for_user(user) -> QuerySet[Association]:
    if scope_of(user).is_empty:
        return Association.objects.none()
    return Association.objects.filter(association_filter(user))


def get_association_for_user(user, pk) -> Association:
    return get_or_not_found(
        associations_for_user(user).select_related("region", "parent", "enterprise"),
        pk,
        gettext("组织不存在。"),
    )


def joinable_associations(user) -> QuerySet[Association]:
    """The 科协 anyone signed in may apply to join: active enterprise and joint 科协 (names are public)."""
    if user is None or not user.is_authenticated:
        return Association.objects.none()
    return Association.objects.filter(kind__in=[Kind.ENTERPRISE, Kind.JOINT], status=Status.ACTIVE)


def manages_association(user, association: Association) -> bool:
    """Is ``user`` the secretary of ``association`` (or of the 科协 above it), or a platform admin?"""
    scope = scope_of(user)
    return scope.everything or association.pk in scope.managed


def is_secretary_of(user, association: Association) -> bool:
    """Is ``user`` the secretary of ``association`` itself (not of the 科协 above it), or a platform admin?"""
    scope = scope_of(user)
    return scope.everything or association.pk in scope.secretary_of
