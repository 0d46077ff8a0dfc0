"""The province's routing rules (which level of 科协 approves which enterprises), set by province staff."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext

from kexie.accounts.permissions import require
from kexie.core import audit
from kexie.core.errors import DomainError, Forbidden, get_or_not_found
from kexie.regions.models import Region

from .. import routing
from ..models import RoutingRule
from ..permissions import may_configure_routing, routing_rules_for_user


@transaction.atomic
def add_routing_rule(
    *, by, province_code: str, ownership: str, flag: str, target_level: str, reason: str, priority: int = 100
):
    require(by, "routing.configure")
    if not may_configure_routing(by, province_code):
        raise Forbidden(gettext("只有省级科协工作人员可以设置本省的审批路由规则。"))
    province = Region.objects.filter(code=province_code, level="province").first()
    if province is None:
        raise DomainError(gettext("省份代码“%(code)s”不存在。") % {"code": province_code}, field="province")
    routing.validate_rule(ownership=ownership, flag=flag, target_level=target_level)
    priority = routing.clean_priority(priority)
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise DomainError(gettext("请写明规则说明，它会显示给申请人。"), field="reason")
    rule = RoutingRule.objects.create(
        province=province,
        ownership=ownership,
        flag=flag,
        target_level=target_level,
        reason=reason[:200],
        priority=priority,
    )
    audit.record(actor=by, action="create", instance=rule, changes={"reason": [None, rule.reason]})
    return rule


@transaction.atomic
def delete_routing_rule(rule_id: int, *, by) -> None:
    require(by, "routing.configure")
    rule = get_or_not_found(routing_rules_for_user(by), rule_id, gettext("该规则不存在。"))
    if not may_configure_routing(by, rule.province_id):
        raise Forbidden(gettext("只有省级科协工作人员可以设置本省的审批路由规则。"))
    audit.record(actor=by, action="delete", instance=rule, changes={"reason": [rule.reason, None]})
    rule.delete()
