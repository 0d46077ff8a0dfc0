from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

# The stored actor name of a change made by no signed-in user (a command, the loader). Stored in
# Chinese like the rest of the record; pages show it translated (``AuditEntry.actor_display``).
SYSTEM_ACTOR = "系统"


class AuditEntry(models.Model):
    """One row per create, edit or state change: who, when, what, and the fields before/after.

    ``changes`` maps a field name to ``[before, after]``; personal fields are stored masked,
    so the log itself never holds a full phone or ID number.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("创建")
        UPDATE = "update", _("修改")
        STATE = "state", _("状态变更")
        DELETE = "delete", _("删除")
        IMPORT = "import", _("导入")
        REVEAL = "reveal", _("查看完整个人信息")
        EXPORT = "export", _("导出")
        LOGIN = "login", _("登录")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=255, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()} {self.object_repr}"

    @property
    def actor_display(self) -> str:
        if self.actor is not None:
            return str(self.actor)
        if self.actor_name == SYSTEM_ACTOR:
            return gettext("系统")
        return self.actor_name


class Notification(models.Model):
    """An in-app message to one user: who must act next, and where. E-mail goes out after commit."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(_("内容"), max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.text


class JobManager(models.Manager):
    """A proxy of ``Job`` that names its ``TOPIC`` sees only its own jobs."""

    def get_queryset(self):
        queryset = super().get_queryset()
        topic = self.model.TOPIC
        return queryset.filter(topic=topic) if topic else queryset


class Job(models.Model):
    """One import or export of a file: uploaded (or asked for) by a user, run inline or by the task
    worker with its progress, its outcome recorded here (``core.jobs`` runs the steps).

    An import is previewed first (counts, every refused cell, a sample of the changes; nothing
    written), then committed at most once. An export ends ``done`` with its file in the default
    storage. Uploaded files are kept under random names; ``original_name`` is only shown.
    ``errors`` holds every refused cell as ``{"row", "column", "value", "reason"}``. Each app names
    its jobs with a proxy (``TOPIC``: ``enterprises.ImportBatch``, ``members.RosterJob``) and
    ``subject`` is what the file is about (the association of a roster), when anything.
    """

    TOPIC = ""

    class Kind(models.TextChoices):
        IMPORT = "import", _("导入")
        EXPORT = "export", _("导出")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("处理中")
        PREVIEWED = "previewed", _("待确认")
        COMMITTED = "committed", _("已导入")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    FINISHED = (Status.PREVIEWED, Status.COMMITTED, Status.DONE, Status.FAILED)

    topic = models.CharField(max_length=32)
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    export_format = models.CharField(_("导出格式"), max_length=12, blank=True)
    total_rows = models.PositiveIntegerField(_("数据行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    to_create = models.PositiveIntegerField(_("新增"), default=0)
    to_update = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("无变化"), default=0)
    refused = models.PositiveIntegerField(_("拒绝"), default=0)
    errors = models.JSONField(default=list, blank=True)
    sample = models.JSONField(default=list, blank=True)
    stored_path = models.CharField(max_length=255, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    result_path = models.CharField(max_length=255, blank=True)
    failure = models.CharField(_("失败原因"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    committed_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    objects = JobManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("model", "导入导出任务")
        verbose_name_plural = pgettext_lazy("model plural", "导入导出任务")
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "-created_at"], name="job_subject_idx"),
            models.Index(fields=["user", "-created_at"], name="job_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} {self.original_name}".strip()

    def save(self, *args, **kwargs):
        if not self.topic:
            self.topic = self.TOPIC
        super().save(*args, **kwargs)

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, self.processed_rows * 100 // self.total_rows)

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED
