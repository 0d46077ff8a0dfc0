"""Enterprises: the same selectors, scoping and services as the pages."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from kexie.accounts.permissions import require
from kexie.core.i18n import source
from kexie.core.masking import mask_phone
from kexie.enterprises.enums import Ownership
from kexie.enterprises.models import Enterprise
from kexie.enterprises.permissions import get_enterprise_for_user
from kexie.enterprises.selectors import EnterpriseFilters, enterprise_list
from kexie.enterprises.services import create_enterprise, update_enterprise

from ..schemas import PageQuery, Text, page, responses

router = Router(tags=["enterprises"])

# The OpenAPI descriptions are written in Chinese (the choice labels too, whatever the request's language).
OWNERSHIP_HELP = (
    "所有制：" + "、".join(f"{k}（{source(v)}）" for k, v in Ownership.choices) + "；也可填中文名称。"
)
INDUSTRY_HELP = "行业门类（GB/T 4754-2017）：A 至 T 的一个字母，也可填中文名称。"


class EnterpriseOut(Schema):
    id: int
    name: str
    credit_code: str
    region: str = Field(description="注册地县级区划代码。")
    region_name: str
    ownership: str
    ownership_label: str
    industry: str
    industry_label: str
    is_high_tech: bool
    is_above_scale: bool
    is_specialized: bool
    is_unicorn: bool
    is_leading_private: bool
    employees: int | None
    st_workers: int | None
    address: str
    contact_name: str
    contact_phone: str = Field(description="联系电话，已脱敏（如 138****5678）。")

    @staticmethod
    def resolve_region(obj: Enterprise) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj: Enterprise) -> str:
        return obj.region.name

    @staticmethod
    def resolve_ownership_label(obj: Enterprise) -> str:
        return obj.get_ownership_display()

    @staticmethod
    def resolve_industry_label(obj: Enterprise) -> str:
        return obj.get_industry_display() if obj.industry else ""

    @staticmethod
    def resolve_contact_phone(obj: Enterprise) -> str:
        return mask_phone(obj.contact_phone)


class EnterprisePage(Schema):
    count: int
    items: list[EnterpriseOut]


class EnterpriseQuery(PageQuery):
    q: Text = Field("", description="企业名称的一部分，或完整的18位统一社会信用代码。")
    region: Text = Field("", description="区划代码；包括其全部下级区划。")
    ownership: Text = Field("", description=OWNERSHIP_HELP)
    industry: Text = Field("", description=INDUSTRY_HELP)
    is_high_tech: bool | None = None
    is_above_scale: bool | None = None
    is_specialized: bool | None = None
    is_unicorn: bool | None = None
    is_leading_private: bool | None = None


class EnterprisePatch(Schema):
    """Only the fields sent are changed. Values are checked by the same cleaning as the pages."""

    model_config = ConfigDict(extra="forbid")

    name: Text | None = None
    credit_code: Text | None = Field(None, description="18位统一社会信用代码，校验位须正确。")
    region: Text | None = Field(None, description="注册地的县级区划代码，须在您的管辖范围内。")
    ownership: Text | None = Field(None, description=OWNERSHIP_HELP)
    industry: Text | None = Field(None, description=INDUSTRY_HELP)
    is_high_tech: bool | None = None
    is_above_scale: bool | None = None
    is_specialized: bool | None = None
    is_unicorn: bool | None = None
    is_leading_private: bool | None = None
    employees: int | None = None
    st_workers: int | None = None
    address: Text | None = None
    contact_name: Text | None = None
    contact_phone: Text | None = None


class EnterpriseIn(EnterprisePatch):
    name: Text
    credit_code: Text = Field(description="18位统一社会信用代码，校验位须正确。")
    region: Text = Field(description="注册地的县级区划代码，须在您的管辖范围内。")
    ownership: Text = Field(description=OWNERSHIP_HELP)


def _filters(query: EnterpriseQuery) -> EnterpriseFilters:
    return EnterpriseFilters(**query.model_dump(exclude={"limit", "offset"}))


@router.get("", response=responses({200: EnterprisePage}), summary="企业列表（按权限范围）")
def list_enterprises(request: HttpRequest, query: Query[EnterpriseQuery]):
    require(request.auth, "enterprise.view")
    return page(enterprise_list(request.auth, _filters(query)), query)


@router.post("", response=responses({201: EnterpriseOut}), summary="新增企业")
def create(request: HttpRequest, payload: EnterpriseIn):
    enterprise = create_enterprise(by=request.auth, data=payload.model_dump(exclude_unset=True))
    return Status(201, enterprise)


@router.get("/{enterprise_id}", response=responses({200: EnterpriseOut}), summary="企业详情")
def detail(request: HttpRequest, enterprise_id: int):
    require(request.auth, "enterprise.view")
    return get_enterprise_for_user(request.auth, enterprise_id)


@router.patch("/{enterprise_id}", response=responses({200: EnterpriseOut}), summary="修改企业（部分字段）")
def patch(request: HttpRequest, enterprise_id: int, payload: EnterprisePatch):
    return update_enterprise(enterprise_id, by=request.auth, data=payload.model_dump(exclude_unset=True))
