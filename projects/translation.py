"""Projects' content in every language of LANGUAGES (see meetings/translation.py)."""

from bpdialogue.translations import register

from .models import Project, Site

FIELDS = {
    Project: ("title", "description", "outcome"),
    Site: ("name",),
}

register(FIELDS)
