from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kexie.core.models import Job

from .enums import FLAG_FIELDS, Industry, Ownership


class Enterprise(models.Model):
    PERSONAL_FIELDS = {"contact_phone": "phone"}

    name = models.CharField(_("企业名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("注册地"), on_delete=models.PROTECT, related_name="enterprises"
    )
    ownership = models.CharField(
        _("所有制"), max_length=20, choices=Ownership.choices, default=Ownership.PRIVATE
    )
    industry = models.CharField(_("行业门类"), max_length=1, choices=Industry.choices, blank=True)
    is_high_tech = models.BooleanField(_("国家高新技术企业"), default=False)
    is_above_scale = models.BooleanField(_("规模以上"), default=False)
    is_specialized = models.BooleanField(_("专精特新"), default=False)
    is_unicorn = models.BooleanField(_("独角兽"), default=False)
    is_leading_private = models.BooleanField(_("头部民营企业"), default=False)
    employees = models.PositiveIntegerField(_("职工人数"), null=True, blank=True)
    st_workers = models.PositiveIntegerField(_("科技工作者人数"), null=True, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = pgettext_lazy("model", "企业")
        verbose_name_plural = pgettext_lazy("model plural", "企业")
        indexes = [
            models.Index(fields=["region", "ownership"], name="ent_region_own_idx"),
            models.Index(fields=["name"], name="ent_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def flags(self) -> list[str]:
        return [label for field, label in FLAG_FIELDS.items() if getattr(self, field)]


class ImportBatch(Job):
    """One uploaded enterprise list (``core.Job``): previewed first, committed at most once."""

    TOPIC = "enterprises"

    class Meta:
        proxy = True
        verbose_name = pgettext_lazy("model", "企业名单导入")
        verbose_name_plural = pgettext_lazy("model plural", "企业名单导入")

    def __str__(self) -> str:
        return gettext("企业名单导入 #%(number)s（%(file)s）") % {
            "number": self.pk,
            "file": self.original_name,
        }

    def get_status_display(self) -> str:
        if self.status == self.Status.FAILED:
            return gettext("导入失败")
        return super().get_status_display()
