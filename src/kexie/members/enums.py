from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Education(models.TextChoices):
    DOCTORATE = "doctorate", _("博士研究生")
    MASTER = "master", _("硕士研究生")
    BACHELOR = "bachelor", _("大学本科")
    COLLEGE = "college", _("大学专科")
    SECONDARY = "secondary", _("中专")
    HIGH_SCHOOL = "high_school", _("高中及以下")


class Political(models.TextChoices):
    CPC = "cpc", _("中共党员")
    CPC_PROBATIONARY = "cpc_probationary", _("中共预备党员")
    CYL = "cyl", _("共青团员")
    DEMOCRATIC_PARTY = "democratic_party", _("民主党派")
    NON_PARTY = "non_party", _("无党派人士")
    MASSES = "masses", _("群众")


class TitleLevel(models.TextChoices):
    SENIOR = "senior", _("正高级")
    ASSOCIATE_SENIOR = "associate_senior", _("副高级")
    INTERMEDIATE = "intermediate", _("中级")
    JUNIOR = "junior", _("初级")
    NONE = "none", _("无")


class MembershipStatus(models.TextChoices):
    FOUNDING = "founding", _("筹备登记")
    APPLIED = "applied", _("申请中")
    APPROVED = "approved", _("正式会员")
    REJECTED = "rejected", _("未批准")
    LEFT = "left", _("已退会")
    TRANSFERRED = "transferred", _("已转出")


class Office(models.TextChoices):
    """Offices held for a term. The order is the order of the candidate table."""

    CHAIR = "chair", _("主席")
    VICE_CHAIR = "vice_chair", _("副主席")
    SECRETARY_GENERAL = "secretary_general", _("秘书长")
    DEPUTY_SECRETARY_GENERAL = "deputy_secretary_general", _("副秘书长")
    STANDING_COMMITTEE = "standing", _("常委")
    COMMITTEE = "committee", _("委员")


SINGLE_OFFICES = frozenset({Office.CHAIR, Office.SECRETARY_GENERAL})
