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


class Degree(models.TextChoices):
    DOCTOR = "doctor", _("博士")
    MASTER = "master", _("硕士")
    BACHELOR = "bachelor", _("学士")
    NONE = "none", _("无")


# The 56 ethnic groups as the 民族 column writes them (GB 3304); "汉" is read as "汉族".
ETHNIC_GROUPS = (
    "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 哈尼族 哈萨克族 傣族 黎族 "
    "傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族 达斡尔族 仫佬族 羌族 布朗族 撒拉族 "
    "毛南族 仡佬族 锡伯族 阿昌族 普米族 塔吉克族 怒族 乌孜别克族 俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 "
    "塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族"
).split()


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


class MembershipAction(models.TextChoices):
    APPLY = "apply", _("申请入会")
    APPROVE = "approve", _("批准入会")
    REJECT = "reject", _("不予批准")
    LEAVE = "leave", _("退会")
    TRANSFER = "transfer", _("转出")
    FOUND = "found", _("科协成立")


# A membership is made by applying: the empty state is "no membership yet".
NEW = ""

# (action, from state) -> to state. Nothing else is allowed; ``services.transition`` enforces it.
# Founding memberships are registered by the founding procedure and all become approved when the 科协
# is founded (``services.admit_founding_members``).
TRANSITIONS: dict[tuple[str, str], str] = {
    (MembershipAction.FOUND, MembershipStatus.FOUNDING): MembershipStatus.APPROVED,
    (MembershipAction.APPLY, NEW): MembershipStatus.APPLIED,
    (MembershipAction.APPROVE, MembershipStatus.APPLIED): MembershipStatus.APPROVED,
    (MembershipAction.REJECT, MembershipStatus.APPLIED): MembershipStatus.REJECTED,
    (MembershipAction.LEAVE, MembershipStatus.APPROVED): MembershipStatus.LEFT,
    (MembershipAction.TRANSFER, MembershipStatus.APPROVED): MembershipStatus.TRANSFERRED,
}

# Actions that must say why (the reason is kept in ``Membership.note``).
NEEDS_REASON = frozenset({MembershipAction.REJECT, MembershipAction.LEAVE, MembershipAction.TRANSFER})
# States of a membership still held (or asked for); the others are history.
LIVE = frozenset({MembershipStatus.FOUNDING, MembershipStatus.APPLIED, MembershipStatus.APPROVED})
