from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kexie.api"
    label = "api"
