"""What every page's navigation shows: the sections the user's rights open, and unread notifications."""

from functools import cache

from django.conf import settings

from kexie.core.notify import unread_count

from .permissions import has_perm


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "site_name": settings.KEXIE_SITE_NAME,
        "nav": {
            "enterprises": has_perm(user, "enterprise.view"),
            "associations": has_perm(user, "association.view"),
            "regions": has_perm(user, "region.view"),
            "enterprise_import": has_perm(user, "enterprise.import"),
            "founding": has_perm(user, "founding.view"),
            "founding_open": has_perm(user, "founding.open"),
            "review_queue": has_perm(user, "founding.review"),
            "filings": has_perm(user, "filing.view"),
            "members": has_perm(user, "member.view"),
            # Everyone signed in has their own member pages (a new S&T worker has no role yet).
            "me": bool(user is not None and user.is_authenticated),
            "federations": has_perm(user, "federation.view"),
            "statreports": (
                "statreports:index"
                if has_perm(user, "statreport.view")
                else "statreports:members"
                if has_perm(user, "memberstats.view")
                else ""
            ),
            "outreach": has_perm(user, "target.view"),
            "coverage": has_perm(user, "coverage.view"),
            # A callable: templates call it, so it is counted only when a page shows it (and once).
            "unread": cache(lambda: unread_count(user)),
        },
    }
