from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kexie.members.enums import Office

from .enums import DissolutionState, ReportKind, ReportStatus


class WorkReport(models.Model):
    """A yearly work plan or summary (年度工作计划/总结) sent to the supervising 科协."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.PROTECT, related_name="work_reports"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("类型"), max_length=10, choices=ReportKind.choices)
    due_on = models.DateField(_("报送期限"))
    text = models.TextField(_("内容"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("报送时间"), auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("审阅时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(_("审阅意见"), blank=True)

    class Meta:
        ordering = ["-year", "kind"]
        verbose_name = pgettext_lazy("model", "年度计划/总结")
        verbose_name_plural = pgettext_lazy("model plural", "年度计划/总结")
        constraints = [
            models.UniqueConstraint(fields=["association", "year", "kind"], name="one_report_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.association} {self.year} {self.get_kind_display()}"


class OfficerChange(models.Model):
    """An officer replaced between congresses (recorded, audited, filed with the supervising 科协)."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.PROTECT, related_name="officer_changes"
    )
    office = models.CharField(_("职务"), max_length=30, choices=Office.choices)
    previous = models.ForeignKey("members.OfficeTerm", null=True, on_delete=models.PROTECT, related_name="+")
    successor = models.ForeignKey("members.OfficeTerm", on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("决定日期"))
    reason = models.CharField(_("变更原因"), max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(_("备案确认时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = pgettext_lazy("model", "负责人变更")
        verbose_name_plural = pgettext_lazy("model plural", "负责人变更")

    def __str__(self) -> str:
        return f"{self.association} {self.get_office_display()}"


class Renewal(models.Model):
    """A re-election congress (换届): a new term for the committee and the officers."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.PROTECT, related_name="renewals"
    )
    held_on = models.DateField(_("换届大会日期"))
    members_total = models.PositiveIntegerField(_("应到会员"))
    members_present = models.PositiveIntegerField(_("实到会员"))
    term_end = models.DateField(_("本届任期至"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on"]
        verbose_name = pgettext_lazy("model", "换届")
        verbose_name_plural = pgettext_lazy("model plural", "换届")

    def __str__(self) -> str:
        return f"{self.association} {self.held_on}"


class Dissolution(models.Model):
    """撤销/注销: proposed by the committee, decided by the congress, approved by the supervising 科协."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.PROTECT, related_name="dissolutions"
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=DissolutionState.choices, default=DissolutionState.PROPOSED
    )
    reason = models.TextField(_("撤销理由"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    congress_on = models.DateField(_("会员大会日期"), null=True, blank=True)
    members_present = models.PositiveIntegerField(_("实到会员"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("赞成票"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        verbose_name = pgettext_lazy("model", "撤销")
        verbose_name_plural = pgettext_lazy("model plural", "撤销")
        constraints = [
            models.UniqueConstraint(
                fields=["association"],
                condition=Q(state__in=["proposed", "decided"]),
                name="one_open_dissolution",
            )
        ]

    def __str__(self) -> str:
        return f"{self.association} {self.get_state_display()}"
