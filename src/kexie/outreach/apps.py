from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "kexie.outreach"
    label = "outreach"
    verbose_name = _("建会目标与推动")

    def ready(self) -> None:
        # The app's rights are declared when its permissions module is imported (not before the
        # models are loaded, which it reads).
        from . import permissions  # noqa: F401, PLC0415
