"""Yearly statistics tables (AK表1-1 组织建设) and member statistics: the same services and selectors
as the pages. Cells are validated by the service (a bad figure is a 400 naming the cell's code)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from kexie.accounts.permissions import require
from kexie.core.i18n import source
from kexie.statreports import documents, memberstats, selectors, services
from kexie.statreports.enums import Action, ReportState
from kexie.statreports.lines import LINE_BY_CODE, RATES
from kexie.statreports.models import StatReport
from kexie.statreports.permissions import get_stat_report_for_user

from ..schemas import Text, responses

router = Router(tags=["statreports"])

STATE_HELP = "状态：" + "、".join(f"{k}（{source(v)}）" for k, v in ReportState.choices) + "。"


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


class CellOut(Schema):
    code: str = Field(description="栏目代码。")
    label: str
    unit: str
    prefilled: int = Field(description="平台按年末数据预填的值。")
    filed: int = Field(description="填报值。")
    reason: str = Field(description="填报值与预填值不同时的修改原因（最近一次）。")
    changed_by: str | None
    changed_at: datetime.datetime | None
    source: str = Field(description="预填值的来源口径。")


class RateOut(Schema):
    code: str
    label: str
    value: str = Field(description="由填报值计算的百分比（一位小数），分母为0时为“—”。")


class ReportOut(Schema):
    id: int
    association: int
    association_name: str
    region: str
    year: int
    state: str = Field(description=STATE_HELP)
    state_label: str
    due_on: datetime.date
    head_name: str
    preparer_name: str
    submitted_at: datetime.datetime | None
    reviewed_at: datetime.datetime | None
    comment: str
    integrity_code: str = Field(description="填报值的 SHA-256 完整性校验码（与 PDF 上打印的一致）。")
    cells: list[CellOut]
    rates: list[RateOut]


def _out(report: StatReport) -> dict[str, Any]:
    cells = selectors.cells(report)
    figures = {c.code: c.filed for c in cells}
    return {
        "id": report.pk,
        "association": report.association_id,
        "association_name": report.association.name,
        "region": report.region_id,
        "year": report.year,
        "state": report.state,
        "state_label": report.get_state_display(),
        "due_on": report.due_on,
        "head_name": report.head_name,
        "preparer_name": report.preparer_name,
        "submitted_at": report.submitted_at,
        "reviewed_at": report.reviewed_at,
        "comment": report.comment,
        "integrity_code": documents.integrity_code(report, figures),
        "cells": [
            {
                "code": c.code,
                "label": str(LINE_BY_CODE[c.code].label),
                "unit": str(LINE_BY_CODE[c.code].unit),
                "prefilled": c.prefilled,
                "filed": c.filed,
                "reason": c.reason,
                "changed_by": c.changed_by.get_username() if c.changed_by else None,
                "changed_at": c.changed_at,
                "source": str(LINE_BY_CODE[c.code].source),
            }
            for c in cells
        ],
        "rates": [
            {
                "code": r.code,
                "label": str(r.label),
                "value": documents.rate(figures[r.part], figures[r.whole]),
            }
            for r in RATES
        ],
    }


class ReportSummary(Schema):
    id: int
    region: str
    association_name: str
    year: int
    state: str = Field(description=STATE_HELP)


class OpenIn(Input):
    region: Text = Field(description="填报单位所在地区的区划代码（本级科协）。")
    year: int = Field(description="年度。")


class CellIn(Input):
    value: Any = Field(description="填报值：非负整数，没有的填0。")
    reason: Text = Field("", description="修改原因；填报值改变时必填。")


class CellsIn(Input):
    cells: dict[str, CellIn] = Field(default_factory=dict, description="按栏目代码给出要修改的栏目。")
    head_name: Text | None = Field(None, description="单位负责人。")
    preparer_name: Text | None = Field(None, description="填表人。")
    preparer_phone: Text | None = Field(None, description="联系电话。")


class ActionIn(Input):
    comment: Text = Field("", description="意见；退回时必填。")


@router.get("/statreports", response=responses({200: list[ReportSummary]}), summary="权限范围内的统计报表")
def list_reports(request: HttpRequest, year: int | None = None):
    require(request.auth, "statreport.view")
    return [
        {
            "id": r.pk,
            "region": r.region_id,
            "association_name": r.association.name,
            "year": r.year,
            "state": r.state,
        }
        for r in selectors.reports(request.auth, year=year)[:500]
    ]


@router.post(
    "/statreports",
    response=responses({201: ReportOut}),
    summary="开始填报（本级科协工作人员；按年末数据预填）",
)
def open_report(request: HttpRequest, payload: OpenIn):
    require(request.auth, "statreport.fill")
    report = services.open_report(by=request.auth, region_code=payload.region, year=payload.year)
    return Status(201, _out(get_stat_report_for_user(request.auth, report.pk)))


@router.get("/statreports/{report_id}", response=responses({200: ReportOut}), summary="统计报表（含各栏目）")
def get_report(request: HttpRequest, report_id: int):
    require(request.auth, "statreport.view")
    return _out(get_stat_report_for_user(request.auth, report_id))


@router.put(
    "/statreports/{report_id}/cells",
    response=responses({200: ReportOut}),
    summary="修改填报值（本级科协工作人员；草稿或退回状态）",
)
def put_cells(request: HttpRequest, report_id: int, payload: CellsIn):
    require(request.auth, "statreport.fill")
    signature = {
        name: getattr(payload, name)
        for name in services.SIGNATURE_FIELDS
        if getattr(payload, name) is not None
    }
    services.update_cells(
        report_id,
        by=request.auth,
        cells={code: {"value": c.value, "reason": c.reason} for code, c in payload.cells.items()},
        signature=signature,
    )
    return _out(get_stat_report_for_user(request.auth, report_id))


def _act(request: HttpRequest, report_id: int, action: str, payload: ActionIn):
    require(request.auth, "statreport.fill" if action == Action.SUBMIT else "statreport.review")
    services.transition(report_id, by=request.auth, action=action, comment=payload.comment)
    return _out(get_stat_report_for_user(request.auth, report_id))


@router.post(
    "/statreports/{report_id}/submit", response=responses({200: ReportOut}), summary="报送（或重新报送）"
)
def submit(request: HttpRequest, report_id: int, payload: ActionIn):
    return _act(request, report_id, Action.SUBMIT, payload)


@router.post(
    "/statreports/{report_id}/return", response=responses({200: ReportOut}), summary="退回修改（上一级科协）"
)
def return_(request: HttpRequest, report_id: int, payload: ActionIn):
    return _act(request, report_id, Action.RETURN, payload)


@router.post(
    "/statreports/{report_id}/accept", response=responses({200: ReportOut}), summary="审核通过（上一级科协）"
)
def accept(request: HttpRequest, report_id: int, payload: ActionIn):
    return _act(request, report_id, Action.ACCEPT, payload)


# --- member statistics ---------------------------------------------------------------------------


class ColumnOut(Schema):
    value: str = Field(description="维度取值；空字符串表示未填写。")
    label: str


class StatRowOut(Schema):
    label: str
    region: str | None
    counts: dict[str, int]
    total: int


class MemberStatsOut(Schema):
    by: str
    on: datetime.date
    region: str | None
    association: int | None
    columns: list[ColumnOut]
    total: StatRowOut
    children: list[StatRowOut]


def _row(row: memberstats.Row) -> dict:
    return {
        "label": row.label,
        "region": row.region.code if row.region else None,
        "counts": row.counts,
        "total": row.total,
    }


@router.get(
    "/stats/members",
    response=responses({200: MemberStatsOut}),
    summary="会员统计（参数 region、association、by=title_level|age_band|sex|education、on）",
)
def member_stats(request: HttpRequest):
    require(request.auth, "memberstats.view")
    query = memberstats.parse(
        request.auth, request.GET, today=timezone.localdate(), allowed=memberstats.API_PARAMS
    )
    table = memberstats.table(request.auth, query)
    return {
        "by": query.dimension,
        "on": query.on,
        "region": query.region.code if query.region else None,
        "association": query.association.pk if query.association else None,
        "columns": [{"value": code, "label": str(label)} for code, label in table.columns],
        "total": _row(table.total),
        "children": [_row(r) for r in table.children],
    }
