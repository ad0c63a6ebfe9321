"""The portal in the reader's language (#14): content in Russian where it exists, the
authoritative text marked "not translated" where it does not."""

import pytest
from django.urls import reverse
from django.utils import translation

from bpdialogue.services import save_translation
from projects.models import Project
from tests.factories import (
    AgendaItemFactory,
    ConclusionFactory,
    MeetingFactory,
    ProjectFactory,
    SiteFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db


def _page(client, obj, language="ru"):
    # The language is in the address (/ru/...), as the portal's links give it.
    with translation.override(language):
        path = (
            reverse("project-detail", args=[obj.slug])
            if isinstance(obj, Project)
            else obj.get_absolute_url()
        )
        return client.get(path).content.decode()


def test_a_russian_page_shows_russian_and_marks_what_is_not_translated(client):
    meeting = MeetingFactory(title="24th Senior Officials Meeting")
    save_translation(
        meeting,
        "title",
        "ru",
        "24-е совещание старших должностных лиц",
        user=None,
        expected_version=meeting.version,
    )
    item = AgendaItemFactory(meeting=meeting, title="Opening", record="Opened at nine.")
    StatementFactory(agenda_item=item, text="Hungary spoke.", text_ru="Выступила Венгрия.")
    ConclusionFactory(meeting=meeting, text="Agreed.")
    page = _page(client, meeting)
    assert "<h1>24-е совещание старших должностных лиц</h1>" in page
    assert '<span class="untranslated" lang="en">Opening <small class="untranslated-label"' in page
    assert '<div class="untranslated" lang="en"><p>Opened at nine.</p>' in page
    assert "Выступила Венгрия." in page and "Hungary spoke." not in page
    assert '<div class="untranslated" lang="en"><p>Agreed.</p>' in page
    # The authoritative version is named on the page.
    assert "<dd>English</dd>" in page

    english = _page(client, meeting, "en")
    assert "<h1>24th Senior Officials Meeting</h1>" in english
    assert "<h3>Opening</h3>" in english
    assert 'class="untranslated"' not in english


def test_a_russian_meeting_read_in_english_marks_its_russian_originals(client):
    meeting = MeetingFactory(authoritative_language="ru", title_ru="Совещание", title_en="")
    page = _page(client, meeting, "en")
    assert '<span class="untranslated" lang="ru">Совещание' in page


def test_the_project_page_in_russian(client):
    project = ProjectFactory(title="Silk Routes", title_ru="Шёлковый путь", description="Help.")
    SiteFactory(project=project, name="Centre")
    page = _page(client, project)
    assert "Шёлковый путь" in page
    assert '<div class="untranslated" lang="en"><p>Help.</p>' in page
    assert '<span class="untranslated" lang="en">Centre' in page
