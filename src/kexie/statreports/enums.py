from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")
    RETURNED = "returned", _("退回修改")
    RESUBMITTED = "resubmitted", _("已重新报送")
    ACCEPTED = "accepted", _("已审核")


class Action(models.TextChoices):
    SUBMIT = "submit", _("报送")
    RETURN = "return", _("退回")
    ACCEPT = "accept", _("审核通过")


# The one state machine of a yearly table: (action, state) → next state; nothing else is allowed.
# "submit" on a returned table is the resubmission.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Action.SUBMIT, ReportState.DRAFT): ReportState.SUBMITTED,
    (Action.SUBMIT, ReportState.RETURNED): ReportState.RESUBMITTED,
    (Action.RETURN, ReportState.SUBMITTED): ReportState.RETURNED,
    (Action.RETURN, ReportState.RESUBMITTED): ReportState.RETURNED,
    (Action.ACCEPT, ReportState.SUBMITTED): ReportState.ACCEPTED,
    (Action.ACCEPT, ReportState.RESUBMITTED): ReportState.ACCEPTED,
}

# Actions of the filing 科协 itself; the others belong to the level above.
FILER_ACTIONS = frozenset({Action.SUBMIT})
# The filer may change cells only while the table is with them.
EDITABLE_STATES = frozenset({ReportState.DRAFT, ReportState.RETURNED})
# A table counts as filed (报送) in these states.
FILED_STATES = frozenset({ReportState.SUBMITTED, ReportState.RESUBMITTED, ReportState.ACCEPTED})


class Dimension(models.TextChoices):
    """What member statistics are broken down by."""

    TITLE_LEVEL = "title_level", _("职称")
    AGE_BAND = "age_band", _("年龄段")
    SEX = "sex", _("性别")
    EDUCATION = "education", _("文化程度")


class AgeBand(models.TextChoices):
    """Age on the statistics date, in whole years (birth month counts as the birthday)."""

    UP_TO_35 = "le35", _("35岁及以下")
    FROM_36_TO_45 = "36_45", _("36—45岁")
    FROM_46_TO_55 = "46_55", _("46—55岁")
    OVER_55 = "gt55", _("56岁及以上")
    UNKNOWN = "unknown", _("未填出生年月")
