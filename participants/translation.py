"""Participants' and dialogues' names in every language of LANGUAGES (see meetings/translation.py)."""

from bpdialogue.translations import register

from .models import Dialogue, Participant, ParticipantName, Region

FIELDS = {
    Dialogue: ("name",),
    Region: ("name",),
    Participant: ("name", "sort_name"),
    # Each dated name with the forms a language needs: listed, filed, in a sentence.
    ParticipantName: ("name", "sort_name", "prose_name"),
}

register(FIELDS)
