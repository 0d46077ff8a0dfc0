from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tier(models.TextChoices):
    """The tiers of a federation's unit members, highest first (the order of every count)."""

    CHAIR = "chair", _("理事长单位")
    STANDING = "standing", _("常务理事单位")
    COUNCIL = "council", _("理事单位")
    MEMBER = "member", _("会员单位")


TIER_ORDER = {tier: i for i, tier in enumerate(Tier.values)}


class UnitStatus(models.TextChoices):
    ACTIVE = "active", _("在册")
    WITHDRAWN = "withdrawn", _("已退会")


# A unit member's one state change: withdrawal is final for that membership (re-admission is a new one).
UNIT_TRANSITIONS: dict[tuple[str, str], str] = {("withdraw", UnitStatus.ACTIVE): UnitStatus.WITHDRAWN}


class DuesStatus(models.TextChoices):
    UNPAID = "unpaid", _("未缴")
    PAID = "paid", _("已缴")
    EXEMPT = "exempt", _("减免")


class DuesAction(models.TextChoices):
    PAY = "pay", _("登记缴费")
    EXEMPT = "exempt", _("登记减免")


DUES_TRANSITIONS: dict[tuple[str, str], str] = {
    (DuesAction.PAY, DuesStatus.UNPAID): DuesStatus.PAID,
    (DuesAction.EXEMPT, DuesStatus.UNPAID): DuesStatus.EXEMPT,
}

# The yearly dues by tier (元) used when a year's dues are generated without amounts of one's own.
DEFAULT_DUES: dict[str, Decimal] = {
    Tier.CHAIR: Decimal("20000"),
    Tier.STANDING: Decimal("10000"),
    Tier.COUNCIL: Decimal("5000"),
    Tier.MEMBER: Decimal("2000"),
}
