"""The JSON API under /api/v1/: the same services and scoping as the pages.

Authentication: ``POST /api/v1/auth/token`` gives a bearer token; every other call sends
``Authorization: Bearer <token>`` or is made from a signed-in browser session (with CSRF on
unsafe methods). The OpenAPI schema is public at ``/api/v1/openapi.json``. Ninja's docs page
loads Swagger UI with inline script from a CDN, which our CSP forbids, so it is switched off.
"""

from functools import wraps

from django.http import Http404, HttpRequest, HttpResponseNotAllowed
from ninja import NinjaAPI, Router

from .auth import AUTH
from .errors import DEFAULT_BY_STATUS, NOT_FOUND, error_response, register_error_handlers
from .routers import (
    associations,
    auth,
    enterprises,
    federations,
    founding,
    lifecycle,
    members,
    outreach,
    regions,
    roster,
    statreports,
    stats,
)


class KexieAPI(NinjaAPI):
    """Ninja answers two things outside its exception handlers: a wrong method (plain-text 405)
    and its root URL (Http404). Both are given the API's error shape here."""

    def _get_urls(self):
        urls = super()._get_urls()
        for pattern in urls:
            pattern.callback = self._in_error_shape(pattern.callback)
        return urls

    def _in_error_shape(self, view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                return error_response(self, request, 404, NOT_FOUND)
            if isinstance(response, HttpResponseNotAllowed):
                allowed = response["Allow"]
                response = error_response(self, request, 405, DEFAULT_BY_STATUS[405])
                response["Allow"] = allowed
            return response

        return wrapped


api = KexieAPI(
    title="企业科协综合服务平台 API",
    version="1",
    description=(
        "所有错误的响应体都是同一形状："
        '`{"message": "中文说明", "field": "字段名或 null"}`；'
        "请求头 Accept-Language: en 时 message 为英文。"
        "400 业务校验未通过，401 未登录或令牌无效，403 角色无权操作，"
        "404 对象不存在（或不在您的权限范围内，两者不作区分），422 字段类型错误，429 登录失败次数过多。"
    ),
    urls_namespace="api",
    auth=AUTH,
    docs_url=None,
)
register_error_handlers(api)

api.add_router("/auth", auth.router)
api.add_router("/regions", regions.router)
api.add_router("/enterprises", enterprises.router)
api.add_router("/associations", associations.router)
api.add_router("", lifecycle.router)  # /associations/{id}/reports…, /reports/…, /lifecycle/…
api.add_router("/founding", founding.router)
api.add_router("", members.router)  # /associations/{id}/members, /members/{id}…
api.add_router("", roster.router)  # /associations/{id}/roster/import, /associations/{id}/roster/export
api.add_router("", federations.router)  # /federations/{id}/units…, /federation-units/…
api.add_router("", statreports.router)  # /statreports/…, /stats/members
api.add_router("", outreach.router)  # /targets…, /outreach/gaps, /outreach/tasks…
api.add_router("/stats", stats.router)

# Last: any other path under /api/v1/ answers 404 in the API's shape instead of the HTML page.
unknown = Router()


@unknown.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", auth=None, include_in_schema=False
)
def unknown_path(request: HttpRequest, rest: str):
    raise Http404


api.add_router("", unknown)
