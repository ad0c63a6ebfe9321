"""The API in the caller's language (#14): `?lang=` or Accept-Language chooses it, translated
texts come in it with the authoritative text where a translation is missing, and a record on
its own lists every translation with its status."""

import pytest

from bpdialogue.translations import text_digest
from meetings.models import AgendaItem, Meeting
from tests.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db

MEETINGS = "/api/v1/meetings/"


@pytest.fixture
def meeting():
    meeting = MeetingFactory(
        title_en="24th Senior Officials Meeting",
        title_ru="24-е совещание старших должностных лиц",
        topic_en="Return and reintegration",
        city_en="Istanbul",
        city_ru="Стамбул",
        translated_from={
            "title": {"ru": text_digest("24th Senior Officials Meeting")},
            "city": {"ru": text_digest("Ankara")},  # made from an earlier original
        },
        record_status=Meeting.RecordStatus.DRAFT,
    )
    AgendaItemFactory(
        meeting=meeting, position=1, title_en="Opening", record_en="Opened at nine.", record_ru=""
    )
    return meeting


def test_lang_chooses_the_language_and_falls_back_to_the_original(api, meeting):
    russian = api.get(f"{MEETINGS}{meeting.uid}/", {"lang": "ru"})
    assert russian.status_code == 200
    assert russian["Content-Language"] == "ru"
    assert "Accept-Language" in russian["Vary"]
    body = russian.json()
    assert body["title"] == "24-е совещание старших должностных лиц"
    assert body["city"] == "Стамбул"
    # No Russian topic, no Russian agenda item title: the authoritative English.
    assert body["topic"] == "Return and reintegration"
    assert body["agenda_items"][0]["title"] == "Opening"
    assert body["language"] == "ru" and body["authoritative_language"] == "en"

    english = api.get(f"{MEETINGS}{meeting.uid}/").json()
    assert english["title"] == "24th Senior Officials Meeting"
    assert english["language"] == "en"


def test_accept_language_chooses_it_too_and_lists_are_translated(api, meeting):
    response = api.get(MEETINGS, HTTP_ACCEPT_LANGUAGE="ru,en;q=0.5")
    assert response["Content-Language"] == "ru"
    assert [row["title"] for row in response.json()["data"]] == [
        "24-е совещание старших должностных лиц"
    ]
    # Lists do not carry the translations: a record on its own does.
    assert "translations" not in response.json()["data"][0]
    # ?lang= wins over the header.
    english = api.get(MEETINGS, {"lang": "en"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert english["Content-Language"] == "en"
    assert english.json()["data"][0]["title"] == "24th Senior Officials Meeting"
    assert english.json()["links"]["self"].endswith("?lang=en")


def test_an_unknown_language_is_a_400_naming_the_parameter(api, meeting):
    response = api.get(MEETINGS, {"lang": "de"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert list(error["fields"]) == ["lang"]
    assert "en, ru" in error["message"]


def test_details_list_every_translation_with_its_status(api, meeting):
    translations = api.get(f"{MEETINGS}{meeting.uid}/").json()["translations"]
    assert translations["title"] == {
        "en": {"text": "24th Senior Officials Meeting", "status": "original"},
        "ru": {"text": "24-е совещание старших должностных лиц", "status": "current"},
    }
    assert translations["city"]["ru"] == {"text": "Стамбул", "status": "outdated"}
    assert translations["topic"]["ru"] == {"text": "", "status": "missing"}

    # The original changes: its translation is outdated from then on.
    Meeting.objects.filter(pk=meeting.pk).update(title_en="24th Senior Officials' Meeting")
    again = api.get(f"{MEETINGS}{meeting.uid}/").json()["translations"]
    assert again["title"]["ru"]["status"] == "outdated"


def test_texts_the_caller_may_not_read_are_in_no_language(api, meeting):
    item = AgendaItem.objects.get(meeting=meeting)
    AgendaItem.objects.filter(pk=item.pk).update(record_ru="Открыто в девять.")
    body = api.get(f"/api/v1/agenda-items/{item.uid}/", {"lang": "ru"}).json()
    assert body["record"] is None
    assert "record" not in body["translations"]
    assert body["translations"]["title"]["en"]["status"] == "original"
    assert "Открыто" not in str(body) and "Opened" not in str(body)


def test_each_language_is_cached_apart(api, meeting):
    url = f"{MEETINGS}{meeting.uid}/"
    for _ in range(2):
        assert api.get(url, HTTP_ACCEPT_LANGUAGE="ru").json()["title"].startswith("24-е")
        assert api.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["title"].startswith("24th")
