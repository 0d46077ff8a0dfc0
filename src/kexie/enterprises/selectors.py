"""Scoped reads on enterprises: every list and detail starts from ``enterprises_for_user``."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext

from kexie.core.errors import DomainError
from kexie.regions.models import Region

from .enums import FLAG_FIELDS, Industry, Ownership
from .models import Enterprise
from .permissions import enterprises_for_user
from .validators import to_halfwidth


@dataclass
class EnterpriseFilters:
    q: str = ""
    region: str = ""
    ownership: str = ""
    industry: str = ""
    is_high_tech: bool | None = None
    is_above_scale: bool | None = None
    is_specialized: bool | None = None
    is_unicorn: bool | None = None
    is_leading_private: bool | None = None


def parse_bool(value, field: str) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on", "是"}:
        return True
    if text in {"0", "false", "no", "off", "否"}:
        return False
    raise DomainError(
        gettext("筛选条件“%(label)s”应为 true 或 false。") % {"label": FLAG_FIELDS.get(field, field)},
        field=field,
    )


def enterprise_list(user, filters: EnterpriseFilters) -> QuerySet[Enterprise]:
    qs = enterprises_for_user(user)
    if filters.q:
        text = to_halfwidth(filters.q).strip()
        if len(text) == 18 and text.isalnum():
            qs = qs.filter(credit_code=text.upper())
        else:
            qs = qs.filter(name__contains=text)
    if filters.region:
        region = Region.objects.filter(code=filters.region).first()
        if region is None:
            raise DomainError(
                gettext("行政区划代码“%(code)s”不存在。") % {"code": filters.region}, field="region"
            )
        qs = qs.filter(region__path__startswith=region.path)
    if filters.ownership:
        if filters.ownership not in Ownership.values:
            raise DomainError(
                gettext("所有制“%(value)s”不是有效选项。") % {"value": filters.ownership}, field="ownership"
            )
        qs = qs.filter(ownership=filters.ownership)
    if filters.industry:
        if filters.industry not in Industry.values:
            raise DomainError(
                gettext("行业门类“%(value)s”不是有效选项。") % {"value": filters.industry}, field="industry"
            )
        qs = qs.filter(industry=filters.industry)
    for flag in FLAG_FIELDS:
        value = getattr(filters, flag)
        if value is not None:
            qs = qs.filter(**{flag: value})
    return qs.select_related("region__parent").order_by("name", "id")
