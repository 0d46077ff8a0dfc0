from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .enums import Action, ReportState


class StatReport(models.Model):
    """One yearly organisation table (AK表1-1) filed by a local 科协 for its region."""

    association = models.ForeignKey(
        "associations.Association",
        verbose_name=_("填报单位"),
        on_delete=models.PROTECT,
        related_name="stat_reports",
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("地区"), on_delete=models.PROTECT, related_name="stat_reports"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    state = models.CharField(_("状态"), max_length=12, choices=ReportState.choices, default=ReportState.DRAFT)
    due_on = models.DateField(_("报送期限"))
    head_name = models.CharField(_("单位负责人"), max_length=50, blank=True)
    preparer_name = models.CharField(_("填表人"), max_length=50, blank=True)
    preparer_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    submitted_at = models.DateTimeField(_("报出时间"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("首次报送时间"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    comment = models.TextField(_("审核意见"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "region_id"]
        verbose_name = pgettext_lazy("model", "组织建设年报")
        verbose_name_plural = pgettext_lazy("model plural", "组织建设年报")
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="one_stat_report_per_region_year")
        ]
        indexes = [models.Index(fields=["year", "state"], name="statreport_year_state_idx")]

    def __str__(self) -> str:
        return f"{self.association} {self.year}"


class StatCell(models.Model):
    """One figure of a table: what the platform prefilled, what was filed, and why they differ."""

    report = models.ForeignKey(StatReport, on_delete=models.CASCADE, related_name="cells")
    code = models.CharField(_("栏目代码"), max_length=4)
    prefilled = models.PositiveIntegerField(_("平台预填值"))
    filed = models.PositiveIntegerField(_("填报值"))
    reason = models.CharField(_("修改原因"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("修改时间"), null=True, blank=True)

    class Meta:
        ordering = ["report_id", "code"]
        verbose_name = pgettext_lazy("model", "年报栏目")
        verbose_name_plural = pgettext_lazy("model plural", "年报栏目")
        constraints = [models.UniqueConstraint(fields=["report", "code"], name="one_cell_per_code")]

    def __str__(self) -> str:
        return f"{self.report} {self.code}"


class ReportEvent(models.Model):
    """Every step of the workflow, with its comment: every round of review is kept."""

    report = models.ForeignKey(StatReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    from_state = models.CharField(_("原状态"), max_length=12, choices=ReportState.choices)
    to_state = models.CharField(_("新状态"), max_length=12, choices=ReportState.choices)
    comment = models.TextField(_("意见"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = pgettext_lazy("model", "年报流转记录")
        verbose_name_plural = pgettext_lazy("model plural", "年报流转记录")

    def __str__(self) -> str:
        return f"{self.report} {self.action}"
