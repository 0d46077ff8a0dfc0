"""Pages of the founding procedure. Thin: signed in → the role may (403) → the application is within
reach (404) → a service writes. A ``DomainError`` is shown next to its field (``core.forms``);
``Forbidden`` and ``NotFound`` become the 403/404 page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kexie.accounts import scoping
from kexie.accounts.permissions import has_perm, require
from kexie.core.errors import NotFound
from kexie.core.forms import attempt, put_error
from kexie.core.i18n import join
from kexie.core.masking import mask_phone
from kexie.core.pages import history_page, paginate, render_list
from kexie.enterprises.enums import FLAG_FIELDS
from kexie.enterprises.permissions import enterprises_for_user
from kexie.enterprises.selectors import EnterpriseFilters, enterprise_list
from kexie.members.enums import MembershipStatus, Office
from kexie.members.importers import import_founding_roster

from . import checks, documents, selectors, services
from .enums import AWAITING_REVIEW, CLOSED, EDITABLE, TRANSITIONS, Action, State
from .forms import (
    OFFICER_CHOICES,
    CandidacyForm,
    CharterForm,
    CongressForm,
    DossierForm,
    GroupFormSet,
    MemberForm,
    OpenForm,
    ReviewForm,
    RoutingRuleForm,
    StateFilterForm,
    UploadForm,
    vote_rows,
)
from .permissions import (
    configurable_provinces,
    get_filing_for_user,
    get_founding_application_for_user,
    may_acknowledge,
    may_review,
    routing_rules_for_user,
)

# The procedure as the progress bar shows it (DOMAIN.md, "Founding an enterprise 科协").
STEPS = (
    ("group", gettext_lazy("筹备组")),
    ("charter", gettext_lazy("章程")),
    ("members", gettext_lazy("会员")),
    ("candidates", gettext_lazy("候选人")),
    ("submit", gettext_lazy("提交申请")),
    ("approval", gettext_lazy("批复")),
    ("congress", gettext_lazy("成立大会")),
    ("filing", gettext_lazy("备案")),
)
SUBMITTED_OR_LATER = frozenset(State) - {State.DRAFT, State.RETURNED, State.WITHDRAWN}
CONGRESS_OR_LATER = frozenset({State.CONGRESS_HELD, State.FILING, State.FILED})

# How the pages name the official documents; which exist and in which formats is
# ``documents.available``.
DOCUMENT_LABELS = {
    "application": gettext_lazy("关于成立企业科学技术协会的申请"),
    "report": gettext_lazy("筹备工作报告"),
    "candidates": gettext_lazy("候选人汇总表"),
    "members": gettext_lazy("会员汇总表"),
    "form": gettext_lazy("企业科协组织申请表"),
    "charter": gettext_lazy("章程"),
    "approval": gettext_lazy("批复"),
    "filing": gettext_lazy("成立备案表"),
}

REVIEW_ACTIONS = {
    Action.PRE_REVIEW: lambda pk, by, comment: services.start_pre_review(pk, by=by),
    Action.RETURN: lambda pk, by, comment: services.return_application(pk, by=by, comment=comment),
    Action.REJECT: lambda pk, by, comment: services.reject(pk, by=by, reason=comment),
    Action.APPROVE: lambda pk, by, comment: services.approve(pk, by=by, note=comment),
}
REVIEW_DONE = {
    Action.PRE_REVIEW: gettext_lazy("已开始初审。"),
    Action.RETURN: gettext_lazy("申请已退回修改，意见已通知筹备组。"),
    Action.REJECT: gettext_lazy("已作出不予批准的决定。"),
    Action.APPROVE: gettext_lazy("已批复同意，文号 %(number)s。"),
}


def _attempt(call, form=None):
    """Run a service call: (result, None), or (None, error) with the error placed on ``form`` next to
    its field (or at the top)."""
    result, error = attempt(call)
    if error is not None and form is not None:
        put_error(form, error)
    return result, error


def _posted(request):
    """The submitted data of a POST (even when empty: a form posted blank is still bound), else None."""
    return request.POST if request.method == "POST" else None


def _application(request, pk, perm: str = "founding.view"):
    require(request.user, perm)
    return get_founding_application_for_user(request.user, pk)


def _can_edit(user, application) -> bool:
    return has_perm(user, "founding.edit") and application.state in EDITABLE


# --- list, open, queue -----------------------------------------------------------------------------


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
    form = OpenForm(_posted(request), initial=initial)
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
    application, _error = _attempt(
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


# --- the dossier at a glance -------------------------------------------------------------------------


def _progress(application) -> list[dict]:
    offices = set(application.candidacies.values_list("office", flat=True))
    done = {
        "group": application.group_members.filter(is_leader=True).exists(),
        "charter": application.charters.exists(),
        "members": application.association.memberships.exists(),
        "candidates": {Office.CHAIR, Office.SECRETARY_GENERAL} <= offices,
        "submit": application.state in SUBMITTED_OR_LATER,
        "approval": bool(application.approval_number),
        "congress": application.state in CONGRESS_OR_LATER,
        "filing": application.state == State.FILED,
    }
    current = None if application.state in CLOSED else next((key for key, _l in STEPS if not done[key]), None)
    return [
        {
            "key": key,
            "label": label,
            "status": "done" if done[key] else ("current" if key == current else "todo"),
        }
        for key, label in STEPS
    ]


def _documents(application) -> list[dict]:
    return [
        {"key": name, "label": DOCUMENT_LABELS[name], "formats": kind.formats}
        for name, kind in documents.available(application)
    ]


def _events(application) -> list:
    events = list(application.events.select_related("actor"))
    for event in events:
        event.action_label = Action(event.action).label if event.action in Action.values else event.action
    return events


def _detail_context(request, application, **extra) -> dict:
    user = request.user
    state = application.state
    approver, route_reason, route_final = selectors.route_of(application)
    can_review = may_review(user, application) and state in AWAITING_REVIEW
    can_act = has_perm(user, "founding.edit")
    filings = list(application.filings.select_related("acknowledged_by").order_by("recipient"))
    context = {
        "app": application,
        "association": application.association,
        "steps": _progress(application),
        "problems": checks.submission_problems(application) if state in EDITABLE else [],
        "warnings": checks.candidate_warnings(application) if state in EDITABLE | AWAITING_REVIEW else [],
        "approver": approver,
        "route_reason": route_reason,
        "route_final": route_final,
        "events": _events(application),
        "filings": filings,
        "group": application.group_members.all(),
        "members_count": application.association.memberships.count(),
        "candidacies": _by_office(application.candidacies.select_related("person")),
        "charter": application.charters.select_related("created_by").first(),
        "congress": getattr(application, "congress", None) if state in CONGRESS_OR_LATER else None,
        "masked_phone": mask_phone(application.contact_phone),
        "documents": _documents(application),
        "can_edit": _can_edit(user, application),
        "can_submit": can_act and state in EDITABLE,
        "can_withdraw": can_act and (Action.WITHDRAW, state) in TRANSITIONS,
        "can_congress": can_act and state == State.APPROVED,
        "can_file": can_act and state == State.CONGRESS_HELD,
        "can_review": can_review,
        "review_actions": [a for a in REVIEW_ACTIONS if (a, state) in TRANSITIONS] if can_review else [],
        "review_form": ReviewForm(),
        "can_view_history": has_perm(user, "founding.view"),
    }
    context.update(extra)
    return context


@login_required
def detail(request, pk):
    application = _application(request, pk)
    return render(request, "founding/detail.html", _detail_context(request, application))


@login_required
@require_POST
def submit(request, pk):
    application = _application(request, pk, "founding.edit")
    submitted, error = _attempt(lambda: services.submit(application.pk, by=request.user))
    if error is None:
        messages.success(
            request, _("申请已提交，由%(approver)s审核。") % {"approver": submitted.approver.name}
        )
        return redirect("founding:detail", pk=application.pk)
    application.refresh_from_db()
    context = _detail_context(request, application, submit_error=error)
    return render(request, "founding/detail.html", context)


@login_required
@require_POST
def withdraw(request, pk):
    application = _application(request, pk, "founding.edit")
    _done, error = _attempt(lambda: services.withdraw(application.pk, by=request.user))
    if error is not None:
        messages.error(request, error.message)
    else:
        messages.success(request, _("申请已撤回，筹备中的科协不再成立。"))
    return redirect("founding:detail", pk=application.pk)


@login_required
@require_POST
def review(request, pk, action):
    if action not in REVIEW_ACTIONS:
        raise NotFound(_("没有这个审核操作。"))
    application = _application(request, pk, "founding.review")
    form = ReviewForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("comment", "")
    result, error = _attempt(lambda: REVIEW_ACTIONS[action](application.pk, request.user, comment), form)
    if error is None:
        messages.success(request, str(REVIEW_DONE[action]) % {"number": result.approval_number})
    if error is None or error.field != "comment":  # e.g. not allowed in this state: the reason on top
        if error is not None:
            messages.error(request, error.message)
        return redirect("founding:detail", pk=application.pk)
    application.refresh_from_db()
    context = _detail_context(request, application, review_form=form, review_action=action)
    return render(request, "founding/detail.html", context)


# --- editing the dossier -------------------------------------------------------------------------------


def _page(request, template, application, **context):
    """An edit page: shown again with its errors (status 200, so htmx swaps it in place)."""
    context.setdefault("app", application)
    context.setdefault("can_edit", _can_edit(request.user, application))
    return render(request, template, context)


@login_required
def edit(request, pk):
    application = _application(request, pk, "founding.edit")
    initial = {
        "name": application.association.name,
        "contact_name": application.contact_name,
        "party_organization": application.party_organization,
        "preparatory_report": application.preparatory_report,
    }
    form = DossierForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        _saved, error = _attempt(
            lambda: services.update_dossier(application.pk, by=request.user, data=data), form
        )
        if error is None:
            messages.success(request, _("筹建材料已保存。"))
            return redirect("founding:detail", pk=application.pk)
    masked = mask_phone(application.contact_phone)
    return _page(request, "founding/edit.html", application, form=form, masked_phone=masked)


def _group_page(request, application, formset, leader: str, stored: dict, error=None):
    """Each row with the masked stored phone it would keep when its phone is left empty."""
    rows = []
    for form in formset.forms:
        member = form["member"].value()
        kept = stored.get(int(member)) if str(member or "").isdigit() else None
        rows.append({"form": form, "masked": mask_phone(kept.phone) if kept else ""})
    context = {"formset": formset, "rows": rows, "leader": leader, "error": error}
    return _page(request, "founding/group.html", application, **context)


@login_required
def group(request, pk):
    """The preparatory group as repeated rows; "add a row" re-renders with one more (htmx swaps the
    form in place, without JS the page reloads); exactly one row is the leader (a radio)."""
    application = _application(request, pk, "founding.edit")
    stored = {m.pk: m for m in application.group_members.all()}
    if request.method != "POST":
        initial = [{"member": m.pk, "name": m.name, "position": m.position} for m in stored.values()]
        leader = next((str(i) for i, m in enumerate(stored.values()) if m.is_leader), "0")
        return _group_page(request, application, GroupFormSet(initial=initial or [{}]), leader, stored)
    formset = GroupFormSet(request.POST)
    leader = request.POST.get("leader", "")
    if not formset.is_valid():
        return _group_page(request, application, formset, leader, stored)
    if "add_row" in request.POST:
        more = GroupFormSet(initial=[*(form.cleaned_data for form in formset.forms), {}])
        return _group_page(request, application, more, leader, stored)
    rows = []
    for index, form in enumerate(formset.forms):
        if form.is_blank():
            continue
        data = form.cleaned_data
        kept = stored.get(data.get("member"))
        rows.append(
            {
                "name": data["name"],
                "position": data["position"],
                "phone": data["phone"] or (kept.phone if kept else ""),
                "is_leader": str(index) == leader,
            }
        )
    _saved, error = _attempt(
        lambda: services.set_group_members(application.pk, by=request.user, members=rows)
    )
    if error is not None:
        return _group_page(request, application, formset, leader, stored, error)
    messages.success(request, _("筹备组成员已保存。"))
    return redirect("founding:detail", pk=application.pk)


@login_required
def consent(request, pk):
    application = _application(request, pk, "founding.edit")
    form = UploadForm(_posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload is None:
            form.add_error("file", _("请选择要上传的文件。"))
        else:
            _saved, error = _attempt(
                lambda: services.upload_consent(application.pk, by=request.user, upload=upload)
            )
            if error is not None:
                form.add_error("file", error.message)
            else:
                messages.success(request, _("同意文件已上传。"))
                return redirect("founding:detail", pk=application.pk)
    return _page(request, "founding/consent.html", application, form=form)


@login_required
def consent_file(request, pk):
    """The stored consent document, to those who can see the application, always as a download."""
    application = _application(request, pk)
    if not application.consent_document:
        raise NotFound(_("尚未上传同意文件。"))
    extension = application.consent_document.name.rsplit(".", 1)[-1].lower()
    try:
        stored = application.consent_document.open("rb")
    except FileNotFoundError as exc:
        raise NotFound(_("尚未上传同意文件。")) from exc
    response = FileResponse(stored, as_attachment=True, filename=f"{_('同意文件')}.{extension}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def charter(request, pk):
    application = _application(request, pk)
    versions = list(application.charters.select_related("created_by"))
    current = versions[0] if versions else None
    shown = current
    if request.GET.get("version", "").isdigit():
        shown = next((v for v in versions if v.version == int(request.GET["version"])), None)
        if shown is None:
            raise NotFound(_("该版本不存在。"))
    form = CharterForm(_posted(request), initial={"text": current.text if current else ""})
    if request.method == "POST":
        require(request.user, "founding.edit")
        if form.is_valid():
            text = form.cleaned_data["text"]
            saved, error = _attempt(
                lambda: services.save_charter(application.pk, by=request.user, text=text), form
            )
            if error is None:
                if current is not None and saved.pk == current.pk:
                    messages.info(request, _("章程没有改动，未生成新版本。"))
                else:
                    messages.success(
                        request, _("章程已保存为第 %(version)d 版。") % {"version": saved.version}
                    )
                return redirect("founding:charter", pk=application.pk)
    context = {"form": form, "versions": versions, "current": current, "shown": shown}
    return _page(request, "founding/charter.html", application, **context)


# --- members and candidates --------------------------------------------------------------------------


def _member_rows(application) -> list[dict]:
    memberships = application.association.memberships.filter(
        status__in=[MembershipStatus.FOUNDING, MembershipStatus.APPROVED]
    ).select_related("person")
    return [{"membership": m, "person": m.person, "phone": mask_phone(m.person.phone)} for m in memberships]


@login_required
def members(request, pk):
    application = _application(request, pk)
    form = MemberForm(_posted(request))
    if request.method == "POST":
        require(request.user, "founding.edit")
        if form.is_valid():
            data = form.service_data()
            added, error = _attempt(
                lambda: services.add_founding_member(application.pk, by=request.user, data=data), form
            )
            if error is None:
                messages.success(request, _("已登记会员“%(name)s”。") % {"name": added.person.name})
                return redirect("founding:members", pk=application.pk)
    context = {"form": form, "rows": _member_rows(application)}
    return _page(request, "founding/members.html", application, **context)


@login_required
@require_POST
def member_remove(request, pk, membership_id):
    application = _application(request, pk, "founding.edit")
    _done, error = _attempt(
        lambda: services.remove_founding_member(application.pk, by=request.user, membership_id=membership_id)
    )
    if error is not None:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已从会员名单中移除。"))
    return redirect("founding:members", pk=application.pk)


@login_required
def members_import(request, pk):
    application = _application(request, pk, "founding.edit")
    form = UploadForm(_posted(request), request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload is None:
            form.add_error("file", _("请选择要上传的文件。"))
        else:
            result, error = _attempt(
                lambda: import_founding_roster(application.pk, by=request.user, upload=upload), form
            )
            if result is not None and not result.errors:
                messages.success(
                    request,
                    _("会员名单已导入：新登记 %(created)d 人，更新 %(updated)d 人。")
                    % {"created": result.created, "updated": result.updated},
                )
                return redirect("founding:members", pk=application.pk)
    context = {"form": form, "result": result}
    return _page(request, "founding/members_import.html", application, **context)


def _by_office(candidacies) -> list:
    """In the order of the candidate table: 主席, 副主席, 秘书长, 副秘书长, 常委, 委员."""
    order = {office: index for index, office in enumerate(Office.values)}
    return sorted(candidacies, key=lambda c: (order.get(c.office, len(order)), c.pk))


def _candidate_rows(application) -> list[dict]:
    return [
        {"candidacy": c, "person": c.person, "phone": mask_phone(c.person.phone)}
        for c in _by_office(application.candidacies.select_related("person"))
    ]


@login_required
def candidates(request, pk):
    application = _application(request, pk)
    people = [
        m.person
        for m in application.association.memberships.filter(status=MembershipStatus.FOUNDING).select_related(
            "person"
        )
    ]
    form = CandidacyForm(_posted(request), people=people)
    if request.method == "POST":
        require(request.user, "founding.edit")
        if form.is_valid():
            person, office = form.cleaned_data["person"], form.cleaned_data["office"]
            if not person:
                form.add_error("person", _("请选择候选人。"))
            elif not office:
                form.add_error("office", _("请选择拟任职务。"))
            else:
                _saved, error = _attempt(
                    lambda: services.set_candidacy(
                        application.pk, by=request.user, person_id=int(person), office=office
                    ),
                    form,
                )
                if error is None:
                    messages.success(request, _("候选人已提名。"))
                    return redirect("founding:candidates", pk=application.pk)
    context = {
        "form": form,
        "rows": _candidate_rows(application),
        "warnings": checks.candidate_warnings(application),
    }
    return _page(request, "founding/candidates.html", application, **context)


@login_required
@require_POST
def candidate_remove(request, pk, candidacy_id):
    application = _application(request, pk, "founding.edit")
    _done, error = _attempt(
        lambda: services.remove_candidacy(application.pk, by=request.user, candidacy_id=candidacy_id)
    )
    if error is not None:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已取消该候选人提名。"))
    return redirect("founding:candidates", pk=application.pk)


# --- founding congress and filing ----------------------------------------------------------------------


def _congress_people(application):
    people = [
        m.person
        for m in application.association.memberships.filter(status=MembershipStatus.FOUNDING).select_related(
            "person"
        )
    ]
    nominated: dict[int, list[str]] = {}
    for person_id, office in application.candidacies.values_list("person_id", "office"):
        nominated.setdefault(person_id, []).append(office)
    return people, nominated


def _default_rows(people, nominated) -> tuple[list[dict], list[dict]]:
    committee = [{"person": p, "candidate": p.pk in nominated} for p in people]
    order = [value for value, _label in OFFICER_CHOICES if value]
    officers = []
    for p in people:
        offices = [o for o in order if o in nominated.get(p.pk, [])]
        officers.append({"person": p, "office": offices[0] if offices else ""})
    return committee, officers


@login_required
def congress(request, pk):
    application = _application(request, pk)
    recorded = getattr(application, "congress", None) if application.state in CONGRESS_OR_LATER else None
    people, nominated = _congress_people(application)
    form = CongressForm(
        _posted(request),
        initial={"members_total": len(people), "approval_read": True, "charter_adopted": True},
    )
    committee_shown, officers_shown = _default_rows(people, nominated)
    if request.method == "POST":
        require(request.user, "founding.edit")
        committee, committee_shown = vote_rows(request.POST, people, "committee", with_office=False)
        officers, officers_shown = vote_rows(request.POST, people, "officers", with_office=True)
        for row in committee_shown:
            row["candidate"] = row["person"].pk in nominated
        if form.is_valid():
            data = form.service_data()
            _saved, error = _attempt(
                lambda: services.record_congress(
                    application.pk, by=request.user, data=data, committee=committee, officers=officers
                ),
                form,
            )
            if error is None:
                messages.success(request, _("成立大会已登记，请报送备案。"))
                return redirect("founding:detail", pk=application.pk)
    context = {
        "form": form,
        "recorded": recorded,
        "results": recorded.results.select_related("person") if recorded else [],
        "committee_rows": committee_shown,
        "officer_rows": officers_shown,
        "officer_choices": OFFICER_CHOICES,
        "can_record": has_perm(request.user, "founding.edit") and application.state == State.APPROVED,
    }
    return _page(request, "founding/congress.html", application, **context)


@login_required
@require_POST
def submit_filing(request, pk):
    application = _application(request, pk, "founding.edit")
    filings, error = _attempt(lambda: services.submit_filing(application.pk, by=request.user))
    if error is not None:
        messages.error(request, error.message)
    else:
        names = join(f.get_recipient_display() for f in filings)
        messages.success(request, _("已报送备案：%(recipients)s。") % {"recipients": names})
    return redirect("founding:detail", pk=application.pk)


@login_required
def history(request, pk):
    application = _application(request, pk)
    return render(
        request, "founding/history.html", {"app": application, **history_page(request, application)}
    )


# --- filings inbox ----------------------------------------------------------------------------------


@login_required
def filings(request):
    require(request.user, "filing.view")
    pending_only = request.GET.get("pending") == "1"
    page_obj = paginate(request, selectors.filing_inbox(request.user, pending_only=pending_only))
    for filing in page_obj:
        filing.can_ack = filing.acknowledged_at is None and may_acknowledge(request.user, filing)
    pending = selectors.filing_inbox(request.user, pending_only=True).count()
    context = {
        "page_obj": page_obj,
        "pending_only": pending_only,
        "pending": pending,
        # The dossier (and its filing form) is open to those who may view founding files.
        "can_open": has_perm(request.user, "founding.view"),
    }
    return render(request, "founding/filings.html", context)


@login_required
@require_POST
def acknowledge_filing(request, pk):
    require(request.user, "filing.acknowledge")
    filing = get_filing_for_user(request.user, pk)
    _done, error = _attempt(lambda: services.acknowledge_filing(filing.pk, by=request.user))
    if error is not None:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("已确认“%(name)s”的成立备案。") % {"name": filing.application.association.name}
        )
    return redirect("founding:filings")


# --- routing rules -----------------------------------------------------------------------------------


@login_required
def routing_rules(request):
    require(request.user, "routing.configure")
    provinces = list(configurable_provinces(request.user))
    form = RoutingRuleForm(_posted(request), provinces=provinces)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        priority = data["priority"] if data["priority"] is not None else 100
        _rule, error = _attempt(
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
