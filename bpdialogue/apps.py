from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class BpdialogueConfig(AppConfig):
    name = "bpdialogue"
    verbose_name = "bpdialogue core"

    def ready(self):
        from .translations import share_multilingual_queryset_classes

        share_multilingual_queryset_classes()

        from .deletions import connect_deletion_receivers

        connect_deletion_receivers()

        from .signin import connect_sign_in_receivers

        connect_sign_in_receivers()

        from .representations import install

        # Every write bumps the API's representation cache counter, whatever path it takes.
        install()

        from . import site  # noqa: F401  (registers the deploy check on SITE_URL)


class SuperuserAdminConfig(admin_apps.AdminConfig):
    """Installed instead of django.contrib.admin, so `admin.site` is the superusers' site."""

    default = False  # "bpdialogue" in INSTALLED_APPS still means BpdialogueConfig
    default_site = "bpdialogue.adminsite.SuperuserAdminSite"
