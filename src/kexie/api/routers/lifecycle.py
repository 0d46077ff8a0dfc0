"""The later life of an association: yearly plans and summaries, officers and their changes,
re-election (换届), dissolution, and the supervising staff's lists. The same services and selectors as
the pages; a dissolved association is read-only."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from kexie.accounts.permissions import require
from kexie.associations.permissions import get_association_for_user
from kexie.core.i18n import source
from kexie.lifecycle import selectors, services
from kexie.lifecycle.enums import DissolutionState, ReportKind, ReportStatus
from kexie.lifecycle.models import Dissolution, OfficerChange, WorkReport
from kexie.members.enums import Office
from kexie.members.models import OfficeTerm

from ..schemas import PageQuery, Text, responses

router = Router(tags=["lifecycle"])


def _help(title: str, choices) -> str:
    return title + "：" + "、".join(f"{k}（{source(v)}）" for k, v in choices) + "。"


KIND_HELP = _help("报告类型", ReportKind.choices)
REPORT_STATUS_HELP = _help("状态", ReportStatus.choices)
OFFICE_HELP = _help("职务", Office.choices)
DISSOLUTION_HELP = _help("撤销程序状态", DissolutionState.choices)


# Head counts and votes: anything above this is a typing error (and would not fit the columns).
MAX_COUNT = 1_000_000
MAX_ID = 2**63 - 1  # ids are 64-bit


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


# --- yearly plan and summary ----------------------------------------------------------------------


class ReportOut(Schema):
    id: int
    association: int
    year: int
    kind: str = Field(description=KIND_HELP)
    kind_label: str
    due_on: datetime.date = Field(description="报送期限。")
    text: str
    status: str = Field(description=REPORT_STATUS_HELP)
    status_label: str
    submitted_at: datetime.datetime
    reviewed_at: datetime.datetime | None
    comment: str = Field(description="上级科协的审阅意见（退回时写明需要修改的内容）。")

    @staticmethod
    def resolve_association(obj: WorkReport) -> int:
        return obj.association_id

    @staticmethod
    def resolve_kind_label(obj: WorkReport) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_status_label(obj: WorkReport) -> str:
        return obj.get_status_display()


class ReportList(Schema):
    count: int
    items: list[ReportOut]


class ReportIn(Input):
    year: int = Field(description="年度，如 2026。")
    kind: Text = Field(description=KIND_HELP)
    text: Text = Field(description="报告内容（不少于20字）。")


class ReviewIn(Input):
    accept: bool = Field(description="true 审阅通过；false 退回修改（须写明意见）。")
    comment: Text = Field("", description="审阅意见；退回时必填。")


@router.get(
    "/associations/{association_id}/reports",
    response=responses({200: ReportList}),
    summary="科协的年度工作计划/总结",
)
def association_reports(request: HttpRequest, association_id: int):
    require(request.auth, "association.view")
    association = get_association_for_user(request.auth, association_id)
    items = list(selectors.reports(association))
    return {"count": len(items), "items": items}


@router.post(
    "/associations/{association_id}/reports",
    response=responses({201: ReportOut}),
    summary="报送年度工作计划/总结（本科协秘书；被退回的报告可重新报送）",
)
def submit_report(request: HttpRequest, association_id: int, payload: ReportIn):
    require(request.auth, "association.manage")
    report = services.submit_work_report(
        association_id, by=request.auth, year=payload.year, kind=payload.kind, text=payload.text
    )
    return Status(201, report)


@router.post(
    "/reports/{report_id}/review",
    response=responses({200: ReportOut}),
    summary="审阅年度工作计划/总结（上级科协工作人员：通过或退回）",
)
def review_report(request: HttpRequest, report_id: int, payload: ReviewIn):
    require(request.auth, "association.supervise")
    return services.review_work_report(
        report_id, by=request.auth, accept=payload.accept, comment=payload.comment
    )


# --- officers ------------------------------------------------------------------------------------------


class OfficerOut(Schema):
    office: str = Field(description=OFFICE_HELP)
    office_label: str
    person: int = Field(description="科技工作者 id。")
    name: str
    start: datetime.date
    end: datetime.date | None = Field(description="任期结束日期；null 表示未定。")

    @staticmethod
    def resolve_office_label(obj: OfficeTerm) -> str:
        return obj.get_office_display()

    @staticmethod
    def resolve_person(obj: OfficeTerm) -> int:
        return obj.membership.person_id

    @staticmethod
    def resolve_name(obj: OfficeTerm) -> str:
        return obj.membership.person.name


class TermOut(Schema):
    start: datetime.date
    end: datetime.date | None
    officers: list[OfficerOut] = Field(description="在本届内开始任职的负责人（含届中变更）。")


class OfficersOut(Schema):
    term_start: datetime.date | None = Field(description="本届任期开始日期。")
    term_end: datetime.date | None = Field(description="本届任期届满日期。")
    on: datetime.date = Field(description="current 所指的日期。")
    current: list[OfficerOut] = Field(description="该日在任的负责人。")
    history: list[TermOut] = Field(description="历届负责人，最近一届在前。")


class OfficersQuery(Schema):
    on: datetime.date | None = Field(None, description="查询日期（YYYY-MM-DD），默认今天。")


class OfficerChangeIn(Input):
    office: Text = Field(description=OFFICE_HELP)
    person: int = Field(ge=1, le=MAX_ID, description="新任人选的科技工作者 id，须是本科协的正式会员。")
    decided_on: datetime.date = Field(description="决定日期，不晚于今天。")
    reason: Text = Field(description="变更原因。")


class OfficerChangeOut(Schema):
    id: int
    association: int
    office: str = Field(description=OFFICE_HELP)
    office_label: str
    previous: OfficerOut | None = Field(description="原任；副职等可多人担任的职务为 null。")
    successor: OfficerOut
    decided_on: datetime.date
    reason: str
    acknowledged_at: datetime.datetime | None = Field(description="上级科协确认备案的时间；null 表示待确认。")

    @staticmethod
    def resolve_association(obj: OfficerChange) -> int:
        return obj.association_id

    @staticmethod
    def resolve_office_label(obj: OfficerChange) -> str:
        return obj.get_office_display()


@router.get(
    "/associations/{association_id}/officers",
    response=responses({200: OfficersOut}),
    summary="科协负责人：某日在任与历届",
)
def association_officers(request: HttpRequest, association_id: int, query: Query[OfficersQuery]):
    require(request.auth, "association.view")
    association = get_association_for_user(request.auth, association_id)
    day = query.on or timezone.localdate()
    start, end = selectors.current_term(association)
    return {
        "term_start": start,
        "term_end": end,
        "on": day,
        "current": selectors.officers_on(association, day),
        "history": selectors.officer_history(association),
    }


@router.post(
    "/associations/{association_id}/officer-changes",
    response=responses({201: OfficerChangeOut}),
    summary="届中负责人变更（本科协秘书；报上级科协备案）",
)
def change_officer(request: HttpRequest, association_id: int, payload: OfficerChangeIn):
    require(request.auth, "association.manage")
    change = services.change_officer(
        association_id,
        by=request.auth,
        office=payload.office,
        person_id=payload.person,
        decided_on=payload.decided_on,
        reason=payload.reason,
    )
    return Status(201, change)


@router.post(
    "/officer-changes/{change_id}/acknowledge",
    response=responses({200: OfficerChangeOut}),
    summary="确认负责人变更备案（上级科协工作人员）",
)
def acknowledge_officer_change(request: HttpRequest, change_id: int):
    require(request.auth, "association.supervise")
    return services.acknowledge_officer_change(change_id, by=request.auth)


# --- re-election ---------------------------------------------------------------------------------------


class ElectedIn(Input):
    office: Text = Field(description=OFFICE_HELP)
    person: int = Field(ge=1, le=MAX_ID, description="当选人的科技工作者 id，须是本科协的正式会员。")


class RenewalIn(Input):
    held_on: datetime.date = Field(description="换届大会日期，不晚于今天。")
    members_total: int = Field(ge=0, le=MAX_COUNT, description="应到会员人数。")
    members_present: int = Field(ge=0, le=MAX_COUNT, description="实到会员人数，不少于应到的三分之二。")
    officers: list[ElectedIn] = Field(description="当选负责人：须有一名主席和一名秘书长。")


class RenewalOut(Schema):
    id: int
    association: int
    held_on: datetime.date
    members_total: int
    members_present: int
    term_end: datetime.date = Field(description="新一届任期届满日期。")

    @staticmethod
    def resolve_association(obj) -> int:
        return obj.association_id


@router.post(
    "/associations/{association_id}/renewals",
    response=responses({201: RenewalOut}),
    summary="登记换届（本科协秘书；原有职务于大会当日结束）",
)
def record_renewal(request: HttpRequest, association_id: int, payload: RenewalIn):
    require(request.auth, "association.manage")
    renewal = services.record_renewal(
        association_id,
        by=request.auth,
        data=payload.model_dump(include={"held_on", "members_total", "members_present"}),
        officers=[row.model_dump() for row in payload.officers],
    )
    return Status(201, renewal)


# --- dissolution ---------------------------------------------------------------------------------------


class DissolutionIn(Input):
    reason: Text = Field(description="撤销理由。")


class WithdrawIn(Input):
    reason: Text = Field(description="撤回理由。")


class DecisionIn(Input):
    congress_on: datetime.date = Field(description="会员大会日期。")
    members_total: int = Field(ge=0, le=MAX_COUNT, description="应到会员人数。")
    members_present: int = Field(ge=0, le=MAX_COUNT, description="实到会员人数，不少于应到的三分之二。")
    votes_for: int = Field(ge=0, le=MAX_COUNT, description="赞成票，须达到实到人数的三分之二。")


class DissolutionOut(Schema):
    id: int
    association: int
    state: str = Field(description=DISSOLUTION_HELP)
    state_label: str
    reason: str
    proposed_at: datetime.datetime
    congress_on: datetime.date | None
    members_present: int | None
    votes_for: int | None
    approved_at: datetime.datetime | None

    @staticmethod
    def resolve_association(obj: Dissolution) -> int:
        return obj.association_id

    @staticmethod
    def resolve_state_label(obj: Dissolution) -> str:
        return obj.get_state_display()


@router.post(
    "/associations/{association_id}/dissolution",
    response=responses({201: DissolutionOut}),
    summary="提议撤销（本科协秘书，委员会提议）",
)
def propose_dissolution(request: HttpRequest, association_id: int, payload: DissolutionIn):
    require(request.auth, "association.manage")
    return Status(201, services.propose_dissolution(association_id, by=request.auth, reason=payload.reason))


@router.post(
    "/associations/{association_id}/dissolution/decision",
    response=responses({200: DissolutionOut}),
    summary="登记会员大会的撤销决定（本科协秘书；须三分之二赞成）",
)
def decide_dissolution(request: HttpRequest, association_id: int, payload: DecisionIn):
    require(request.auth, "association.manage")
    return services.decide_dissolution(association_id, by=request.auth, **payload.model_dump())


@router.post(
    "/associations/{association_id}/dissolution/approve",
    response=responses({200: DissolutionOut}),
    summary="批准撤销（上级科协工作人员；此后该科协只读）",
)
def approve_dissolution(request: HttpRequest, association_id: int):
    require(request.auth, "association.supervise")
    return services.approve_dissolution(association_id, by=request.auth)


@router.post(
    "/associations/{association_id}/dissolution/withdraw",
    response=responses({200: DissolutionOut}),
    summary="撤回撤销程序（本科协秘书；会员大会决定后、批准前也可撤回）",
)
def withdraw_dissolution(request: HttpRequest, association_id: int, payload: WithdrawIn):
    require(request.auth, "association.manage")
    return services.withdraw_dissolution(association_id, by=request.auth, reason=payload.reason)


# --- the supervising staff's lists -----------------------------------------------------------------------


class AssociationBrief(Schema):
    id: int
    name: str
    region: str = Field(description="所在地区的区划代码。")
    region_name: str
    founded_on: datetime.date | None

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj) -> str:
        return obj.region.name


class MissingReportsQuery(PageQuery):
    year: int | None = Field(None, ge=2000, le=2100, description="年度，默认今年。")
    kind: Text = Field(ReportKind.PLAN, description=KIND_HELP + "默认 plan。")


class MissingReportsOut(Schema):
    year: int
    kind: str
    due_on: datetime.date = Field(description="报送期限；期限未到时列表为空。")
    count: int
    items: list[AssociationBrief]


class RenewalDueOut(Schema):
    association: AssociationBrief
    term_end: datetime.date
    days_left: int = Field(description="距任期届满的天数；负数为已逾期的天数。")
    overdue: bool


class RenewalsDueQuery(PageQuery):
    within_days: int = Field(90, ge=0, le=3650, description="列出在此天数内任期届满（含已逾期）的科协。")


class RenewalsDueOut(Schema):
    within_days: int
    count: int
    items: list[RenewalDueOut]


@router.get(
    "/lifecycle/missing-reports",
    response=responses({200: MissingReportsOut}),
    summary="逾期未报送年度工作计划/总结的科协（按权限范围）",
)
def missing_reports(request: HttpRequest, query: Query[MissingReportsQuery]):
    require(request.auth, "association.supervise")
    year = query.year or timezone.localdate().year
    rows = selectors.missing_reports(request.auth, year=year, kind=query.kind)
    return {
        "year": year,
        "kind": query.kind,
        "due_on": services.due_date(year, query.kind),
        "count": len(rows),
        "items": rows[query.offset : query.offset + query.limit],
    }


@router.get(
    "/lifecycle/renewals-due",
    response=responses({200: RenewalsDueOut}),
    summary="即将或已经任期届满、待换届的科协（按权限范围）",
)
def renewals_due(request: HttpRequest, query: Query[RenewalsDueQuery]):
    require(request.auth, "association.supervise")
    rows = selectors.renewals_due(request.auth, within_days=query.within_days)
    items = [
        {"association": a, "term_end": end, "days_left": days, "overdue": days < 0}
        for a, end, days in rows[query.offset : query.offset + query.limit]
    ]
    return {"within_days": query.within_days, "count": len(rows), "items": items}
