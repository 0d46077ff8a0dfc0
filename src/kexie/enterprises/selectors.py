"""Scoped reads on enterprises: every list and detail starts from ``scoping.enterprises``."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from kexie.accounts import scoping
from kexie.core.errors import DomainError
from kexie.regions.models import Region

from .enums import FLAG_FIELDS, Industry, Ownership
from .models import Enterprise
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
    raise DomainError(f"筛选条件“{FLAG_FIELDS.get(field, field)}”应为 true 或 false。", field=field)


def enterprise_list(user, filters: EnterpriseFilters) -> QuerySet[Enterprise]:
    qs = scoping.enterprises(user)
    if filters.q:
        text = to_halfwidth(filters.q).strip()
        if len(text) == 18 and text.isalnum():
            qs = qs.filter(credit_code=text.upper())
        else:
            qs = qs.filter(name__contains=text)
    if filters.region:
        region = Region.objects.filter(code=filters.region).first()
        if region is None:
            raise DomainError(f"行政区划代码“{filters.region}”不存在。", field="region")
        qs = qs.filter(region__path__startswith=region.path)
    if filters.ownership:
        if filters.ownership not in Ownership.values:
            raise DomainError(f"所有制“{filters.ownership}”不是有效选项。", field="ownership")
        qs = qs.filter(ownership=filters.ownership)
    if filters.industry:
        if filters.industry not in Industry.values:
            raise DomainError(f"行业门类“{filters.industry}”不是有效选项。", field="industry")
        qs = qs.filter(industry=filters.industry)
    for flag in FLAG_FIELDS:
        value = getattr(filters, flag)
        if value is not None:
            qs = qs.filter(**{flag: value})
    return qs.select_related("region__parent").order_by("name", "id")
