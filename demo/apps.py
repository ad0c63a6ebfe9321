from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The Budapest Process demo data and the demo users (`load_demo`, `create_demo_users`)."""

    name = "demo"
