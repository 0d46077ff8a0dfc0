from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("平台管理员")
    STAFF_REVIEWER = "staff_reviewer", _("科协工作人员（审核）")
    STAFF_VIEWER = "staff_viewer", _("科协工作人员（查看）")
    SECRETARY = "secretary", _("企业科协秘书")
    MEMBER = "member", _("会员")
    SASAC_VIEWER = "sasac_viewer", _("国资委查看")
    ACFIC_VIEWER = "acfic_viewer", _("工商联查看")
    PROVIDER = "provider", _("服务机构")
    ENTERPRISE_USER = "enterprise_user", _("企业用户")


# Roles whose reach is a region subtree.
REGIONAL_ROLES = frozenset({Role.STAFF_REVIEWER, Role.STAFF_VIEWER, Role.SASAC_VIEWER, Role.ACFIC_VIEWER})
