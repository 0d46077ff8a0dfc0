"""The one job table (``core.Job``) and its lifecycle (``core.jobs``): queued → running (progress) →
finished or failed, run inline or after the commit, files kept and read back; who sees a job; the
apps' proxies; and the data migrations that moved the old batches and roster jobs into it."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import Http404

from kexie.accounts.permissions import get_job_for_user, jobs_for_user
from kexie.associations.models import Association
from kexie.core import jobs
from kexie.core.errors import DomainError
from kexie.core.models import AuditEntry, Job
from kexie.core.tabular import TabularError
from kexie.enterprises.models import ImportBatch
from kexie.members.models import RosterJob

from ..factories import UserFactory


class FakeTask:
    """A task as django-tasks offers it: ``call`` runs it now, ``enqueue`` hands it to the worker."""

    def __init__(self, step):
        self.step, self.enqueued = step, []

    def call(self, job_id):
        jobs.guarded(self.step, job_id)

    def enqueue(self, job_id):
        self.enqueued.append(job_id)


def count_rows(job_id):
    job = Job.objects.get(pk=job_id)
    jobs.started(job)
    assert Job.objects.get(pk=job_id).status == Job.Status.RUNNING
    report = jobs.progress(job)
    report(2, 4)
    assert Job.objects.values_list("processed_rows", "total_rows").get(pk=job_id) == (2, 4)
    rows = jobs.read_kept(job).decode().splitlines()
    jobs.finished(
        job, Job.Status.PREVIEWED, total_rows=len(rows), processed_rows=len(rows), to_create=len(rows)
    )


def test_an_import_job_from_upload_to_its_outcome(world):
    data = jobs.read_upload(SimpleUploadedFile("名单.csv", "一\n二\n三\n".encode()))
    job = RosterJob.objects.create(
        kind=Job.Kind.IMPORT,
        subject=world.assoc_a,
        user=world.secretary,
        stored_path=jobs.keep_upload(data, folder="tests", extension=".csv"),
        original_name="名单.csv",
    )
    assert job.topic == "roster" and job.status == Job.Status.QUEUED and not job.finished
    assert job.association == world.assoc_a and job.association_id == world.assoc_a.pk
    jobs.run(FakeTask(count_rows), job, inline=True)
    job.refresh_from_db()
    assert (job.status, job.total_rows, job.to_create, job.percent) == ("previewed", 3, 3, 100)
    assert job.finished and job.started_at <= job.finished_at
    assert job.stored_path.startswith("imports/tests/") and "名单" not in job.stored_path


def test_a_large_job_goes_to_the_worker_after_the_commit(world, django_capture_on_commit_callbacks):
    job = Job.objects.create(topic="test", kind=Job.Kind.EXPORT, user=world.secretary)
    task = FakeTask(count_rows)
    with django_capture_on_commit_callbacks(execute=True):
        jobs.run(task, job, inline=False)
        assert task.enqueued == []  # not before the job's row is committed
    assert task.enqueued == [job.pk]


def test_a_failure_is_recorded_on_the_job(world):
    job = Job.objects.create(topic="test", kind=Job.Kind.IMPORT, user=world.secretary)

    def refused(job_id):
        raise DomainError("文件中没有会员数据：表头下面的行都是空的。")

    def broken(job_id):
        raise RuntimeError("disk full")

    jobs.guarded(refused, job.pk)
    job.refresh_from_db()
    assert (job.status, job.failure) == ("failed", "文件中没有会员数据：表头下面的行都是空的。")
    jobs.guarded(broken, job.pk)
    job.refresh_from_db()
    assert job.failure == "处理失败，请稍后重试或联系管理员。" and "disk" not in job.failure
    with pytest.raises(TabularError):
        jobs.read_upload(SimpleUploadedFile("big.csv", b"x" * (settings.KEXIE_IMPORT_MAX_BYTES + 1)))


def test_an_export_job_keeps_its_result_for_its_user_only(world):
    job = Job.objects.create(topic="test", kind=Job.Kind.EXPORT, user=world.secretary)
    with pytest.raises(DomainError):
        jobs.open_result(job)  # not yet made
    path = jobs.keep_result(b"PK-file", folder="tests", extension="xlsx")
    jobs.finished(job, Job.Status.DONE, result_path=path)
    job.refresh_from_db()
    with jobs.open_result(job) as file:
        assert file.read() == b"PK-file"
    assert get_job_for_user(world.secretary, job.pk, Job) == job
    assert get_job_for_user(world.admin, job.pk, Job) == job  # platform admins see every job
    for someone in (world.county_staff, world.nobody):
        with pytest.raises(Http404):
            get_job_for_user(someone, job.pk, Job)
    assert list(jobs_for_user(world.county_staff, Job)) == []


def test_each_app_sees_only_its_own_jobs_through_its_proxy(world):
    roster = RosterJob.objects.create(kind=Job.Kind.EXPORT, subject=world.assoc_a, user=world.secretary)
    batch = ImportBatch.objects.create(kind=Job.Kind.IMPORT, status=Job.Status.FAILED, user=world.secretary)
    assert (roster.topic, batch.topic) == ("roster", "enterprises")
    assert list(jobs_for_user(world.secretary, RosterJob)) == [roster]
    assert list(jobs_for_user(world.secretary, ImportBatch)) == [batch]
    assert set(jobs_for_user(world.secretary, Job)) == {roster, batch}
    with pytest.raises(Http404):
        get_job_for_user(world.secretary, batch.pk, RosterJob)
    assert batch.get_status_display() == "导入失败" and roster.get_status_display() == "排队中"
    assert str(batch) == f"企业名单导入 #{batch.pk}（）"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("regions")
def test_the_data_migrations_move_batches_and_roster_jobs_into_the_job_table():
    """Back to the tables as they were, one row in each, then forward: the rows are jobs, the
    audit entry of the batch's import points at its job, and the old tables are gone."""

    user = UserFactory(username="mover")
    association = Association.objects.filter(kind="local").first()
    executor = MigrationExecutor(connection)
    old = [("enterprises", "0003_importbatch"), ("members", "0005_person_enterprise_unindexed")]
    executor.migrate(old)
    try:
        apps = executor.loader.project_state(old).apps
        batch = apps.get_model("enterprises", "ImportBatch").objects.create(
            user_id=user.pk, original_name="名单.xlsx", stored_path="imports/enterprises/x.xlsx",
            status="committed", total_rows=5, to_create=4, refused=1,
            errors=[{"row": 3, "column": "企业名称", "value": "", "reason": "企业名称不能为空。"}],
        )  # fmt: skip
        apps.get_model("members", "RosterJob").objects.create(
            kind="export", association_id=association.pk, user_id=user.pk, status="done",
            export_format="xlsx", total_rows=9, processed_rows=9, result_path="exports/rosters/y.xlsx",
        )  # fmt: skip
        ContentType = apps.get_model("contenttypes", "ContentType")
        batch_type, _ = ContentType.objects.get_or_create(app_label="enterprises", model="importbatch")
        apps.get_model("core", "AuditEntry").objects.create(
            action="import", content_type=batch_type, object_id=str(batch.pk), note="导入企业名单"
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    moved = ImportBatch.objects.get()
    assert (moved.status, moved.total_rows, moved.to_create, moved.refused) == ("committed", 5, 4, 1)
    assert moved.user == user and moved.errors[0]["reason"] == "企业名称不能为空。"
    roster = RosterJob.objects.get()
    assert (roster.kind, roster.status, roster.association, roster.result_path) == (
        "export",
        "done",
        association,
        "exports/rosters/y.xlsx",
    )
    entry = AuditEntry.objects.get(note="导入企业名单")
    assert entry.content_type.model_class() is Job and entry.object_id == str(moved.pk)
    tables = connection.introspection.table_names()
    assert "enterprises_importbatch" not in tables and "members_rosterjob" not in tables
