"""Members of an association: the list (masked phones and ID numbers) and decisions on
applications. The same scoping, selectors and services as the pages."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from kexie.accounts.permissions import require
from kexie.associations.permissions import get_association_for_user
from kexie.core.i18n import source
from kexie.core.masking import mask_phone
from kexie.members import selectors, services
from kexie.members.enums import MembershipStatus, Office
from kexie.members.models import Membership, OfficeTerm
from kexie.members.permissions import get_membership_for_user

from ..schemas import PageQuery, Text, page, responses

router = Router(tags=["members"])

STATUS_HELP = "状态：" + "、".join(f"{k}（{source(v)}）" for k, v in MembershipStatus.choices) + "。"
OFFICE_HELP = "职务：" + "、".join(f"{k}（{source(v)}）" for k, v in Office.choices) + "。"


class MemberOut(Schema):
    id: int = Field(description="会员资格 id。")
    person: int = Field(description="科技工作者 id。")
    association: int
    name: str
    sex: str
    birth_month: str
    education: str
    title_level: str
    title_name: str
    position: str
    department: str
    phone: str = Field(description="手机号，已脱敏（如 138****5678）。")
    id_number: str = Field(description="身份证号，已脱敏（如 1101**********002X）。")
    status: str = Field(description=STATUS_HELP)
    status_label: str
    applied_at: datetime.datetime | None
    joined_on: datetime.date | None
    left_on: datetime.date | None
    note: str = Field(description="不予批准、退会或转出的原因。")
    transferred_to: int | None = Field(description="转出时，转入科协的新会员资格 id。")

    @staticmethod
    def resolve_person(obj: Membership) -> int:
        return obj.person_id

    @staticmethod
    def resolve_association(obj: Membership) -> int:
        return obj.association_id

    @staticmethod
    def resolve_name(obj: Membership) -> str:
        return obj.person.name

    @staticmethod
    def resolve_sex(obj: Membership) -> str:
        return obj.person.sex

    @staticmethod
    def resolve_birth_month(obj: Membership) -> str:
        return obj.person.birth_month

    @staticmethod
    def resolve_education(obj: Membership) -> str:
        return obj.person.education

    @staticmethod
    def resolve_title_level(obj: Membership) -> str:
        return obj.person.title_level

    @staticmethod
    def resolve_title_name(obj: Membership) -> str:
        return obj.person.title_name

    @staticmethod
    def resolve_position(obj: Membership) -> str:
        return obj.person.position

    @staticmethod
    def resolve_department(obj: Membership) -> str:
        return obj.person.department

    @staticmethod
    def resolve_phone(obj: Membership) -> str:
        return mask_phone(obj.person.phone)

    @staticmethod
    def resolve_id_number(obj: Membership) -> str:
        return obj.person.id_masked

    @staticmethod
    def resolve_status_label(obj: Membership) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_transferred_to(obj: Membership) -> int | None:
        return obj.transferred_to_id


class TermOut(Schema):
    id: int
    office: str = Field(description=OFFICE_HELP)
    office_label: str
    start: datetime.date
    end: datetime.date | None = Field(description="任期结束日期（当日不再在任）；null 表示未定。")

    @staticmethod
    def resolve_office_label(obj: OfficeTerm) -> str:
        return obj.get_office_display()


class MemberDetailOut(MemberOut):
    offices: list[TermOut]

    @staticmethod
    def resolve_offices(obj: Membership) -> QuerySet[OfficeTerm]:
        return obj.offices.order_by("-start", "pk")


class MemberPage(Schema):
    count: int
    items: list[MemberOut]


class MemberQuery(PageQuery):
    status: Text = Field("", description=STATUS_HELP)
    q: Text = Field("", description="姓名的一部分。")


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: Text = Field("", description="审批意见；不予批准时必填（原因）。")


@router.get(
    "/associations/{association_id}/members",
    response=responses({200: MemberPage}),
    summary="科协的会员名单（手机号、身份证号已脱敏）",
)
def association_members(request: HttpRequest, association_id: int, query: Query[MemberQuery]):
    require(request.auth, "member.view")
    association = get_association_for_user(request.auth, association_id)
    filters = selectors.MemberFilters.from_params({"status": query.status, "q": query.q})
    return page(selectors.member_list(request.auth, association, filters), query)


@router.get(
    "/members/{membership_id}", response=responses({200: MemberDetailOut}), summary="会员详情（已脱敏）"
)
def member_detail(request: HttpRequest, membership_id: int):
    require(request.auth, "member.view")
    return get_membership_for_user(request.auth, membership_id)


def _fresh(request: HttpRequest, membership_id: int) -> Membership:
    return get_membership_for_user(request.auth, membership_id)


@router.post(
    "/members/{membership_id}/approve",
    response=responses({200: MemberDetailOut}),
    summary="批准入会申请（本科协秘书）",
)
def approve(request: HttpRequest, membership_id: int, payload: DecisionIn):
    require(request.auth, "member.manage")
    services.approve(membership_id, by=request.auth, note=payload.reason)
    return _fresh(request, membership_id)


@router.post(
    "/members/{membership_id}/reject",
    response=responses({200: MemberDetailOut}),
    summary="不予批准入会申请（本科协秘书，须写明原因）",
)
def reject(request: HttpRequest, membership_id: int, payload: DecisionIn):
    require(request.auth, "member.manage")
    services.reject(membership_id, by=request.auth, reason=payload.reason)
    return _fresh(request, membership_id)
