"""Writes for outreach: targets (set, edit, close) and outreach tasks (assign, contact, decline,
reopen). Each takes the acting user, checks the permission and the reach, runs in one transaction,
writes the audit log and tells the next people after commit."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext

from kexie.accounts import scoping
from kexie.accounts.enums import Role
from kexie.accounts.permissions import require
from kexie.accounts.selectors import holders
from kexie.associations.enums import Kind
from kexie.associations.models import Association
from kexie.core import audit
from kexie.core.dates import parse_date
from kexie.core.errors import DomainError, Forbidden
from kexie.core.i18n import stored_language
from kexie.core.notify import notify
from kexie.core.states import next_state
from kexie.coverage.definition import covered_q, parse_scope
from kexie.enterprises.models import Enterprise
from kexie.enterprises.permissions import enterprises_for_user
from kexie.regions.models import Region

from .enums import OPEN_TASK_STATES, TASK_TRANSITIONS, ContactWay, Metric, TargetStatus, TaskAction, TaskState
from .models import ContactEntry, OutreachTask, Target
from .permissions import (
    get_outreach_task_for_user,
    get_target_for_user,
    may_manage_target,
    may_track,
    targets_for_user,
)

MAX_BULK = 500  # enterprises assigned in one go

# --- targets -------------------------------------------------------------------------------------------

TARGET_FIELDS = ("title", "region", "scope", "metric", "target_value", "start_on", "deadline", "note")


def _owner_for(by, region: Region | None, federation_id) -> Association:
    """Who sets the target: the federation the user is secretary of, or the local 科协 of a region in
    the user's reach."""
    if federation_id:
        federation = Association.objects.filter(pk=federation_id, kind=Kind.FEDERATION).first()
        scope = scoping.scope_of(by)
        if federation is None or not (scope.everything or federation.pk in scope.secretary_of):
            raise DomainError(gettext("只能为本人担任秘书的联合会设定目标。"), field="federation")
        return federation
    assert region is not None  # without a federation, the region was read (or refused) by the caller
    if not scoping.region_in_reach(by, region):
        raise DomainError(
            gettext("地区“%(name)s”不在您的管辖范围内，不能为其设定目标。") % {"name": region.name},
            field="region",
        )
    return Association.objects.get(kind=Kind.LOCAL, region=region)


def _clean_target(by, data: Mapping[str, Any], current: Target | None = None) -> dict[str, Any]:
    title = str(data.get("title") or "").strip()
    if not title:
        raise DomainError(gettext("请填写目标名称。"), field="title")
    federation_id = data.get("federation") or (
        current.owner_id if current is not None and current.owner.kind == Kind.FEDERATION else None
    )
    if federation_id:
        federation = Association.objects.select_related("region").filter(pk=federation_id).first()
        region = federation.region if federation is not None else None
    else:
        code = str(data.get("region") or "").strip()
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise DomainError(gettext("行政区划代码“%(code)s”不存在。") % {"code": code}, field="region")
    owner = _owner_for(by, region, federation_id)
    scope = parse_scope(data.get("scope") or {})
    metric = str(data.get("metric") or "")
    if metric not in Metric.values:
        raise DomainError(gettext("指标“%(value)s”不是有效选项。") % {"value": metric}, field="metric")
    raw = str(data.get("target_value") if data.get("target_value") is not None else "").strip()
    if not raw.isdigit() or int(raw) <= 0:
        raise DomainError(gettext("目标值应为正整数。"), field="target_value")
    value = int(raw)
    if metric == Metric.RATE and value > 100:
        raise DomainError(gettext("覆盖率目标不能超过100%。"), field="target_value")
    start_on = parse_date(data.get("start_on"), "start_on", gettext("起始日期"))
    deadline = parse_date(data.get("deadline"), "deadline", gettext("截止日期"))
    if deadline <= start_on:
        raise DomainError(gettext("截止日期应晚于起始日期。"), field="deadline")
    return {
        "title": title[:200],
        "owner": owner,
        "region": owner.region,
        "scope": scope.as_params(),
        "metric": metric,
        "target_value": value,
        "start_on": start_on,
        "deadline": deadline,
        "note": str(data.get("note") or "").strip(),
    }


def _managed_target(by, pk) -> Target:
    require(by, "target.manage")
    target = get_target_for_user(by, pk)
    if not may_manage_target(by, target):
        raise Forbidden(gettext("只有设定该目标的科协或联合会可以修改它。"))
    return Target.objects.select_for_update(of=("self",)).select_related("owner", "region").get(pk=target.pk)


@transaction.atomic
def create_target(*, by, data: Mapping[str, Any]) -> Target:
    require(by, "target.manage")
    target = Target.objects.create(created_by=by, **_clean_target(by, data))
    audit.record(actor=by, action="create", instance=target, changes=_target_changes(None, target))
    return target


def _target_changes(before: dict | None, target: Target) -> dict:
    after = audit.snapshot(
        target, ("title", "region", "scope", "metric", "target_value", "start_on", "deadline", "note")
    )
    return audit.diff(before or {}, after)


@transaction.atomic
def update_target(pk, *, by, data: Mapping[str, Any]) -> Target:
    target = _managed_target(by, pk)
    if target.status != TargetStatus.OPEN:
        raise DomainError(gettext("目标已关闭，不能再修改。"), code="state")
    before = audit.snapshot(
        target, ("title", "region", "scope", "metric", "target_value", "start_on", "deadline", "note")
    )
    for name, value in _clean_target(by, data, target).items():
        setattr(target, name, value)
    target.save()
    changes = _target_changes(before, target)
    if changes:
        audit.record(actor=by, action="update", instance=target, changes=changes)
    return target


@transaction.atomic
def close_target(pk, *, by) -> Target:
    target = _managed_target(by, pk)
    if target.status != TargetStatus.OPEN:
        raise DomainError(gettext("目标已关闭。"), code="state")
    target.status = TargetStatus.CLOSED
    target.closed_at = timezone.now()
    target.save(update_fields=["status", "closed_at"])
    audit.record(
        actor=by,
        action="state",
        instance=target,
        changes={"status": [TargetStatus.OPEN, TargetStatus.CLOSED]},
    )
    return target


# --- outreach tasks: assigning ----------------------------------------------------------------------


def _assigning_region(by, enterprise: Enterprise) -> Region:
    """The region on whose behalf the user assigns: their deepest staff region above the enterprise
    (the province for a platform admin)."""
    scope = scoping.scope_of(by)
    path = enterprise.region.path
    mine = [r for r in scope.regions if r.path in scope.staff_paths and path.startswith(r.path)]
    if mine:
        return max(mine, key=lambda r: len(r.path))
    return Region.objects.get(code=enterprise.region.ancestor_codes[0])


def _county_staff(association: Association) -> list:
    return holders((Role.STAFF_REVIEWER, Role.STAFF_VIEWER), region=association.region_id)


def _clean_due(due_on) -> datetime.date:
    due = parse_date(due_on, "due_on", gettext("办理期限"))
    if due < timezone.localdate():
        raise DomainError(gettext("办理期限不能早于今天。"), field="due_on")
    return due


def _assignable(by, ids: list[int]) -> dict[int, Enterprise]:
    """The enterprises ``ids``, each in reach, without a 科协 and without an open task; else the
    first that is not refuses them all, named."""
    found = {e.pk: e for e in enterprises_for_user(by).filter(pk__in=ids).select_related("region")}
    missing = [i for i in ids if i not in found]
    if missing:
        raise DomainError(
            gettext("编号为%(id)s的企业不存在或不在您的管辖范围内。") % {"id": missing[0]},
            field="enterprises",
        )
    covered = set(Enterprise.objects.filter(covered_q(), pk__in=ids).values_list("pk", flat=True))
    assigned = set(
        OutreachTask.objects.filter(enterprise_id__in=ids, state__in=OPEN_TASK_STATES).values_list(
            "enterprise_id", flat=True
        )
    )
    for pk in ids:
        enterprise = found[pk]
        if not scoping.region_in_reach(by, enterprise.region):
            reason = gettext("企业“%(name)s”不在您的管辖范围内，不能交办。")
        elif pk in covered:
            reason = gettext("企业“%(name)s”已有科协覆盖，无需交办。")
        elif pk in assigned:
            reason = gettext("企业“%(name)s”已有未办结的建会推动任务。")
        else:
            continue
        raise DomainError(reason % {"name": enterprise.name}, field="enterprises")
    return found


@transaction.atomic
def assign(
    *, by, enterprise_ids: Iterable[int], due_on, note: str = "", target_id: int | None = None
) -> list[OutreachTask]:
    """Hand enterprises without a 科协 to the local 科协 of their counties, all or none: one
    enterprise out of reach, already covered or already assigned refuses the whole batch."""
    require(by, "outreach.assign")
    ids = list(dict.fromkeys(int(i) for i in enterprise_ids))
    if not ids:
        raise DomainError(gettext("请至少选择一家企业。"), field="enterprises")
    if len(ids) > MAX_BULK:
        raise DomainError(gettext("一次最多交办%(max)s家企业。") % {"max": MAX_BULK}, field="enterprises")
    due = _clean_due(due_on)
    target = None
    if target_id:
        target = targets_for_user(by).filter(pk=target_id, status=TargetStatus.OPEN).first()
        if target is None:
            raise DomainError(gettext("所选目标不存在或已关闭。"), field="target")
    found = _assignable(by, ids)
    locals_ = {
        a.region_id: a
        for a in Association.objects.filter(
            kind=Kind.LOCAL, region_id__in={e.region_id for e in found.values()}
        ).select_related("region")
    }
    tasks = [
        OutreachTask(
            enterprise=found[pk],
            assigned_to=locals_[found[pk].region_id],
            assigning_region=_assigning_region(by, found[pk]),
            assigned_by=by,
            target=target,
            note=(note or "").strip(),
            due_on=due,
        )
        for pk in ids
    ]
    OutreachTask.objects.bulk_create(tasks)
    tasks = list(
        OutreachTask.objects.filter(enterprise_id__in=ids, state=TaskState.ASSIGNED).select_related(
            "enterprise", "assigned_to__region"
        )
    )
    with stored_language():
        audit.record_many(
            actor=by,
            action="create",
            items=[(t, {"state": [None, t.state], "assigned_to": [None, t.assigned_to.name]}) for t in tasks],
            note=gettext("交办建会推动任务"),
        )
        by_county: dict[int, list[OutreachTask]] = {}
        for task in tasks:
            by_county.setdefault(task.assigned_to_id, []).append(task)
        for county_tasks in by_county.values():
            association = county_tasks[0].assigned_to
            url = (
                reverse("outreach:tasks")
                + "?"
                + urlencode({"region": association.region_id, "state": "assigned"})
            )
            notify(
                _county_staff(association),
                text=ngettext(
                    "%(name)s收到%(count)s项建会推动任务，请在%(due)s前联系企业。",
                    "%(name)s收到%(count)s项建会推动任务，请在%(due)s前联系企业。",
                    len(county_tasks),
                )
                % {"name": association.name, "count": len(county_tasks), "due": due.isoformat()},
                url=url,
            )
    return tasks


# --- outreach tasks: tracking (one state machine) ------------------------------------------------------


def check_transition(task: OutreachTask, action: str) -> str:
    return next_state(
        TASK_TRANSITIONS,
        action,
        task.state,
        lambda: (
            gettext("任务当前状态为“%(state)s”，不能执行“%(action)s”。")
            % {"state": task.get_state_display(), "action": TaskAction(action).label}
        ),
    )


def transition(task: OutreachTask, action: str, *, by, note: str = "") -> OutreachTask:
    """The only function that changes ``OutreachTask.state``: checks the table, saves, audits."""
    target = check_transition(task, action)
    before = task.state
    task.state = target
    task.save(update_fields=["state", "decline_reason", "updated_at"])
    audit.record(actor=by, action="state", instance=task, changes={"state": [before, target]}, note=note)
    return task


def _tracked(by, pk) -> OutreachTask:
    require(by, "outreach.track")
    task = get_outreach_task_for_user(by, pk)
    if not may_track(by, task):
        raise Forbidden(gettext("只有承办科协及其上级的工作人员可以跟进该任务。"))
    return (
        OutreachTask.objects.select_for_update(of=("self",))
        .select_related("enterprise", "assigned_to__region")
        .get(pk=task.pk)
    )


@transaction.atomic
def log_contact(pk, *, by, contacted_on, way: str, person: str, outcome: str) -> ContactEntry:
    """A contact with the enterprise; the first one moves the task from 已交办 to 已联系."""
    task = _tracked(by, pk)
    if task.state == TaskState.DECLINED:
        raise DomainError(gettext("任务已登记为暂不建会，请先重新跟进。"), code="state")
    day = parse_date(contacted_on, "contacted_on", gettext("联系日期"))
    if day > timezone.localdate():
        raise DomainError(gettext("联系日期不能晚于今天。"), field="contacted_on")
    if way not in ContactWay.values:
        raise DomainError(gettext("联系方式“%(value)s”不是有效选项。") % {"value": way}, field="way")
    person = (person or "").strip()
    if not person:
        raise DomainError(gettext("请填写联系对象。"), field="person")
    outcome = (outcome or "").strip()
    if not outcome:
        raise DomainError(gettext("请填写联系结果。"), field="outcome")
    entry = ContactEntry.objects.create(
        task=task, contacted_on=day, way=way, person=person[:100], outcome=outcome, recorded_by=by
    )
    audit.record(
        actor=by,
        action="create",
        instance=entry,
        changes={"contacted_on": [None, day.isoformat()], "way": [None, way], "outcome": [None, outcome]},
    )
    if task.state == TaskState.ASSIGNED:
        transition(task, TaskAction.CONTACT, by=by)
    return entry


@transaction.atomic
def decline(pk, *, by, reason: str) -> OutreachTask:
    task = _tracked(by, pk)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(gettext("请写明企业暂不建会的原因。"), field="reason")
    check_transition(task, TaskAction.DECLINE)
    task.decline_reason = reason[:300]
    return transition(task, TaskAction.DECLINE, by=by, note=reason)


@transaction.atomic
def reopen(pk, *, by) -> OutreachTask:
    task = _tracked(by, pk)
    check_transition(task, TaskAction.REOPEN)
    task.decline_reason = ""
    return transition(task, TaskAction.REOPEN, by=by)
