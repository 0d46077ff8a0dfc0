"""Background tasks (django-tasks; the database backend's worker runs them: ``kexie db_worker``).

Each task takes the job's id only and records its outcome on the job, so a failure is shown on the
page instead of being lost in the worker's log.
"""

from __future__ import annotations

import logging

from django_tasks import task

from . import roster

logger = logging.getLogger(__name__)


def _guarded(run, job_id: int) -> None:
    try:
        run(job_id)
    except Exception as exc:
        logger.exception("roster job %s failed", job_id)
        from .models import RosterJob

        job = RosterJob.objects.filter(pk=job_id).first()
        if job is not None:
            roster._failed(job, exc)


@task()
def preview_roster(job_id: int) -> None:
    _guarded(roster.run_preview, job_id)


@task()
def commit_roster(job_id: int) -> None:
    _guarded(roster.run_commit, job_id)


@task()
def export_roster(job_id: int) -> None:
    _guarded(roster.run_export, job_id)
