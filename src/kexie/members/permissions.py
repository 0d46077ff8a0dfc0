"""Who may see and manage members, their personal data and rosters.

Reach: 科协 staff see the memberships of the associations in their region's subtree (masked); a
secretary those of their 科协 and its sub-units, and only they decide, reveal a phone or an ID
number (audited) and import the roster. A person's own data is reached through their account
(``Person.user``), whatever their roles: an S&T worker who signed up has no role until a 科协
approves them.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from kexie.accounts.enums import Role as R
from kexie.accounts.permissions import STAFF, define, get_job_for_user
from kexie.accounts.scoping import scope_of, under
from kexie.associations.models import Association
from kexie.core.errors import get_or_not_found

from .models import Membership, Person, RosterJob

define(
    {
        "member.view": STAFF | {R.SECRETARY},
        "member.manage": {R.SECRETARY},
        "member.reveal": {R.SECRETARY},
        "roster.import": {R.SECRETARY},
        "roster.export": STAFF | {R.SECRETARY},
        "roster.export_full": {R.SECRETARY},
    }
)


def memberships_for_user(user) -> QuerySet[Membership]:
    """Memberships a user may see as an administrator: 科协 staff those of the associations in their
    region subtree, a secretary those of their 科协 and its sub-units. Members see only their own
    (``own_memberships``)."""
    scope = scope_of(user)
    base = Membership.objects.select_related("person", "association")
    if scope.everything:
        return base
    if not (scope.staff_paths or scope.secretary_of):
        return Membership.objects.none()
    q = under(scope.staff_paths, "association__region")
    if scope.secretary_of:
        q |= Q(association_id__in=scope.managed)
    return base.filter(q)


def get_membership_for_user(user, pk) -> Membership:
    return get_or_not_found(
        memberships_for_user(user).select_related("association__region", "person__user"),
        pk,
        gettext("会员不存在。"),
    )


def manages_membership(user, membership: Membership) -> bool:
    """Is ``user`` the secretary of the membership's 科协 (or of the 科协 above it)? Only they may
    reveal personal data or decide; staff who see the member may not."""
    scope = scope_of(user)
    return scope.everything or membership.association_id in scope.managed


def own_person(user) -> Person | None:
    """The person record of the signed-in user, or None (not yet a member, or not signed in)."""
    if user is None or not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).first()


def own_memberships(user) -> QuerySet[Membership]:
    if user is None or not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(person__user=user).select_related("association", "transferred_to")


def get_own_membership(user, pk) -> Membership:
    return get_or_not_found(own_memberships(user).select_related("person"), pk, gettext("会员资格不存在。"))


# --- rosters (import and export of the 会员汇总表) ---------------------------------------------------


def roster_associations_for_user(user, *, write: bool = False) -> QuerySet[Association]:
    """Associations whose roster the user may import (``write``) or export: platform admins all; a
    secretary their 科协 and its sub-units; for export also 科协 staff, their region's subtree."""
    scope = scope_of(user)
    if scope.everything:
        return Association.objects.all()
    q = Q(id__in=scope.managed)
    if not write:
        q |= under(scope.staff_paths, "region")
    return Association.objects.filter(q)


def get_roster_association_for_user(user, pk, *, write: bool = False) -> Association:
    return get_or_not_found(
        roster_associations_for_user(user, write=write).select_related("region", "enterprise"),
        pk,
        gettext("组织不存在。"),
    )


def may_export_full_roster(user, association: Association) -> bool:
    """The full roster (phones and ID numbers in clear) is for the association's own secretary only:
    not for staff, and not for platform admins either."""
    return association.pk in scope_of(user).managed


def get_roster_job_for_user(user, pk) -> RosterJob:
    """A roster import or export (a job: seen by the user who started it and platform admins)."""
    return get_job_for_user(user, pk, RosterJob)
