"""Roster jobs (``RosterJob``, a ``core.Job``): the imports and exports started from the pages, run in
the background with progress (``core.jobs``).

An import job is judged first (``previewed``: counts, every refused cell, a sample of the changes;
nothing written), then committed at most once by its user (``committed``). An export job ends
``done`` with its file in the default storage. Small files run inline (the page answers with the
result at once); larger ones are handed to the task worker (``kexie db_worker``) after the job row
is committed, and the page polls the job's progress.
"""

from __future__ import annotations

import posixpath

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks import task

from kexie.accounts.permissions import require
from kexie.core import jobs
from kexie.core.errors import DomainError, Forbidden
from kexie.core.tabular import display

from ..models import Membership, RosterJob
from ..permissions import get_roster_association_for_user, get_roster_job_for_user, may_export_full_roster
from . import export, writing
from .importer import read_roster

INLINE_EXPORT_ROWS = 5000


def _record(job: RosterJob, plan, status: str, **extra) -> None:
    """Store what reading (and, when committing, writing) the file found: counts, refusals, sample."""
    jobs.finished(
        job,
        status,
        total_rows=plan.total_rows,
        processed_rows=plan.total_rows,
        errors=plan.error_dicts(),
        sample=plan.sample_rows,
        **extra,
        **plan.counts,
    )


# --- import -----------------------------------------------------------------------------------------


def start_import(association_pk, *, by, upload) -> RosterJob:
    """Keep the uploaded file under a random name and judge it (inline when small)."""
    require(by, "roster.import")
    association = get_roster_association_for_user(by, association_pk, write=True)
    data = jobs.read_upload(upload)
    extension = posixpath.splitext(upload.name or "")[1].lower()[:8]
    job = RosterJob.objects.create(
        kind=RosterJob.Kind.IMPORT,
        subject=association,
        user=by,
        stored_path=jobs.keep_upload(data, folder="rosters", extension=extension),
        original_name=jobs.original_name(upload),
    )
    jobs.run(preview_roster, job, inline=len(data) <= settings.KEXIE_ROSTER_INLINE_BYTES)
    job.refresh_from_db()
    return job


def run_preview(job_id: int) -> None:
    job = RosterJob.objects.select_related("user").get(pk=job_id)
    jobs.started(job)
    try:
        plan = writing.import_roster(
            job.subject_id,
            by=job.user,
            data=jobs.read_kept(job),
            filename=job.stored_path,
            progress=jobs.progress(job),
        )
    except (DomainError, PermissionDenied, OSError) as exc:
        return jobs.failed(job, exc)
    _record(job, plan, RosterJob.Status.PREVIEWED)


def commit_import(job_id, *, by) -> RosterJob:
    """Write the previewed file's valid rows (judged again: the roster may have changed since)."""
    require(by, "roster.import")
    job = get_roster_job_for_user(by, job_id)
    with transaction.atomic():
        job = RosterJob.objects.select_for_update().get(pk=job.pk)
        if job.user_id != by.pk:  # the rows are written in the uploader's name: only they confirm
            raise DomainError(gettext("只有上传该名单的用户可以确认导入。"))
        if job.kind != RosterJob.Kind.IMPORT or job.status != RosterJob.Status.PREVIEWED:
            raise DomainError(
                gettext("该名单尚未预览完成，或已经导入过，不能再次提交；如需重新导入，请重新上传文件。")
            )
        if not (job.to_create or job.to_update):
            raise DomainError(gettext("该名单没有需要新增或更新的会员，无需导入。"))
        job.status = RosterJob.Status.QUEUED
        job.processed_rows = 0
        job.save(update_fields=["status", "processed_rows"])
        jobs.run(commit_roster, job, inline=job.total_rows <= INLINE_EXPORT_ROWS)
    job.refresh_from_db()
    return job


def run_commit(job_id: int) -> None:
    job = RosterJob.objects.select_related("user").get(pk=job_id)
    jobs.started(job)
    try:
        with jobs.progress_outside(job) as progress:
            plan = writing.import_roster(
                job.subject_id,
                by=job.user,
                data=jobs.read_kept(job),
                filename=job.stored_path,
                commit=True,
                progress=progress,
            )
    except (DomainError, PermissionDenied, OSError) as exc:
        return jobs.failed(job, exc)
    _record(job, plan, RosterJob.Status.COMMITTED, committed_at=timezone.now())


# --- export -----------------------------------------------------------------------------------------


def start_export(association_pk, *, by, fmt: str, full: bool = False) -> RosterJob:
    """Check who may export what before queueing; the file is built by ``run_export``."""
    if fmt not in export.FORMATS or (full and fmt != "xlsx"):
        raise DomainError(gettext("导出格式只能是 xlsx 或 docx（完整名单只能导出 xlsx）。"), field="format")
    require(by, "roster.export_full" if full else "roster.export")
    association = get_roster_association_for_user(by, association_pk)
    if full and not may_export_full_roster(by, association):
        raise Forbidden(gettext("只有本组织的秘书长可以导出含完整电话和身份证号的名单。"))
    rows = Membership.objects.filter(association=association, status__in=export.ON_ROSTER).count()
    job = RosterJob.objects.create(
        kind=RosterJob.Kind.EXPORT,
        subject=association,
        user=by,
        export_format=f"{fmt}-full" if full else fmt,
        total_rows=rows,
    )
    jobs.run(export_roster, job, inline=rows <= INLINE_EXPORT_ROWS)
    job.refresh_from_db()
    return job


def run_export(job_id: int) -> None:
    job = RosterJob.objects.select_related("user").get(pk=job_id)
    jobs.started(job)
    fmt, _dash, full = job.export_format.partition("-")
    try:
        made = export.export_roster(job.subject_id, by=job.user, fmt=fmt, full=bool(full))
        path = jobs.keep_result(made.content, folder="rosters", extension=fmt)
    except (DomainError, PermissionDenied, OSError) as exc:
        return jobs.failed(job, exc)
    jobs.finished(
        job,
        RosterJob.Status.DONE,
        result_path=path,
        original_name=made.filename[:255],
        total_rows=made.rows,
        processed_rows=made.rows,
    )


def open_result(job_id, *, by):
    """The finished export's file (its user only), as an open binary file."""
    job = get_roster_job_for_user(by, job_id)
    return job, jobs.open_result(job)


def refused_rows_file(job_id, *, by) -> tuple[RosterJob, bytes]:
    """The refused rows of an import, as they were in the file plus a 问题 column naming every bad
    cell, so that they can be fixed and imported again (rows already imported are not duplicated)."""
    job = get_roster_job_for_user(by, job_id)
    if job.kind != RosterJob.Kind.IMPORT or not job.errors:
        raise DomainError(gettext("该任务没有被拒绝的行。"))
    reasons: dict[int, list[str]] = {}
    for error in job.errors:
        reasons.setdefault(error["row"], []).append(f"{error['column']}：{error['reason']}")
    table = read_roster(jobs.read_kept(job), filename=job.stored_path)
    positions = sorted(table.positions.items(), key=lambda item: item[1])
    header = (*(table.label(name) for name, _position in positions), "问题")
    rows = (
        (*(display(cells[p]) if p < len(cells) else "" for _name, p in positions), "；".join(reasons[number]))
        for number, cells in table.raw_rows()
        if number in reasons
    )
    content, _count = export.build_xlsx(f"{job.original_name} 未导入的行", header, rows)
    return job, content


# --- the background tasks (django-tasks; the database backend's worker runs them: ``kexie db_worker``).
# Each takes the job's id only and records its outcome on the job (``core.jobs.guarded``), so a failure
# is shown on the page instead of being lost in the worker's log.


@task()
def preview_roster(job_id: int) -> None:
    jobs.guarded(run_preview, job_id)


@task()
def commit_roster(job_id: int) -> None:
    jobs.guarded(run_commit, job_id)


@task()
def export_roster(job_id: int) -> None:
    jobs.guarded(run_export, job_id)
