"""Which 科协 approves a founding application, and why (seed 003: per-province rules)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext

from kexie.associations.enums import Kind
from kexie.associations.models import Association
from kexie.core.errors import DomainError
from kexie.enterprises.enums import FLAG_FIELDS, Ownership
from kexie.enterprises.models import Enterprise
from kexie.regions.models import Region

from .enums import TargetLevel
from .models import RoutingRule


@dataclass(frozen=True)
class Route:
    approver: Association
    reason: str
    rule: RoutingRule | None


def _region_at(county: Region, level: str) -> Region:
    """The enterprise's region at the target level. A county directly under a province (济源)
    has no city: its city-level approver is the province."""
    codes = county.ancestor_codes
    if level == TargetLevel.PROVINCE:
        return Region.objects.get(code=codes[0])
    if level == TargetLevel.CITY:
        return Region.objects.get(code=codes[1] if len(codes) == 3 else codes[0])
    return county


def rule_matches(rule: RoutingRule, enterprise: Enterprise) -> bool:
    if rule.ownership and enterprise.ownership != rule.ownership:
        return False
    if rule.flag and not getattr(enterprise, rule.flag, False):
        return False
    return True


def route_for(enterprise: Enterprise) -> Route:
    county = enterprise.region
    province_code = county.ancestor_codes[0]
    rules = RoutingRule.objects.filter(province_id=province_code, active=True).order_by("priority", "id")
    rule = next((r for r in rules if rule_matches(r, enterprise)), None)
    level = rule.target_level if rule else TargetLevel.COUNTY
    region = _region_at(county, level)
    approver = Association.objects.filter(kind=Kind.LOCAL, region=region).first()
    if approver is None:
        raise DomainError(
            gettext("地区“%(region)s”尚无地方科协，无法确定审批单位。") % {"region": region.name}
        )
    if rule is not None:
        reason = gettext("按规则“%(rule)s”，由%(approver)s审批。") % {
            "rule": rule.reason,
            "approver": approver.name,
        }
    else:
        reason = gettext("默认由企业注册地所在县（区）科协%(approver)s审批。") % {"approver": approver.name}
    return Route(approver=approver, reason=reason, rule=rule)


def validate_rule(*, ownership: str, flag: str, target_level: str) -> None:
    if ownership and ownership not in Ownership.values:
        raise DomainError(
            gettext("所有制“%(ownership)s”不是有效选项。") % {"ownership": ownership}, field="ownership"
        )
    if flag and flag not in FLAG_FIELDS:
        raise DomainError(gettext("企业标签“%(flag)s”不是有效选项。") % {"flag": flag}, field="flag")
    if target_level not in TargetLevel.values:
        raise DomainError(gettext("审批层级只能是省级、市级或县级科协。"), field="target_level")
    if not ownership and not flag and target_level == TargetLevel.COUNTY:
        raise DomainError(gettext("不设条件、由县级科协审批即默认规则，无需添加。"), field="target_level")


MAX_PRIORITY = 32767  # a PositiveSmallIntegerField on every database


def clean_priority(value) -> int:
    try:
        priority = int(str(value).strip())
    except (TypeError, ValueError):
        priority = -1
    if not 0 <= priority <= MAX_PRIORITY:
        raise DomainError(
            gettext("优先级应为0到%(max)d之间的整数，数字小的先匹配。") % {"max": MAX_PRIORITY},
            field="priority",
        )
    return priority


# Henan's published rule (seed 003): 省管企业, 驻地央企 and 头部民营企业 are approved by the province.
HENAN_RULES = [
    {"ownership": "provincial", "flag": "", "reason": "省管企业由省科协审批", "priority": 10},
    {"ownership": "resident_central", "flag": "", "reason": "驻地央企由省科协审批", "priority": 20},
    {"ownership": "", "flag": "is_leading_private", "reason": "头部民营企业由省科协审批", "priority": 30},
]
