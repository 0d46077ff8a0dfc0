from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import notify
from .models import Notification
from .pages import paginate


@require_GET
@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


@login_required
def notifications(request):
    page_obj = paginate(request, notify.inbox(request.user))
    return render(request, "core/notifications.html", {"page_obj": page_obj})


@login_required
@require_POST
def notifications_read(request):
    count = notify.mark_read(request.user)
    if count:
        messages.success(request, _("已将 %(count)d 条通知标为已读。") % {"count": count})
    return redirect("core:notifications")


@login_required
@require_POST
def notification_open(request, pk):
    """Mark one notification read and go where it points (a path on this site only)."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    notify.mark_read(request.user, pk=notification.pk)
    safe = url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(notification.url if notification.url and safe else "core:notifications")
