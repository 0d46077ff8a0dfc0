"""Pages for the later life of an association: the panel on its detail page, the secretary's forms
(yearly plan/summary, officer change, re-election, dissolution), the supervising staff's actions
(review, acknowledge, approve) and the staff lists (missing reports, terms ending).

Thin: signed in → the right (403) → the association in reach (404) → a service. A ``DomainError``
goes next to its field (``core.forms``); ``Forbidden`` and ``NotFound`` become the 403/404 page."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.accounts.permissions import require
from kexie.associations.permissions import get_association_for_user
from kexie.core.forms import attempt, run_action
from kexie.core.pages import paginate

from . import forms, selectors, services
from .enums import ReportKind, ReportStatus
from .permissions import check_manageable, may_supervise

# How many days ahead the 换届提醒 list looks by default.
RENEWALS_WITHIN_DAYS = 90


def _detail_url(association) -> str:
    return reverse("associations:detail", args=[association.pk]) + "#life"


def _back(association) -> HttpResponseRedirect:
    return HttpResponseRedirect(_detail_url(association))


# --- the secretary's forms ------------------------------------------------------------------------


def _managed(request, pk):
    """The association whose secretary's form is asked for, or the reason it is not offered."""
    require(request.user, "association.manage")
    association = get_association_for_user(request.user, pk)
    _ok, refusal = attempt(lambda: check_manageable(request.user, association))
    if refusal is not None:  # dissolved or not yet active: read-only
        messages.error(request, refusal.message)
        return association, _back(association)
    return association, None


def _secretary_form(
    request,
    pk,
    *,
    make_form: Callable,
    run: Callable,
    title: str,
    success: str,
    template: str = "lifecycle/form.html",
    extra: Callable | None = None,
):
    """GET shows the form; POST runs the service. Success → back to the detail page with a message;
    a ``DomainError`` → the form again with the reason next to its field, nothing written."""
    association, refused = _managed(request, pk)
    if refused is not None:
        return refused
    form = make_form(association, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        form.run(lambda: run(association, form))
        if not form.errors:
            messages.success(request, success)
            return _back(association)
    context = {"association": association, "form": form, "title": title}
    if extra is not None:
        context.update(extra(association))
    return render(request, template, context)


@login_required
def report_new(request, pk):
    def make_form(association, data):
        initial = {
            "year": request.GET.get("year") or timezone.localdate().year,
            "kind": request.GET.get("kind") or ReportKind.PLAN,
        }
        returned = selectors.report_for(association, initial["year"], initial["kind"])
        if returned is not None and returned.status == ReportStatus.RETURNED:
            initial["text"] = returned.text
        return forms.WorkReportForm(data, initial=initial)

    def run(association, form):
        services.submit_work_report(
            association.pk,
            by=request.user,
            year=form.cleaned_data["year"],
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
        )

    def extra(association):
        returned = selectors.report_for(association, request.GET.get("year"), request.GET.get("kind"))
        return {"returned": returned if returned and returned.status == ReportStatus.RETURNED else None}

    return _secretary_form(
        request,
        pk,
        make_form=make_form,
        run=run,
        title=_("报送年度工作计划/总结"),
        success=_("报告已报送，等待上级科协审阅。"),
        template="lifecycle/report_form.html",
        extra=extra,
    )


@login_required
def officer_change(request, pk):
    def make_form(association, data):
        return forms.OfficerChangeForm(data, members=selectors.members(association))

    def run(association, form):
        services.change_officer(
            association.pk,
            by=request.user,
            office=form.cleaned_data["office"],
            person_id=form.cleaned_data["person"],
            decided_on=form.cleaned_data["decided_on"],
            reason=form.cleaned_data["reason"],
        )

    return _secretary_form(
        request,
        pk,
        make_form=make_form,
        run=run,
        title=_("负责人变更"),
        success=_("负责人变更已记录，并已报上级科协备案。"),
    )


@login_required
def renewal(request, pk):
    def make_form(association, data):
        return forms.RenewalForm(data, members=selectors.members(association))

    def run(association, form):
        services.record_renewal(association.pk, by=request.user, **form.service_args())

    return _secretary_form(
        request,
        pk,
        make_form=make_form,
        run=run,
        title=_("登记换届"),
        success=_("换届已登记，新一届任期开始。"),
        template="lifecycle/renewal_form.html",
    )


@login_required
def dissolution_propose(request, pk):
    def run(association, form):
        services.propose_dissolution(association.pk, by=request.user, reason=form.cleaned_data["reason"])

    return _secretary_form(
        request,
        pk,
        make_form=lambda association, data: forms.DissolutionForm(data),
        run=run,
        title=_("提议撤销"),
        success=_("撤销提议已记录，请召开会员大会表决。"),
    )


@login_required
def dissolution_decision(request, pk):
    def run(association, form):
        services.decide_dissolution(association.pk, by=request.user, **form.cleaned_data)

    return _secretary_form(
        request,
        pk,
        make_form=lambda association, data: forms.DissolutionDecisionForm(data),
        run=run,
        title=_("登记会员大会撤销决定"),
        success=_("会员大会的撤销决定已登记，已报上级科协审批。"),
    )


@login_required
def dissolution_withdraw(request, pk):
    def run(association, form):
        services.withdraw_dissolution(association.pk, by=request.user, reason=form.cleaned_data["reason"])

    return _secretary_form(
        request,
        pk,
        make_form=lambda association, data: forms.WithdrawDissolutionForm(data),
        run=run,
        title=_("撤回撤销程序"),
        success=_("撤销程序已撤回，本科协继续正常运行。"),
    )


# --- the supervising staff's actions -------------------------------------------------------------


@login_required
def report_detail(request, pk, report_id):
    """A report in full; the supervising staff review it here (accept, or return with a comment)."""
    require(request.user, "association.supervise" if request.method == "POST" else "association.view")
    association = get_association_for_user(request.user, pk)
    report = selectors.report_of(association, report_id)
    form = forms.ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            accept = request.POST.get("decision") == "accept"
            form.run(
                lambda: services.review_work_report(
                    report.pk, by=request.user, accept=accept, comment=form.cleaned_data["comment"]
                )
            )
            if not form.errors:
                messages.success(request, _("报告已审阅通过。") if accept else _("报告已退回修改。"))
                return _back(association)
    context = {
        "association": association,
        "report": report,
        "form": form,
        "can_review": report.status == ReportStatus.SUBMITTED and may_supervise(request.user, association),
    }
    return render(request, "lifecycle/report.html", context)


def _staff_action(request, pk, run: Callable, success: str):
    """A one-button action of the supervising staff: the reason of a refusal is shown as a message."""
    require(request.user, "association.supervise")
    association = get_association_for_user(request.user, pk)
    run_action(request, lambda: run(association), success=success)
    return _back(association)


@login_required
@require_POST
def acknowledge_change(request, pk, change_id):
    def run(association):
        change = selectors.officer_change_of(association, change_id)
        services.acknowledge_officer_change(change.pk, by=request.user)

    return _staff_action(request, pk, run, _("已确认负责人变更备案。"))


@login_required
@require_POST
def dissolution_approve(request, pk):
    return _staff_action(
        request,
        pk,
        lambda association: services.approve_dissolution(association.pk, by=request.user),
        _("已批准撤销，该科协的资料保留为只读。"),
    )


# --- staff lists ------------------------------------------------------------------------------------


@login_required
def missing_reports(request):
    """报送情况: the enterprise and joint 科协 in reach that have not sent a report once it is due."""
    require(request.user, "association.supervise")
    year, kind = timezone.localdate().year, ReportKind.PLAN
    form = forms.MissingReportsForm(request.GET or None, initial={"year": year, "kind": kind})
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["year"] or year
        kind = form.cleaned_data["kind"] or kind
    rows = selectors.missing_reports(request.user, year=year, kind=kind)
    due = services.due_date(year, kind)
    context = {
        "form": form,
        "year": year,
        "kind_label": ReportKind(kind).label,
        "due": due,
        "not_yet_due": timezone.localdate() <= due,
        "page_obj": paginate(request, rows),
    }
    return render(request, "lifecycle/missing_reports.html", context)


@login_required
def renewals_due(request):
    """换届提醒: terms ending within the window; those already ended (overdue) are highlighted."""
    require(request.user, "association.supervise")
    within = RENEWALS_WITHIN_DAYS
    form = forms.RenewalsDueForm(request.GET or None, initial={"within_days": within})
    if form.is_bound and form.is_valid() and form.cleaned_data["within_days"] is not None:
        within = form.cleaned_data["within_days"]
    rows = [
        {"association": a, "term_end": end, "days": days, "overdue": days < 0, "late": -days}
        for a, end, days in selectors.renewals_due(request.user, within_days=within)
    ]
    context = {
        "form": form,
        "within": within,
        "overdue_count": sum(1 for r in rows if r["overdue"]),
        "page_obj": paginate(request, rows),
    }
    return render(request, "lifecycle/renewals_due.html", context)
