"""Background tasks of the roster jobs (django-tasks; the database backend's worker runs them:
``kexie db_worker``). Each takes the job's id only and records its outcome on the job
(``core.jobs.guarded``), so a failure is shown on the page instead of being lost in the worker's log.
"""

from __future__ import annotations

from django_tasks import task

from kexie.core.jobs import guarded

from . import jobs


@task()
def preview_roster(job_id: int) -> None:
    guarded(jobs.run_preview, job_id)


@task()
def commit_roster(job_id: int) -> None:
    guarded(jobs.run_commit, job_id)


@task()
def export_roster(job_id: int) -> None:
    guarded(jobs.run_export, job_id)
