"""Coverage statistics: the same figures, scoping and errors as the /coverage/ dashboard.

Query parameters are read from the query string itself, so an unknown one is refused by name (400)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema

from kexie.accounts.permissions import require
from kexie.coverage import selectors
from kexie.coverage.definition import parse_scope
from kexie.coverage.permissions import coverage_reach

from ..schemas import responses

router = Router(tags=["stats"])

PARAMS_HELP = (
    "查询参数：region（区划代码，默认为本人所在地区；平台管理员默认为全国）、date（YYYY-MM-DD，默认今天）、"
    "is_high_tech / is_above_scale / is_specialized / is_unicorn / is_leading_private（1 或 0）、"
    "ownership、industry（逗号分隔）、st_workers_min（非负整数）。未知参数或格式错误返回 400 并指明参数名；"
    "地区超出权限范围返回 404。"
)


class RegionFigure(Schema):
    code: str
    name: str
    in_scope: int = Field(description="统计范围内企业数")
    covered: int = Field(description="已覆盖企业数")
    uncovered: int
    rate: float | None = Field(description="覆盖率（已覆盖 ÷ 统计范围内），范围内为 0 时为 null")
    enterprise_associations: int = Field(description="覆盖这些企业的企业科协数")
    joint_associations: int = Field(description="覆盖其中至少一家企业的联合科协数")


class CoverageOut(Schema):
    region: RegionFigure
    children: list[RegionFigure]
    date: str
    scope: dict[str, str]
    source: str = Field(description="cells：预计算的当日统计；rows：按日期或非常用门槛从明细即时计算")


class TrendPoint(Schema):
    date: str
    month: str
    in_scope: int
    covered: int
    rate: float | None


class TrendOut(Schema):
    region: str
    scope: dict[str, str]
    points: list[TrendPoint]


def _figure(f: selectors.Figure) -> dict:
    return {
        "code": f.code,
        "name": f.name,
        "in_scope": f.in_scope,
        "covered": f.covered,
        "uncovered": f.uncovered,
        "rate": round(f.rate, 4) if f.rate is not None else None,
        "enterprise_associations": f.enterprise_associations,
        "joint_associations": f.joint_associations,
    }


@router.get(
    "/coverage",
    response=responses({200: CoverageOut}),
    summary="覆盖率（地区及其下级地区）",
    description=PARAMS_HELP,
    url_name="coverage",
)
def coverage(request: HttpRequest):
    require(request.auth, "coverage.view")
    params = request.GET
    region = selectors.parse_region(request.auth, params.get("region"))
    coverage_reach(request.auth, region)
    scope = parse_scope(params, ignore=("region", "date"))
    on = selectors.parse_day(params)
    result = selectors.coverage(request.auth, region, scope, on)
    return {
        "region": _figure(result.total),
        "children": [_figure(f) for f in result.children],
        "date": result.on.isoformat(),
        "scope": scope.as_params(),
        "source": "cells" if result.from_cells else "rows",
    }


@router.get(
    "/coverage/trend",
    response=responses({200: TrendOut}),
    summary="近 24 个月每月末的覆盖率",
    description=PARAMS_HELP.replace("date（YYYY-MM-DD，默认今天）、", ""),
    url_name="coverage_trend",
)
def coverage_trend(request: HttpRequest):
    require(request.auth, "coverage.view")
    params = request.GET
    region = selectors.parse_region(request.auth, params.get("region"))
    coverage_reach(request.auth, region)
    scope = parse_scope(params, ignore=("region", "date"))
    return {
        "region": region.code if region else "",
        "scope": scope.as_params(),
        "points": selectors.trend(request.auth, region, scope),
    }
