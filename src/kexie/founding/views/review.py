"""Submission, withdrawal and the approving 科协's review actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.core.errors import NotFound

from .. import services
from ..forms import (
    ReviewForm,
)
from .base import REVIEW_ACTIONS, REVIEW_DONE, application_for, attempt_for, detail_context


@login_required
@require_POST
def submit(request, pk):
    application = application_for(request, pk, "founding.edit")
    submitted, error = attempt_for(lambda: services.submit(application.pk, by=request.user))
    if error is None:
        messages.success(
            request, _("申请已提交，由%(approver)s审核。") % {"approver": submitted.approver.name}
        )
        return redirect("founding:detail", pk=application.pk)
    application.refresh_from_db()
    context = detail_context(request, application, submit_error=error)
    return render(request, "founding/detail.html", context)


@login_required
@require_POST
def withdraw(request, pk):
    application = application_for(request, pk, "founding.edit")
    _done, error = attempt_for(lambda: services.withdraw(application.pk, by=request.user))
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
    application = application_for(request, pk, "founding.review")
    form = ReviewForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("comment", "")
    result, error = attempt_for(lambda: REVIEW_ACTIONS[action](application.pk, request.user, comment), form)
    if error is None:
        messages.success(request, str(REVIEW_DONE[action]) % {"number": result.approval_number})
    if error is None or error.field != "comment":  # e.g. not allowed in this state: the reason on top
        if error is not None:
            messages.error(request, error.message)
        return redirect("founding:detail", pk=application.pk)
    application.refresh_from_db()
    context = detail_context(request, application, review_form=form, review_action=action)
    return render(request, "founding/detail.html", context)
