"""The meetings' content in every language of LANGUAGES (django-modeltranslation)."""

from bpdialogue.translations import register

from .models import (
    ActionPoint,
    AgendaItem,
    Conclusion,
    Document,
    Meeting,
    Statement,
    ThematicFocus,
    WorkingGroup,
)

FIELDS = {
    WorkingGroup: ("name",),
    ThematicFocus: ("title", "description"),
    Meeting: ("title", "topic", "city", "venue", "conclusions_intro", "data_note"),
    AgendaItem: ("title", "session_label", "record"),
    Statement: ("text",),
    Conclusion: ("text",),
    ActionPoint: ("text", "due_text"),
    Document: ("title",),
}

register(FIELDS)
