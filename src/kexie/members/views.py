"""Member pages: the secretary's (lists, queue, detail, decisions, offices), the member's own
(sign-up, profile, application, memberships, data, card) and the public card check. Thin:
scoping, selectors and services decide."""

from __future__ import annotations

import datetime
import json

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.accounts.permissions import has_perm, require
from kexie.associations.permissions import (
    associations_for_user,
    get_association_for_user,
    joinable_associations,
)
from kexie.core import audit
from kexie.core.errors import NotFound
from kexie.core.forms import attempt, run_action
from kexie.core.masking import mask_phone
from kexie.core.pages import history_page, paginate, render_list

from . import card, selectors, services
from .enums import Education, MembershipAction, MembershipStatus, TitleLevel
from .exporters import MyDataExporter
from .forms import ApplicationForm, AppointForm, LeaveForm, PersonForm, ReasonForm, SignUpForm, TransferForm
from .permissions import (
    get_membership_for_user,
    get_own_membership,
    manages_membership,
    memberships_for_user,
    own_person,
)

SEARCH_LIMIT = 20


# --- the secretary's pages ----------------------------------------------------------------------------


@login_required
def index(request):
    """The 科协 whose members the user may see, with how many applications wait."""
    require(request.user, "member.view")
    associations = (
        associations_for_user(request.user)
        .filter(pk__in=memberships_for_user(request.user).values("association_id"))
        .order_by("name", "pk")
    )
    page_obj = paginate(request, associations)
    waiting = dict(
        memberships_for_user(request.user)
        .filter(status=MembershipStatus.APPLIED, association__in=[a.pk for a in page_obj])
        .values_list("association_id")
        .annotate(n=Count("pk"))
    )
    for association in page_obj:
        association.waiting = waiting.get(association.pk, 0)
    return render(request, "members/index.html", {"page_obj": page_obj})


@login_required
def member_list(request, pk):
    require(request.user, "member.view")
    association = get_association_for_user(request.user, pk)
    page_obj, error = attempt(
        lambda: paginate(
            request,
            selectors.member_list(
                request.user, association, selectors.MemberFilters.from_params(request.GET)
            ),
        )
    )
    context = {
        "association": association,
        "page_obj": page_obj,
        "error": error,
        "params": request.GET,
        "status_choices": MembershipStatus.choices,
        "title_choices": TitleLevel.choices,
        "education_choices": Education.choices,
        "can_manage": has_perm(request.user, "member.manage"),
    }
    return render_list(
        request,
        template="members/list.html",
        partial="members/_list_results.html",
        context=context,
        full_context=lambda: {"counts": selectors.status_counts(request.user, association)},
    )


@login_required
def pending(request, pk):
    """The queue of applications: one by one from the detail page, or several at once here."""
    require(request.user, "member.manage")
    association = get_association_for_user(request.user, pk)
    error = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        count, error = attempt(
            lambda: services.decide_many(
                association.pk,
                by=request.user,
                membership_ids=request.POST.getlist("membership"),
                action=action,
                reason=request.POST.get("reason", ""),
            )
        )
        if error is None:
            label = MembershipAction(action).label
            messages.success(
                request, _("已对 %(count)d 份申请执行“%(action)s”。") % {"count": count, "action": label}
            )
            return redirect("members:pending", pk=association.pk)
    context = {
        "association": association,
        "applications": selectors.pending(request.user, association),
        "error": error,
        "reason": request.POST.get("reason", ""),
        "chosen": set(request.POST.getlist("membership")),
    }
    return render(request, "members/pending.html", context, status=400 if error else 200)


@login_required
def offices(request, pk):
    """组织机构/任职: who held which office on a chosen day (default today), and every term."""
    require(request.user, "association.view")
    association = get_association_for_user(request.user, pk)
    day = timezone.localdate()
    error = None
    if request.GET.get("on"):
        try:
            day = datetime.date.fromisoformat(request.GET["on"])
        except ValueError:
            error = _("日期“%(value)s”格式不正确，应为 2024-01-31 这样的格式。") % {
                "value": request.GET["on"]
            }
    context = {
        "association": association,
        "day": day,
        "error": error,
        "holders": selectors.offices_on(association, day),
        "terms": selectors.all_terms(association),
    }
    return render(request, "members/offices.html", context)


def _membership_for_manager(request, pk):
    require(request.user, "member.manage")
    membership = get_membership_for_user(request.user, pk)
    if not manages_membership(request.user, membership):
        raise NotFound(_("会员不存在。"))
    return membership


@login_required
def detail(request, pk):
    require(request.user, "member.view")
    membership = get_membership_for_user(request.user, pk)
    person = membership.person
    manages = manages_membership(request.user, membership) and has_perm(request.user, "member.manage")
    history = selectors.person_memberships(request.user, person)
    context = {
        "membership": membership,
        "person": person,
        "masked_phone": mask_phone(person.phone),
        "history": history,
        "terms": selectors.terms_of(history),
        "manages": manages,
        "can_reveal": manages and has_perm(request.user, "member.reveal"),
        "reason_form": ReasonForm(),
        "appoint_form": AppointForm(initial={"start": timezone.localdate().isoformat()}),
        "today": timezone.localdate(),
        "can_view_history": has_perm(request.user, "audit.view"),
        **history_page(request, person),
        "membership_entries": [
            (e, audit.change_rows(e, type(membership))) for e in audit.history(membership)[:50]
        ],
    }
    return render(request, "members/detail.html", context)


@login_required
def edit(request, pk):
    membership = _membership_for_manager(request, pk)
    form = PersonForm(request.POST or None, person=membership.person)
    if request.method == "POST":
        saved = form.submit(
            lambda data: services.update_member_profile(membership.pk, by=request.user, data=data)
        )
        if saved is not None:
            messages.success(request, _("“%(name)s”的信息已保存。") % {"name": saved.name})
            return redirect("members:detail", pk=membership.pk)
    return render(request, "members/edit.html", {"form": form, "membership": membership})


@login_required
@require_POST
def decide(request, pk):
    """Approve or reject one application (from the member's detail page)."""
    membership = _membership_for_manager(request, pk)
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    decisions = {
        MembershipAction.APPROVE: lambda: services.approve(membership.pk, by=request.user, note=reason),
        MembershipAction.REJECT: lambda: services.reject(membership.pk, by=request.user, reason=reason),
    }
    if action not in decisions:
        messages.error(request, _("请选择“批准入会”或“不予批准”。"))
    else:
        run_action(
            request,
            decisions[action],
            success=_("已对“%(name)s”执行“%(action)s”。")
            % {"name": membership.person.name, "action": MembershipAction(action).label},
        )
    return redirect("members:detail", pk=membership.pk)


@login_required
def leave(request, pk):
    membership = _membership_for_manager(request, pk)
    form = LeaveForm(request.POST or None)
    if request.method == "POST":
        done = form.submit(
            lambda data: services.leave(
                membership.pk, by=request.user, reason=data["reason"], on=data["on"] or None
            ),
        )
        if done is not None:
            messages.success(request, _("已登记“%(name)s”退会。") % {"name": membership.person.name})
            return redirect("members:detail", pk=membership.pk)
    return render(request, "members/leave.html", {"form": form, "membership": membership, "kind": "leave"})


@login_required
def transfer(request, pk):
    membership = _membership_for_manager(request, pk)
    form = TransferForm(request.POST or None)
    if request.method == "POST":
        done = form.submit(
            lambda data: services.transfer(
                membership.pk,
                by=request.user,
                to_association_id=data["to_association"],
                reason=data["reason"],
            ),
        )
        if done is not None:
            messages.success(
                request,
                _("“%(name)s”的会员关系已转出，待“%(target)s”审核。")
                % {"name": membership.person.name, "target": done.association.name},
            )
            return redirect("members:detail", pk=membership.pk)
    return render(request, "members/leave.html", {"form": form, "membership": membership, "kind": "transfer"})


@login_required
@require_POST
def appoint(request, pk):
    membership = _membership_for_manager(request, pk)
    form = AppointForm(request.POST)
    term = form.submit(lambda data: services.appoint(membership.pk, by=request.user, **data))
    if term is None:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.success(
            request,
            _("已任命“%(name)s”为%(office)s。")
            % {"name": membership.person.name, "office": term.get_office_display()},
        )
    return redirect("members:detail", pk=membership.pk)


@login_required
@require_POST
def end_term(request, pk, term_id):
    membership = _membership_for_manager(request, pk)
    run_action(
        request,
        lambda: services.end_term(
            term_id, by=request.user, end=request.POST.get("end") or timezone.localdate()
        ),
        success=_("任职已结束。"),
    )
    return redirect("members:detail", pk=membership.pk)


@login_required
@require_POST
def reveal(request, pk, field):
    """htmx: the full phone or ID number, for the member's own secretary; audited."""
    return _revealed(request, services.reveal_member_field(pk, by=request.user, field=field))


def _revealed(request, value: str) -> HttpResponse:
    response = render(request, "members/_revealed.html", {"value": value})
    response["Cache-Control"] = "no-store"  # a full phone or ID number is kept by no cache
    return response


# --- search (the application and transfer forms) ---------------------------------------------------------


@login_required
def association_search(request):
    """htmx: active enterprise and joint 科协 whose name contains the words typed."""
    q = request.GET.get("q", "").strip()
    results = []
    if q:
        results = list(
            joinable_associations(request.user).filter(name__contains=q).order_by("name", "pk")[:SEARCH_LIMIT]
        )
    field = request.GET.get("field", "association")
    if field not in ("association", "to_association"):
        field = "association"
    return render(request, "members/_association_choices.html", {"results": results, "q": q, "field": field})


# --- the member's own pages -------------------------------------------------------------------------------


def signup(request):
    if request.user.is_authenticated:
        return redirect("members:me")
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        user = form.submit(lambda data: services.sign_up(**data))
        if user is not None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("注册成功。请填写会员申请表，申请加入您所在单位的科协。"))
            return redirect("members:apply")
    return render(request, "members/signup.html", {"form": form})


@login_required
def me(request):
    person = own_person(request.user)
    context = {
        "person": person,
        "masked_phone": mask_phone(person.phone) if person else "",
        "memberships": selectors.my_memberships(request.user),
    }
    return render(request, "members/me.html", context)


@login_required
def me_edit(request):
    person = own_person(request.user)
    if person is None:
        return redirect("members:apply")
    form = PersonForm(request.POST or None, person=person)
    if request.method == "POST":
        saved = form.submit(lambda data: services.update_own_profile(by=request.user, data=data))
        if saved is not None:
            messages.success(request, _("您的信息已保存。"))
            return redirect("members:me")
    return render(request, "members/me_edit.html", {"form": form})


@login_required
def apply(request):
    person = own_person(request.user)
    initial = {} if person else {"name": request.user.display_name, "email": request.user.email}
    form = ApplicationForm(request.POST or None, person=person, initial=initial)
    chosen = None
    if request.method == "POST":
        chosen = joinable_associations(request.user).filter(pk=_int(request.POST.get("association"))).first()
        membership = form.submit(
            lambda data: services.apply(
                by=request.user,
                association_id=form.cleaned_data["association"],
                data=data,
                consent=form.cleaned_data["consent"],
            ),
        )
        if membership is not None:
            messages.success(
                request, _("申请已提交，请等待“%(name)s”审核。") % {"name": membership.association.name}
            )
            return redirect("members:mine")
    context = {"form": form, "chosen": chosen, "needs_consent": person is None or person.consented_at is None}
    return render(request, "members/apply.html", context)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@login_required
def mine(request):
    memberships = selectors.my_memberships(request.user)
    context = {
        "memberships": memberships,
        "terms": selectors.terms_of(memberships),
        "applications": [m for m in memberships if m.applied_at],
    }
    return render(request, "members/mine.html", context)


@login_required
@require_POST
def me_reveal(request, field):
    return _revealed(request, services.reveal_own_field(by=request.user, field=field))


@login_required
def my_data(request, fmt):
    if fmt not in ("json", "xlsx"):
        raise NotFound
    data = selectors.my_data(request.user)
    services.record_export(by=request.user, what=fmt)
    stamp = timezone.localdate().isoformat()
    if fmt == "json":
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
    else:
        response = HttpResponse(
            MyDataExporter(data).xlsx()[0],
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def my_card(request, pk):
    membership = services.issue_card(pk, by=request.user)
    membership = get_own_membership(request.user, membership.pk)
    response = HttpResponse(card.render_card(membership), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="member-card-{selectors.card_number(membership)}.pdf"'
    )
    return response


# --- public -------------------------------------------------------------------------------------------------


def verify(request, code=None):
    """Public: is this card valid? Only the masked name and the 科协, or “无效” (unknown codes too)."""
    code = code if code is not None else request.GET.get("code", "")
    result = selectors.check_card(code) if code else None
    return render(request, "members/verify.html", {"result": result, "code": code[:32]})
