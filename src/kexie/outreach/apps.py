from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "kexie.outreach"
    label = "outreach"
    verbose_name = _("建会目标与推动")
