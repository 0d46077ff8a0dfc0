"""Pages of the roster import and export of an association: upload → preview → commit (with progress
while a large file is judged or written), the template, exports and their download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kexie.accounts.permissions import has_perm, jobs_for_user, require
from kexie.core.errors import Forbidden
from kexie.core.forms import attempt, run_action
from kexie.core.i18n import join

from ..models import Person, RosterJob
from ..permissions import get_roster_association_for_user, get_roster_job_for_user, may_export_full_roster
from . import export, importer, jobs


def _column_rows() -> list[dict]:
    return [
        {
            "label": c.label,
            "aliases": join(c.aliases),
            "required": c.required,
            "paper": c.label in export.PAPER_HEADER,
        }
        for c in importer.COLUMNS
        if c.name != "seq"
    ]


def _jobs(user, association):
    return jobs_for_user(user, RosterJob).filter(subject_id=association.pk)[:10]


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request, pk):
    require(request.user, "roster.import")
    association = get_roster_association_for_user(request.user, pk, write=True)
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("请选择要导入的文件。")
        else:
            job, refusal = attempt(lambda: jobs.start_import(association.pk, by=request.user, upload=upload))
            if refusal is not None:
                error = refusal.message
            elif job.status != RosterJob.Status.FAILED:
                return redirect("roster:job", pk=job.pk)
            else:
                error = job.failure  # judged inline: the file as a whole was refused
    context = {
        "association": association,
        "error": error,
        "columns": _column_rows(),
        "jobs": _jobs(request.user, association),
    }
    return render(request, "members/roster_import.html", context, status=400 if error else 200)


@login_required
@require_GET
def template(request):
    require(request.user, "roster.import")
    response = HttpResponse(export.build_template(), content_type=export.XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, _("会员汇总表导入模板.xlsx"))
    return response


@login_required
@require_http_methods(["GET", "POST"])
def export_page(request, pk):
    require(request.user, "roster.export")
    association = get_roster_association_for_user(request.user, pk)
    may_full = has_perm(request.user, "roster.export_full") and may_export_full_roster(
        request.user, association
    )
    if request.method == "POST":
        job = run_action(
            request,
            lambda: jobs.start_export(
                association.pk,
                by=request.user,
                fmt=request.POST.get("format", "xlsx"),
                full=request.POST.get("full") == "1",
            ),
        )
        if job is not None:
            return redirect("roster:job", pk=job.pk)
    context = {"association": association, "may_full": may_full, "jobs": _jobs(request.user, association)}
    return render(request, "members/roster_export.html", context)


def _job_for(request, pk) -> RosterJob:
    if not (has_perm(request.user, "roster.import") or has_perm(request.user, "roster.export")):
        raise Forbidden()
    return get_roster_job_for_user(request.user, pk)


def _label(name: str) -> str:
    try:
        return str(Person._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return str(importer.LABELS.get(name, name))


def _display(name: str, value) -> str:
    if value in (None, ""):
        return ""
    try:
        choices = dict(Person._meta.get_field(name).flatchoices)
    except FieldDoesNotExist:
        choices = {}
    return str(choices.get(value, value))


def _sample(job: RosterJob) -> list[dict]:
    rows = []
    for s in job.sample:
        changes = [
            {"label": _label(n), "before": _display(n, pair[0]), "after": _display(n, pair[1])}
            for n, pair in s["changes"].items()
        ]
        rows.append({**s, "changes": changes})
    return rows


@login_required
@require_GET
def job_page(request, pk):
    job = _job_for(request, pk)
    return render(request, "members/roster_job.html", {"job": job, "sample": _sample(job)})


@login_required
@require_GET
def job_progress(request, pk):
    """The polled part of the job page; once the job is finished the whole page reloads."""
    job = _job_for(request, pk)
    response = render(request, "members/roster_progress.html", {"job": job})
    if job.finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def job_commit(request, pk):
    require(request.user, "roster.import")
    job = run_action(request, lambda: jobs.commit_import(pk, by=request.user))
    if job is not None:
        if job.status == RosterJob.Status.COMMITTED:
            messages.success(request, _("导入完成。"))
        elif job.status == RosterJob.Status.FAILED:
            messages.error(request, job.failure)
    return redirect("roster:job", pk=pk)


@login_required
@require_GET
def job_download(request, pk):
    _job_for(request, pk)
    opened = run_action(request, lambda: jobs.open_result(pk, by=request.user))
    if opened is None:
        return redirect("roster:job", pk=pk)
    job, file = opened
    content_type = export.FORMATS.get(job.export_format.partition("-")[0], "application/octet-stream")
    return FileResponse(file, as_attachment=True, filename=job.original_name, content_type=content_type)


@login_required
@require_GET
def job_refused(request, pk):
    """The refused rows with their problems, to fix and import again."""
    require(request.user, "roster.import")
    made = run_action(request, lambda: jobs.refused_rows_file(pk, by=request.user))
    if made is None:
        return redirect("roster:job", pk=pk)
    _job, content = made
    response = HttpResponse(content, content_type=export.XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, _("未导入的行.xlsx"))
    return response
