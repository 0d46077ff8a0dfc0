"""Who is calling: a bearer token first, else the browser's Django session.

A bearer token cannot be sent by another site, so token requests need no CSRF token. A session
cookie is sent by the browser on its own, so unsafe methods under session auth must carry the
CSRF token (as the pages' forms do).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth
from ninja.utils import check_csrf

from kexie.accounts.services import user_for_token

from .errors import ApiError

BAD_TOKEN = _("API 令牌无效或已过期，请重新获取令牌。")
CSRF_FAILED = _("CSRF 校验失败：通过浏览器会话调用时，修改数据的请求须带 X-CSRFToken 请求头。")


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; a token that is sent but not valid is a 401 outright."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token.strip())
        if user is None:
            raise ApiError(401, BAD_TOKEN)
        request.user = user
        return user


class SessionAuth(NinjaSessionAuth):
    """The signed-in browser. Unlike ninja's own, no session means "not me" (so the caller gets
    a 401), and the CSRF check runs only once a session user is found."""

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise ApiError(403, CSRF_FAILED)
        return user


AUTH = [BearerTokenAuth(), SessionAuth()]
