from django.apps import AppConfig


class BpdialogueConfig(AppConfig):
    name = "bpdialogue"
    verbose_name = "bpdialogue core"

    def ready(self):
        from .deletions import connect_deletion_receivers

        connect_deletion_receivers()
