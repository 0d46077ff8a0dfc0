from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .enums import DuesStatus, Tier, UnitStatus


class UnitMember(models.Model):
    """A unit (an enterprise, or an enterprise's 科协) in a federation, in one tier.

    One row per membership: a unit that withdrew and joins again gets a new row, so the old one
    (its tier history and dues) stays as it was."""

    PERSONAL_FIELDS = {"representative_phone": "phone"}

    federation = models.ForeignKey(
        "associations.Association",
        verbose_name=_("联合会"),
        on_delete=models.PROTECT,
        related_name="unit_members",
        limit_choices_to={"kind": "federation"},
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("会员企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="federation_units",
    )
    member_association = models.ForeignKey(
        "associations.Association",
        verbose_name=_("会员科协"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="federation_units",
    )
    tier = models.CharField(_("会员层级"), max_length=10, choices=Tier.choices)
    joined_on = models.DateField(_("入会日期"))
    representative_name = models.CharField(_("单位代表"), max_length=50, blank=True)
    representative_position = models.CharField(_("代表职务"), max_length=50, blank=True)
    representative_phone = models.CharField(_("代表电话"), max_length=20, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=UnitStatus.choices, default=UnitStatus.ACTIVE)
    withdrawn_on = models.DateField(_("退会日期"), null=True, blank=True)
    withdraw_reason = models.CharField(_("退会原因"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["federation_id", "-joined_on", "-id"]
        verbose_name = pgettext_lazy("model", "单位会员")
        verbose_name_plural = pgettext_lazy("model plural", "单位会员")
        constraints = [
            models.CheckConstraint(
                condition=Q(enterprise__isnull=False, member_association__isnull=True)
                | Q(enterprise__isnull=True, member_association__isnull=False),
                name="unit_member_exactly_one_unit",
            ),
            models.UniqueConstraint(
                fields=["federation", "enterprise"],
                condition=Q(status="active", enterprise__isnull=False),
                name="one_live_unit_per_enterprise",
            ),
            models.UniqueConstraint(
                fields=["federation", "member_association"],
                condition=Q(status="active", member_association__isnull=False),
                name="one_live_unit_per_association",
            ),
        ]
        indexes = [models.Index(fields=["federation", "status", "tier"], name="fed_unit_status_tier_idx")]

    def __str__(self) -> str:
        return self.unit_name

    @property
    def unit(self):
        return self.enterprise if self.enterprise_id else self.member_association

    @property
    def unit_name(self) -> str:
        unit = self.unit
        return unit.name if unit is not None else ""

    @property
    def is_active(self) -> bool:
        return self.status == UnitStatus.ACTIVE


class TierChange(models.Model):
    """One change of a unit member's tier: the tier history."""

    unit = models.ForeignKey(UnitMember, on_delete=models.PROTECT, related_name="tier_changes")
    from_tier = models.CharField(_("原层级"), max_length=10, choices=Tier.choices)
    to_tier = models.CharField(_("新层级"), max_length=10, choices=Tier.choices)
    changed_on = models.DateField(_("变更日期"))
    reason = models.CharField(_("变更原因"), max_length=300)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_on", "-id"]
        verbose_name = pgettext_lazy("model", "层级变更")
        verbose_name_plural = pgettext_lazy("model plural", "层级变更")

    def __str__(self) -> str:
        return f"{self.unit} {self.get_from_tier_display()} → {self.get_to_tier_display()}"


class Dues(models.Model):
    """A unit member's dues (会费) for one year."""

    unit = models.ForeignKey(UnitMember, on_delete=models.PROTECT, related_name="dues")
    year = models.PositiveSmallIntegerField(_("年度"))
    amount = models.DecimalField(_("应缴金额（元）"), max_digits=12, decimal_places=2)
    status = models.CharField(
        _("缴费状态"), max_length=10, choices=DuesStatus.choices, default=DuesStatus.UNPAID
    )
    paid_on = models.DateField(_("缴费日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "unit_id"]
        verbose_name = pgettext_lazy("model", "会费")
        verbose_name_plural = pgettext_lazy("model plural", "会费")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="one_dues_per_unit_year")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"
