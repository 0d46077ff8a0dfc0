"""The founding members (one by one or from the 会员汇总表) and the candidates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.accounts.permissions import require
from kexie.core.masking import mask_phone
from kexie.members.enums import MembershipStatus

from .. import checks, services
from ..forms import (
    CandidacyForm,
    MemberForm,
    UploadForm,
)
from .base import application_for, attempt_for, by_office, dossier_page, posted


def _member_rows(application) -> list[dict]:
    memberships = application.association.memberships.filter(
        status__in=[MembershipStatus.FOUNDING, MembershipStatus.APPROVED]
    ).select_related("person")
    return [{"membership": m, "person": m.person, "phone": mask_phone(m.person.phone)} for m in memberships]


@login_required
def members(request, pk):
    application = application_for(request, pk)
    form = MemberForm(posted(request))
    if request.method == "POST":
        require(request.user, "founding.edit")
        if form.is_valid():
            data = form.service_data()
            added, error = attempt_for(
                lambda: services.add_founding_member(application.pk, by=request.user, data=data), form
            )
            if error is None:
                messages.success(request, _("已登记会员“%(name)s”。") % {"name": added.person.name})
                return redirect("founding:members", pk=application.pk)
    context = {"form": form, "rows": _member_rows(application)}
    return dossier_page(request, "founding/members.html", application, **context)


@login_required
@require_POST
def member_remove(request, pk, membership_id):
    application = application_for(request, pk, "founding.edit")
    _done, error = attempt_for(
        lambda: services.remove_founding_member(application.pk, by=request.user, membership_id=membership_id)
    )
    if error is not None:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已从会员名单中移除。"))
    return redirect("founding:members", pk=application.pk)


@login_required
def members_import(request, pk):
    application = application_for(request, pk, "founding.edit")
    form = UploadForm(posted(request), request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload is None:
            form.add_error("file", _("请选择要上传的文件。"))
        else:
            result, error = attempt_for(
                lambda: services.import_founding_roster(application.pk, by=request.user, upload=upload), form
            )
            if result is not None and not result.errors:
                messages.success(
                    request,
                    _("会员名单已导入：新登记 %(created)d 人，更新 %(updated)d 人。")
                    % {"created": result.created, "updated": result.updated},
                )
                return redirect("founding:members", pk=application.pk)
    context = {"form": form, "result": result}
    return dossier_page(request, "founding/members_import.html", application, **context)


def _candidate_rows(application) -> list[dict]:
    return [
        {"candidacy": c, "person": c.person, "phone": mask_phone(c.person.phone)}
        for c in by_office(application.candidacies.select_related("person"))
    ]


@login_required
def candidates(request, pk):
    application = application_for(request, pk)
    people = [
        m.person
        for m in application.association.memberships.filter(status=MembershipStatus.FOUNDING).select_related(
            "person"
        )
    ]
    form = CandidacyForm(posted(request), people=people)
    if request.method == "POST":
        require(request.user, "founding.edit")
        if form.is_valid():
            person, office = form.cleaned_data["person"], form.cleaned_data["office"]
            if not person:
                form.add_error("person", _("请选择候选人。"))
            elif not office:
                form.add_error("office", _("请选择拟任职务。"))
            else:
                _saved, error = attempt_for(
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
    return dossier_page(request, "founding/candidates.html", application, **context)


@login_required
@require_POST
def candidate_remove(request, pk, candidacy_id):
    application = application_for(request, pk, "founding.edit")
    _done, error = attempt_for(
        lambda: services.remove_candidacy(application.pk, by=request.user, candidacy_id=candidacy_id)
    )
    if error is not None:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已取消该候选人提名。"))
    return redirect("founding:candidates", pk=application.pk)
