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
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from kexie.accounts.enums import Role
from kexie.accounts.permissions import require
from kexie.accounts.selectors import holders
from kexie.associations.enums import Status
from kexie.associations.models import Association
from kexie.associations.permissions import get_association_for_user, is_secretary_of
from kexie.associations.services import set_association_status
from kexie.core import audit
from kexie.core.dates import parse_date, years_after
from kexie.core.errors import DomainError, Forbidden
from kexie.core.i18n import stored_language
from kexie.core.notify import notify
from kexie.core.states import next_state
from kexie.members import services as member_services
from kexie.members.enums import SINGLE_OFFICES, MembershipStatus, Office
from kexie.members.models import Membership
from kexie.members.rules import check_quorum, head_count

from .enums import (
    DISSOLUTION_TRANSITIONS,
    NOT_SENT,
    REPORT_TRANSITIONS,
    DissolutionAction,
    DissolutionState,
    ReportAction,
    ReportKind,
    ReportStatus,
)
from .models import Dissolution, OfficerChange, Renewal, WorkReport
from .permissions import (
    check_live,
    check_supervisor,
    get_officer_change_for_user,
    get_work_report_for_user,
)


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


def _own(by, association_id) -> Association:
    """The secretary's own association, live (not dissolved), locked."""
    require(by, "association.manage")
    association = get_association_for_user(by, association_id)
    if not is_secretary_of(by, association):
        raise Forbidden(gettext("只有本科协的秘书可以办理此事项。"))
    association = (
        Association.objects.select_for_update(of=("self",))
        .select_related("parent__region")
        .get(pk=association.pk)
    )
    check_live(association)
    return association


def _supervisors(association: Association):
    if association.parent is None:
        return []
    return holders(Role.STAFF_REVIEWER, region=association.parent.region_id)


def _url(association: Association) -> str:
    return reverse("associations:detail", args=[association.pk])


# --- yearly plan and summary --------------------------------------------------------------------


def set_report_status(report: WorkReport, action: str, *, by, comment: str = "") -> WorkReport:
    """Move a yearly report (locked by the caller, or new) along ``REPORT_TRANSITIONS``: saved, audited,
    and the side that acts next told (the supervising 科协 of a report sent, the secretaries of one
    reviewed). A refused move says which state the report is in."""
    before = report.status if report.pk else NOT_SENT
    target = next_state(
        REPORT_TRANSITIONS,
        action,
        before,
        lambda: (
            gettext("该报告当前为“%(state)s”，不能执行“%(action)s”。")
            % {
                "state": report.get_status_display() if before else gettext("未报送"),
                "action": ReportAction(action).label,
            }
        ),
    )
    report.status = target
    if action == ReportAction.SUBMIT:
        report.submitted_by, report.comment, report.reviewed_at, report.reviewed_by = by, "", None, None
    else:
        report.comment, report.reviewed_at, report.reviewed_by = comment, timezone.now(), by
    report.save()
    audit.record(
        actor=by,
        action="create" if before == NOT_SENT else "state",
        instance=report,
        changes={"status": [before or None, target]},
        note=comment,
    )
    association = report.association
    values = {"name": association.name, "year": report.year, "kind": ReportKind(report.kind).label}
    with stored_language():
        if action == ReportAction.SUBMIT:
            notify(
                _supervisors(association),
                text=gettext("“%(name)s”报送了%(year)s年%(kind)s。") % values,
                url=_url(association),
            )
        else:
            if action == ReportAction.ACCEPT:
                text = gettext("“%(name)s”的%(year)s年%(kind)s已审阅通过。") % values
            else:
                text = gettext("“%(name)s”的%(year)s年%(kind)s被退回修改：%(comment)s") % {
                    **values,
                    "comment": comment,
                }
            notify(holders(Role.SECRETARY, association=association), text=text, url=_url(association))
    return report


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
    report = (
        WorkReport.objects.select_for_update(of=("self",))
        .filter(association=association, year=year, kind=kind)
        .first()
    )
    if report is not None and (ReportAction.SUBMIT, report.status) not in REPORT_TRANSITIONS:
        raise DomainError(
            gettext("%(year)s年的%(kind)s已报送，不能重复报送。")
            % {"year": year, "kind": ReportKind(kind).label},
            field="kind",
        )
    if report is None:
        report = WorkReport(association=association, year=year, kind=kind, due_on=due_date(year, kind))
    report.text = text
    return set_report_status(report, ReportAction.SUBMIT, by=by)


@transaction.atomic
def review_work_report(report_id, *, by, accept: bool, comment: str = "") -> WorkReport:
    report = get_work_report_for_user(by, report_id)
    report = (
        WorkReport.objects.select_for_update(of=("self",))
        .select_related("association__parent__region")
        .get(pk=report.pk)
    )
    check_supervisor(by, report.association)
    if report.status != ReportStatus.SUBMITTED:
        raise DomainError(gettext("该报告已审阅。"), code="state")
    comment = (comment or "").strip()
    if not accept and not comment:
        raise DomainError(gettext("退回时须写明需要修改的内容。"), field="comment")
    return set_report_status(
        report, ReportAction.ACCEPT if accept else ReportAction.RETURN, by=by, comment=comment
    )


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
    current = (
        member_services.terms_of(association)
        .filter(office=office, start__lte=decided)
        .filter(_open_on(decided))
    )
    previous = current.order_by("-start").first() if office in SINGLE_OFFICES else None
    if previous is not None and previous.membership_id == membership.pk:
        raise DomainError(gettext("新任人选与现任相同。"), field="person")
    with stored_language():
        note = gettext("负责人变更：%(reason)s") % {"reason": reason}
    if previous is not None:
        member_services.end_running_terms(current.filter(pk=previous.pk), on=decided, by=by, note=note)
        previous.refresh_from_db()
    successor = member_services.open_term(
        membership, office, start=decided, end=term_end(association), by=by, note=note
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
    change = get_officer_change_for_user(by, change_id)
    change = (
        OfficerChange.objects.select_for_update(of=("self",))
        .select_related("association__parent__region")
        .get(pk=change.pk)
    )
    check_supervisor(by, change.association)
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
    with stored_language():
        note = gettext("换届")
    member_services.end_running_terms(member_services.terms_of(association), on=held_on, by=by, note=note)
    member_services.open_terms(((m, o, held_on, end, None) for o, m in chosen), by=by, note=note)
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


def _dissolution_target(dissolution: Dissolution, action: str) -> str:
    """Where ``action`` leads from the dissolution's state, or a refusal saying which state it is in."""
    return next_state(
        DISSOLUTION_TRANSITIONS,
        action,
        dissolution.state,
        lambda: (
            gettext("撤销程序当前为“%(state)s”，不能执行此操作。")
            % {"state": dissolution.get_state_display()}
        ),
    )


def move_dissolution(dissolution: Dissolution, action: str, *, by, note: str = "") -> Dissolution:
    """Move a dissolution (locked by the caller) along ``DISSOLUTION_TRANSITIONS``; saved and written
    to the association's audit log."""
    target = _dissolution_target(dissolution, action)
    before = dissolution.state
    dissolution.state = target
    dissolution.save()
    with stored_language():
        label = str(DissolutionAction(action).label)
    audit.record(
        actor=by,
        action="state",
        instance=dissolution.association,
        changes={"dissolution": [before, target]},
        note=f"{label}：{note}" if note else label,
    )
    return dissolution


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
    _dissolution_target(dissolution, DissolutionAction.DECIDE)  # refused before the figures are read
    day = parse_date(congress_on, "congress_on", gettext("会员大会日期"))
    total = head_count(members_total, "members_total", gettext("应到会员"))
    present = head_count(members_present, "members_present", gettext("实到会员"))
    votes = head_count(votes_for, "votes_for", gettext("赞成票"))
    check_quorum(total, present)
    if votes > present:
        raise DomainError(gettext("赞成票不能多于实到人数。"), field="votes_for")
    if votes * 3 < present * 2:
        raise DomainError(gettext("赞成票未达到实到会员的三分之二，撤销决定未通过。"), field="votes_for")
    dissolution.congress_on, dissolution.members_present, dissolution.votes_for = day, present, votes
    move_dissolution(dissolution, DissolutionAction.DECIDE, by=by)
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
    check_supervisor(by, association)
    association = Association.objects.select_for_update().get(pk=association.pk)
    dissolution = _open_dissolution(association)
    dissolution.approved_by, dissolution.approved_at = by, timezone.now()
    move_dissolution(dissolution, DissolutionAction.APPROVE, by=by)
    today = timezone.localdate()
    with stored_language():
        note = gettext("撤销获批准")
    set_association_status(association, Status.DISSOLVED, by=by, on=today, reason=note)
    member_services.end_running_terms(member_services.terms_of(association), on=today, by=by, note=note)
    return dissolution


@transaction.atomic
def withdraw_dissolution(association_id, *, by, reason: str) -> Dissolution:
    """The committee withdraws its dissolution (proposed, or decided by the congress and not yet
    approved): the association carries on; the supervising 科协 is told when it had been asked."""
    association = _own(by, association_id)
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError(gettext("请写明撤回理由。"), field="reason")
    dissolution = _open_dissolution(association)
    was_decided = dissolution.state == DissolutionState.DECIDED
    move_dissolution(dissolution, DissolutionAction.WITHDRAW, by=by, note=reason)
    if was_decided:
        with stored_language():
            notify(
                _supervisors(association),
                text=gettext("“%(name)s”撤回了撤销申请：%(reason)s")
                % {"name": association.name, "reason": reason},
                url=_url(association),
            )
    return dissolution
