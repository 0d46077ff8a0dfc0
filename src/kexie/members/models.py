from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .enums import Education, MembershipStatus, Office, Political, Sex, TitleLevel


class Person(models.Model):
    """An S&T worker: one identity across all the associations they belong to."""

    PERSONAL_FIELDS = {"phone": "phone", "id_number": "id_number"}

    name = models.CharField(_("姓名"), max_length=50)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices, blank=True)
    birth_month = models.CharField(_("出生年月"), max_length=7, blank=True, help_text="YYYY-MM")
    education = models.CharField(_("文化程度"), max_length=20, choices=Education.choices, blank=True)
    political = models.CharField(_("政治面貌"), max_length=20, choices=Political.choices, blank=True)
    title_level = models.CharField(_("职称"), max_length=20, choices=TitleLevel.choices, blank=True)
    title_name = models.CharField(_("职称名称"), max_length=50, blank=True)
    position = models.CharField(_("职务"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("工作单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = pgettext_lazy("model", "科技工作者")
        verbose_name_plural = pgettext_lazy("model plural", "科技工作者")

    def __str__(self) -> str:
        return self.name

    @property
    def age(self) -> int | None:
        from django.utils import timezone

        if len(self.birth_month) != 7:
            return None
        year, month = int(self.birth_month[:4]), int(self.birth_month[5:])
        today = timezone.localdate()
        return today.year - year - (1 if today.month < month else 0)


class Membership(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    association = models.ForeignKey(
        "associations.Association", on_delete=models.PROTECT, related_name="memberships"
    )
    status = models.CharField(_("状态"), max_length=16, choices=MembershipStatus.choices)
    joined_on = models.DateField(_("入会日期"), null=True, blank=True)
    left_on = models.DateField(_("离会日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["association_id", "person__name", "id"]
        verbose_name = pgettext_lazy("model", "会员资格")
        verbose_name_plural = pgettext_lazy("model plural", "会员资格")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "association"],
                condition=Q(status__in=["founding", "applied", "approved"]),
                name="one_live_membership_per_association",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.association}"


class OfficeTerm(models.Model):
    """An office held for a term, so "who was 主席 in 2023" has an answer."""

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="offices")
    office = models.CharField(_("职务"), max_length=30, choices=Office.choices)
    start = models.DateField(_("任期开始"))
    end = models.DateField(_("任期结束"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("赞成票"), null=True, blank=True)

    class Meta:
        ordering = ["start", "office"]
        verbose_name = pgettext_lazy("model", "任职")
        verbose_name_plural = pgettext_lazy("model plural", "任职")

    def __str__(self) -> str:
        return f"{self.membership.person} {self.get_office_display()}"
