from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatreportsConfig(AppConfig):
    name = "kexie.statreports"
    label = "statreports"
    verbose_name = _("统计报表")
