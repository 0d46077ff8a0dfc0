"""The roster jobs move into the one job table (``core.Job``; the association becomes the job's
subject), then their own table goes; ``RosterJob`` stays as a proxy of ``Job``. Each job gets a new
id in the job table (the enterprise batches share it). Reversing drops the jobs."""

from django.db import migrations

FIELDS = (
    "user_id",
    "status",
    "total_rows",
    "to_create",
    "to_update",
    "unchanged",
    "refused",
    "errors",
    "sample",
    "stored_path",
    "original_name",
    "failure",
    "committed_at",
)

MORE = ("kind", "export_format", "processed_rows", "result_path", "started_at", "finished_at")


def move_jobs(apps, schema_editor):
    RosterJob = apps.get_model("members", "RosterJob")
    Job = apps.get_model("core", "Job")
    ContentType = apps.get_model("contenttypes", "ContentType")
    association_type, _created = ContentType.objects.get_or_create(
        app_label="associations", model="association"
    )
    for old in RosterJob.objects.order_by("pk").iterator():
        job = Job.objects.create(
            topic="roster",
            subject_type=association_type,
            subject_id=old.association_id,
            **{name: getattr(old, name) for name in (*FIELDS, *MORE)},
        )
        Job.objects.filter(pk=job.pk).update(created_at=old.created_at)  # auto_now_add set it to now


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0004_job"),
        ("members", "0005_person_enterprise_unindexed"),
    ]

    operations = [
        migrations.RunPython(move_jobs, migrations.RunPython.noop),
        migrations.DeleteModel(name="RosterJob"),
        migrations.CreateModel(
            name="RosterJob",
            fields=[],
            options={
                "verbose_name": "会员名单任务",
                "verbose_name_plural": "会员名单任务",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("core.job",),
        ),
    ]
