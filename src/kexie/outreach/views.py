"""Pages for targets, the gap finder, outreach tasks and their conversion.

Thin: signed in → the right (403) → the object in reach (404) → a selector or a service. A
``DomainError`` goes next to its field (forms) or back as a message (actions), through ``core.forms``;
``Forbidden`` and ``NotFound`` become the 403/404 page."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.accounts import scoping
from kexie.accounts.permissions import has_perm, require
from kexie.core import audit
from kexie.core.errors import Forbidden
from kexie.core.forms import attempt, run_action, run_service
from kexie.core.i18n import stored_language
from kexie.core.pages import paginate, render_list
from kexie.founding.permissions import founding_applications_for_user
from kexie.regions.selectors import children_of

from . import exporters, forms, selectors, services
from .enums import FUNNEL, Metric, Stage, TargetStatus, TaskState
from .permissions import (
    get_outreach_task_for_user,
    get_target_for_user,
    may_create_target,
    may_manage_target,
    may_track,
    target_federations,
    targets_for_user,
)

DEFAULT_DUE_DAYS = 30


def _region_options(user, chosen) -> list[tuple[str, str]]:
    """The user's home region and its children (the provinces for an admin), plus the chosen one."""
    home = scoping.home_region(user)
    options = [(home.code, home.name)] if home is not None else []
    options += [(r.code, f"— {r.name}") for r in children_of(home)]
    if chosen is not None and chosen.code not in dict(options):
        options.append((chosen.code, chosen.full_name))
    return options


# --- the gap finder --------------------------------------------------------------------------------


@login_required
def gaps(request):
    require(request.user, "outreach.view")
    params = request.GET
    page_obj = qs = None
    targets_by_id = {}
    query, error = attempt(lambda: selectors.parse_gap_query(request.user, params))
    if error is None:
        qs, targets_by_id = selectors.gaps(request.user, query)
        if params.get("format") == "xlsx":
            return _export(request, query, qs, targets_by_id)
        page_obj, error = attempt(lambda: paginate(request, selectors.ranked_ids(qs)))
    texts = selectors.reason_texts()
    rows = (
        [(row, selectors.reason(row, targets_by_id, texts)) for row in selectors.rows_for(qs, page_obj)]
        if page_obj
        else []
    )
    can_assign = has_perm(request.user, "outreach.assign")
    context = {
        "page_obj": page_obj,
        "rows": rows,
        "error": error,
        "params": params,
        "query": query,
        "can_assign": can_assign,
        "assign_form": forms.AssignForm(
            initial={"due_on": timezone.localdate() + datetime.timedelta(days=DEFAULT_DUE_DAYS)},
            targets=selectors.open_targets_over(request.user, query.region) if query else [],
        ),
        "export_query": params.urlencode(),
    }
    return render_list(
        request,
        template="outreach/gaps.html",
        partial="outreach/_gaps.html",
        context=context,
        full_context=lambda: {
            "weights": selectors.score_weights(),
            "region_options": _region_options(request.user, query.region if query else None),
            "flag_fields": [
                (name, label, params.get(name, "") in ("1", "true", "on"))
                for name, label in forms.FLAG_FIELDS.items()
            ],
            "ownership_choices": forms.Ownership.choices,
            "industry_choices": forms.Industry.choices,
        },
    )


def _export(request, query, qs, targets_by_id) -> HttpResponse:
    content = exporters.gaps_xlsx(qs, targets_by_id, region=query.region)
    with stored_language():
        audit.record(
            actor=request.user,
            action="export",
            note=_("导出建会缺口清单：%(region)s %(params)s")
            % {"region": query.region.name if query.region else _("全部"), "params": request.GET.urlencode()},
        )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = "attachment; filename=gaps.xlsx"
    return response


@login_required
@require_POST
def assign(request):
    require(request.user, "outreach.assign")
    back = request.POST.get("next") or reverse("outreach:gaps")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("outreach:gaps")
    form = forms.AssignForm(
        request.POST, targets=list(targets_for_user(request.user).filter(status=TargetStatus.OPEN))
    )
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return HttpResponseRedirect(back)
    data = form.cleaned_data
    tasks = run_action(
        request,
        lambda: services.assign(
            by=request.user,
            enterprise_ids=data["enterprise"],
            due_on=data["due_on"],
            note=data["note"],
            target_id=data["target"],
        ),
        success=lambda tasks: _("已交办 %(count)s 家企业，承办科协已收到通知。") % {"count": len(tasks)},
    )
    return redirect("outreach:tasks") if tasks is not None else HttpResponseRedirect(back)


# --- tasks ----------------------------------------------------------------------------------------


@login_required
def tasks(request):
    require(request.user, "outreach.view")
    params = request.GET
    code = params.get("region", "").strip()
    region, error = attempt(lambda: selectors.resolve_region(request.user, code) if code else None)
    page_obj = None
    if error is None:
        page_obj, error = attempt(
            lambda: paginate(
                request,
                selectors.task_list(
                    request.user, region=region, stage=params.get("stage", ""), state=params.get("state", "")
                ),
            )
        )
    context = {
        "page_obj": page_obj,
        "error": error,
        "params": params,
        "stages": Stage.choices,
        "states": TaskState.choices,
        "region": region,
        "today": timezone.localdate(),
    }
    return render_list(
        request,
        template="outreach/tasks.html",
        partial="outreach/_tasks.html",
        context=context,
        full_context=lambda: {"region_options": _region_options(request.user, region)},
    )


@login_required
def task_detail(request, pk):
    require(request.user, "outreach.view")
    task = get_outreach_task_for_user(request.user, pk)
    application = selectors.founding_application_of(task)
    stage = selectors.stage_of(task)
    context = {
        "task": task,
        "stage": Stage(stage),
        "contacts": task.contacts.select_related("recorded_by"),
        "application": application,
        "sees_application": application is not None
        and founding_applications_for_user(request.user).filter(pk=application.pk).exists(),
        "may_track": may_track(request.user, task),
        # Stages after “contacted” mean a founding file exists already.
        "may_open_founding": has_perm(request.user, "founding.open")
        and stage in (Stage.ASSIGNED, Stage.CONTACTED),
        "contact_form": forms.ContactForm(initial={"contacted_on": timezone.localdate()}),
        "decline_form": forms.DeclineForm(),
        "history": audit.history(task)[:20],
    }
    return render(request, "outreach/task_detail.html", context)


def _task_action(request, pk, run, success: str):
    run_action(request, run, success=success)
    return redirect("outreach:task", pk=pk)


@login_required
@require_POST
def task_contact(request, pk):
    require(request.user, "outreach.track")
    form = forms.ContactForm(request.POST)
    if not form.is_valid():
        for name, errors in form.errors.items():
            messages.error(
                request, f"{form.fields[name].label}：{errors[0]}" if name in form.fields else errors[0]
            )
        get_outreach_task_for_user(request.user, pk)
        return redirect("outreach:task", pk=pk)
    data = form.cleaned_data
    return _task_action(
        request,
        pk,
        lambda: services.log_contact(
            pk,
            by=request.user,
            contacted_on=data["contacted_on"],
            way=data["way"],
            person=data["person"],
            outcome=data["outcome"],
        ),
        _("联系记录已保存。"),
    )


@login_required
@require_POST
def task_decline(request, pk):
    require(request.user, "outreach.track")
    return _task_action(
        request,
        pk,
        lambda: services.decline(pk, by=request.user, reason=request.POST.get("reason", "")),
        _("已登记企业暂不建会。"),
    )


@login_required
@require_POST
def task_reopen(request, pk):
    require(request.user, "outreach.track")
    return _task_action(request, pk, lambda: services.reopen(pk, by=request.user), _("任务已重新跟进。"))


# --- conversion ----------------------------------------------------------------------------------------


@login_required
def conversion(request):
    require(request.user, "outreach.view")
    region, error = attempt(lambda: selectors.resolve_region(request.user, request.GET.get("region")))
    rows = []
    if error is None:
        rows, error = attempt(lambda: selectors.conversion(request.user, region))
        rows = rows or []
    columns = [*FUNNEL, Stage.DECLINED]
    table = [(row, [(stage, row.counts.get(stage, 0)) for stage in columns]) for row in rows]
    totals = [(stage, sum(row.counts.get(stage, 0) for row in rows)) for stage in columns]
    context = {
        "error": error,
        "region": region,
        "columns": [(s.value, s.label) for s in columns],
        "table": table,
        "totals": totals,
        "total": sum(n for _s, n in totals),
        "region_options": _region_options(request.user, region),
    }
    return render(request, "outreach/conversion.html", context)


# --- targets --------------------------------------------------------------------------------------------


@login_required
def targets(request):
    require(request.user, "target.view")
    page_obj, error = attempt(
        lambda: paginate(request, selectors.target_list(request.user, status=request.GET.get("status", "")))
    )
    rows = [(t, selectors.progress(t)) for t in page_obj] if page_obj else []
    context = {
        "page_obj": page_obj,
        "rows": rows,
        "error": error,
        "params": request.GET,
        "statuses": TargetStatus.choices,
        "can_create": may_create_target(request.user),
        "perms_outreach": has_perm(request.user, "outreach.view"),
    }
    return render(request, "outreach/targets.html", context)


@login_required
def target_detail(request, pk):
    require(request.user, "target.view")
    target = get_target_for_user(request.user, pk)
    scope = selectors.scope_of_target(target)
    context = {
        "target": target,
        "progress": selectors.progress(target),
        "scope_params": scope.as_params(),
        "may_manage": may_manage_target(request.user, target) and target.status == TargetStatus.OPEN,
        "may_view_gaps": has_perm(request.user, "outreach.view")
        and scoping.region_in_reach(request.user, target.region),
        "gap_query": "&".join(
            f"{k}={v}" for k, v in {"region": target.region_id, **scope.as_params()}.items()
        ),
        "is_rate": target.metric == Metric.RATE,
        "history": audit.history(target)[:20],
    }
    return render(request, "outreach/target_detail.html", context)


def _target_form(request, data=None, initial=None):
    scope = scoping.scope_of(request.user)
    regions = _region_options(request.user, None) if scope.staff_paths or scope.everything else []
    federations = target_federations(request.user)
    return forms.TargetForm(
        data, initial=initial, regions=regions, federations=[(f.pk, f.name) for f in federations]
    )


def _save_target(request, form, save):
    if not form.is_valid():
        return None
    return run_service(form, lambda: save(form.service_data()))


@login_required
def target_create(request):
    require(request.user, "target.manage")
    if not may_create_target(request.user):
        raise Forbidden(_("只有科协工作人员或联合会秘书可以设定目标。"))
    today = timezone.localdate()
    form = _target_form(
        request,
        request.POST or None,
        initial={"start_on": today, "deadline": today.replace(month=12, day=31), "metric": Metric.FOUNDED},
    )
    if request.method == "POST":
        target = _save_target(request, form, lambda data: services.create_target(by=request.user, data=data))
        if target is not None:
            messages.success(request, _("目标“%(title)s”已设定。") % {"title": target.title})
            return redirect("outreach:target", pk=target.pk)
    return render(request, "outreach/target_form.html", {"form": form, "target": None})


@login_required
def target_edit(request, pk):
    require(request.user, "target.manage")
    target = get_target_for_user(request.user, pk)
    if not may_manage_target(request.user, target):
        raise Forbidden(_("只有设定该目标的科协或联合会可以修改它。"))
    form = _target_form(request, request.POST or None, initial=forms.TargetForm.initial_for(target))
    if request.method == "POST":
        saved = _save_target(
            request, form, lambda data: services.update_target(pk, by=request.user, data=data)
        )
        if saved is not None:
            messages.success(request, _("目标“%(title)s”已保存。") % {"title": saved.title})
            return redirect("outreach:target", pk=saved.pk)
    return render(request, "outreach/target_form.html", {"form": form, "target": target})


@login_required
@require_POST
def target_close(request, pk):
    require(request.user, "target.manage")
    run_action(request, lambda: services.close_target(pk, by=request.user), success=_("目标已关闭。"))
    return redirect("outreach:target", pk=pk)
