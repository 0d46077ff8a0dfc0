"""Pages for enterprises: list, detail, create, edit, history. Thin: scoping, selectors and services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kexie.accounts.permissions import has_perm, require
from kexie.core.forms import attempt
from kexie.core.masking import mask_phone
from kexie.core.pages import history_page, paginate, render_list
from kexie.core.panels import render_panels
from kexie.regions.selectors import ancestors_of, region_filter_options

from . import panels, selectors, services
from .enums import FLAG_FIELDS, Industry, Ownership
from .forms import EnterpriseEditForm, EnterpriseForm
from .permissions import get_enterprise_for_user

# The flags offered as filters on the list page (every flag is accepted in the query string).
LIST_FLAGS = ("is_high_tech", "is_above_scale", "is_specialized")
TRI_STATE = (("", gettext_lazy("不限")), ("1", gettext_lazy("是")), ("0", gettext_lazy("否")))


def _filters_from(params) -> selectors.EnterpriseFilters:
    flags = {name: selectors.parse_bool(params.get(name, "").strip(), name) for name in FLAG_FIELDS}
    region = params.get("region_code", "").strip() or params.get("region", "").strip()
    return selectors.EnterpriseFilters(
        q=params.get("q", "").strip(),
        region=region,
        ownership=params.get("ownership", "").strip(),
        industry=params.get("industry", "").strip(),
        **flags,
    )


@login_required
def enterprise_list(request):
    require(request.user, "enterprise.view")
    params = request.GET
    # Bad filter input: the page stays, with the reason.
    page_obj, error = attempt(
        lambda: paginate(request, selectors.enterprise_list(request.user, _filters_from(params)))
    )
    context = {
        "page_obj": page_obj,
        "error": error,
        "params": params,
        "flag_filters": [(name, FLAG_FIELDS[name], params.get(name, "")) for name in LIST_FLAGS],
        "tri_state": TRI_STATE,
        "ownership_choices": Ownership.choices,
        "industry_choices": Industry.choices,
        "can_create": has_perm(request.user, "enterprise.create"),
        "can_import": has_perm(request.user, "enterprise.import"),
    }
    return render_list(
        request,
        template="enterprises/list.html",
        partial="enterprises/_results.html",
        context=context,
        full_context=lambda: {
            "region_options": region_filter_options(request.user, params.get("region", "").strip())
        },
    )


@login_required
def enterprise_detail(request, pk):
    require(request.user, "enterprise.view")
    enterprise = get_enterprise_for_user(request.user, pk)
    context = {
        "enterprise": enterprise,
        "region_chain": [*ancestors_of(enterprise.region), enterprise.region],
        "flags": [(label, getattr(enterprise, name)) for name, label in FLAG_FIELDS.items()],
        "masked_phone": mask_phone(enterprise.contact_phone),
        "panels": render_panels(panels.DETAIL, request, enterprise),
        "can_edit": has_perm(request.user, "enterprise.edit"),
        "can_view_history": has_perm(request.user, "audit.view"),
    }
    return render(request, "enterprises/detail.html", context)


@login_required
def enterprise_create(request):
    require(request.user, "enterprise.create")
    form = EnterpriseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enterprise = form.run(lambda: services.create_enterprise(by=request.user, data=form.service_data()))
        if enterprise is not None:
            messages.success(request, _("企业“%(name)s”已创建。") % {"name": enterprise.name})
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "enterprises/form.html", {"form": form, "enterprise": None})


@login_required
def enterprise_edit(request, pk):
    require(request.user, "enterprise.edit")
    enterprise = get_enterprise_for_user(request.user, pk)
    form = EnterpriseEditForm(request.POST or None, enterprise=enterprise)
    if request.method == "POST" and form.is_valid():
        saved = form.run(
            lambda: services.update_enterprise(enterprise.pk, by=request.user, data=form.service_data())
        )
        if saved is not None:
            messages.success(request, _("企业“%(name)s”的信息已保存。") % {"name": saved.name})
            return redirect("enterprises:detail", pk=saved.pk)
    return render(request, "enterprises/form.html", {"form": form, "enterprise": enterprise})


@login_required
def enterprise_history(request, pk):
    require(request.user, "audit.view")
    enterprise = get_enterprise_for_user(request.user, pk)
    return render(
        request, "enterprises/history.html", {"enterprise": enterprise, **history_page(request, enterprise)}
    )
