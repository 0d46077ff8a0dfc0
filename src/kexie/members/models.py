from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kexie.core import crypto
from kexie.core.masking import mask_id_number
from kexie.core.models import Job

from .enums import Degree, Education, MembershipStatus, Office, Political, Sex, TitleLevel


class Person(models.Model):
    """An S&T worker: one identity across all the associations they belong to.

    The ID number is never stored in clear: ``id_number`` is a property that writes the AES-GCM
    ciphertext, a keyed digest (to find and match people by it) and the mask shown in lists.
    """

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
    id_cipher = models.TextField(_("身份证号（密文）"), blank=True, editable=False)
    # Matched within one association's people (roster imports), never looked up across the platform:
    # no index (on 100,000 random keys it costs more than the rows it would find).
    id_digest = models.CharField(max_length=64, blank=True, editable=False)
    id_masked = models.CharField(_("身份证号"), max_length=18, blank=True, editable=False)
    ethnicity = models.CharField(_("民族"), max_length=10, blank=True)
    degree = models.CharField(_("学位"), max_length=10, choices=Degree.choices, blank=True)
    school = models.CharField(_("毕业院校"), max_length=100, blank=True)
    major = models.CharField(_("所学专业"), max_length=100, blank=True)
    title_series = models.CharField(_("职称系列"), max_length=50, blank=True)
    department = models.CharField(_("部门"), max_length=100, blank=True)
    specialty = models.CharField(_("专业特长"), max_length=200, blank=True)
    achievements = models.TextField(_("主要科技成果"), blank=True)
    societies = models.CharField(_("已加入的学会"), max_length=200, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    user = models.OneToOneField(
        "accounts.User",
        verbose_name=_("平台账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    consented_at = models.DateTimeField(_("同意个人信息处理的时间"), null=True, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("工作单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        db_index=False,  # nothing looks people up by employer; enterprises are not deleted
    )
    # The audit entry of the roster import that created this person (one entry per import, not one
    # per person: docs/decisions/0004-roster-import-writes-while-judging.md); shown in their history.
    import_entry = models.ForeignKey(
        "core.AuditEntry",
        verbose_name=_("导入记录"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.DO_NOTHING,  # audit entries are never deleted
        db_constraint=False,
        db_index=False,
        related_name="+",
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
    def id_number(self) -> str:
        """The ID number in clear (decrypted on access; never put it in a URL or a log)."""
        return crypto.decrypt(self.id_cipher)

    @id_number.setter
    def id_number(self, value: str) -> None:
        value = (value or "").upper()
        self.id_cipher = crypto.encrypt(value)
        self.id_digest = crypto.digest(value)
        self.id_masked = mask_id_number(value)

    @property
    def age(self) -> int | None:

        if len(self.birth_month) != 7:
            return None
        year, month = int(self.birth_month[:4]), int(self.birth_month[5:])
        today = timezone.localdate()
        return today.year - year - (1 if today.month < month else 0)


class Membership(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    # Indexed by membership_assoc_status_idx (association first): no index of its own.
    association = models.ForeignKey(
        "associations.Association", on_delete=models.PROTECT, related_name="memberships", db_index=False
    )
    status = models.CharField(_("状态"), max_length=16, choices=MembershipStatus.choices)
    joined_on = models.DateField(_("入会日期"), null=True, blank=True)
    left_on = models.DateField(_("离会日期"), null=True, blank=True)
    applied_at = models.DateTimeField(_("申请时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # only a deleted user's rows are looked up by it (users are deactivated instead)
    )
    note = models.CharField(_("说明"), max_length=500, blank=True, help_text=_("驳回、退会或转出的原因"))
    transferred_to = models.ForeignKey(
        "self",
        verbose_name=_("转入的会员资格"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transferred_from",
        db_index=False,  # a partial index below: most memberships were never transferred
    )
    # NULL until the card is first given (unique among the codes given: the constraint below).
    card_code = models.CharField(_("会员证验证码"), max_length=16, null=True, blank=True)  # noqa: DJ001
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
            ),
            # Partial: imported members get their card code when they first open the card.
            models.UniqueConstraint(
                fields=["card_code"], condition=Q(card_code__isnull=False), name="membership_card_code_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["association", "status"], name="membership_assoc_status_idx"),
            models.Index(
                fields=["transferred_to"],
                condition=Q(transferred_to__isnull=False),
                name="membership_transferred_to_idx",
            ),
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


class RosterJob(Job):
    """One import or export of an association's 会员汇总表 (``members.roster``); its subject is the
    association."""

    TOPIC = "roster"

    class Meta:
        proxy = True
        verbose_name = pgettext_lazy("model", "会员名单任务")
        verbose_name_plural = pgettext_lazy("model plural", "会员名单任务")

    @property
    def association_id(self) -> int | None:
        return self.subject_id

    @property
    def association(self):
        return self.subject
