"""meetings 0017 makes a meeting's note on its data translated: the note stored so far is the
meeting's original, so it becomes the text of the meeting's authoritative language, in the
records and in their change history, and reads as before. Run in its own process, on a
database migrated to the migration before it (tests/own_process.py)."""

import datetime
import json
import sys
from pathlib import Path

from tests.own_process import django_on, migrated_to, run_in_own_process

BEFORE = ("meetings", "0016_reopened_index")
AFTER = ("meetings", "0017_data_note_translations")
NOTE_EN = "Dates illustrative: the record gives only the year."
NOTE_RU = "Даты приведены для иллюстрации: в записи указан только год."


def test_the_note_so_far_becomes_the_original_in_the_meetings_own_language(tmp_path):
    found = run_in_own_process("tests.meetings.test_data_note_migration", tmp_path / "db")

    assert found["meetings"] == {
        "written in English": {"en": NOTE_EN, "ru": None},
        "written in Russian": {"en": None, "ru": NOTE_RU},
        "without a note": {"en": "", "ru": None},
    }
    assert found["history"] == {"en": NOTE_EN, "ru": None}


def main(database: Path) -> dict:
    django_on(database)
    apps = migrated_to(BEFORE)
    dialogue = apps.get_model("participants", "Dialogue").objects.create(
        name="Budapest Process", acronym="BP", slug="bp"
    )
    Meeting = apps.get_model("meetings", "Meeting")
    made = {}
    for title, language, note in [
        ("written in English", "en", NOTE_EN),
        ("written in Russian", "ru", NOTE_RU),
        ("without a note", "en", ""),
    ]:
        made[title] = Meeting.objects.create(
            dialogue=dialogue,
            kind="working_group",
            title=title,
            slug=title.replace(" ", "-"),
            start_date=datetime.date(2016, 6, 1),
            end_date=datetime.date(2016, 6, 1),
            authoritative_language=language,
            data_note=note,
        ).pk
    # The change history's row of the first, as simple-history copies a saved meeting.
    apps.get_model("meetings", "HistoricalMeeting").objects.create(
        **Meeting.objects.values().get(pk=made["written in English"]),
        history_date=datetime.datetime(2016, 6, 2, tzinfo=datetime.UTC),
        history_type="+",
    )

    apps = migrated_to(AFTER)
    Meeting = apps.get_model("meetings", "Meeting")
    notes = Meeting.objects.values("pk", "data_note_en", "data_note_ru")
    by_pk = {row["pk"]: {"en": row["data_note_en"], "ru": row["data_note_ru"]} for row in notes}
    meetings = {title: by_pk[pk] for title, pk in made.items()}
    historical = apps.get_model("meetings", "HistoricalMeeting").objects.get()
    return {
        "meetings": meetings,
        "history": {"en": historical.data_note_en, "ru": historical.data_note_ru},
    }


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1])), ensure_ascii=False))
