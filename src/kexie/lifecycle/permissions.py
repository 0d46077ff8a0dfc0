"""Who acts in an association's later life: its own secretary (reports, officers, re-election,
dissolution) and the staff reviewers of the supervising 科协 (review, acknowledge, approve). A
dissolved association, or one not yet founded, is read-only for both."""

from __future__ import annotations

from django.utils.translation import gettext

from kexie.accounts.enums import Role as R
from kexie.accounts.permissions import define, has_perm
from kexie.accounts.scoping import region_in_reach
from kexie.associations.enums import Status
from kexie.associations.models import Association
from kexie.associations.permissions import associations_for_user, is_secretary_of
from kexie.core.errors import DomainError, Forbidden, get_or_not_found

from .models import OfficerChange, WorkReport

define({"association.manage": {R.SECRETARY}, "association.supervise": {R.STAFF_REVIEWER}})


def work_reports_for_user(user):
    """Yearly plans and summaries of the associations in reach."""
    return WorkReport.objects.filter(association__in=associations_for_user(user).values("pk"))


def get_work_report_for_user(user, pk) -> WorkReport:
    return get_or_not_found(work_reports_for_user(user), pk, gettext("报告不存在。"))


def officer_changes_for_user(user):
    """Officer changes (filed with the supervising 科协) of the associations in reach."""
    return OfficerChange.objects.filter(association__in=associations_for_user(user).values("pk"))


def get_officer_change_for_user(user, pk) -> OfficerChange:
    return get_or_not_found(officer_changes_for_user(user), pk, gettext("备案不存在。"))


def is_supervisor(user, association: Association) -> bool:
    """Does ``user`` work for the 科协 supervising ``association`` (or above it)?"""
    supervisor = association.parent
    return supervisor is not None and region_in_reach(user, supervisor.region)


def check_live(association: Association) -> None:
    """A dissolved (or not yet active) association is read-only, for its secretary and its supervisors."""
    if association.status != Status.ACTIVE:
        raise DomainError(
            gettext("“%(name)s”当前状态为“%(status)s”，不能办理此事项。")
            % {"name": association.name, "status": association.get_status_display()},
            code="state",
        )


def check_manageable(user, association: Association) -> None:
    """What a secretary's action needs besides the right: their own association (else 403), still
    live. The pages call it (on an association fetched in reach) before showing a form."""
    if not is_secretary_of(user, association):
        raise Forbidden(gettext("只有本科协的秘书可以办理此事项。"))
    check_live(association)


def check_supervisor(user, association: Association) -> None:
    """What a supervising action needs: the right, the supervising 科协 (else 403), a live association."""
    if not has_perm(user, "association.supervise"):
        raise Forbidden()
    if not is_supervisor(user, association):
        raise Forbidden(gettext("只有上级科协的工作人员可以办理此事项。"))
    check_live(association)


def may_manage(user, association: Association) -> bool:
    """Whether the secretary's forms are offered (a dissolved association is read-only)."""
    return (
        has_perm(user, "association.manage")
        and is_secretary_of(user, association)
        and association.status == Status.ACTIVE
    )


def may_supervise(user, association: Association) -> bool:
    """Whether the supervising 科协's actions (review, acknowledge, approve) are offered."""
    return (
        has_perm(user, "association.supervise")
        and is_supervisor(user, association)
        and association.status == Status.ACTIVE
    )
