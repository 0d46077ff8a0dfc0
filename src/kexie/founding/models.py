import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kexie.enterprises.enums import Ownership
from kexie.members.enums import Office

from .enums import CongressStage, Recipient, State, TargetLevel


def consent_upload_to(instance, filename: str) -> str:
    # Never the user's file name in a path (ASVS V5.3.2); the extension was checked on upload.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"founding/consent/{uuid.uuid4().hex}.{extension}"


class RoutingRule(models.Model):
    """Which 科协 approves a founding application, per province. Rules are data, configured by the
    province's staff; the first matching rule by priority wins, and without a match the county 科协
    of the enterprise's registered region approves."""

    province = models.ForeignKey(
        "regions.Region", verbose_name=_("省份"), on_delete=models.PROTECT, related_name="routing_rules"
    )
    ownership = models.CharField(_("所有制"), max_length=20, choices=Ownership.choices, blank=True)
    flag = models.CharField(_("企业标签"), max_length=30, blank=True)
    target_level = models.CharField(_("审批层级"), max_length=10, choices=TargetLevel.choices)
    priority = models.PositiveSmallIntegerField(_("优先级"), default=100)
    reason = models.CharField(_("规则说明"), max_length=200)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["province_id", "priority", "id"]
        verbose_name = pgettext_lazy("model", "审批路由规则")
        verbose_name_plural = pgettext_lazy("model plural", "审批路由规则")

    def __str__(self) -> str:
        return self.reason


class FoundingApplication(models.Model):
    """One enterprise's (or joint) 科协 being founded: the dossier and where it stands."""

    PERSONAL_FIELDS = {"contact_phone": "phone"}

    association = models.OneToOneField(
        "associations.Association", on_delete=models.PROTECT, related_name="founding_application"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("牵头企业"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.DRAFT)
    approver = models.ForeignKey(
        "associations.Association",
        verbose_name=_("审批科协"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications_to_approve",
    )
    route_reason = models.CharField(_("审批路由说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    group_leader = models.CharField(_("筹备组组长"), max_length=50, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    party_organization = models.CharField(_("企业党组织"), max_length=100, blank=True)
    consent_document = models.FileField(
        _("党组织或企业管理层同意文件"), upload_to=consent_upload_to, blank=True
    )
    preparatory_report = models.TextField(_("筹备工作报告"), blank=True)
    round = models.PositiveSmallIntegerField(_("提交轮次"), default=0)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    approval_number = models.CharField(_("批复文号"), max_length=60, blank=True)
    approval_date = models.DateField(_("批复日期"), null=True, blank=True)
    approval_note = models.TextField(_("批复意见"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("model", "筹建申请")
        verbose_name_plural = pgettext_lazy("model plural", "筹建申请")
        constraints = [
            models.UniqueConstraint(
                fields=["approver", "approval_number"],
                condition=~Q(approval_number=""),
                name="unique_approval_number_per_approver",
            )
        ]
        indexes = [models.Index(fields=["approver", "state"], name="founding_queue_idx")]

    def __str__(self) -> str:
        return str(self.association.name)


class PreparatoryGroupMember(models.Model):
    PERSONAL_FIELDS = {"phone": "phone"}

    application = models.ForeignKey(
        FoundingApplication, on_delete=models.CASCADE, related_name="group_members"
    )
    name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("职务"), max_length=50, blank=True)
    is_leader = models.BooleanField(_("组长"), default=False)
    phone = models.CharField(_("电话"), max_length=20, blank=True)

    class Meta:
        ordering = ["-is_leader", "id"]

    def __str__(self) -> str:
        return self.name


class CharterVersion(models.Model):
    application = models.ForeignKey(FoundingApplication, on_delete=models.CASCADE, related_name="charters")
    version = models.PositiveSmallIntegerField(_("版本"))
    text = models.TextField(_("章程"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["application", "version"], name="unique_charter_version")
        ]

    def __str__(self) -> str:
        return f"{self.application} v{self.version}"


class Candidacy(models.Model):
    """A candidate for an office of the first committee (候选人汇总表)."""

    application = models.ForeignKey(FoundingApplication, on_delete=models.CASCADE, related_name="candidacies")
    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="+")
    office = models.CharField(_("拟任职务"), max_length=30, choices=Office.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["office", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "person", "office"], name="unique_candidacy"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_office_display()}"


class ApplicationEvent(models.Model):
    """Every state change, with its comment: the rounds of review are kept here."""

    application = models.ForeignKey(FoundingApplication, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=20)
    from_state = models.CharField(max_length=16, choices=State.choices)
    to_state = models.CharField(max_length=16, choices=State.choices)
    round = models.PositiveSmallIntegerField(default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(_("意见"), blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application} {self.from_state}→{self.to_state}"


class NumberSequence(models.Model):
    """The last document number an issuing 科协 gave in a year; locked while the next is taken."""

    issuer = models.ForeignKey("associations.Association", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year"], name="one_sequence_per_issuer_year")
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.year}: {self.last}"


class Congress(models.Model):
    """The founding congress (成立大会) and the committee's first meeting."""

    application = models.OneToOneField(FoundingApplication, on_delete=models.CASCADE, related_name="congress")
    held_on = models.DateField(_("大会日期"))
    place = models.CharField(_("地点"), max_length=200)
    members_total = models.PositiveIntegerField(_("应到会员"))
    members_present = models.PositiveIntegerField(_("实到会员"))
    approval_read = models.BooleanField(_("宣读批复"), default=False)
    charter_adopted = models.BooleanField(_("通过章程"), default=False)
    committee_meeting_on = models.DateField(_("委员会第一次会议日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.application} {self.held_on}"


class ElectionResult(models.Model):
    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="results")
    stage = models.CharField(_("选举环节"), max_length=16, choices=CongressStage.choices)
    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="+")
    office = models.CharField(_("职务"), max_length=30, choices=Office.choices)
    votes_for = models.PositiveIntegerField(_("赞成票"))
    votes_against = models.PositiveIntegerField(_("反对票"), default=0)
    abstentions = models.PositiveIntegerField(_("弃权票"), default=0)
    elected = models.BooleanField(_("当选"), default=False)

    class Meta:
        ordering = ["stage", "office", "-votes_for"]

    def __str__(self) -> str:
        return f"{self.person} {self.get_office_display()}"


class Filing(models.Model):
    """The founding result reported to one recipient (备案), acknowledged in its inbox."""

    application = models.ForeignKey(FoundingApplication, on_delete=models.CASCADE, related_name="filings")
    recipient = models.CharField(_("备案机关"), max_length=10, choices=Recipient.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("地区"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("报送时间"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "recipient"], name="one_filing_per_recipient")
        ]

    def __str__(self) -> str:
        return f"{self.application} → {self.get_recipient_display()}"
