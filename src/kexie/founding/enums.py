"""The founding procedure as a state machine: states, actions and the one transition table."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class State(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    SUBMITTED = "submitted", _("已提交，待审核")
    PRE_REVIEW = "pre_review", _("初审中")
    RETURNED = "returned", pgettext_lazy("state", "退回修改")
    REJECTED = "rejected", pgettext_lazy("state", "不予批准")
    WITHDRAWN = "withdrawn", _("已撤回")
    APPROVED = "approved", _("已批复")
    CONGRESS_HELD = "congress_held", _("已召开成立大会")
    FILING = "filing", _("备案中")
    FILED = "filed", _("已备案")


class Action(models.TextChoices):
    SUBMIT = "submit", _("提交申请")
    PRE_REVIEW = "pre_review", _("开始初审")
    RETURN = "return", pgettext_lazy("action", "退回修改")
    REJECT = "reject", pgettext_lazy("action", "不予批准")
    APPROVE = "approve", _("批复同意")
    WITHDRAW = "withdraw", _("撤回申请")
    RECORD_CONGRESS = "record_congress", _("登记成立大会")
    SUBMIT_FILING = "submit_filing", _("报送备案")
    COMPLETE_FILING = "complete_filing", _("备案完成")


# (action, from state) -> to state. Nothing else is allowed; ``services.transition`` enforces it.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Action.SUBMIT, State.DRAFT): State.SUBMITTED,
    (Action.SUBMIT, State.RETURNED): State.SUBMITTED,
    (Action.PRE_REVIEW, State.SUBMITTED): State.PRE_REVIEW,
    (Action.RETURN, State.SUBMITTED): State.RETURNED,
    (Action.RETURN, State.PRE_REVIEW): State.RETURNED,
    (Action.REJECT, State.SUBMITTED): State.REJECTED,
    (Action.REJECT, State.PRE_REVIEW): State.REJECTED,
    (Action.APPROVE, State.SUBMITTED): State.APPROVED,
    (Action.APPROVE, State.PRE_REVIEW): State.APPROVED,
    (Action.WITHDRAW, State.DRAFT): State.WITHDRAWN,
    (Action.WITHDRAW, State.RETURNED): State.WITHDRAWN,
    (Action.RECORD_CONGRESS, State.APPROVED): State.CONGRESS_HELD,
    (Action.SUBMIT_FILING, State.CONGRESS_HELD): State.FILING,
    (Action.COMPLETE_FILING, State.FILING): State.FILED,
}

# States in which the preparatory group may still edit its dossier.
EDITABLE = frozenset({State.DRAFT, State.RETURNED})
# States waiting for the approving 科协.
AWAITING_REVIEW = frozenset({State.SUBMITTED, State.PRE_REVIEW})
# States after which the application is over, one way or the other.
CLOSED = frozenset({State.REJECTED, State.WITHDRAWN, State.FILED})


class TargetLevel(models.TextChoices):
    COUNTY = "county", _("县级科协")
    CITY = "city", _("市级科协")
    PROVINCE = "province", _("省级科协")


class Recipient(models.TextChoices):
    KEXIE = "kexie", _("同级科协")
    SASAC = "sasac", _("国资监管机构")
    ACFIC = "acfic", _("工商联")


class CongressStage(models.TextChoices):
    COMMITTEE = "committee", _("成立大会选举委员会")
    OFFICERS = "officers", _("委员会第一次会议选举负责人")
