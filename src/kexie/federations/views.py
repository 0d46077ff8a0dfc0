"""Pages of a federation's unit members: overview, list (+ xlsx), unit detail, and the forms of the
federation's own staff (admit, change tier, withdraw, dues).

Thin: signed in → the right (403) → the federation or unit in reach (404) → a selector or a service.
A ``DomainError`` goes next to its field (``core.forms``); ``Forbidden`` (not the federation's
staff) and ``NotFound`` become the 403/404 page."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.accounts.permissions import require
from kexie.core.errors import Forbidden
from kexie.core.forms import attempt, run_action
from kexie.core.masking import mask_phone
from kexie.core.pages import paginate, render_list

from . import exporters, forms, selectors, services
from .enums import DuesAction, DuesStatus, Tier, UnitStatus
from .permissions import (
    federations_for_user,
    get_federation_for_user,
    get_unit_member_for_user,
    is_federation_staff,
    may_manage,
)


@login_required
def index(request):
    require(request.user, "federation.view")
    page_obj = paginate(
        request, federations_for_user(request.user).select_related("region").order_by("region_id", "name")
    )
    return render(request, "federations/index.html", {"page_obj": page_obj})


@login_required
def overview(request, pk):
    require(request.user, "federation.view")
    federation = get_federation_for_user(request.user, pk)
    year = timezone.localdate().year
    tiers = selectors.tier_counts(request.user, federation)
    context = {
        "federation": federation,
        "tiers": tiers,
        "active_total": sum(t["count"] for t in tiers),
        "statuses": selectors.status_counts(request.user, federation),
        "dues": selectors.dues_summary(request.user, federation, year),
        "can_manage": may_manage(request.user, federation),
    }
    return render(request, "federations/overview.html", context)


def _listing(request, federation):
    """The filtered list, or the reason a filter was refused."""
    filters, error = attempt(lambda: selectors.unit_filters(request.GET))
    if error is not None:
        return None, None, error
    return filters, selectors.unit_list(request.user, federation, filters), None


@login_required
def unit_list(request, pk):
    require(request.user, "federation.view")
    federation = get_federation_for_user(request.user, pk)
    filters, units, error = _listing(request, federation)
    page_obj = paginate(request, units) if units is not None else None
    rows = [(u, mask_phone(u.representative_phone)) for u in page_obj] if page_obj else []
    context = {
        "federation": federation,
        "page_obj": page_obj,
        "rows": rows,
        "error": error,
        "params": request.GET,
        "year": filters.year if filters else timezone.localdate().year,
        "tier_choices": Tier.choices,
        "status_choices": UnitStatus.choices,
        "dues_choices": [*DuesStatus.choices, (selectors.NO_DUES, _("未生成"))],
        "can_manage": may_manage(request.user, federation),
    }
    return render_list(
        request, template="federations/units.html", partial="federations/_units.html", context=context
    )


@login_required
def export(request, pk):
    require(request.user, "federation.view")
    federation = get_federation_for_user(request.user, pk)
    filters, units, error = _listing(request, federation)
    if error is not None:
        messages.error(request, error.message)
        return HttpResponseRedirect(reverse("federations:units", args=[federation.pk]))
    units = list(units.select_related("member_association__enterprise"))
    body = exporters.render(
        title=_("%(name)s 单位会员名单") % {"name": federation.name}, year=filters.year, units=units
    )
    services.record_export(federation, by=request.user, count=len(units))
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="federation-{federation.pk}-units.xlsx"'
    return response


# --- the federation staff's forms ---------------------------------------------------------------


def _form_page(request, *, federation, form, run: Callable, title: str, success: str, back: str, unit=None):
    """GET shows the form; POST runs the service. Success → ``back`` with a message; a ``DomainError``
    → the form again with the reason next to its field, nothing written."""
    if request.method == "POST" and form.is_valid():
        form.run(lambda: run(form))
        if not form.errors:
            messages.success(request, success)
            return HttpResponseRedirect(back)
    context = {"federation": federation, "unit": unit, "form": form, "title": title, "back": back}
    return render(request, "federations/form.html", context)


def _managed_federation(request, pk):
    require(request.user, "federation.manage")
    federation = get_federation_for_user(request.user, pk)
    if not is_federation_staff(request.user, federation):
        raise Forbidden(_("只有本联合会的工作人员可以办理此事项。"))
    return federation


def _managed_unit(request, unit_id):
    """The unit whose form is asked for; a withdrawn unit is read-only (back to its page)."""
    require(request.user, "federation.manage")
    unit = get_unit_member_for_user(request.user, unit_id)
    if not is_federation_staff(request.user, unit.federation):
        raise Forbidden(_("只有本联合会的工作人员可以办理此事项。"))
    _ok, refusal = attempt(lambda: services.ensure_live(unit))
    if refusal is not None:
        messages.error(request, refusal.message)
        return unit, HttpResponseRedirect(reverse("federations:unit", args=[unit.pk]))
    return unit, None


def _data(request):
    return request.POST if request.method == "POST" else None


@login_required
def admit(request, pk):
    federation = _managed_federation(request, pk)
    form = forms.AdmitForm(_data(request), initial={"joined_on": timezone.localdate()})

    def run(form):
        data = form.cleaned_data
        enterprise_id, association_id = selectors.find_unit(
            federation, data["credit_code"], data["as_association"]
        )
        services.admit_unit(
            federation.pk,
            by=request.user,
            enterprise_id=enterprise_id,
            association_id=association_id,
            tier=data["tier"],
            joined_on=data["joined_on"],
            representative_name=data["representative_name"],
            representative_position=data["representative_position"],
            representative_phone=data["representative_phone"],
        )

    return _form_page(
        request,
        federation=federation,
        form=form,
        run=run,
        title=_("办理入会"),
        success=_("入会已办理。"),
        back=reverse("federations:units", args=[federation.pk]),
    )


@login_required
def unit_tier(request, unit_id):
    unit, refused = _managed_unit(request, unit_id)
    if refused is not None:
        return refused
    form = forms.TierForm(_data(request), initial={"changed_on": timezone.localdate()})
    return _form_page(
        request,
        federation=unit.federation,
        unit=unit,
        form=form,
        run=lambda f: services.change_tier(unit.pk, by=request.user, **f.cleaned_data),
        title=_("调整会员层级"),
        success=_("会员层级已调整。"),
        back=reverse("federations:unit", args=[unit.pk]),
    )


@login_required
def unit_withdraw(request, unit_id):
    unit, refused = _managed_unit(request, unit_id)
    if refused is not None:
        return refused
    form = forms.WithdrawForm(_data(request), initial={"withdrawn_on": timezone.localdate()})
    return _form_page(
        request,
        federation=unit.federation,
        unit=unit,
        form=form,
        run=lambda f: services.withdraw_unit(unit.pk, by=request.user, **f.cleaned_data),
        title=_("办理退会"),
        success=_("退会已办理，该单位的会员资料转为只读。"),
        back=reverse("federations:unit", args=[unit.pk]),
    )


@login_required
def unit_dues(request, unit_id):
    unit, refused = _managed_unit(request, unit_id)
    if refused is not None:
        return refused
    form = forms.DuesForm(_data(request), initial={"year": timezone.localdate().year})
    return _form_page(
        request,
        federation=unit.federation,
        unit=unit,
        form=form,
        run=lambda f: services.set_dues(unit.pk, by=request.user, **f.cleaned_data),
        title=_("设定年度会费"),
        success=_("会费已登记。"),
        back=reverse("federations:unit", args=[unit.pk]),
    )


@login_required
def dues_generate(request, pk):
    federation = _managed_federation(request, pk)
    form = forms.GenerateDuesForm(_data(request), initial={"year": timezone.localdate().year})
    created = {}

    def run(form):
        created["n"] = services.generate_dues(
            federation.pk, by=request.user, year=form.cleaned_data["year"], amounts=form.amounts()
        )

    response = _form_page(
        request,
        federation=federation,
        form=form,
        run=run,
        title=_("按层级生成年度会费"),
        success=_("已生成年度会费。"),
        back=reverse("federations:dues", args=[federation.pk]),
    )
    if "n" in created:
        messages.info(request, _("本次新生成 %(count)s 条会费记录。") % {"count": created["n"]})
    return response


# --- dues -----------------------------------------------------------------------------------------


@login_required
def dues(request, pk):
    require(request.user, "federation.view")
    federation = get_federation_for_user(request.user, pk)
    status = request.GET.get("status", "").strip()
    parsed, error = attempt(lambda: selectors.parse_year(request.GET.get("year", "").strip()))
    year = parsed or timezone.localdate().year
    page_obj = None
    if error is None:
        page_obj, error = attempt(
            lambda: paginate(request, selectors.dues_list(request.user, federation, year=year, status=status))
        )
    context = {
        "federation": federation,
        "page_obj": page_obj,
        "error": error,
        "year": year,
        "status": status,
        "status_choices": DuesStatus.choices,
        "summary": selectors.dues_summary(request.user, federation, year),
        "settle_form": forms.SettleForm(initial={"paid_on": timezone.localdate()}),
        "can_manage": may_manage(request.user, federation),
        "UNPAID": DuesStatus.UNPAID,
    }
    return render(request, "federations/dues.html", context)


def _next_or(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@login_required
@require_POST
def dues_settle(request, pk):
    """Mark the chosen dues rows paid or exempt (one, from a unit's page, or many, from the dues list)."""
    federation = _managed_federation(request, pk)
    back = _next_or(request, reverse("federations:dues", args=[federation.pk]))
    form = forms.SettleForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return HttpResponseRedirect(back)
    ids = request.POST.getlist("dues")
    label = DuesAction(form.cleaned_data["action"]).label
    run_action(
        request,
        lambda: services.settle_dues(ids, by=request.user, **form.cleaned_data),
        success=lambda rows: _("已%(action)s %(count)s 条。") % {"action": label, "count": len(rows)},
    )
    return HttpResponseRedirect(back)


# --- a unit's page ----------------------------------------------------------------------------------


@login_required
def unit_detail(request, unit_id):
    require(request.user, "federation.view")
    unit = get_unit_member_for_user(request.user, unit_id)
    federation = unit.federation
    can_manage = may_manage(request.user, federation) and unit.is_active
    tier_changes = list(unit.tier_changes.select_related("changed_by"))
    context = {
        "unit": unit,
        "federation": federation,
        "masked_phone": mask_phone(unit.representative_phone),
        "tier_changes": tier_changes,
        "initial_tier": Tier(tier_changes[-1].from_tier).label if tier_changes else unit.get_tier_display(),
        "dues": list(unit.dues.all()),
        "memberships": [m for m in selectors.memberships_of(request.user, unit) if m.pk != unit.pk],
        "federation_visible": federations_for_user(request.user).filter(pk=federation.pk).exists(),
        "can_manage": can_manage,
        "settle_form": forms.SettleForm(initial={"paid_on": timezone.localdate()}) if can_manage else None,
        "UNPAID": DuesStatus.UNPAID,
    }
    return render(request, "federations/unit.html", context)
