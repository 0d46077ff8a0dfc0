"""Exchanging a user name and password for a bearer token, throttled by django-axes."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import ngettext
from ninja import Field, Router, Schema

from kexie.accounts.services import issue_token
from kexie.core.errors import DomainError

from ..errors import ApiError
from ..schemas import ErrorOut, Text

router = Router(tags=["auth"])


class TokenIn(Schema):
    # Empty by default so that the service's own sentences ("用户名不能为空。") answer a missing value.
    username: Text = ""
    password: Text = ""


class TokenOut(Schema):
    token: str = Field(description="API 令牌，只显示这一次；请求时放在 Authorization: Bearer <token> 中。")
    token_type: str = "Bearer"  # noqa: S105 (the scheme name)


def _locked_message() -> str:
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return ngettext(
        "登录失败次数过多，账户已暂时锁定，请%(minutes)s分钟后再试。",
        "登录失败次数过多，账户已暂时锁定，请%(minutes)s分钟后再试。",
        minutes,
    ) % {"minutes": minutes}


@router.post(
    "/token",
    auth=None,
    response={200: TokenOut, 400: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="签发 API 令牌",
    description=(
        "用用户名和密码换取 API 令牌。用户名或密码错误时返回 **400**（不是 401），"
        '错误体与其他接口相同：`{"message": "用户名或密码错误。", "field": "password"}`。'
        f"同一用户名和地址连续失败 {settings.AXES_FAILURE_LIMIT} 次后锁定，锁定期间（包括第 "
        f"{settings.AXES_FAILURE_LIMIT} 次失败本身）返回 **429**，即使密码正确也不签发令牌。"
    ),
)
def create_token(request: HttpRequest, payload: TokenIn):
    try:
        return {"token": issue_token(username=payload.username, password=payload.password, request=request)}
    except DomainError:
        if getattr(request, "axes_locked_out", False):
            # AxesMiddleware would swap our JSON for its HTML lockout page; the lockout itself is
            # already stored by axes, so the API answers in its own shape instead.
            request.axes_locked_out = False
            raise ApiError(429, _locked_message()) from None
        raise
