from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FoundingConfig(AppConfig):
    name = "kexie.founding"
    label = "founding"
    verbose_name = _("科协筹建")
