from django.shortcuts import render


def not_found(request, exception=None):
    return render(request, "core/error.html", {"title": "页面不存在", "message": "您访问的页面或对象不存在。"}, status=404)


def forbidden(request, exception=None):
    return render(request, "core/error.html", {"title": "无权访问", "message": "您的角色无权执行此操作。"}, status=403)
