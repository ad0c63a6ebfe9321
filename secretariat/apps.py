from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class SecretariatConfig(AppConfig):
    name = "secretariat"
    verbose_name = gettext_lazy("Secretariat workspace")
