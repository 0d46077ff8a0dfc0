"""The list of founding files, opening one, the review queue, a file at a glance and its history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kexie.accounts import scoping
from kexie.accounts.permissions import has_perm, require
from kexie.core.forms import attempt
from kexie.core.i18n import join
from kexie.core.pages import history_page, paginate, render_list
from kexie.enterprises.permissions import enterprises_for_user
from kexie.enterprises.selectors import EnterpriseFilters, enterprise_list

from .. import selectors, services
from ..forms import (
    OpenForm,
    StateFilterForm,
)
from .base import application_for, attempt_for, detail_context, posted


@login_required
def application_list(request):
    require(request.user, "founding.view")
    form = StateFilterForm(request.GET or None)
    state = form.cleaned_data["state"] if form.is_valid() else ""
    error = None if form.is_valid() or not request.GET else _("状态不是有效选项。")
    page_obj = paginate(request, selectors.application_list(request.user, state=state))
    context = {
        "page_obj": page_obj,
        "form": form,
        "error": error,
        "can_open": has_perm(request.user, "founding.open"),
        "can_route": has_perm(request.user, "routing.configure"),
    }
    return render_list(
        request, template="founding/list.html", partial="founding/_list_results.html", context=context
    )


def _enterprise_choices(request, q: str):
    if not q:
        return []
    found, _error = attempt(
        lambda: list(enterprise_list(request.user, EnterpriseFilters(q=q)).select_related("region")[:20])
    )
    return found or []


@login_required
def open_application(request):
    require(request.user, "founding.open")
    params = request.POST if request.method == "POST" else request.GET
    q = params.get("q", "").strip()
    own_contact = (
        not scoping.scope_of(request.user).staff_paths and not scoping.scope_of(request.user).everything
    )
    initial = {"enterprise": request.GET.get("enterprise")}
    if own_contact:  # an enterprise user is the contact of their own founding
        initial["contact_username"] = request.user.get_username()
    form = OpenForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        application = _open(request, form)
        if application is not None:
            messages.success(request, _("已开启“%(name)s”的筹建，联系人已收到通知。") % {"name": application})
            return redirect("founding:detail", pk=application.pk)
    chosen = form["enterprise"].value()
    selected = None
    if chosen:
        selected = (
            enterprises_for_user(request.user).filter(pk=str(chosen)).first()
            if str(chosen).isdigit()
            else None
        )
    context = {"form": form, "q": q, "choices": _enterprise_choices(request, q), "selected": selected}
    return render(request, "founding/open.html", context)


def _open(request, form):
    data = form.service_data()
    if not data["enterprise"]:
        form.add_error("enterprise", _("请先搜索并选择企业。"))
        return None
    codes = form.covered_codes()
    covered = dict(
        enterprises_for_user(request.user).filter(credit_code__in=codes).values_list("credit_code", "pk")
    )
    unknown = [code for code in codes if code not in covered]
    if unknown:
        form.add_error(
            "covered",
            _("以下统一社会信用代码不在您可查看的企业中：%(codes)s") % {"codes": join(unknown)},
        )
        return None
    application, _error = attempt_for(
        lambda: services.open_application(
            by=request.user,
            enterprise_id=data["enterprise"],
            contact_username=data["contact_username"],
            name=data["name"],
            joint_kind=data["joint_kind"],
            covered_ids=list(covered.values()),
        ),
        form,
    )
    return application


@login_required
def queue(request):
    require(request.user, "founding.review")
    items = selectors.review_queue(request.user)
    return render(request, "founding/queue.html", {"items": items, "overdue": sum(i.overdue for i in items)})


@login_required
def detail(request, pk):
    application = application_for(request, pk)
    return render(request, "founding/detail.html", detail_context(request, application))


@login_required
def history(request, pk):
    application = application_for(request, pk)
    return render(
        request, "founding/history.html", {"app": application, **history_page(request, application)}
    )
