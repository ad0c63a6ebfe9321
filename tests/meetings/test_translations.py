"""Content in English and Russian (#14): a translation's status (missing, current, outdated),
the one service that writes translations, and every door through which an original changes
marking its translations outdated."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from bpdialogue.models import VersionConflict
from bpdialogue.services import save_translation
from bpdialogue.translations import (
    authoritative_language,
    field_status,
    text_digest,
    translated_fields,
    translations_of,
)
from meetings import services as meeting_services
from meetings.models import AgendaItem, Meeting, Statement
from tests.api.conftest import secretariat_client
from tests.factories import (
    AgendaItemFactory,
    MeetingFactory,
    ProjectFactory,
    SiteFactory,
    StatementFactory,
    UserFactory,
)
from tests.secretariat.test_no_lost_work import form_data

pytestmark = pytest.mark.django_db

DRAFT = Meeting.RecordStatus.DRAFT


def _status(obj, field="title", language="ru"):
    obj.refresh_from_db()
    return translations_of(obj)[field][language]["status"]


def _translate(obj, text, field="title", language="ru", user=None):
    return save_translation(obj, field, language, text, user=user, expected_version=obj.version)


def test_digest_ignores_line_endings_and_trailing_spaces_but_not_words():
    assert text_digest("One.\r\nTwo.  ") == text_digest("One.\nTwo.")
    assert text_digest("One.") != text_digest("One!")


def test_field_status_missing_current_outdated():
    original = "Opening of the meeting"
    assert field_status(original, "", None) == "missing"
    assert field_status(original, "Открытие", text_digest(original)) == "current"
    assert field_status(original, "Открытие", text_digest("Opening")) == "outdated"
    # Nothing to translate is never "missing".
    assert field_status("", "", None) == "current"


def test_parts_take_their_meetings_and_projects_authoritative_language():
    meeting = MeetingFactory(authoritative_language="ru")
    statement = StatementFactory(agenda_item__meeting=meeting)
    assert authoritative_language(statement) == "ru"
    assert authoritative_language(statement.agenda_item) == "ru"
    site = SiteFactory(project=ProjectFactory(authoritative_language="ru"))
    assert authoritative_language(site) == "ru"
    assert authoritative_language(meeting.dialogue) == "en"
    assert translated_fields(AgendaItem) == ("title", "session_label", "record")


def test_missing_then_current_then_outdated_when_the_original_is_edited():
    item = AgendaItemFactory(meeting__record_status=DRAFT, title="Opening of the meeting")
    assert _status(item) == "missing"
    _translate(item, "Открытие совещания")
    assert _status(item) == "current"
    assert item.title_ru == "Открытие совещания" and item.title_en == "Opening of the meeting"
    assert item.translated_from == {"title": {"ru": text_digest("Opening of the meeting")}}

    meeting_services.record_part_update(
        part=item, expected_version=item.version, changes={"title": "Opening"}
    )
    assert _status(item) == "outdated"
    # The other fields of the record keep their own status.
    assert _status(item, "record") == "missing"
    # Translated again from the new original: current again.
    _translate(item, "Открытие")
    assert _status(item) == "current"


def test_an_original_edited_in_russian_still_goes_into_the_english_column():
    item = AgendaItemFactory(meeting__record_status=DRAFT, title="Opening")
    _translate(item, "Открытие")
    with translation.override("ru"):
        meeting_services.record_part_update(
            part=item, expected_version=item.version, changes={"title": "Opening session"}
        )
        item.refresh_from_db()
        assert item.title == "Открытие"  # read in Russian
    assert (item.title_en, item.title_ru) == ("Opening session", "Открытие")
    with translation.override("ru"):
        created = meeting_services.agenda_item_create(meeting=item.meeting, title="Closing")
    assert (created.title_en, created.title_ru) == ("Closing", None)


def test_reading_in_russian_falls_back_to_the_authoritative_text():
    item = AgendaItemFactory(title="Opening", record="The floor was opened.")
    _translate(item, "Открытие")
    with translation.override("ru"):
        item.refresh_from_db()
        assert item.title == "Открытие"
        assert item.record == "The floor was opened."


def test_a_russian_meeting_has_its_originals_in_russian():
    meeting = MeetingFactory(authoritative_language="ru", record_status=DRAFT)
    item = meeting_services.agenda_item_create(meeting=meeting, title="Открытие")
    assert (item.title_ru, item.title_en) == ("Открытие", None)
    assert _status(item, language="en") == "missing"
    with pytest.raises(ValidationError) as refused:
        _translate(item, "Открытие", language="ru")
    assert "authoritative language" in str(refused.value)
    _translate(item, "Opening", language="en")
    assert _status(item, language="en") == "current"


def test_a_translation_is_validated_like_its_original():
    statement = StatementFactory(agenda_item__meeting__record_status=DRAFT)
    with pytest.raises(ValidationError) as refused:
        _translate(statement, "Делегация <b>подчеркнула</b>.", field="text")
    assert "text_ru" in refused.value.message_dict
    with pytest.raises(ValidationError):
        _translate(statement, "Д" * 5_001, field="text")
    with pytest.raises(ValidationError):
        _translate(statement, "x", field="position")
    with pytest.raises(ValidationError):
        _translate(statement, "x", field="text", language="de")
    statement.refresh_from_db()
    assert statement.text_ru is None and statement.translated_from == {}


def test_a_translation_checks_the_version_and_is_kept_in_the_history():
    item = AgendaItemFactory(title="Opening")
    user = UserFactory(secretariat=True)
    seen = item.version
    _translate(item, "Открытие", user=user)
    with pytest.raises(VersionConflict):
        save_translation(item, "title", "ru", "Начало", user=user, expected_version=seen)
    item.refresh_from_db()
    assert item.title_ru == "Открытие" and item.version == seen + 1
    last = item.history.first()
    assert (last.title_ru, last.history_user) == ("Открытие", user)


def test_an_empty_translation_is_missing_again():
    item = AgendaItemFactory(title="Opening")
    _translate(item, "Открытие")
    item.refresh_from_db()
    _translate(item, "  ")
    assert _status(item) == "missing"
    assert item.translated_from == {}


def test_a_published_record_can_be_translated():
    # The English record is out; its Russian follows without reopening it.
    item = AgendaItemFactory(title="Opening")
    assert item.meeting.record_status == Meeting.RecordStatus.PUBLISHED
    _translate(item, "Открытие")
    assert _status(item) == "current"


# -- every door through which an original changes ---------------------------------------------


def test_the_workspace_edit_form_marks_the_translation_outdated(client):
    client.force_login(UserFactory(secretariat=True))
    item = AgendaItemFactory(meeting__record_status=DRAFT, title="Opening")
    _translate(item, "Открытие")
    item.refresh_from_db()
    url = reverse("secretariat:edit", kwargs={"part": "agenda-item", "pk": item.pk})
    with translation.override("ru"):
        page = client.get(url)
        # The form offers the original to edit, not the Russian reading of it.
        assert page.context["form"]["title"].value() == "Opening"
        response = client.post(url, form_data(page.context["form"], title="Opening of the meeting"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title_en, item.title_ru) == ("Opening of the meeting", "Открытие")
    assert _status(item) == "outdated"


def test_the_record_tab_marks_the_narratives_translation_outdated(client):
    client.force_login(UserFactory(secretariat=True))
    item = AgendaItemFactory(meeting__record_status=DRAFT, record="Opened.")
    _translate(item, "Открыто.", field="record")
    item.refresh_from_db()
    url = reverse("secretariat:record-save", args=[item.meeting.slug, item.pk])
    response = client.post(
        url,
        {
            f"r{item.pk}-record": "Opened at nine.",
            f"r{item.pk}-statement_layout": item.statement_layout,
            f"r{item.pk}-version": item.version,
        },
    )
    assert response.status_code in (200, 302)
    assert _status(item, "record") == "outdated"


def test_an_api_write_of_the_original_marks_the_translation_outdated():
    statement = StatementFactory(agenda_item__meeting__record_status=DRAFT, text="Said so.")
    _translate(statement, "Так сказано.", field="text")
    writer = secretariat_client()
    url = f"/api/v1/statements/{statement.uid}/"
    etag = writer.get(url, HTTP_ACCEPT_LANGUAGE="ru")["ETag"]
    response = writer.patch(
        url,
        {"text": "Said so, twice."},
        format="json",
        HTTP_IF_MATCH=etag,
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 200, response.content
    statement = Statement.objects.get(pk=statement.pk)
    assert (statement.text_en, statement.text_ru) == ("Said so, twice.", "Так сказано.")
    assert _status(statement, "text") == "outdated"


def test_the_admin_does_not_edit_originals():
    # Superusers read the records in the admin; they change them in the workspace, whose
    # doors are tested above.
    from django.contrib import admin

    model_admin = admin.site._registry[AgendaItem]
    assert not model_admin.has_change_permission(None)


def test_a_published_revision_keeps_every_languages_text():
    from meetings.revisions import record_snapshot

    meeting = MeetingFactory(title="24th meeting")
    _translate(meeting, "24-е совещание")
    meeting.refresh_from_db()
    item = AgendaItemFactory(meeting=meeting, title="Opening")
    _translate(item, "Открытие")
    snapshot = record_snapshot(meeting=meeting)
    assert (snapshot["meeting"]["title_en"], snapshot["meeting"]["title_ru"]) == (
        "24th meeting",
        "24-е совещание",
    )
    [row] = snapshot["rows"][:1]
    assert row["fields"]["title_ru"] == "Открытие"
