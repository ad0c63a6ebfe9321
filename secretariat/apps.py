from django.apps import AppConfig


class SecretariatConfig(AppConfig):
    name = "secretariat"
    verbose_name = "Secretariat workspace"
