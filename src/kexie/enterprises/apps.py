from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "kexie.enterprises"
    label = "enterprises"
    verbose_name = "企业"
