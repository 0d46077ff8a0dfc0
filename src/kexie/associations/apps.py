from django.apps import AppConfig


class AssociationsConfig(AppConfig):
    name = "kexie.associations"
    label = "associations"
    verbose_name = "组织"
