"""Reading regions. Division codes are public data: every signed-in user may browse them."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.db.models.functions import Substr
from django.utils.translation import gettext

from kexie.accounts import scoping
from kexie.core.errors import DomainError

from .models import Region


def region_list(*, level: str | None = None, parent: str | None = None) -> QuerySet[Region]:
    qs = Region.objects.all()
    if level:
        if level not in Region.Level.values:
            raise DomainError(gettext("层级只能是 province、city 或 county。"), field="level")
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent_id=parent)
    return qs.order_by("code")


def subtree(region: Region) -> QuerySet[Region]:
    return Region.objects.filter(path__startswith=region.path)


def children_of(region: Region | None) -> QuerySet[Region]:
    if region is None:
        return Region.objects.filter(parent__isnull=True).order_by("code")
    return region.children.order_by("code")


def county_by_code(code: str, *, field: str = "region") -> Region:
    code = (code or "").strip()
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise DomainError(gettext("行政区划代码“%(code)s”不存在。") % {"code": code}, field=field)
    if region.level != Region.Level.COUNTY:
        raise DomainError(
            gettext("行政区划“%(name)s”（%(code)s）不是县级单位，企业注册地须填写县级区划。")
            % {"name": region.name, "code": code},
            field=field,
        )
    return region


def ancestors_of(region: Region) -> list[Region]:
    codes = region.ancestor_codes[:-1]
    by_code = Region.objects.in_bulk(codes)
    return [by_code[c] for c in codes if c in by_code]


def count_by_child(qs: QuerySet, region: Region | None, *, lookup: str = "region__path") -> dict[str, int]:
    """Rows of ``qs`` under each child of ``region`` (provinces when None), in one grouped query.

    Paths are fixed-width (six-digit codes, each followed by ``/``), so a row's child region is the
    six characters right after the parent's path. Pass an already scoped queryset.
    """
    if region is not None:
        qs = qs.filter(**{f"{lookup}__startswith": region.path})
    start = (len(region.path) if region is not None else 0) + 1
    rows = (
        qs.annotate(child=Substr(lookup, start, 6))
        .values("child")
        .annotate(n=Count("pk"))
        .values_list("child", "n")
    )
    return dict(rows)


def region_filter_options(user, chosen: str) -> list[tuple[str, str]]:
    """The children of the user's home region (the provinces for platform admins), plus the chosen
    region when it lies elsewhere (e.g. a link from a region page)."""
    home = scoping.home_region(user)
    if home is not None or scoping.scope_of(user).everything:
        options = [(r.code, r.name) for r in children_of(home)]
    else:
        options = []
    if chosen and chosen not in dict(options):
        region = Region.objects.select_related("parent__parent").filter(code=chosen).first()
        options.append((chosen, region.full_name if region else chosen))
    return options
