"""Submission (routed by the province's rules), review by the approving 科协 (pre-review, return
with comments, rejection, approval with a 批复 number) and withdrawal."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kexie.associations.enums import Status
from kexie.associations.services import set_association_status
from kexie.core.errors import DomainError, Forbidden
from kexie.core.i18n import sentences, stored_language
from kexie.core.notify import notify

from .. import checks, numbering, routing
from ..enums import Action
from ..models import FoundingApplication
from ..permissions import may_review
from .base import check_transition, detail_url, locked, reviewers, secretaries, transition


@transaction.atomic
def submit(pk, *, by) -> FoundingApplication:
    application = locked(by, pk, "founding.edit")
    check_transition(application, Action.SUBMIT)  # the state first: a filed dossier is not "incomplete"
    problems = checks.submission_problems(application)
    if problems:
        raise DomainError(
            gettext("申请材料不完整：%(problems)s") % {"problems": sentences(problems)},
            field="submission",
            code="incomplete",
        )
    route = routing.route_for(application.enterprise)
    application.approver = route.approver
    application.route_reason = route.reason
    application.round += 1
    application.submitted_at = timezone.now()
    transition(application, Action.SUBMIT, by=by)
    with stored_language():
        notify(
            reviewers(route.approver),
            text=gettext("“%(name)s”提交了成立申请（第%(round)d次），请审核。")
            % {"name": application.association.name, "round": application.round},
            url=detail_url(application),
        )
    return application


def _review(pk, by, action: str) -> FoundingApplication:
    """The application, locked, if ``action`` is allowed now and ``by`` reviews for its approver."""
    application = locked(by, pk, "founding.review")
    check_transition(application, action)
    if not may_review(by, application):
        approver = application.approver
        raise Forbidden(
            gettext("该申请由%(approver)s审批，您无权审核。")
            % {"approver": approver.name if approver else ""}
        )
    return application


@transaction.atomic
def start_pre_review(pk, *, by) -> FoundingApplication:
    application = _review(pk, by, Action.PRE_REVIEW)
    transition(application, Action.PRE_REVIEW, by=by)
    return application


@transaction.atomic
def return_application(pk, *, by, comment: str) -> FoundingApplication:
    comment = (comment or "").strip()
    if not comment:
        raise DomainError(gettext("退回时须写明需要修改的内容。"), field="comment")
    application = _review(pk, by, Action.RETURN)
    transition(application, Action.RETURN, by=by, comment=comment)
    with stored_language():
        notify(
            secretaries(application),
            text=gettext("“%(name)s”的成立申请被退回修改：%(comment)s")
            % {"name": application.association.name, "comment": comment},
            url=detail_url(application),
        )
    return application


@transaction.atomic
def reject(pk, *, by, reason: str) -> FoundingApplication:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(gettext("不予批准时须写明理由。"), field="comment")
    application = _review(pk, by, Action.REJECT)
    application.decided_at = timezone.now()
    transition(application, Action.REJECT, by=by, comment=reason)
    set_association_status(
        application.association, Status.ABANDONED, by=by, reason=f"成立申请未获批准：{reason}"
    )
    with stored_language():
        notify(
            secretaries(application),
            text=gettext("“%(name)s”的成立申请未获批准：%(reason)s")
            % {"name": application.association.name, "reason": reason},
            url=detail_url(application),
        )
    return application


@transaction.atomic
def approve(pk, *, by, note: str = "", on: datetime.date | None = None) -> FoundingApplication:
    application = _review(pk, by, Action.APPROVE)  # checked before a number is taken
    on = on or timezone.localdate()
    approver = application.approver
    assert approver is not None  # routed when it was submitted
    application.approval_number = numbering.next_number(approver, on)
    application.approval_date = on
    application.approval_note = (note or "").strip()
    application.decided_at = timezone.now()
    transition(application, Action.APPROVE, by=by, comment=application.approval_number)
    with stored_language():
        notify(
            secretaries(application),
            text=gettext("“%(name)s”的成立申请已批复（%(number)s），请筹备召开成立大会。")
            % {"name": application.association.name, "number": application.approval_number},
            url=detail_url(application),
        )
    return application


@transaction.atomic
def withdraw(pk, *, by) -> FoundingApplication:
    application = locked(by, pk, "founding.edit")
    transition(application, Action.WITHDRAW, by=by)
    set_association_status(application.association, Status.ABANDONED, by=by, reason="筹备组撤回成立申请")
    return application
