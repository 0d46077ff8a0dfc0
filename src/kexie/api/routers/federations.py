"""A federation's unit members (理事长单位 / 常务理事单位 / 理事单位 / 会员单位): the list with masked
phones, counts per tier, admission, tier changes and withdrawal. The same selectors and services as
the pages; a withdrawn unit is read-only."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from kexie.accounts.permissions import require
from kexie.core.i18n import source
from kexie.core.masking import mask_phone
from kexie.federations import selectors, services
from kexie.federations.enums import DuesStatus, Tier, UnitStatus
from kexie.federations.models import UnitMember
from kexie.federations.permissions import get_federation_for_user

from ..schemas import PageQuery, Text, page, responses

router = Router(tags=["federations"])

MAX_ID = 2**63 - 1


def _help(title: str, choices) -> str:
    return title + "：" + "、".join(f"{k}（{source(v)}）" for k, v in choices) + "。"


TIER_HELP = _help("会员层级", Tier.choices)
STATUS_HELP = _help("状态", UnitStatus.choices)
DUES_HELP = _help("当年会费状态", [*DuesStatus.choices, (selectors.NO_DUES, "未生成")])


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


class UnitOut(Schema):
    id: int
    federation: int
    enterprise: int | None = Field(description="会员企业 id（以企业名义入会时）。")
    association: int | None = Field(description="会员科协 id（以科协名义入会时）。")
    name: str
    tier: str = Field(description=TIER_HELP)
    tier_label: str
    joined_on: datetime.date
    status: str = Field(description=STATUS_HELP)
    status_label: str
    withdrawn_on: datetime.date | None
    withdraw_reason: str
    representative_name: str
    representative_position: str
    representative_phone: str = Field(description="代表电话（已遮蔽）。")

    @staticmethod
    def resolve_federation(obj: UnitMember) -> int:
        return obj.federation_id

    @staticmethod
    def resolve_enterprise(obj: UnitMember) -> int | None:
        return obj.enterprise_id

    @staticmethod
    def resolve_association(obj: UnitMember) -> int | None:
        return obj.member_association_id

    @staticmethod
    def resolve_name(obj: UnitMember) -> str:
        return obj.unit_name

    @staticmethod
    def resolve_tier_label(obj: UnitMember) -> str:
        return obj.get_tier_display()

    @staticmethod
    def resolve_status_label(obj: UnitMember) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_representative_phone(obj: UnitMember) -> str:
        return mask_phone(obj.representative_phone)


class UnitListOut(UnitOut):
    dues_status: str | None = Field(description=DUES_HELP)

    @staticmethod
    def resolve_dues_status(obj: UnitMember) -> str | None:
        return getattr(obj, "dues_status", None)


class UnitPage(Schema):
    count: int
    items: list[UnitListOut]


class UnitQuery(PageQuery):
    tier: Text = Field("", description=TIER_HELP)
    status: Text = Field("", description=STATUS_HELP)
    dues: Text = Field("", description=DUES_HELP)
    year: Text = Field("", description="会费年度，默认今年。")
    q: Text = Field("", description="单位名称的一部分。")


class TierCount(Schema):
    tier: str = Field(description=TIER_HELP)
    label: str
    count: int = Field(description="在册单位数。")


class TiersOut(Schema):
    federation: int
    active: int = Field(description="在册单位总数。")
    withdrawn: int = Field(description="已退会单位数。")
    tiers: list[TierCount]


class AdmitIn(Input):
    enterprise: int | None = Field(None, ge=1, le=MAX_ID, description="以企业名义入会：企业 id。")
    association: int | None = Field(
        None, ge=1, le=MAX_ID, description="以科协名义入会：企业科协或联合科协 id（与 enterprise 二选一）。"
    )
    tier: Text = Field(description=TIER_HELP)
    joined_on: datetime.date = Field(description="入会日期，不晚于今天。")
    representative_name: Text = Field("", max_length=50)
    representative_position: Text = Field("", max_length=50)
    representative_phone: Text = Field("", max_length=20)


class TierIn(Input):
    tier: Text = Field(description=TIER_HELP)
    changed_on: datetime.date = Field(description="变更日期，不晚于今天。")
    reason: Text = Field(description="变更原因。")


class TierChangeOut(Schema):
    id: int
    unit: int
    from_tier: str
    to_tier: str
    changed_on: datetime.date
    reason: str

    @staticmethod
    def resolve_unit(obj) -> int:
        return obj.unit_id


class WithdrawIn(Input):
    withdrawn_on: datetime.date = Field(description="退会日期，不晚于今天，不早于入会日期。")
    reason: Text = Field(description="退会原因。")


@router.get(
    "/federations/{federation_id}/units",
    response=responses({200: UnitPage}),
    summary="联合会的单位会员（电话已遮蔽）",
)
def list_units(request: HttpRequest, federation_id: int, query: Query[UnitQuery]):
    require(request.auth, "federation.view")
    federation = get_federation_for_user(request.auth, federation_id)
    filters = selectors.unit_filters(query.dict())
    return page(selectors.unit_list(request.auth, federation, filters), query)


@router.get(
    "/federations/{federation_id}/tiers", response=responses({200: TiersOut}), summary="各层级在册单位数"
)
def tiers(request: HttpRequest, federation_id: int):
    require(request.auth, "federation.view")
    federation = get_federation_for_user(request.auth, federation_id)
    statuses = selectors.status_counts(request.auth, federation)
    return {
        "federation": federation.pk,
        "active": statuses[UnitStatus.ACTIVE],
        "withdrawn": statuses[UnitStatus.WITHDRAWN],
        "tiers": selectors.tier_counts(request.auth, federation),
    }


@router.post(
    "/federations/{federation_id}/units",
    response=responses({201: UnitOut}),
    summary="办理入会（本联合会工作人员）",
)
def admit(request: HttpRequest, federation_id: int, payload: AdmitIn):
    require(request.auth, "federation.manage")
    unit = services.admit_unit(
        federation_id,
        by=request.auth,
        enterprise_id=payload.enterprise,
        association_id=payload.association,
        tier=payload.tier,
        joined_on=payload.joined_on,
        representative_name=payload.representative_name,
        representative_position=payload.representative_position,
        representative_phone=payload.representative_phone,
    )
    return Status(201, unit)


@router.post(
    "/federation-units/{unit_id}/tier",
    response=responses({201: TierChangeOut}),
    summary="调整会员层级（本联合会工作人员）",
)
def change_tier(request: HttpRequest, unit_id: int, payload: TierIn):
    require(request.auth, "federation.manage")
    change = services.change_tier(
        unit_id, by=request.auth, tier=payload.tier, changed_on=payload.changed_on, reason=payload.reason
    )
    return Status(201, change)


@router.post(
    "/federation-units/{unit_id}/withdraw",
    response=responses({200: UnitOut}),
    summary="办理退会（本联合会工作人员；退会后资料只读）",
)
def withdraw(request: HttpRequest, unit_id: int, payload: WithdrawIn):
    require(request.auth, "federation.manage")
    return services.withdraw_unit(
        unit_id, by=request.auth, withdrawn_on=payload.withdrawn_on, reason=payload.reason
    )
