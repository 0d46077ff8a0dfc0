from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kexie.accounts.scoping import home_region, scope_of


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
def home(request):
    scope = scope_of(request.user)
    roles = request.user.roles.select_related("association", "region")
    return render(
        request, "core/home.html", {"roles": roles, "scope": scope, "home_region": home_region(request.user)}
    )
