from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext
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
