from django.db import models


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", "平台管理员"
    STAFF_REVIEWER = "staff_reviewer", "科协工作人员（审核）"
    STAFF_VIEWER = "staff_viewer", "科协工作人员（查看）"
    SECRETARY = "secretary", "企业科协秘书"
    MEMBER = "member", "会员"
    SASAC_VIEWER = "sasac_viewer", "国资委查看"
    ACFIC_VIEWER = "acfic_viewer", "工商联查看"
    PROVIDER = "provider", "服务机构"


# Roles whose reach is a region subtree.
REGIONAL_ROLES = frozenset({Role.STAFF_REVIEWER, Role.STAFF_VIEWER, Role.SASAC_VIEWER, Role.ACFIC_VIEWER})
