from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "kexie.enterprises"
    label = "enterprises"
    verbose_name = _("企业")

    def ready(self) -> None:
        # The app's rights are declared when its permissions module is imported (not before the
        # models are loaded, which it reads).
        from . import permissions  # noqa: F401
