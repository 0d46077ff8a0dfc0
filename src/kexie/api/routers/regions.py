"""Administrative divisions (GB/T 2260): public data for every signed-in user."""

from __future__ import annotations

from collections import defaultdict

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from kexie.associations.selectors import local_association_of
from kexie.core.errors import NotFound
from kexie.regions.models import Region
from kexie.regions.selectors import ancestors_of, children_of, region_list, subtree

from ..schemas import PageQuery, Text, page, responses

router = Router(tags=["regions"])


class RegionFields(Schema):
    code: str
    name: str
    level: str = Field(description="province、city 或 county。")
    parent: str | None = Field(description="上级区划代码；省级为 null（济源等省直辖县级单位的上级是省）。")


class RegionOut(RegionFields):
    @staticmethod
    def resolve_parent(obj: Region) -> str | None:
        return obj.parent_id


class RegionPage(Schema):
    count: int
    items: list[RegionOut]


class RegionQuery(PageQuery):
    level: Text = Field("", description="province、city 或 county；不填为全部层级。")
    parent: Text = Field("", description="只列出这个区划代码的直接下级。")


class RegionDetail(RegionFields):
    full_name: str
    ancestors: list[RegionOut] = Field(description="从省级到上一级的区划。")
    children: list[RegionOut] = Field(description="直接下级区划。")
    local_association: int | None = Field(description="该区划的地方科协 id。")
    local_association_name: str | None = None


class RegionNode(Schema):
    code: str
    name: str
    level: str
    children: list[RegionNode] | None = Field(
        None, description="下级区划；超出 depth 未展开时为 null，没有下级时为空数组。"
    )


class RegionTree(Schema):
    root: RegionOut | None = Field(description="树根；不填 root 时为 null，items 为全部省级区划。")
    depth: int
    items: list[RegionNode]


class TreeQuery(Schema):
    root: Text = Field("", description="树根的区划代码；不填从省级开始。")
    depth: int = Field(1, ge=1, le=2, description="展开的层数，1 或 2。")


def _get_region(code: str) -> Region:
    region = region_list().select_related("parent").filter(code=code).first()
    if region is None:
        raise NotFound
    return region


def _node(region: Region, below: dict[str | None, list[Region]], levels_left: int) -> dict:
    children = None
    if levels_left > 0:
        children = [_node(child, below, levels_left - 1) for child in below.get(region.code, [])]
    return {"code": region.code, "name": region.name, "level": region.level, "children": children}


@router.get("", response=responses({200: RegionPage}), summary="区划列表")
def list_regions(request: HttpRequest, query: Query[RegionQuery]):
    return page(region_list(level=query.level or None, parent=query.parent or None), query)


# Declared before "/{code}" so that "tree" is not read as a code.
@router.get("/tree", response=responses({200: RegionTree}), summary="区划树（1 或 2 层）")
def region_tree(request: HttpRequest, query: Query[TreeQuery]):
    if query.root:
        root = _get_region(query.root)
        nodes = [r for r in subtree(root) if r.path.count("/") <= root.path.count("/") + query.depth]
    elif query.depth == 1:
        root, nodes = None, list(region_list(level=Region.Level.PROVINCE))
    else:
        # Provinces and whatever sits directly under them (cities, and counties such as 济源).
        root, nodes = None, [r for r in region_list() if r.path.count("/") <= 2]
    below: dict[str | None, list[Region]] = defaultdict(list)
    for region in sorted(nodes, key=lambda r: r.code):
        below[region.parent_id].append(region)
    top = below.get(root.code if root else None, [])
    return {"root": root, "depth": query.depth, "items": [_node(r, below, query.depth - 1) for r in top]}


@router.get("/{code}", response=responses({200: RegionDetail}), summary="区划详情")
def get_region(request: HttpRequest, code: Text):
    region = _get_region(code)
    local = local_association_of(region)
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "parent": region.parent_id,
        "full_name": region.full_name,
        "ancestors": ancestors_of(region),
        "children": list(children_of(region)),
        "local_association": local.pk if local else None,
        "local_association_name": local.name if local else None,
    }
