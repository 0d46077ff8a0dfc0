from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .enums import ContactWay, Metric, TargetStatus, TaskState


class Target(models.Model):
    """A goal set by a local 科协 (its staff) or a federation (its secretary) for its area: a scope
    of enterprises (``CoverageScope`` parameters), a metric, a value and a deadline. Progress is
    never stored: it is counted from the rows whenever it is shown."""

    title = models.CharField(_("目标名称"), max_length=200)
    owner = models.ForeignKey(
        "associations.Association", verbose_name=_("设定单位"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("地区"), on_delete=models.PROTECT, related_name="+"
    )
    scope = models.JSONField(_("企业范围"), default=dict, blank=True)
    metric = models.CharField(_("指标"), max_length=10, choices=Metric.choices)
    target_value = models.PositiveIntegerField(_("目标值"))
    start_on = models.DateField(_("起始日期"))
    deadline = models.DateField(_("截止日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=TargetStatus.choices, default=TargetStatus.OPEN
    )
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)

    class Meta:
        ordering = ["status", "deadline", "id"]
        verbose_name = pgettext_lazy("model", "建会目标")
        verbose_name_plural = pgettext_lazy("model plural", "建会目标")
        indexes = [models.Index(fields=["status", "region"], name="target_status_region_idx")]

    def __str__(self) -> str:
        return self.title


class OutreachTask(models.Model):
    """One enterprise without a 科协, handed to the local 科协 of its county to win it over.

    ``state`` holds only what people record (交办 → 已联系 → 暂不建会 / 重新跟进); the stages after
    “contacted” (筹备中, 已提交申请, 已建会) are read from the enterprise's 科协 and founding
    application (``selectors.with_stage``), so they cannot drift from the founding data."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_to = models.ForeignKey(
        "associations.Association", verbose_name=_("承办科协"), on_delete=models.PROTECT, related_name="+"
    )
    assigning_region = models.ForeignKey(
        "regions.Region", verbose_name=_("交办地区"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    target = models.ForeignKey(
        Target,
        verbose_name=_("对应目标"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    note = models.TextField(_("交办说明"), blank=True)
    due_on = models.DateField(_("办理期限"))
    state = models.CharField(_("状态"), max_length=10, choices=TaskState.choices, default=TaskState.ASSIGNED)
    decline_reason = models.CharField(_("暂不建会原因"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("交办时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = pgettext_lazy("model", "建会推动任务")
        verbose_name_plural = pgettext_lazy("model plural", "建会推动任务")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(state__in=["assigned", "contacted"]),
                name="one_open_outreach_task",
            )
        ]
        indexes = [models.Index(fields=["assigned_to", "state"], name="outreach_task_assoc_idx")]

    def __str__(self) -> str:
        return str(self.enterprise.name)


class ContactEntry(models.Model):
    """One contact with the enterprise (date, way, whom, outcome)."""

    task = models.ForeignKey(OutreachTask, on_delete=models.CASCADE, related_name="contacts")
    contacted_on = models.DateField(_("联系日期"))
    way = models.CharField(_("联系方式"), max_length=10, choices=ContactWay.choices)
    person = models.CharField(_("联系对象"), max_length=100)
    outcome = models.TextField(_("联系结果"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-contacted_on", "-id"]
        verbose_name = pgettext_lazy("model", "联系记录")
        verbose_name_plural = pgettext_lazy("model plural", "联系记录")

    def __str__(self) -> str:
        return f"{self.task} {self.contacted_on}"
