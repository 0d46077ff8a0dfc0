"""The later life of an association: yearly plans and summaries, officer changes, re-election
(换届) and dissolution. Writes take the acting user, run in one transaction and write the audit log;
a dissolved association is read-only."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from kexie.accounts import scoping
from kexie.accounts.enums import Role
from kexie.accounts.models import RoleAssignment
from kexie.accounts.permissions import has_perm, require
from kexie.associations.enums import Status
from kexie.associations.models import Association
from kexie.associations.permissions import associations_for_user, get_association_for_user
from kexie.core import audit
from kexie.core.dates import parse_date, years_after
from kexie.core.errors import DomainError, Forbidden
from kexie.core.i18n import stored_language
from kexie.core.notify import notify
from kexie.coverage.services import refresh_for
from kexie.members.enums import SINGLE_OFFICES, MembershipStatus, Office
from kexie.members.models import Membership, OfficeTerm
from kexie.members.rules import check_quorum, head_count

from .enums import DISSOLUTION_TRANSITIONS, DissolutionState, ReportKind, ReportStatus
from .models import Dissolution, OfficerChange, Renewal, WorkReport


def due_date(year: int, kind: str) -> datetime.date:
    """Plans are due by the end of January of their year, summaries by the end of January after it
    (``KEXIE_WORK_REPORT_DUE`` = month-day)."""
    month, day = (int(x) for x in settings.KEXIE_WORK_REPORT_DUE.split("-"))
    return datetime.date(year if kind == ReportKind.PLAN else year + 1, month, day)


def _open_on(day: datetime.date) -> Q:
    """Office terms still running on ``day``."""
    return Q(end__isnull=True) | Q(end__gt=day)


def term_end(association: Association) -> datetime.date | None:
    """When the current term ends: the last renewal's term, else founding date + term length."""
    renewal = association.renewals.first()
    if renewal is not None:
        return renewal.term_end
    if association.founded_on is None:
        return None
    return years_after(association.founded_on, association.term_years)


def _is_secretary(user, association: Association) -> bool:
    scope = scoping.scope_of(user)
    return scope.everything or association.pk in scope.secretary_of


def _is_supervisor(user, association: Association) -> bool:
    supervisor = association.parent
    return supervisor is not None and scoping.region_in_reach(user, supervisor.region)


def _live(association: Association) -> None:
    """A dissolved (or not yet active) association is read-only, for its secretary and its supervisors."""
    if association.status != Status.ACTIVE:
        raise DomainError(
            gettext("“%(name)s”当前状态为“%(status)s”，不能办理此事项。")
            % {"name": association.name, "status": association.get_status_display()},
            code="state",
        )


def ensure_manageable(by, association: Association) -> None:
    """What a secretary's action needs besides the permission: their own association, still live.
    The pages call it (on an association fetched through ``scoping``) before showing a form."""
    if not _is_secretary(by, association):
        raise Forbidden(gettext("只有本科协的秘书可以办理此事项。"))
    _live(association)


def may_manage(user, association: Association) -> bool:
    """Whether the secretary's forms are offered (a dissolved association is read-only)."""
    return (
        has_perm(user, "association.manage")
        and _is_secretary(user, association)
        and association.status == Status.ACTIVE
    )


def may_supervise(user, association: Association) -> bool:
    """Whether the supervising 科协's actions (review, acknowledge, approve) are offered."""
    return (
        has_perm(user, "association.supervise")
        and _is_supervisor(user, association)
        and association.status == Status.ACTIVE
    )


def _own(by, association_id) -> Association:
    """The secretary's own association, live (not dissolved), locked."""
    require(by, "association.manage")
    association = get_association_for_user(by, association_id)
    if not _is_secretary(by, association):
        raise Forbidden(gettext("只有本科协的秘书可以办理此事项。"))
    association = (
        Association.objects.select_for_update(of=("self",))
        .select_related("parent__region")
        .get(pk=association.pk)
    )
    ensure_manageable(by, association)
    return association


def _supervise(by, association: Association) -> None:
    require(by, "association.supervise")
    if not _is_supervisor(by, association):
        raise Forbidden(gettext("只有上级科协的工作人员可以办理此事项。"))
    _live(association)


def _supervisors(association: Association):
    if association.parent is None:
        return []
    return [
        ra.user
        for ra in RoleAssignment.objects.filter(
            role=Role.STAFF_REVIEWER, region=association.parent.region
        ).select_related("user")
    ]


def _url(association: Association) -> str:
    return reverse("associations:detail", args=[association.pk])


# --- yearly plan and summary --------------------------------------------------------------------


@transaction.atomic
def submit_work_report(association_id, *, by, year: int, kind: str, text: str) -> WorkReport:
    association = _own(by, association_id)
    if kind not in ReportKind.values:
        raise DomainError(gettext("报告类型只能是年度工作计划或年度工作总结。"), field="kind")
    this_year = timezone.localdate().year
    if not (2000 <= int(year) <= this_year + 1):
        raise DomainError(gettext("年度“%(year)s”不在可报送的范围内。") % {"year": year}, field="year")
    text = (text or "").strip()
    if len(text) < 20:
        raise DomainError(gettext("报告内容过短，请写明主要工作。"), field="text")
    report = WorkReport.objects.filter(association=association, year=year, kind=kind).first()
    if report is not None and report.status != ReportStatus.RETURNED:
        raise DomainError(
            gettext("%(year)s年的%(kind)s已报送，不能重复报送。")
            % {"year": year, "kind": ReportKind(kind).label},
            field="kind",
        )
    if report is None:
        report = WorkReport(association=association, year=year, kind=kind, due_on=due_date(year, kind))
    report.text = text
    report.status = ReportStatus.SUBMITTED
    report.submitted_by = by
    report.save()
    audit.record(actor=by, action="create", instance=report, changes={"status": [None, report.status]})
    with stored_language():
        notify(
            _supervisors(association),
            text=gettext("“%(name)s”报送了%(year)s年%(kind)s。")
            % {"name": association.name, "year": year, "kind": ReportKind(kind).label},
            url=_url(association),
        )
    return report


@transaction.atomic
def review_work_report(report_id, *, by, accept: bool, comment: str = "") -> WorkReport:
    report = (
        WorkReport.objects.select_for_update(of=("self",))
        .select_related("association__parent__region")
        .filter(pk=report_id)
        .first()
    )
    if report is None or not associations_for_user(by).filter(pk=report.association_id).exists():
        raise Http404(gettext("报告不存在。"))
    _supervise(by, report.association)
    if report.status != ReportStatus.SUBMITTED:
        raise DomainError(gettext("该报告已审阅。"), code="state")
    if not accept and not (comment or "").strip():
        raise DomainError(gettext("退回时须写明需要修改的内容。"), field="comment")
    before = report.status
    report.status = ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED
    report.comment = (comment or "").strip()
    report.reviewed_at = timezone.now()
    report.reviewed_by = by
    report.save()
    audit.record(
        actor=by,
        action="state",
        instance=report,
        changes={"status": [before, report.status]},
        note=report.comment,
    )
    return report


# --- officers ----------------------------------------------------------------------------------------


def _membership(association: Association, person_id: Any) -> Membership:
    membership = (
        association.memberships.filter(person_id=person_id, status=MembershipStatus.APPROVED)
        .select_related("person")
        .first()
    )
    if membership is None:
        raise DomainError(gettext("新任人选须是本科协的正式会员。"), field="person")
    return membership


@transaction.atomic
def change_officer(association_id, *, by, office: str, person_id, decided_on, reason: str) -> OfficerChange:
    """Replace the holder of ``office`` between congresses: the old term ends, a new one starts and
    runs to the end of the current term."""
    association = _own(by, association_id)
    if office not in Office.values:
        raise DomainError(gettext("职务“%(office)s”不是有效选项。") % {"office": office}, field="office")
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError(gettext("请写明变更原因。"), field="reason")
    decided = parse_date(decided_on, "decided_on", gettext("决定日期"))
    if decided > timezone.localdate():
        raise DomainError(gettext("决定日期不能晚于今天。"), field="decided_on")
    membership = _membership(association, person_id)
    current = OfficeTerm.objects.filter(
        membership__association=association, office=office, start__lte=decided
    ).filter(_open_on(decided))
    previous = current.order_by("-start").first() if office in SINGLE_OFFICES else None
    if previous is not None and previous.membership_id == membership.pk:
        raise DomainError(gettext("新任人选与现任相同。"), field="person")
    if previous is not None:
        previous.end = decided
        previous.save(update_fields=["end"])
    successor = OfficeTerm.objects.create(
        membership=membership, office=office, start=decided, end=term_end(association)
    )
    change = OfficerChange.objects.create(
        association=association,
        office=office,
        previous=previous,
        successor=successor,
        decided_on=decided,
        reason=reason[:300],
        recorded_by=by,
    )
    audit.record(
        actor=by,
        action="update",
        instance=association,
        changes={
            office: [
                previous.membership.person.name if previous else None,
                membership.person.name,
            ]
        },
        note=reason,
    )
    with stored_language():
        notify(
            _supervisors(association),
            text=gettext("“%(name)s”报送负责人变更备案：%(office)s改由%(person)s担任。")
            % {"name": association.name, "office": Office(office).label, "person": membership.person.name},
            url=_url(association),
        )
    return change


@transaction.atomic
def acknowledge_officer_change(change_id, *, by) -> OfficerChange:
    change = (
        OfficerChange.objects.select_for_update(of=("self",))
        .select_related("association__parent__region")
        .filter(pk=change_id)
        .first()
    )
    if change is None or not associations_for_user(by).filter(pk=change.association_id).exists():
        raise Http404(gettext("备案不存在。"))
    _supervise(by, change.association)
    if change.acknowledged_at is not None:
        raise DomainError(gettext("该变更已确认备案。"), code="state")
    change.acknowledged_at = timezone.now()
    change.acknowledged_by = by
    change.save(update_fields=["acknowledged_at", "acknowledged_by"])
    with stored_language():
        audit.record(
            actor=by, action="state", instance=change.association, note=gettext("确认负责人变更备案")
        )
    return change


@transaction.atomic
def record_renewal(
    association_id, *, by, data: Mapping[str, Any], officers: list[Mapping[str, Any]]
) -> Renewal:
    """换届: every current office ends on the congress date; the elected take office for a new term."""
    association = _own(by, association_id)
    held_on = parse_date(data.get("held_on"), "held_on", gettext("换届大会日期"))
    if held_on > timezone.localdate():
        raise DomainError(gettext("换届大会日期不能晚于今天。"), field="held_on")
    total = head_count(data.get("members_total"), "members_total", gettext("应到会员"))
    present = head_count(data.get("members_present"), "members_present", gettext("实到会员"))
    check_quorum(total, present)
    chosen = []
    for row in officers:
        office = row.get("office")
        if office not in Office.values:
            raise DomainError(
                gettext("职务“%(office)s”不是有效选项。") % {"office": office}, field="officers"
            )
        chosen.append((office, _membership(association, row.get("person"))))
    for office in (Office.CHAIR, Office.SECRETARY_GENERAL):
        if sum(1 for o, _m in chosen if o == office) != 1:
            raise DomainError(
                gettext("须选出一名%(office)s。") % {"office": Office(office).label}, field="officers"
            )
    end = years_after(held_on, association.term_years)
    OfficeTerm.objects.filter(membership__association=association).filter(_open_on(held_on)).update(
        end=held_on
    )
    OfficeTerm.objects.bulk_create(
        OfficeTerm(membership=m, office=o, start=held_on, end=end) for o, m in chosen
    )
    renewal = Renewal.objects.create(
        association=association,
        held_on=held_on,
        members_total=total,
        members_present=present,
        term_end=end,
        recorded_by=by,
    )
    with stored_language():
        audit.record(
            actor=by,
            action="state",
            instance=association,
            changes={"term_end": [None, end.isoformat()]},
            note=gettext("换届"),
        )
    with stored_language():
        notify(
            _supervisors(association),
            text=gettext("“%(name)s”完成换届，本届任期至%(end)s。")
            % {"name": association.name, "end": end.isoformat()},
            url=_url(association),
        )
    return renewal


# --- dissolution -------------------------------------------------------------------------------------


def _dissolution_step(dissolution: Dissolution, action: str) -> str:
    target = DISSOLUTION_TRANSITIONS.get((action, dissolution.state))
    if target is None:
        raise DomainError(
            gettext("撤销程序当前为“%(state)s”，不能执行此操作。")
            % {"state": dissolution.get_state_display()},
            code="state",
        )
    return target


@transaction.atomic
def propose_dissolution(association_id, *, by, reason: str) -> Dissolution:
    association = _own(by, association_id)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(gettext("请写明撤销理由。"), field="reason")
    try:
        with transaction.atomic():
            dissolution = Dissolution.objects.create(association=association, reason=reason, proposed_by=by)
    except IntegrityError as exc:
        raise DomainError(gettext("已有进行中的撤销程序。"), code="state") from exc
    with stored_language():
        audit.record(
            actor=by,
            action="state",
            instance=association,
            note=gettext("委员会提议撤销：%(reason)s") % {"reason": reason},
        )
    return dissolution


def _open_dissolution(association: Association) -> Dissolution:
    dissolution = (
        association.dissolutions.select_for_update()
        .filter(state__in=[DissolutionState.PROPOSED, DissolutionState.DECIDED])
        .first()
    )
    if dissolution is None:
        raise DomainError(gettext("没有进行中的撤销程序。"), code="state")
    return dissolution


@transaction.atomic
def decide_dissolution(
    association_id, *, by, congress_on, members_total: int, members_present: int, votes_for: int
) -> Dissolution:
    """The congress decides; dissolution needs two thirds of those present (社团 practice)."""
    association = _own(by, association_id)
    dissolution = _open_dissolution(association)
    target = _dissolution_step(dissolution, "decide")
    day = parse_date(congress_on, "congress_on", gettext("会员大会日期"))
    total = head_count(members_total, "members_total", gettext("应到会员"))
    present = head_count(members_present, "members_present", gettext("实到会员"))
    votes = head_count(votes_for, "votes_for", gettext("赞成票"))
    check_quorum(total, present)
    if votes > present:
        raise DomainError(gettext("赞成票不能多于实到人数。"), field="votes_for")
    if votes * 3 < present * 2:
        raise DomainError(gettext("赞成票未达到实到会员的三分之二，撤销决定未通过。"), field="votes_for")
    dissolution.state = target
    dissolution.congress_on, dissolution.members_present, dissolution.votes_for = day, present, votes
    dissolution.save()
    with stored_language():
        audit.record(actor=by, action="state", instance=association, note=gettext("会员大会决定撤销"))
    with stored_language():
        notify(
            _supervisors(association),
            text=gettext("“%(name)s”会员大会决定撤销，请审批。") % {"name": association.name},
            url=_url(association),
        )
    return dissolution


@transaction.atomic
def approve_dissolution(association_id, *, by) -> Dissolution:
    association = get_association_for_user(by, association_id)
    _supervise(by, association)
    association = Association.objects.select_for_update().get(pk=association.pk)
    dissolution = _open_dissolution(association)
    dissolution.state = _dissolution_step(dissolution, "approve")
    dissolution.approved_by, dissolution.approved_at = by, timezone.now()
    dissolution.save()
    before = association.status
    today = timezone.localdate()
    association.status = Status.DISSOLVED
    association.dissolved_on = today
    association.save(update_fields=["status", "dissolved_on", "updated_at"])
    refresh_for(association_ids=[association.pk])
    OfficeTerm.objects.filter(membership__association=association).filter(_open_on(today)).update(end=today)
    audit.record(
        actor=by, action="state", instance=association, changes={"status": [before, Status.DISSOLVED]}
    )
    return dissolution
