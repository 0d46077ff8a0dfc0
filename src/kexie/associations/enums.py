from django.db import models


class Kind(models.TextChoices):
    LOCAL = "local", "地方科协"
    ENTERPRISE = "enterprise", "企业科协"
    JOINT = "joint", "联合科协"
    SUBUNIT = "subunit", "分会/小组"
    FEDERATION = "federation", "联合会/促进会"


class JointKind(models.TextChoices):
    PARK = "park", "园区科协"
    REGIONAL = "regional", "区域联建"
    INDUSTRY = "industry", "行业统建"


class Status(models.TextChoices):
    PREPARING = "preparing", "筹备中"
    ACTIVE = "active", "正常"
    DISSOLVED = "dissolved", "已撤销"


LOCAL_LEVEL_LABELS = {"province": "省级科协", "city": "市级科协", "county": "县级科协"}
