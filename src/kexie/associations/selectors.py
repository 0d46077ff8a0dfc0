"""Scoped reads on the organisation tree."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext

from kexie.core.errors import DomainError
from kexie.enterprises.permissions import enterprises_for_user
from kexie.regions.models import Region

from .enums import Kind, Status
from .models import Association
from .permissions import associations_for_user


def active_on_q(on: datetime.date) -> Q:
    """Associations at work on ``on``: from the founding date (成立日期) up to, not including, the
    dissolution date (撤销日期). One still being founded (筹备中) or never founded (未成立) is at work on
    no day; an active one without a founding date (registered before the platform) from always."""
    founded = Q(founded_on__lte=on) | Q(founded_on__isnull=True, status=Status.ACTIVE)
    not_dissolved = Q(dissolved_on__isnull=True, status=Status.ACTIVE) | Q(
        dissolved_on__gt=on, status=Status.DISSOLVED
    )
    return founded & not_dissolved & Q(status__in=(Status.ACTIVE, Status.DISSOLVED))


def local_association_of(region: Region) -> Association | None:
    """The region's local 科协 (public information: name and level only)."""
    return Association.objects.filter(kind=Kind.LOCAL, region=region).first()


def association_list(user, *, kind: str = "", region: str = "", q: str = "") -> QuerySet[Association]:
    qs = associations_for_user(user)
    if kind:
        if kind not in Kind.values:
            raise DomainError(gettext("组织类型“%(value)s”不是有效选项。") % {"value": kind}, field="kind")
        qs = qs.filter(kind=kind)
    if region:
        node = Region.objects.filter(code=region).first()
        if node is None:
            raise DomainError(gettext("行政区划代码“%(code)s”不存在。") % {"code": region}, field="region")
        qs = qs.filter(region__path__startswith=node.path)
    if q:
        qs = qs.filter(name__contains=q.strip())
    return qs.select_related("region", "parent", "enterprise").order_by("region__path", "kind", "name")


def _with_visible_child_count(qs: QuerySet[Association], visible: QuerySet[Association]):
    # Count only children the user may see: a count must not reveal hidden nodes.
    return qs.annotate(child_count=Count("children", filter=Q(children__id__in=visible.values("id"))))


def tree_children(user, parent: Association) -> QuerySet[Association]:
    """One level of the tree under ``parent``, scoped, with visible-children counts."""
    visible = associations_for_user(user)
    qs = visible.filter(parent=parent).select_related("region", "enterprise")
    return _with_visible_child_count(qs, visible).order_by("kind", "region_id", "name")


def tree_roots(user) -> QuerySet[Association]:
    """The highest visible nodes: those whose parent the user cannot see."""
    visible = associations_for_user(user)
    qs = visible.exclude(parent__in=visible.values("id")).select_related("region", "enterprise")
    return _with_visible_child_count(qs, visible).order_by("region__path", "kind", "name")


def associations_of_enterprise(user, enterprise) -> QuerySet[Association]:
    """The enterprise's own 科协 and the joint 科协 covering it, as far as the user may see them."""
    covering = Association.covered_enterprises.through.objects.filter(enterprise=enterprise)
    qs = associations_for_user(user).filter(
        Q(enterprise=enterprise) | Q(id__in=covering.values("association_id"))
    )
    return qs.select_related("region").order_by("kind", "name")


def covered_enterprises(user, association: Association):
    """The enterprises a joint 科协 covers, as far as the user may see them."""
    return (
        enterprises_for_user(user)
        .filter(joint_associations=association)
        .select_related("region__parent")
        .order_by("name", "id")
    )


def visible_links(user, association: Association) -> dict[str, bool]:
    """Whether the user may open the association's parent and its enterprise (names alone are shown anyway)."""
    parent_id, enterprise_id = association.parent_id, association.enterprise_id
    parent = parent_id is not None and associations_for_user(user).filter(pk=parent_id).exists()
    enterprise = enterprise_id is not None and enterprises_for_user(user).filter(pk=enterprise_id).exists()
    return {"parent": parent, "enterprise": enterprise}
