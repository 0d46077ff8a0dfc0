from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "kexie.members"
    label = "members"
    verbose_name = _("会员")

    def ready(self) -> None:
        # The app's rights are declared when its permissions module is imported, and it adds its
        # panels to the pages of the apps below; both read models, so only once they are loaded.
        from . import panels, permissions  # noqa: F401, PLC0415

        panels.connect()
