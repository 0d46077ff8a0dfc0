"""Targets, the outreach task's manual states with their one transition table, and the derived stages."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Metric(models.TextChoices):
    RATE = "rate", _("覆盖率（%）")
    COVERED = "covered", _("覆盖企业数")
    FOUNDED = "founded", _("新建科协数")


class TargetStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("target", "进行中")
    CLOSED = "closed", pgettext_lazy("target", "已关闭")


class TaskState(models.TextChoices):
    """What staff record by hand. Everything after “contacted” is read from the data (``Stage``)."""

    ASSIGNED = "assigned", _("已交办")
    CONTACTED = "contacted", _("已联系")
    DECLINED = "declined", _("企业暂不建会")


class TaskAction(models.TextChoices):
    CONTACT = "contact", _("登记联系")
    DECLINE = "decline", _("登记暂不建会")
    REOPEN = "reopen", _("重新跟进")


# (action, from state) -> to state; ``services.transition`` is the only function that changes a task's state.
TASK_TRANSITIONS: dict[tuple[str, str], str] = {
    (TaskAction.CONTACT, TaskState.ASSIGNED): TaskState.CONTACTED,
    (TaskAction.DECLINE, TaskState.ASSIGNED): TaskState.DECLINED,
    (TaskAction.DECLINE, TaskState.CONTACTED): TaskState.DECLINED,
    (TaskAction.REOPEN, TaskState.DECLINED): TaskState.ASSIGNED,
}

OPEN_TASK_STATES = (TaskState.ASSIGNED, TaskState.CONTACTED)


class Stage(models.TextChoices):
    """Where a task stands: the manual state, or what the founding data says (never stored)."""

    ASSIGNED = "assigned", _("已交办")
    CONTACTED = "contacted", _("已联系")
    PREPARING = "preparing", _("筹备中")
    APPLIED = "applied", _("已提交申请")
    FOUNDED = "founded", _("已建会")
    DECLINED = "declined", _("暂不建会")


# Funnel order for the conversion table (declined is counted apart).
FUNNEL = (Stage.ASSIGNED, Stage.CONTACTED, Stage.PREPARING, Stage.APPLIED, Stage.FOUNDED)


class ContactWay(models.TextChoices):
    PHONE = "phone", _("电话")
    VISIT = "visit", _("上门走访")
    MEETING = "meeting", _("座谈会")
    MESSAGE = "message", _("函件/微信")
    OTHER = "other", _("其他")
