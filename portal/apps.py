from django.apps import AppConfig


class PortalConfig(AppConfig):
    """What delegates and the public read: pages over every domain app, and the site's root
    URL map."""

    name = "portal"
