"""Targets, the gap finder and outreach tasks: the same selectors and services as the pages.

The gap finder reads its scope filters with ``associations.coverage.parse_scope``, so an unknown
or bad filter is a 400 naming the parameter, exactly as on the coverage pages."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from kexie.accounts.permissions import require
from kexie.core.i18n import source
from kexie.outreach import selectors, services
from kexie.outreach.enums import ContactWay, Metric, Stage, TargetStatus, TaskState
from kexie.outreach.models import OutreachTask, Target
from kexie.outreach.permissions import get_target_for_user

from ..schemas import PageQuery, Text, responses

router = Router(tags=["outreach"])

MAX_ID = 2**63 - 1


def _help(title: str, choices) -> str:
    return title + "：" + "、".join(f"{k}（{source(v)}）" for k, v in choices) + "。"


METRIC_HELP = _help("指标", Metric.choices)
STAGE_HELP = _help("阶段（筹备中及以后由筹建数据得出）", Stage.choices)
STATE_HELP = _help("登记状态", TaskState.choices)
WAY_HELP = _help("联系方式", ContactWay.choices)


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


# --- targets ----------------------------------------------------------------------------------------


class ProgressOut(Schema):
    value: float = Field(description="当前值（覆盖率为百分数）。")
    target: int
    baseline: float = Field(description="起始日期的值（新建科协数为 0）。")
    expected: float = Field(description="按起止日期线性推算，今天应达到的值。")
    percent: float = Field(description="当前值 ÷ 目标值 × 100。")
    in_scope: int | None = Field(description="范围内企业数（新建科协数指标为 null）。")
    achieved: bool
    on_track: bool = Field(description="当前值不低于线性推算值。")
    status_label: str


class TargetOut(Schema):
    id: int
    title: str
    owner: str = Field(description="设定单位（地方科协或联合会）。")
    region: str = Field(description="区划代码。")
    region_name: str
    scope: dict[str, str] = Field(description="企业范围，与覆盖率查询参数相同。")
    metric: str = Field(description=METRIC_HELP)
    metric_label: str
    target_value: int
    start_on: datetime.date
    deadline: datetime.date
    status: str
    note: str

    @staticmethod
    def resolve_owner(obj: Target) -> str:
        return obj.owner.name

    @staticmethod
    def resolve_region(obj: Target) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj: Target) -> str:
        return obj.region.name

    @staticmethod
    def resolve_metric_label(obj: Target) -> str:
        return str(obj.get_metric_display())


class TargetDetailOut(TargetOut):
    progress: ProgressOut


class TargetPage(Schema):
    count: int
    items: list[TargetOut]


class TargetQuery(PageQuery):
    status: Text = Field("", description=_help("状态", TargetStatus.choices))


@router.get("/targets", response=responses({200: TargetPage}), summary="建会目标（按权限范围）")
def list_targets(request: HttpRequest, query: Query[TargetQuery]):
    require(request.auth, "target.view")
    qs = selectors.target_list(request.auth, status=query.status)
    return {"count": qs.count(), "items": list(qs[query.offset : query.offset + query.limit])}


@router.get("/targets/{target_id}", response=responses({200: TargetDetailOut}), summary="建会目标及实时进度")
def target_detail(request: HttpRequest, target_id: int):
    require(request.auth, "target.view")
    target = get_target_for_user(request.auth, target_id)
    target.progress = selectors.progress(target)
    return target


# --- the gap finder -----------------------------------------------------------------------------------


class GapOut(Schema):
    id: int
    name: str
    credit_code: str
    region: str
    region_name: str
    ownership: str
    st_workers: int | None
    score: int = Field(description="总分 = 各加分项之和（权重见建会缺口页面）。")
    parts: dict[str, int] = Field(description="各加分项的分值。")
    reason: str = Field(description="加分理由，如“科技工作者 320 人 +31；国家高新 +20”。")
    has_open_task: bool = Field(description="已有未办结的建会推动任务。")
    is_preparing: bool = Field(description="科协正在筹备中。")


class GapPage(Schema):
    count: int
    region: str | None
    items: list[GapOut]


PART_NAMES = ("st_points", *(f"{f}_points" for f in selectors.FLAG_POINTS), "state_points", "target_points")


@router.get(
    "/outreach/gaps",
    response=responses({200: GapPage}),
    summary="建会缺口：范围内尚无科协覆盖的企业，按得分排序",
    description="参数：region（区划代码，默认本人所在地区）、覆盖率范围筛选条件（is_high_tech、"
    "is_above_scale、is_specialized、is_unicorn、is_leading_private、ownership、industry、"
    "st_workers_min）、q、limit、offset。未知参数或无效取值返回 400 并指明参数名。",
)
def gaps(request: HttpRequest, paging: Query[PageQuery]):
    require(request.auth, "outreach.view")
    query = selectors.parse_gap_query(request.auth, request.GET)
    qs, targets = selectors.gaps(request.auth, query)
    ids = selectors.ranked_ids(qs)
    rows = selectors.rows_for(qs, ids[paging.offset : paging.offset + paging.limit])
    texts = selectors.reason_texts()
    items = [
        {
            "id": r.pk,
            "name": r.name,
            "credit_code": r.credit_code,
            "region": r.region_id,
            "region_name": r.region.name,
            "ownership": r.ownership,
            "st_workers": r.st_workers,
            "score": r.score,
            "parts": {name: getattr(r, name) for name in PART_NAMES},
            "reason": selectors.reason(r, targets, texts),
            "has_open_task": r.has_open_task,
            "is_preparing": r.is_preparing,
        }
        for r in rows
    ]
    return {"count": ids.count(), "region": query.region.code if query.region else None, "items": items}


# --- outreach tasks ------------------------------------------------------------------------------------


class ContactOut(Schema):
    id: int
    contacted_on: datetime.date
    way: str = Field(description=WAY_HELP)
    person: str
    outcome: str


class TaskOut(Schema):
    id: int
    enterprise: int
    enterprise_name: str
    assigned_to: str = Field(description="承办科协。")
    region: str = Field(description="企业注册地区划代码。")
    state: str = Field(description=STATE_HELP)
    stage: str = Field(description=STAGE_HELP)
    stage_label: str
    due_on: datetime.date
    note: str
    decline_reason: str
    target: int | None

    @staticmethod
    def resolve_enterprise(obj: OutreachTask) -> int:
        return obj.enterprise_id

    @staticmethod
    def resolve_enterprise_name(obj: OutreachTask) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_assigned_to(obj: OutreachTask) -> str:
        return obj.assigned_to.name

    @staticmethod
    def resolve_region(obj: OutreachTask) -> str:
        return obj.enterprise.region_id

    @staticmethod
    def resolve_stage(obj: OutreachTask) -> str:
        return getattr(obj, "stage", None) or selectors.stage_of(obj)

    @staticmethod
    def resolve_stage_label(obj: OutreachTask) -> str:
        return str(Stage(getattr(obj, "stage", None) or selectors.stage_of(obj)).label)

    @staticmethod
    def resolve_target(obj: OutreachTask) -> int | None:
        return obj.target_id


class TaskPage(Schema):
    count: int
    items: list[TaskOut]


class TaskQuery(PageQuery):
    region: Text = Field("", description="区划代码；包括其全部下级区划。")
    stage: Text = Field("", description=STAGE_HELP)
    state: Text = Field("", description=STATE_HELP)


class AssignIn(Input):
    enterprises: list[int] = Field(description="企业 id；任何一家不能交办则全部不交办。", max_length=500)
    due_on: datetime.date = Field(description="办理期限，不早于今天。")
    note: Text = Field("", description="交办说明。")
    target: int | None = Field(None, ge=1, le=MAX_ID, description="对应的建会目标 id（可选）。")


class ContactIn(Input):
    contacted_on: datetime.date = Field(description="联系日期，不晚于今天。")
    way: Text = Field(description=WAY_HELP)
    person: Text = Field(description="联系对象（姓名、职务）。")
    outcome: Text = Field(description="联系结果。")


class DeclineIn(Input):
    reason: Text = Field(description="企业暂不建会的原因。")


@router.get("/outreach/tasks", response=responses({200: TaskPage}), summary="建会推动任务（按权限范围）")
def list_tasks(request: HttpRequest, query: Query[TaskQuery]):
    require(request.auth, "outreach.view")
    region = selectors.resolve_region(request.auth, query.region) if query.region else None
    qs = selectors.task_list(request.auth, region=region, stage=query.stage, state=query.state)
    return {"count": qs.count(), "items": list(qs[query.offset : query.offset + query.limit])}


@router.post(
    "/outreach/tasks",
    response=responses({201: list[TaskOut]}),
    summary="交办建会推动任务（一家或多家；全部成功或全部不交办）",
)
def assign_tasks(request: HttpRequest, payload: AssignIn):
    require(request.auth, "outreach.assign")
    tasks = services.assign(
        by=request.auth,
        enterprise_ids=payload.enterprises,
        due_on=payload.due_on,
        note=payload.note,
        target_id=payload.target,
    )
    return Status(
        201,
        list(
            selectors.with_stage(OutreachTask.objects.filter(pk__in=[t.pk for t in tasks])).select_related(
                "enterprise", "assigned_to"
            )
        ),
    )


@router.post(
    "/outreach/tasks/{task_id}/contact",
    response=responses({201: ContactOut}),
    summary="登记一次联系（首次联系后任务变为“已联系”）",
)
def contact(request: HttpRequest, task_id: int, payload: ContactIn):
    require(request.auth, "outreach.track")
    entry = services.log_contact(
        task_id,
        by=request.auth,
        contacted_on=payload.contacted_on,
        way=payload.way,
        person=payload.person,
        outcome=payload.outcome,
    )
    return Status(201, entry)


@router.post(
    "/outreach/tasks/{task_id}/decline",
    response=responses({200: TaskOut}),
    summary="登记企业暂不建会（写明原因）",
)
def decline(request: HttpRequest, task_id: int, payload: DeclineIn):
    require(request.auth, "outreach.track")
    return services.decline(task_id, by=request.auth, reason=payload.reason)
