"""One error shape for the whole API: ``{"message": "<中文句子>", "field": "<name or null>"}``.

=====================  ======  ===========================================
cause                  status  message
=====================  ======  ===========================================
DomainError            400     the service's own sentence and field
Http404 / out of scope 404     对象不存在。 (absent and out of reach look alike)
PermissionDenied       403     the role may not do this
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
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kexie.core.errors import DomainError

NOT_FOUND = "对象不存在。"
FORBIDDEN = "您的角色无权执行此操作。"
UNAUTHENTICATED = "请先登录，或在请求头 Authorization 中提供有效的 API 令牌（Bearer）。"
DEFAULT_BY_STATUS = {
    400: "请求体不是有效的 JSON。",
    401: UNAUTHENTICATED,
    403: FORBIDDEN,
    404: NOT_FOUND,
    405: "该地址不支持此请求方法。",
    429: "请求过于频繁，请稍后再试。",
}
_CJK = re.compile(r"[\u4e00-\u9fff]")


class ApiError(HttpError):
    """An error the API itself decides (lockout, CSRF, bad token), already in Chinese."""

    def __init__(self, status_code: int, message: str, *, field: str | None = None) -> None:
        super().__init__(status_code, message)
        self.field = field


def error_response(
    api: NinjaAPI, request: HttpRequest, status: int, message: str, field: str | None = None
) -> HttpResponse:
    response = api.create_response(request, {"message": message, "field": field}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="kexie"'
    return response


def _chinese_or(text: str, default: str) -> str:
    # Messages from our own code are Chinese sentences; anything else (library English) is replaced.
    return text if text and _CJK.search(text) else default


# --- schema errors (422) -------------------------------------------------------

_REASONS = {
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "model_attributes_type": "应为 JSON 对象",
    "dict_type": "应为 JSON 对象",
    "model_type": "应为 JSON 对象",
    "list_type": "应为数组",
}


def _reason(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in _REASONS:
        return _REASONS[kind]
    bounds = {
        "greater_than_equal": ("不能小于", "ge"),
        "greater_than": ("应大于", "gt"),
        "less_than_equal": ("不能大于", "le"),
        "less_than": ("应小于", "lt"),
    }
    if kind in bounds:
        words, key = bounds[kind]
        return f"{words}{ctx.get(key)}"
    if kind == "string_too_long":
        return f"不能超过{ctx.get('max_length')}个字符"
    if kind == "value_error" and _CJK.search(str(ctx.get("error", ""))):
        return str(ctx["error"])
    return "取值无效"


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
            return "请求体不能为空，应为 JSON 对象。", None
        return f"请求体格式不正确：{_reason(first)}。", None
    if kind == "missing":
        return f"缺少必填字段“{field}”。", field
    if kind == "extra_forbidden":
        return f"字段“{field}”不是可识别的字段。", field
    return f"字段“{field}”格式不正确：{_reason(first)}。", field


# --- registration -----------------------------------------------------------------


def register_error_handlers(api: NinjaAPI) -> None:
    def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        status = {"not_found": 404, "forbidden": 403}.get(exc.code, 400)
        return error_response(api, request, status, exc.message, exc.field)

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, 404, NOT_FOUND)

    def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return error_response(api, request, 403, _chinese_or(str(exc), FORBIDDEN))

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, ApiError):
            return error_response(api, request, exc.status_code, exc.message, exc.field)
        if isinstance(exc, AuthenticationError):
            return error_response(api, request, 401, UNAUTHENTICATED)
        default = DEFAULT_BY_STATUS.get(exc.status_code, "请求无法处理。")
        return error_response(api, request, exc.status_code, _chinese_or(exc.message, default))

    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        message, field = validation_message(exc.errors)
        return error_response(api, request, 422, message, field)

    api.add_exception_handler(DomainError, on_domain_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(PermissionDenied, on_permission_denied)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(ValidationError, on_validation_error)
