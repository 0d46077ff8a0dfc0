from django.conf import settings

from kexie.accounts.permissions import has_perm


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "site_name": settings.KEXIE_SITE_NAME,
        "nav": {
            "enterprises": has_perm(user, "enterprise.view"),
            "associations": has_perm(user, "association.view"),
            "regions": has_perm(user, "region.view"),
            "enterprise_import": has_perm(user, "enterprise.import"),
        },
    }
