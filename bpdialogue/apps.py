from django.apps import AppConfig


class BpdialogueConfig(AppConfig):
    name = "bpdialogue"
    verbose_name = "bpdialogue core"
