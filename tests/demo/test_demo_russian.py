"""The demo in Russian: `load_demo` loads demo/data/translations_ru.json, an unofficial
translation of the 24th meeting's record and of the participants' names, through the
translation service; English stays authoritative."""

import json
import re

import pytest
from django.utils import translation

from bpdialogue.translations import CURRENT, translations_of
from demo import loader
from demo.loader import DemoDataRefused, load_demo
from demo.translating import load_translations
from meetings.models import ActionPoint, AgendaItem, Conclusion, Meeting, Statement
from meetings.selectors import meeting_attendance
from participants.models import Dialogue, Participant, ParticipantName
from projects.models import Site

pytestmark = pytest.mark.django_db

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
TITLE_RU = "24-е совещание старших должностных лиц Будапештского процесса"


def _record(meeting):
    """Every part of the meeting's record that has texts to translate."""
    return [
        *AgendaItem.objects.filter(meeting=meeting),
        *Statement.objects.filter(agenda_item__meeting=meeting),
        *Conclusion.objects.filter(meeting=meeting),
        *ActionPoint.objects.filter(meeting=meeting),
    ]


def test_the_data_says_it_is_an_unofficial_translation():
    data = json.loads((loader.DATA / "translations_ru.json").read_text(encoding="utf-8"))
    assert data["language"] == "ru"
    assert data["status"] == (
        "unofficial translation made for the demonstration; the reference document exists in "
        "English only"
    )


def test_the_24th_meeting_reads_in_russian_and_english_stays_authoritative(demo):
    assert demo.authoritative_language == "en"
    assert demo.title == "24th Meeting of the Senior Officials of the Budapest Process"
    with translation.override("ru"):
        meeting = Meeting.objects.get(pk=demo.pk)
        assert (meeting.title, meeting.city) == (TITLE_RU, "Анталья")
        assert meeting.conclusions_intro.startswith("В заключение Секретариат")
        assert meeting.dialogue.name == "Будапештский процесс"
        # The page's note on the data tells the reader the Russian is unofficial, in Russian.
        assert "Русская версия — неофициальный перевод" in meeting.data_note
    assert "unofficial translation made for the demonstration" in demo.data_note
    statuses = translations_of(demo)
    assert statuses["title"]["en"]["status"] == "original"
    assert statuses["title"]["ru"]["status"] == CURRENT
    assert statuses["data_note"]["ru"]["status"] == CURRENT


def test_every_text_of_the_record_has_a_current_russian_translation(demo):
    parts = _record(demo)
    assert len(parts) == 7 + 19 + 3 + 1
    for part in parts:
        for name, languages in translations_of(part).items():
            if not languages["en"]["text"]:
                continue  # nothing to translate (a statement-less item's empty field)
            russian = languages["ru"]
            assert russian["status"] == CURRENT, (part, name)
            assert CYRILLIC.search(russian["text"]), (part, name)
    item = AgendaItem.objects.get(meeting=demo, parent=None, position=4)
    with translation.override("ru"):
        item.refresh_from_db()
        assert item.title.startswith("Глобальный договор о безопасной")
        # The record's Markdown list stays a list.
        assert "\n- определить ряд принципов" in item.record


def test_every_participant_at_the_meeting_has_its_russian_name_and_genitive(demo):
    for delegation in demo.delegations.select_related("participant"):
        name = delegation.participant.name_on(demo.start_date)
        assert CYRILLIC.search(name.name_ru) or name.name_ru == "Frontex", name
        assert CYRILLIC.search(name.forms["ru"]["genitive"]), name
    macedonia = ParticipantName.objects.get(participant__iso_code="MK", valid_from=None)
    assert macedonia.name_ru == "бывшая югославская Республика Македония"
    assert macedonia.forms == {"ru": {"genitive": "бывшей югославской Республики Македония"}}
    with translation.override("ru"):
        assert Participant.objects.get(slug="iom").names.get().in_prose == (
            "Международная организация по миграции (МОМ)"
        )


def test_the_russian_attendance_paragraph(demo):
    paragraph = meeting_attendance(meeting=demo, language="ru").paragraph()
    assert "50 участников из 22 стран – " in paragraph
    assert "Афганистана" in paragraph and "Исламской Республики Иран" in paragraph
    assert "а также Европейской комиссии" in paragraph
    assert "Frontex – Европейского агентства пограничной и береговой охраны" in paragraph
    assert "Международного центра по развитию миграционной политики (МЦРМП)" in paragraph
    assert not meeting_attendance(meeting=demo, language="ru").missing_forms


def test_a_changed_or_outdated_translation_is_saved_again_and_twice_changes_nothing():
    load_demo()
    site = Site.objects.get(name_en="Migrant Resource Centre Lahore")
    Site.objects.filter(pk=site.pk).update(name_ru="Правка")
    statement = Statement.objects.get(text_en__startswith="Iran underlined")
    digest = statement.translated_from["text"]["ru"]
    # As if the English had changed since: the same Russian text is outdated.
    Statement.objects.filter(pk=statement.pk).update(
        translated_from={"text": {"ru": "the digest of an older original"}}
    )
    report = load_demo()
    assert report.kinds["projects.Site (ru)"]["updated"] == 1
    assert report.kinds["meetings.Statement (ru)"]["updated"] == 1
    assert report.total("updated") == 2 and report.total("created") == 0
    site.refresh_from_db()
    assert site.name_ru == "Центр ресурсов для мигрантов в Лахоре"
    assert site.version == 3 and site.history.latest().history_type == "~"
    statement.refresh_from_db()
    assert statement.translated_from["text"]["ru"] == digest
    assert not load_demo().changed


def _translate(change) -> None:
    """Load the Russian translation, changed by `change`, over the loaded demo."""
    data = json.loads((loader.DATA / "translations_ru.json").read_text(encoding="utf-8"))
    change(data)
    step = loader._Loader()
    step.dialogue = Dialogue.objects.get(slug=data["dialogue"])
    load_translations(data, step)


def _extra_agenda_item(data):
    agenda = data["meetings"]["24th-senior-officials-meeting-antalya-2016"]["agenda"]
    agenda.append({"title": "Лишний пункт"})


def test_a_translation_of_a_row_that_is_not_there_is_named(demo):
    with pytest.raises(DemoDataRefused, match="No meetings.AgendaItem 8 of 24th Meeting"):
        _translate(_extra_agenda_item)


def test_a_field_that_is_not_translated_is_refused(demo):
    with pytest.raises(DemoDataRefused, match="participants.Participant 'iom'.*acronym"):
        _translate(lambda data: data["participants"]["iom"].update(acronym="МОМ"))


def test_a_translation_is_checked_like_its_original(demo):
    def unknown_case(data):
        data["participants"]["iom"]["names"][0]["forms"]["vocative"] = "МОМ"

    with pytest.raises(DemoDataRefused, match="ParticipantName None of International.*vocative"):
        _translate(unknown_case)
    with pytest.raises(
        DemoDataRefused, match="Dialogue 'budapest-process'.*authoritative language"
    ):
        _translate(lambda data: data.update(language="en"))


def test_the_24th_meetings_page_in_russian(client, demo):
    page = client.get(f"/ru/meetings/{demo.slug}/").content.decode()
    assert f"<h1>{TITLE_RU}</h1>" in page
    assert "<strong>50 участников из 22 стран</strong>" in page
    assert "Страны-участницы приветствуют предложенную рамочную основу" in page
    # English is the authoritative version, and the note on the data says, in Russian, that
    # the Russian is an unofficial translation made for the demo.
    assert "Русская версия — неофициальный перевод, сделанный для демонстрации" in page
    assert "unofficial translation made for the demonstration" not in page
    english = client.get(f"/meetings/{demo.slug}/").content.decode()
    assert "unofficial translation made for the demonstration" in english
