"""The pages of a refusal: the one place a ``Forbidden`` or ``NotFound`` (or Django's own
``PermissionDenied``/``Http404``) raised anywhere under a view becomes a 403 or 404 page."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from .errors import Forbidden


def not_found(request, exception=None):
    # Whatever the cause (absent, or out of reach), the same words: nothing is revealed.
    context = {"title": _("页面不存在"), "message": _("您访问的页面或对象不存在。")}
    return render(request, "core/error.html", context, status=404)


def forbidden(request, exception=None):
    message = exception.message if isinstance(exception, Forbidden) else _("您的角色无权执行此操作。")
    context = {"title": _("无权访问"), "message": message}
    return render(request, "core/error.html", context, status=403)
