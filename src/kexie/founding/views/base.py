"""What every founding page shares: the steps of the progress bar, the application in reach,
running a service for a form, the page frame of the dossier."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext_lazy

from kexie.accounts.permissions import has_perm, require
from kexie.core.forms import attempt, put_error
from kexie.core.masking import mask_phone
from kexie.members.enums import Office

from .. import checks, documents, selectors, services
from ..enums import AWAITING_REVIEW, CLOSED, EDITABLE, TRANSITIONS, Action, State
from ..forms import (
    ReviewForm,
)
from ..permissions import (
    get_founding_application_for_user,
    may_review,
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


def attempt_for(call, form=None):
    """Run a service call: (result, None), or (None, error) with the error placed on ``form`` next to
    its field (or at the top)."""
    result, error = attempt(call)
    if error is not None and form is not None:
        put_error(form, error)
    return result, error


def posted(request):
    """The submitted data of a POST (even when empty: a form posted blank is still bound), else None."""
    return request.POST if request.method == "POST" else None


def application_for(request, pk, perm: str = "founding.view"):
    require(request.user, perm)
    return get_founding_application_for_user(request.user, pk)


def can_edit(user, application) -> bool:
    return has_perm(user, "founding.edit") and application.state in EDITABLE


def progress(application) -> list[dict]:
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


def documents_of(application) -> list[dict]:
    return [
        {"key": name, "label": DOCUMENT_LABELS[name], "formats": kind.formats}
        for name, kind in documents.available(application)
    ]


def events_of(application) -> list:
    events = list(application.events.select_related("actor"))
    for event in events:
        event.action_label = Action(event.action).label if event.action in Action.values else event.action
    return events


def detail_context(request, application, **extra) -> dict:
    user = request.user
    state = application.state
    approver, route_reason, route_final = selectors.route_of(application)
    can_review = may_review(user, application) and state in AWAITING_REVIEW
    can_act = has_perm(user, "founding.edit")
    filings = list(application.filings.select_related("acknowledged_by").order_by("recipient"))
    context = {
        "app": application,
        "association": application.association,
        "steps": progress(application),
        "problems": checks.submission_problems(application) if state in EDITABLE else [],
        "warnings": checks.candidate_warnings(application) if state in EDITABLE | AWAITING_REVIEW else [],
        "approver": approver,
        "route_reason": route_reason,
        "route_final": route_final,
        "events": events_of(application),
        "filings": filings,
        "group": application.group_members.all(),
        "members_count": application.association.memberships.count(),
        "candidacies": by_office(application.candidacies.select_related("person")),
        "charter": application.charters.select_related("created_by").first(),
        "congress": getattr(application, "congress", None) if state in CONGRESS_OR_LATER else None,
        "masked_phone": mask_phone(application.contact_phone),
        "documents": documents_of(application),
        "can_edit": can_edit(user, application),
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


def dossier_page(request, template, application, **context):
    """An edit page: shown again with its errors (status 200, so htmx swaps it in place)."""
    context.setdefault("app", application)
    context.setdefault("can_edit", can_edit(request.user, application))
    return render(request, template, context)


def by_office(candidacies) -> list:
    """In the order of the candidate table: 主席, 副主席, 秘书长, 副秘书长, 常委, 委员."""
    order = {office: index for index, office in enumerate(Office.values)}
    return sorted(candidacies, key=lambda c: (order.get(c.office, len(order)), c.pk))
