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


def _choice(value: str, allowed, message: str, field: str) -> str:
    if value and value not in allowed:
        raise DomainError(message % {"value": value}, field=field)
    return value


def _search(qs: QuerySet[Enterprise], q: str) -> QuerySet[Enterprise]:
    """A credit code finds its enterprise; anything else is a part of the name."""
    text = to_halfwidth(q).strip()
    if len(text) == 18 and text.isalnum():
        return qs.filter(credit_code=text.upper())
    return qs.filter(name__contains=text)


def enterprise_list(user, filters: EnterpriseFilters) -> QuerySet[Enterprise]:
    qs = enterprises_for_user(user)
    if filters.q:
        qs = _search(qs, filters.q)
    if filters.region:
        region = Region.objects.filter(code=filters.region).first()
        if region is None:
            raise DomainError(
                gettext("行政区划代码“%(code)s”不存在。") % {"code": filters.region}, field="region"
            )
        qs = qs.filter(region__path__startswith=region.path)
    if _choice(filters.ownership, Ownership.values, gettext("所有制“%(value)s”不是有效选项。"), "ownership"):
        qs = qs.filter(ownership=filters.ownership)
    if _choice(filters.industry, Industry.values, gettext("行业门类“%(value)s”不是有效选项。"), "industry"):
        qs = qs.filter(industry=filters.industry)
    flags = {flag: getattr(filters, flag) for flag in FLAG_FIELDS if getattr(filters, flag) is not None}
    return qs.filter(**flags).select_related("region__parent").order_by("name", "id")
