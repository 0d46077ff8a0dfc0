from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "kexie.regions"
    label = "regions"
    verbose_name = _("行政区划")

    def ready(self) -> None:
        # The app's rights are declared when its permissions module is imported (not before the
        # models are loaded, which it reads).
        from . import permissions  # noqa: F401, PLC0415
