from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    PLAN = "plan", _("年度工作计划")
    SUMMARY = "summary", _("年度工作总结")


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已报送")
    ACCEPTED = "accepted", _("已审阅")
    RETURNED = "returned", _("退回修改")


class DissolutionState(models.TextChoices):
    PROPOSED = "proposed", _("委员会已提议")
    DECIDED = "decided", _("会员大会已决定")
    APPROVED = "approved", _("已批准撤销")
    WITHDRAWN = "withdrawn", _("已撤回")


DISSOLUTION_TRANSITIONS = {
    ("decide", DissolutionState.PROPOSED): DissolutionState.DECIDED,
    ("approve", DissolutionState.DECIDED): DissolutionState.APPROVED,
    ("withdraw", DissolutionState.PROPOSED): DissolutionState.WITHDRAWN,
    ("withdraw", DissolutionState.DECIDED): DissolutionState.WITHDRAWN,
}
