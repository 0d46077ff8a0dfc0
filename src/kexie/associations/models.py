from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .enums import LOCAL_LEVEL_LABELS, JointKind, Kind, Status


class Association(models.Model):
    """A node of the organisation tree: local 科协 at every level, enterprise and joint 科协,
    their sub-units, and federations. ``parent`` is the supervising node."""

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, db_index=True)
    joint_kind = models.CharField(_("联建方式"), max_length=16, choices=JointKind.choices, blank=True)
    name = models.CharField(_("名称"), max_length=200)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所在地区"), on_delete=models.PROTECT, related_name="associations"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("所在企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="associations",
    )
    covered_enterprises = models.ManyToManyField(
        "enterprises.Enterprise", verbose_name=_("覆盖企业"), blank=True, related_name="joint_associations"
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)
    term_years = models.PositiveSmallIntegerField(_("任期（年）"), default=5)
    document_number_pattern = models.CharField(
        _("发文字号格式"),
        max_length=60,
        blank=True,
        help_text=_("例如 {prefix}〔{year}〕{number}号；留空则使用“地区简称+科协函”。"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region_id", "kind", "name"]
        verbose_name = pgettext_lazy("model", "组织")
        verbose_name_plural = pgettext_lazy("model plural", "组织")
        constraints = [
            models.UniqueConstraint(
                fields=["region"], condition=Q(kind="local"), name="one_local_association_per_region"
            ),
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(kind="enterprise", status__in=["preparing", "active"]),
                name="one_live_enterprise_association",
            ),
        ]
        indexes = [models.Index(fields=["kind", "region"], name="assoc_kind_region_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        if self.kind == Kind.LOCAL:
            return str(LOCAL_LEVEL_LABELS.get(self.region.level, self.get_kind_display()))
        if self.kind == Kind.JOINT and self.joint_kind:
            return self.get_joint_kind_display()
        return self.get_kind_display()
