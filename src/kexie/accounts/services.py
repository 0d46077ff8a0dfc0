"""Accounts, roles and API tokens."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kexie.core import audit
from kexie.core.errors import DomainError

from .enums import REGIONAL_ROLES, Role
from .models import ApiToken, RoleAssignment, User


@transaction.atomic
def assign_role(
    user: User, role: str, *, by=None, association=None, region=None, enterprise=None
) -> RoleAssignment:
    if role not in Role.values:
        raise DomainError(gettext("角色“%(role)s”不存在。") % {"role": role}, field="role")
    if role in REGIONAL_ROLES and region is None and association is not None:
        region = association.region
    if role in REGIONAL_ROLES and region is None:
        raise DomainError(gettext("该角色须绑定一个地区。"), field="region")
    if role in (Role.SECRETARY, Role.MEMBER) and association is None:
        raise DomainError(gettext("该角色须绑定一个组织。"), field="association")
    if (role == Role.ENTERPRISE_USER) != (enterprise is not None):
        raise DomainError(gettext("企业用户须且只能绑定一家企业。"), field="enterprise")
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, association=association, region=region, enterprise=enterprise
    )
    if created:
        audit.record(actor=by, action="create", instance=assignment, changes={"role": [None, role]})
    return assignment


def issue_token(*, username: str, password: str, request=None) -> str:
    """Exchange a user name and password for a bearer token (shown once, stored hashed)."""
    if not username:
        raise DomainError(gettext("用户名不能为空。"), field="username")
    if not password:
        raise DomainError(gettext("密码不能为空。"), field="password")
    # Outside the transaction: axes records a failure while authenticating, and that record
    # must survive the DomainError below, or the lockout would never be reached.
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        raise DomainError(gettext("用户名或密码错误。"), field="password", code="auth")
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        ApiToken.objects.create(
            user=user,
            digest=ApiToken.digest_of(raw),
            prefix=raw[:8],
            expires_at=timezone.now() + settings.KEXIE_TOKEN_LIFETIME,
        )
        audit.record(actor=user, action="login", note="签发 API 令牌")  # audit record: kept in Chinese
    if request is not None:
        # A successful sign-in through the API is a login like the page's: this signal lets
        # django-axes reset the failure count (and records last_login).
        user_logged_in.send(sender=type(user), request=request, user=user)
    return raw


def user_for_token(raw: str) -> User | None:
    if not raw:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(raw), expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
