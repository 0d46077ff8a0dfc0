"""The enterprise-list import batches move into the one job table (``core.Job``), then their own
table goes; ``ImportBatch`` stays as a proxy of ``Job``. Each batch gets a new id in the job table;
the audit entries of its import are pointed at the job. Reversing drops the batches."""

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


def move_batches(apps, schema_editor):
    ImportBatch = apps.get_model("enterprises", "ImportBatch")
    Job = apps.get_model("core", "Job")
    AuditEntry = apps.get_model("core", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    old_type = ContentType.objects.filter(app_label="enterprises", model="importbatch").first()
    job_type, _created = ContentType.objects.get_or_create(app_label="core", model="job")
    for batch in ImportBatch.objects.order_by("pk").iterator():
        job = Job.objects.create(
            topic="enterprises",
            kind="import",
            processed_rows=batch.total_rows,
            **{name: getattr(batch, name) for name in FIELDS},
        )
        Job.objects.filter(pk=job.pk).update(created_at=batch.created_at)  # auto_now_add set it to now
        if old_type is not None:
            AuditEntry.objects.filter(content_type=old_type, object_id=str(batch.pk)).update(
                content_type=job_type, object_id=str(job.pk)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0004_job"),
        ("enterprises", "0003_importbatch"),
    ]

    operations = [
        migrations.RunPython(move_batches, migrations.RunPython.noop),
        migrations.DeleteModel(name="ImportBatch"),
        migrations.CreateModel(
            name="ImportBatch",
            fields=[],
            options={
                "verbose_name": "企业名单导入",
                "verbose_name_plural": "企业名单导入",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("core.job",),
        ),
    ]
