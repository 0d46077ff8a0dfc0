"""Running an import or export as a job (``core.Job``): keep the uploaded file, run a step inline
or through the task worker, report progress, record the outcome or the failure, keep the result.

A step is a function of the job's id (``run_preview``, ``run_commit``, ``run_export`` of an app);
the app wraps each in a django-tasks task (beside the step) that calls ``guarded``, so a failure is
shown on the job's page instead of being lost in the worker's log. Small files run inline (the
page answers with the result at once); larger ones are handed to the worker (``kexie db_worker``)
once the job's row is committed, and the page polls the job's progress with htmx.

Who sees a job (the user who started it, and platform admins) is decided where the roles are
known: ``accounts.permissions.jobs_for_user`` / ``get_job_for_user``.
"""

from __future__ import annotations

import logging
import posixpath
import uuid
from collections.abc import Callable
from contextlib import contextmanager

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext

from .errors import DomainError
from .models import Job
from .tabular import check_size

logger = logging.getLogger(__name__)
Progress = Callable[[int, int], None]


def run(task, job: Job, *, inline: bool) -> None:
    """Run ``task`` for the job now, or hand it to the worker once the job's row is committed."""
    if inline:
        task.call(job.pk)
    else:
        transaction.on_commit(lambda: task.enqueue(job.pk))


def guarded(step: Callable[[int], None], job_id: int) -> None:
    """Run a step from the worker; an unexpected error is logged and recorded as the job's failure."""
    try:
        step(job_id)
    except Exception as exc:
        logger.exception("job %s failed", job_id)
        job = Job.objects.filter(pk=job_id).first()
        if job is not None:
            failed(job, exc)


def started(job: Job) -> None:
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=timezone.now())


def failed(job: Job, exc: Exception) -> None:
    """The job ends ``failed``: a refusal says why, anything else says to try again."""
    message = exc.message if isinstance(exc, DomainError) else gettext("处理失败，请稍后重试或联系管理员。")
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.FAILED, failure=message[:500], finished_at=timezone.now()
    )


def finished(job: Job, status: str, **fields) -> None:
    """Record the outcome (counts, refusals, sample, paths…) and the time it finished."""
    Job.objects.filter(pk=job.pk).update(status=status, finished_at=timezone.now(), **fields)


def progress(job: Job) -> Progress:
    """A reporter of (rows done, rows in all) for a step that runs outside a transaction."""

    def report(done: int, total: int) -> None:
        Job.objects.filter(pk=job.pk).update(processed_rows=done, total_rows=total)

    return report


@contextmanager
def progress_outside(job: Job):
    """A reporter for a step that runs in one transaction (a commit): written through a connection
    of its own so that the polling page sees it while the transaction is still open. PostgreSQL
    only (SQLite has one writer at a time), and only for a job run by the worker: an inline step
    runs inside the request's transaction, which holds the job's row. Yields None otherwise."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield None
        return
    own = connections.create_connection(DEFAULT_DB_ALIAS)
    table = connection.ops.quote_name(Job._meta.db_table)

    def report(done: int, total: int) -> None:
        with own.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET processed_rows = %s, total_rows = %s WHERE id = %s",  # noqa: S608
                [done, total, job.pk],
            )

    try:
        yield report
    finally:
        own.close()


# --- files ------------------------------------------------------------------------------------------


def read_upload(upload) -> bytes:
    """The uploaded file's bytes, refused (``TabularError``) when larger than an import may be."""
    check_size(upload.size or 0)
    data = upload.read(settings.KEXIE_IMPORT_MAX_BYTES + 1)
    check_size(len(data))
    return data


def original_name(upload) -> str:
    """The user's file name, only ever shown."""
    return posixpath.basename(upload.name or "")[:255]


def keep_upload(data: bytes, *, folder: str, extension: str) -> str:
    """Keep an uploaded file under a random name; its path in the default storage."""
    return default_storage.save(f"imports/{folder}/{uuid.uuid4().hex}{extension}", ContentFile(data))


def read_kept(job: Job) -> bytes:
    with default_storage.open(job.stored_path, "rb") as stored:
        return stored.read()


def keep_result(content: bytes, *, folder: str, extension: str) -> str:
    return default_storage.save(f"exports/{folder}/{uuid.uuid4().hex}.{extension}", ContentFile(content))


def open_result(job: Job):
    """The finished export's file, open for reading."""
    if job.kind != Job.Kind.EXPORT or job.status != Job.Status.DONE:
        raise DomainError(gettext("导出文件尚未生成。"))
    return default_storage.open(job.result_path, "rb")
