from django.shortcuts import render
from django.utils.translation import gettext as _


def not_found(request, exception=None):
    context = {"title": _("页面不存在"), "message": _("您访问的页面或对象不存在。")}
    return render(request, "core/error.html", context, status=404)


def forbidden(request, exception=None):
    context = {"title": _("无权访问"), "message": _("您的角色无权执行此操作。")}
    return render(request, "core/error.html", context, status=403)
