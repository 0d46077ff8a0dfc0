"""Who may see and change enterprises.

Rights: staff review (create, edit, import); secretaries edit the enterprises their 科协 covers;
an enterprise user sees their own. Reach (``enterprises_for_user``): 科协 staff their region's
subtree, 国资委 viewers its state-owned enterprises, 工商联 viewers the others, a secretary the
enterprises their 科协 (and its sub-units) covers, an enterprise user their own enterprise.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from kexie.accounts.enums import Role as R
from kexie.accounts.permissions import VIEWERS, define, get_job_for_user
from kexie.accounts.scoping import scope_of, under
from kexie.core.errors import get_or_not_found

from .enums import NON_STATE, STATE_OWNED
from .models import Enterprise, ImportBatch

define(
    {
        "enterprise.view": VIEWERS | {R.SECRETARY, R.ENTERPRISE_USER},
        "enterprise.create": {R.STAFF_REVIEWER},
        "enterprise.edit": {R.STAFF_REVIEWER, R.SECRETARY},
        "enterprise.import": {R.STAFF_REVIEWER},
    }
)


def enterprise_filter(user) -> Q:
    """The enterprises in the user's reach, as a filter on ``Enterprise``."""
    scope = scope_of(user)
    if scope.everything:
        return Q()
    q = under(scope.staff_paths, "region")
    if scope.sasac_paths:
        q |= under(scope.sasac_paths, "region") & Q(ownership__in=STATE_OWNED)
    if scope.acfic_paths:
        q |= under(scope.acfic_paths, "region") & Q(ownership__in=NON_STATE)
    if scope.secretary_of:
        # The enterprise of each association the secretary manages, and those a joint 科协 covers
        # (reverse relations declared by ``associations.Association``).
        q |= Q(associations__id__in=scope.managed) | Q(joint_associations__id__in=scope.managed)
    if scope.enterprise_ids:
        q |= Q(pk__in=scope.enterprise_ids)
    return q


def enterprises_for_user(user) -> QuerySet[Enterprise]:
    scope = scope_of(user)
    if scope.is_empty:
        return Enterprise.objects.none()
    qs = Enterprise.objects.filter(enterprise_filter(user))
    if scope.secretary_of:
        # The reverse joins can repeat a row; the pk sub-select keeps counts exact.
        qs = Enterprise.objects.filter(pk__in=qs.values("pk"))
    return qs


def get_enterprise_for_user(user, pk) -> Enterprise:
    return get_or_not_found(
        enterprises_for_user(user).select_related("region__parent__parent"), pk, gettext("企业不存在。")
    )


def get_import_batch_for_user(user, pk) -> ImportBatch:
    """An enterprise-list import (a job: seen by its uploader and platform admins)."""
    return get_job_for_user(user, pk, ImportBatch, gettext("导入批次不存在。"))


def owns_enterprise(user, enterprise: Enterprise) -> bool:
    """Is ``user`` an enterprise user of this enterprise (who may start the founding of its 科协)?"""
    return enterprise.pk in scope_of(user).enterprise_ids
