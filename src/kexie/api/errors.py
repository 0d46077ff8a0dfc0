"""One error shape for the whole API: ``{"message": "<sentence>", "field": "<name or null>"}``.

The sentence is Chinese by default and English when the request asks for it
(``Accept-Language: en``, or the language cookie of a browser session).

=====================  ======  ===========================================
cause                  status  message
=====================  ======  ===========================================
DomainError            400     the service's own sentence and field
NotFound / Http404     404     对象不存在。 (absent and out of reach look alike)
Forbidden              403     the service's reason (the role may not do this here)
no or bad credentials  401     sign in or send a valid bearer token
schema (type) error    422     names the first bad field and the reason
wrong HTTP method      405     this address does not take that method
login locked (axes)    429     too many failed sign-ins
=====================  ======  ===========================================
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kexie.core.errors import DomainError, Forbidden

NOT_FOUND = _("对象不存在。")
FORBIDDEN = _("您的角色无权执行此操作。")
UNAUTHENTICATED = _("请先登录，或在请求头 Authorization 中提供有效的 API 令牌（Bearer）。")
DEFAULT_BY_STATUS = {
    400: _("请求体不是有效的 JSON。"),
    401: UNAUTHENTICATED,
    403: FORBIDDEN,
    404: NOT_FOUND,
    405: _("该地址不支持此请求方法。"),
    429: _("请求过于频繁，请稍后再试。"),
}
_CJK = re.compile(r"[\u4e00-\u9fff]")


class ApiError(HttpError):
    """An error the API itself decides (lockout, CSRF, bad token); the message may be lazy."""

    def __init__(self, status_code: int, message: str | Promise, *, field: str | None = None) -> None:
        super().__init__(status_code, message)
        self.field = field


# The error type of our own schema validators (``schemas.Text``): their message is already a
# translated phrase and is shown as the reason of the 422 message.
OWN_ERROR_TYPE = "kexie_invalid"


def error_response(
    api: NinjaAPI, request: HttpRequest, status: int, message: str | Promise, field: str | None = None
) -> HttpResponse:
    # Lazy messages are translated here, in the language of this request.
    response = api.create_response(request, {"message": str(message), "field": field}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="kexie"'
    return response


def _chinese_or(text: str, default: str | Promise) -> str | Promise:
    # Django's and ninja's own messages are English sentences meant for developers; they are replaced
    # by ours. A Chinese one can only come from our code. (Ours in English say what the default says.)
    return text if text and _CJK.search(text) else default


# --- schema errors (422) -------------------------------------------------------

# Each reason completes the sentence “字段“x”格式不正确：<reason>。” / “Field “x” is invalid: <reason>.”
_REASONS = {
    "int_parsing": _("应为整数"),
    "int_type": _("应为整数"),
    "int_from_float": _("应为整数"),
    "float_parsing": _("应为数字"),
    "float_type": _("应为数字"),
    "bool_parsing": _("应为 true 或 false"),
    "bool_type": _("应为 true 或 false"),
    "string_type": _("应为文本"),
    "date_parsing": _("应为日期（YYYY-MM-DD）"),
    "date_from_datetime_parsing": _("应为日期（YYYY-MM-DD）"),
    "model_attributes_type": _("应为 JSON 对象"),
    "dict_type": _("应为 JSON 对象"),
    "model_type": _("应为 JSON 对象"),
    "list_type": _("应为数组"),
}
_BOUNDS = {
    "greater_than_equal": (_("不能小于%(limit)s"), "ge"),
    "greater_than": (_("应大于%(limit)s"), "gt"),
    "less_than_equal": (_("不能大于%(limit)s"), "le"),
    "less_than": (_("应小于%(limit)s"), "lt"),
}


def _reason(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in _REASONS:
        return str(_REASONS[kind])
    if kind in _BOUNDS:
        words, key = _BOUNDS[kind]
        return words % {"limit": ctx.get(key)}
    if kind == "string_too_long":
        return gettext("不能超过%(max)s个字符") % {"max": ctx.get("max_length")}
    if kind == OWN_ERROR_TYPE:
        return str(error.get("msg", ""))
    return gettext("取值无效")


# The names the views give their schema parameters; they are not fields a client knows.
PARAM_NAMES = {"payload", "query"}


def _field_of(loc: tuple[Any, ...]) -> str | None:
    """``("body", "payload", "employees")`` → ``"employees"``; ``("query", "limit")`` → ``"limit"``."""
    parts = [p for p in loc[1:] if isinstance(p, str)]
    while parts and parts[0] in PARAM_NAMES:
        parts = parts[1:]
    return parts[0] if parts else None


def validation_message(errors: list[dict[str, Any]]) -> tuple[str, str | None]:
    """The first error only, as one sentence naming the field (the rest follow once it is fixed)."""
    first = errors[0]
    field = _field_of(tuple(first.get("loc", ())))
    kind = first.get("type", "")
    if field is None:
        if kind == "missing":
            return gettext("请求体不能为空，应为 JSON 对象。"), None
        return gettext("请求体格式不正确：%(reason)s。") % {"reason": _reason(first)}, None
    if kind == "missing":
        return gettext("缺少必填字段“%(field)s”。") % {"field": field}, field
    if kind == "extra_forbidden":
        return gettext("字段“%(field)s”不是可识别的字段。") % {"field": field}, field
    return gettext("字段“%(field)s”格式不正确：%(reason)s。") % {
        "field": field,
        "reason": _reason(first),
    }, field


# --- registration -----------------------------------------------------------------


def register_error_handlers(api: NinjaAPI) -> None:
    def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return error_response(api, request, 400, exc.message, exc.field)

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, 404, NOT_FOUND)

    def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        if isinstance(exc, Forbidden):
            return error_response(api, request, 403, exc.message, exc.field)
        return error_response(api, request, 403, _chinese_or(str(exc), FORBIDDEN))

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, ApiError):
            return error_response(api, request, exc.status_code, exc.message, exc.field)
        if isinstance(exc, AuthenticationError):
            return error_response(api, request, 401, UNAUTHENTICATED)
        default = DEFAULT_BY_STATUS.get(exc.status_code, _("请求无法处理。"))
        return error_response(api, request, exc.status_code, _chinese_or(exc.message, default))

    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        message, field = validation_message(exc.errors)
        return error_response(api, request, 422, message, field)

    api.add_exception_handler(DomainError, on_domain_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(PermissionDenied, on_permission_denied)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(ValidationError, on_validation_error)
