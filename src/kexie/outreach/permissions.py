"""Who may see and set targets and follow outreach tasks.

Targets: 科协 staff see those of their area and of the areas above it (a province target is worked on
in the counties); a federation's secretary sees and manages the federation's own. Outreach tasks: the
staff of the region that assigned them and of the assigned 科协's region (with the levels above); a
sibling county sees none of another county's tasks.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from kexie.accounts.enums import Role as R
from kexie.accounts.permissions import STAFF, define, has_perm
from kexie.accounts.scoping import ancestor_paths, region_in_reach, scope_of, under
from kexie.associations.enums import Kind
from kexie.associations.models import Association
from kexie.core.errors import get_or_not_found

from .models import OutreachTask, Target

define(
    {
        "target.view": STAFF | {R.SECRETARY},
        "target.manage": {R.STAFF_REVIEWER, R.SECRETARY},
        "outreach.view": STAFF,
        "outreach.assign": {R.STAFF_REVIEWER},
        "outreach.track": {R.STAFF_REVIEWER},
    }
)


def targets_for_user(user) -> QuerySet[Target]:
    scope = scope_of(user)
    if scope.everything:
        return Target.objects.all()
    if not (scope.staff_paths or scope.secretary_of):
        return Target.objects.none()
    q = under(scope.staff_paths, "region") | Q(region__path__in=ancestor_paths(scope.staff_paths))
    if scope.secretary_of:
        q |= Q(owner_id__in=scope.secretary_of, owner__kind=Kind.FEDERATION)
    return Target.objects.filter(q)


def get_target_for_user(user, pk) -> Target:
    return get_or_not_found(
        targets_for_user(user).select_related("owner", "region", "created_by"), pk, gettext("目标不存在。")
    )


def target_federations(user) -> QuerySet[Association]:
    """The federations whose targets the user sets: those they are the secretary of (admins: all)."""
    federations = Association.objects.filter(kind=Kind.FEDERATION)
    scope = scope_of(user)
    if scope.everything:
        return federations
    return federations.filter(pk__in=scope.secretary_of)


def may_create_target(user) -> bool:
    """科协 staff reviewers (for their region) and federation secretaries (for their federation)."""
    if not has_perm(user, "target.manage"):
        return False
    if scope_of(user).everything or has_perm(user, "outreach.assign"):
        return True
    return target_federations(user).exists()


def may_manage_target(user, target: Target) -> bool:
    """The staff of the target's region (or above) and the secretary of its federation."""
    if not has_perm(user, "target.manage"):
        return False
    scope = scope_of(user)
    if target.owner.kind == Kind.FEDERATION:
        return scope.everything or target.owner_id in scope.secretary_of
    return has_perm(user, "outreach.assign") and region_in_reach(user, target.region)


def outreach_tasks_for_user(user) -> QuerySet[OutreachTask]:
    scope = scope_of(user)
    if scope.everything:
        return OutreachTask.objects.all()
    if not scope.staff_paths:
        return OutreachTask.objects.none()
    return OutreachTask.objects.filter(
        under(scope.staff_paths, "assigned_to__region") | under(scope.staff_paths, "assigning_region")
    )


def get_outreach_task_for_user(user, pk) -> OutreachTask:
    return get_or_not_found(
        outreach_tasks_for_user(user).select_related(
            "enterprise__region", "assigned_to__region", "assigning_region", "assigned_by"
        ),
        pk,
        gettext("任务不存在。"),
    )


def may_track(user, task: OutreachTask) -> bool:
    return has_perm(user, "outreach.track") and region_in_reach(user, task.assigned_to.region)
