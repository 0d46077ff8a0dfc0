"""The organisation tree (local, enterprise and joint 科协, sub-units, federations), scoped."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from kexie.accounts.permissions import require
from kexie.associations.enums import Kind
from kexie.associations.models import Association
from kexie.associations.permissions import get_association_for_user
from kexie.associations.selectors import association_list, tree_children, tree_roots
from kexie.core.i18n import source
from kexie.enterprises.permissions import enterprises_for_user

from ..schemas import PageQuery, Text, page, responses

router = Router(tags=["associations"])

# The OpenAPI descriptions are written in Chinese (the choice labels too, whatever the request's language).
KIND_HELP = "组织类型：" + "、".join(f"{k}（{source(v)}）" for k, v in Kind.choices) + "。"


class AssociationOut(Schema):
    id: int
    kind: str = Field(description=KIND_HELP)
    kind_label: str
    joint_kind: str
    name: str
    region: str = Field(description="所在地区的区划代码。")
    region_name: str
    parent: int | None = Field(description="上级组织 id。")
    enterprise: int | None = Field(description="所在企业 id（企业科协）。")
    status: str
    status_label: str
    founded_on: datetime.date | None
    term_years: int

    @staticmethod
    def resolve_region(obj: Association) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj: Association) -> str:
        return obj.region.name

    @staticmethod
    def resolve_parent(obj: Association) -> int | None:
        return obj.parent_id

    @staticmethod
    def resolve_enterprise(obj: Association) -> int | None:
        return obj.enterprise_id

    @staticmethod
    def resolve_status_label(obj: Association) -> str:
        return obj.get_status_display()


class AssociationPage(Schema):
    count: int
    items: list[AssociationOut]


class AssociationDetail(AssociationOut):
    covered_enterprises: list[int] = Field(description="联合科协覆盖的、您有权查看的企业 id。")

    @staticmethod
    def resolve_covered_enterprises(obj: Association) -> list[int]:
        return obj.visible_covered_ids  # set by the view, from the caller's scope


class AssociationNode(AssociationOut):
    child_count: int = Field(description="您有权查看的直接下级组织数。")


class AssociationTreePage(Schema):
    parent: int | None = Field(description="展开的上级组织 id；为 null 时 items 是您可见范围内的最高层组织。")
    count: int
    items: list[AssociationNode]


class AssociationQuery(PageQuery):
    kind: Text = Field("", description=KIND_HELP)
    region: Text = Field("", description="区划代码；包括其全部下级区划。")
    q: Text = Field("", description="组织名称的一部分。")


class TreeQuery(PageQuery):
    parent: int | None = Field(None, description="上级组织 id；不填列出最高层组织。")


@router.get("", response=responses({200: AssociationPage}), summary="组织列表（按权限范围）")
def list_associations(request: HttpRequest, query: Query[AssociationQuery]):
    require(request.auth, "association.view")
    return page(association_list(request.auth, kind=query.kind, region=query.region, q=query.q), query)


# Declared before "/{association_id}" so that "tree" reaches this view.
@router.get("/tree", response=responses({200: AssociationTreePage}), summary="组织树的一层")
def association_tree(request: HttpRequest, query: Query[TreeQuery]):
    require(request.auth, "association.view")
    if query.parent is None:
        nodes = tree_roots(request.auth)
    else:
        nodes = tree_children(request.auth, get_association_for_user(request.auth, query.parent))
    return {"parent": query.parent, **page(nodes, query)}


@router.get("/{association_id}", response=responses({200: AssociationDetail}), summary="组织详情")
def detail(request: HttpRequest, association_id: int):
    require(request.auth, "association.view")
    association = get_association_for_user(request.auth, association_id)
    visible = enterprises_for_user(request.auth).filter(joint_associations=association)
    association.visible_covered_ids = sorted(visible.values_list("pk", flat=True))
    return association
