from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    PLAN = "plan", _("年度工作计划")
    SUMMARY = "summary", _("年度工作总结")


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已报送")
    ACCEPTED = "accepted", _("已审阅")
    RETURNED = "returned", _("退回修改")


class ReportAction(models.TextChoices):
    SUBMIT = "submit", _("报送")
    ACCEPT = "accept", _("审阅通过")
    RETURN = "return", _("退回修改")


# A report is made by sending it: the empty state is "not sent yet".
NOT_SENT = ""

# (action, from state) -> to state; ``services.set_report_status`` is the only way a report's status
# changes. A returned report is sent again (the same row, with its new text).
REPORT_TRANSITIONS: dict[tuple[str, str], str] = {
    (ReportAction.SUBMIT, NOT_SENT): ReportStatus.SUBMITTED,
    (ReportAction.SUBMIT, ReportStatus.RETURNED): ReportStatus.SUBMITTED,
    (ReportAction.ACCEPT, ReportStatus.SUBMITTED): ReportStatus.ACCEPTED,
    (ReportAction.RETURN, ReportStatus.SUBMITTED): ReportStatus.RETURNED,
}


class DissolutionState(models.TextChoices):
    PROPOSED = "proposed", _("委员会已提议")
    DECIDED = "decided", _("会员大会已决定")
    APPROVED = "approved", _("已批准撤销")
    WITHDRAWN = "withdrawn", _("已撤回")


class DissolutionAction(models.TextChoices):
    DECIDE = "decide", _("会员大会决定撤销")
    APPROVE = "approve", _("批准撤销")
    WITHDRAW = "withdraw", _("撤回撤销程序")


# ``services.move_dissolution`` is the only way a dissolution's state changes (proposing makes one).
DISSOLUTION_TRANSITIONS: dict[tuple[str, str], str] = {
    (DissolutionAction.DECIDE, DissolutionState.PROPOSED): DissolutionState.DECIDED,
    (DissolutionAction.APPROVE, DissolutionState.DECIDED): DissolutionState.APPROVED,
    (DissolutionAction.WITHDRAW, DissolutionState.PROPOSED): DissolutionState.WITHDRAWN,
    (DissolutionAction.WITHDRAW, DissolutionState.DECIDED): DissolutionState.WITHDRAWN,
}
