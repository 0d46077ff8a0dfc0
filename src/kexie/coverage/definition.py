"""The definition of coverage, written once.

An enterprise is *covered* on a date if on that date it has an active enterprise 科协, or is among the
enterprises of an active joint 科协 (园区/区域联建/行业统建). An association is active on a date from
its founding date (成立日期) up to, not including, its dissolution date (撤销日期); a 科协 still being
founded (筹备中) or never founded (未成立) covers no one. An active association without a recorded
founding date (registered before the platform) covers from always.

Statistics may precompute, but every figure must agree with these querysets (``kexie recount_stats``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from kexie.associations.enums import Kind
from kexie.associations.models import Association
from kexie.associations.selectors import active_on_q
from kexie.core.errors import DomainError
from kexie.enterprises.enums import Industry, Ownership
from kexie.enterprises.selectors import parse_bool

COVERING_KINDS = (Kind.ENTERPRISE, Kind.JOINT)


def covering_associations(on: datetime.date | None = None) -> QuerySet[Association]:
    """Enterprise and joint 科协 active on ``on`` (today by default)."""
    return Association.objects.filter(active_on_q(on or timezone.localdate()), kind__in=COVERING_KINDS)


def covered_q(on: datetime.date | None = None) -> Q:
    """A filter on ``Enterprise`` for the enterprises covered on ``on``."""
    live = covering_associations(on)
    own = live.filter(kind=Kind.ENTERPRISE).values("enterprise_id")
    joint = Association.covered_enterprises.through.objects.filter(
        association__in=live.filter(kind=Kind.JOINT)
    ).values("enterprise_id")
    return Q(pk__in=own) | Q(pk__in=joint)


# --- the scope: which enterprises a coverage figure is about ----------------------------------------

SCOPE_FLAGS = ("is_high_tech", "is_above_scale", "is_specialized", "is_unicorn", "is_leading_private")
SCOPE_PARAMS = frozenset({*SCOPE_FLAGS, "ownership", "industry", "st_workers_min"})


@dataclass(frozen=True)
class CoverageScope:
    """Filters choosing the enterprises in scope (all of them when empty). Flags set to True keep only
    the enterprises with that flag; ``ownership`` and ``industry`` keep any of the listed values;
    ``st_workers_min`` keeps enterprises with at least that many S&T workers."""

    is_high_tech: bool = False
    is_above_scale: bool = False
    is_specialized: bool = False
    is_unicorn: bool = False
    is_leading_private: bool = False
    ownership: tuple[str, ...] = ()
    industry: tuple[str, ...] = ()
    st_workers_min: int | None = None

    def q(self, prefix: str = "") -> Q:
        """The filter on ``Enterprise`` (or, with ``prefix="enterprise__"``, on a related model)."""
        q = Q()
        for flag in SCOPE_FLAGS:
            if getattr(self, flag):
                q &= Q(**{prefix + flag: True})
        if self.ownership:
            q &= Q(**{prefix + "ownership__in": self.ownership})
        if self.industry:
            q &= Q(**{prefix + "industry__in": self.industry})
        if self.st_workers_min is not None:
            q &= Q(**{prefix + "st_workers__gte": self.st_workers_min})
        return q

    def as_params(self) -> dict[str, str]:
        """Query parameters that ``parse_scope`` reads back into the same scope (for links)."""
        params = {flag: "1" for flag in SCOPE_FLAGS if getattr(self, flag)}
        if self.ownership:
            params["ownership"] = ",".join(self.ownership)
        if self.industry:
            params["industry"] = ",".join(self.industry)
        if self.st_workers_min is not None:
            params["st_workers_min"] = str(self.st_workers_min)
        return params

    @property
    def is_everything(self) -> bool:
        return self == CoverageScope()


def _values(params: Mapping[str, Any], name: str) -> list[str]:
    raw = params.getlist(name) if hasattr(params, "getlist") else [params.get(name)]
    return [v.strip() for value in raw if value for v in str(value).split(",") if v.strip()]


def _choices(params: Mapping[str, Any], name: str, allowed, message: str) -> tuple[str, ...]:
    """The values of a list parameter, each checked (``message`` names the refused one)."""
    values = tuple(v.upper() if name == "industry" else v for v in _values(params, name))
    for value in values:
        if value not in allowed:
            raise DomainError(message % {"value": value}, field=name)
    return tuple(sorted(set(values)))


def _minimum(params: Mapping[str, Any]) -> int | None:
    raw = str(params.get("st_workers_min") or "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise DomainError(
            gettext("科技工作者人数下限应为非负整数，而不是“%(value)s”。") % {"value": raw},
            field="st_workers_min",
        )
    return int(raw)


def parse_scope(params: Mapping[str, Any], *, ignore: Iterable[str] = ()) -> CoverageScope:
    """Read a scope from query parameters (pages and API alike). An unknown parameter or a bad value
    is refused by name; ``ignore`` lists the other parameters the caller reads itself (region, date…)."""
    known = SCOPE_PARAMS | set(ignore) | {"page", "page_size", "format", "sort", "q"}
    for name in params:
        if name not in known:
            raise DomainError(gettext("未知的筛选条件“%(name)s”。") % {"name": name}, field=name)
    flags = {flag: bool(parse_bool(params.get(flag), flag)) for flag in SCOPE_FLAGS if flag in params}
    return CoverageScope(
        **flags,
        ownership=_choices(params, "ownership", Ownership.values, gettext("所有制“%(value)s”不是有效选项。")),
        industry=_choices(params, "industry", Industry.values, gettext("行业门类“%(value)s”不是有效选项。")),
        st_workers_min=_minimum(params),
    )
