"""Frameworks', workplans' and activities' content in every language of LANGUAGES (see
meetings/translation.py)."""

from bpdialogue.translations import register

from .models import Activity, CooperationFramework, Workplan

FIELDS = {
    CooperationFramework: ("title", "description"),
    Workplan: ("title",),
    Activity: ("title", "outcome"),
}

register(FIELDS)
