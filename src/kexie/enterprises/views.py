"""Pages for enterprises: list, detail, create, edit, history. Thin: scoping, selectors and services decide."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kexie.accounts import scoping
from kexie.accounts.permissions import has_perm, require
from kexie.associations.selectors import associations_of_enterprise
from kexie.core import audit
from kexie.core.errors import DomainError
from kexie.core.masking import mask_phone
from kexie.regions.models import Region
from kexie.regions.selectors import ancestors_of, children_of

from . import selectors, services
from .enums import FLAG_FIELDS, Industry, Ownership
from .forms import EnterpriseEditForm, EnterpriseForm
from .models import Enterprise

# The flags offered as filters on the list page (every flag is accepted in the query string).
LIST_FLAGS = ("is_high_tech", "is_above_scale", "is_specialized")
TRI_STATE = (("", gettext_lazy("不限")), ("1", gettext_lazy("是")), ("0", gettext_lazy("否")))


def _page(request, items):
    return Paginator(items, settings.KEXIE_PAGE_SIZE).get_page(request.GET.get("page"))


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


@login_required
def enterprise_list(request):
    require(request.user, "enterprise.view")
    params = request.GET
    error = None
    page_obj = None
    try:
        page_obj = _page(request, selectors.enterprise_list(request.user, _filters_from(params)))
    except DomainError as exc:  # bad filter input: the page stays, with the reason
        error = exc
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
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "enterprises/_results.html", context)
    else:
        context["region_options"] = region_filter_options(request.user, params.get("region", "").strip())
        response = render(request, "enterprises/list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def enterprise_detail(request, pk):
    require(request.user, "enterprise.view")
    enterprise = scoping.get_enterprise(request.user, pk)
    context = {
        "enterprise": enterprise,
        "region_chain": [*ancestors_of(enterprise.region), enterprise.region],
        "flags": [(label, getattr(enterprise, name)) for name, label in FLAG_FIELDS.items()],
        "masked_phone": mask_phone(enterprise.contact_phone),
        "associations": associations_of_enterprise(request.user, enterprise),
        "can_edit": has_perm(request.user, "enterprise.edit"),
        "can_view_history": has_perm(request.user, "audit.view"),
    }
    return render(request, "enterprises/detail.html", context)


def _save(request, form, save, success_message: str):
    """Run the service for a valid form; a DomainError goes next to its field. Returns the enterprise or None."""
    if not form.is_valid():
        return None
    try:
        enterprise = save(form.service_data())
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None
    messages.success(request, success_message % {"name": enterprise.name})
    return enterprise


@login_required
def enterprise_create(request):
    require(request.user, "enterprise.create")
    form = EnterpriseForm(request.POST or None)
    if request.method == "POST":
        enterprise = _save(
            request,
            form,
            lambda data: services.create_enterprise(by=request.user, data=data),
            _("企业“%(name)s”已创建。"),
        )
        if enterprise is not None:
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "enterprises/form.html", {"form": form, "enterprise": None})


@login_required
def enterprise_edit(request, pk):
    require(request.user, "enterprise.edit")
    enterprise = scoping.get_enterprise(request.user, pk)
    form = EnterpriseEditForm(request.POST or None, enterprise=enterprise)
    if request.method == "POST":
        saved = _save(
            request,
            form,
            lambda data: services.update_enterprise(enterprise.pk, by=request.user, data=data),
            _("企业“%(name)s”的信息已保存。"),
        )
        if saved is not None:
            return redirect("enterprises:detail", pk=saved.pk)
    return render(request, "enterprises/form.html", {"form": form, "enterprise": enterprise})


@login_required
def enterprise_history(request, pk):
    require(request.user, "audit.view")
    enterprise = scoping.get_enterprise(request.user, pk)
    page_obj = _page(request, audit.history(enterprise))
    entries = [(entry, audit.change_rows(entry, Enterprise)) for entry in page_obj]
    return render(
        request,
        "enterprises/history.html",
        {"enterprise": enterprise, "page_obj": page_obj, "entries": entries},
    )
