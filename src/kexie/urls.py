from django.urls import include, path
from django.views.i18n import set_language

from kexie.accounts.views import home
from kexie.api.api import api
from kexie.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
    path("accounts/", include("kexie.accounts.urls")),
    path("regions/", include("kexie.regions.urls")),
    path("enterprises/", include("kexie.enterprises.urls")),
    path("associations/", include("kexie.associations.urls")),
    path("life/", include("kexie.lifecycle.urls")),
    path("founding/", include("kexie.founding.urls")),
    path("members/", include("kexie.members.urls")),
    path("roster/", include("kexie.members.roster.urls")),
    path("federations/", include("kexie.federations.urls")),
    path("statreports/", include("kexie.statreports.urls")),
    path("outreach/", include("kexie.outreach.urls")),
    path("coverage/", include("kexie.coverage.urls")),
    path("", home, name="home"),
    path("", include("kexie.core.urls")),
]

handler404 = "kexie.core.errors_views.not_found"
handler403 = "kexie.core.errors_views.forbidden"
