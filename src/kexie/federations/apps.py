from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FederationsConfig(AppConfig):
    name = "kexie.federations"
    label = "federations"
    verbose_name = _("联合会单位会员")
