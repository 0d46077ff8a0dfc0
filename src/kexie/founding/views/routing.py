"""The province's routing rules, as its staff see and change them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.accounts.permissions import require
from kexie.enterprises.enums import FLAG_FIELDS

from .. import services
from ..forms import (
    RoutingRuleForm,
)
from ..permissions import (
    configurable_provinces,
    routing_rules_for_user,
)
from .base import attempt_for, posted


@login_required
def routing_rules(request):
    require(request.user, "routing.configure")
    provinces = list(configurable_provinces(request.user))
    form = RoutingRuleForm(posted(request), provinces=provinces)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        priority = data["priority"] if data["priority"] is not None else 100
        _rule, error = attempt_for(
            lambda: services.add_routing_rule(
                by=request.user,
                province_code=data["province"],
                ownership=data["ownership"],
                flag=data["flag"],
                target_level=data["target_level"],
                reason=data["reason"],
                priority=priority,
            ),
            form,
        )
        if error is None:
            messages.success(request, _("审批路由规则已添加。"))
            return redirect("founding:routing")
    rules = list(routing_rules_for_user(request.user))
    for rule in rules:
        rule.flag_label = FLAG_FIELDS.get(rule.flag, "")
        rule.can_delete = any(p.code == rule.province_id for p in provinces)
    context = {"form": form, "rules": rules, "provinces": provinces}
    return render(request, "founding/routing.html", context)


@login_required
@require_POST
def routing_rule_delete(request, pk):
    require(request.user, "routing.configure")
    services.delete_routing_rule(pk, by=request.user)
    messages.success(request, _("审批路由规则已删除。"))
    return redirect("founding:routing")
