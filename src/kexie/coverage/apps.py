from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoverageConfig(AppConfig):
    name = "kexie.coverage"
    label = "coverage"
    verbose_name = _("覆盖率统计")

    def ready(self) -> None:
        # The app's rights are declared when its permissions module is imported, and it listens to
        # the apps below it once their models are loaded (both modules read models).
        from . import permissions, receivers  # noqa: F401, PLC0415

        receivers.connect()
