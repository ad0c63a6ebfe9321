from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"

    def ready(self):
        # What meetings keep about a person answers the export and erasure of their data.
        from . import personal_data  # noqa: F401
