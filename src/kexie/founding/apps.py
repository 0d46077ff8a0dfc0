from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FoundingConfig(AppConfig):
    name = "kexie.founding"
    label = "founding"
    verbose_name = _("科协筹建")

    def ready(self) -> None:
        # The app's rights are declared when its permissions module is imported (not before the
        # models are loaded, which it reads).
        from . import permissions  # noqa: F401, PLC0415
