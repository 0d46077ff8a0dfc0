from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    LOCAL = "local", _("地方科协")
    ENTERPRISE = "enterprise", _("企业科协")
    JOINT = "joint", _("联合科协")
    SUBUNIT = "subunit", _("分会/小组")
    FEDERATION = "federation", _("联合会/促进会")


class JointKind(models.TextChoices):
    PARK = "park", _("园区科协")
    REGIONAL = "regional", _("区域联建")
    INDUSTRY = "industry", _("行业统建")


class Status(models.TextChoices):
    PREPARING = "preparing", _("筹备中")
    ACTIVE = "active", _("正常")
    DISSOLVED = "dissolved", _("已撤销")
    ABANDONED = "abandoned", _("未成立")


# A 科协 that is being founded or works; at most one per enterprise.
LIVE_STATUSES = (Status.PREPARING, Status.ACTIVE)

# The only ways an association's status changes (``services.set_association_status``): a 科协 being
# founded is founded (filed: active from its founding congress) or abandoned (its application
# rejected or withdrawn); an active one is dissolved (撤销, approved by the supervising 科协).
STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.PREPARING: frozenset({Status.ACTIVE, Status.ABANDONED}),
    Status.ACTIVE: frozenset({Status.DISSOLVED}),
    Status.DISSOLVED: frozenset(),
    Status.ABANDONED: frozenset(),
}


LOCAL_LEVEL_LABELS = {"province": _("省级科协"), "city": _("市级科协"), "county": _("县级科协")}
