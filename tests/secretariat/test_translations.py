"""The workspace's translations: a meeting's and a project's fields side by side with their
originals, saved in place and version-checked, and the list of what needs translating."""

import pytest
from django.urls import reverse

from bpdialogue.services import save_translation
from meetings.models import AgendaItem, Meeting
from tests.factories import (
    AgendaItemFactory,
    ConclusionFactory,
    MeetingFactory,
    ProjectFactory,
    SiteFactory,
    StatementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def staff(client):
    user = UserFactory(secretariat=True)
    client.force_login(user)
    return user


def _save_url(item, field="title", language="ru", kind="agenda-item"):
    return reverse("secretariat:translation-save", args=[kind, item.pk, field, language])


def test_the_meetings_translations_show_original_and_translation_side_by_side(client, staff):
    meeting = MeetingFactory(title="24th Senior Officials Meeting", title_ru="24-е совещание")
    item = AgendaItemFactory(meeting=meeting, title="Opening", record="")
    page = client.get(reverse("secretariat:meeting-translations", args=[meeting.slug]))
    assert page.status_code == 200
    rows = {(row.kind, row.field): row for row in page.context["rows"]}
    assert rows["meeting", "title"].original == "24th Senior Officials Meeting"
    assert rows["meeting", "title"].translation == "24-е совещание"
    # Made outside the service, so no digest: not known to be current.
    assert rows["meeting", "title"].status == "outdated"
    assert rows["agenda-item", "title"].status == "missing"
    assert ("agenda-item", "record") not in rows  # an empty original needs no translation
    html = page.content.decode()
    assert 'lang="en" class="ws-translation-original">Opening' in html
    assert f'id="translation-agenda-item-{item.pk}-title-ru"' in html
    assert "Authoritative version: English" in html


def test_a_translation_saved_in_place_turns_current_and_outdated_after_an_edit(client, staff):
    item = AgendaItemFactory(meeting__record_status=Meeting.RecordStatus.DRAFT, title="Opening")
    response = client.post(_save_url(item), {"text": "Открытие", "version": item.version}, **HTMX)
    assert response.status_code == 200
    assert response.context["row"].status == "current"
    assert 'data-status="current"' in response.content.decode()
    item.refresh_from_db()
    assert item.title_ru == "Открытие"
    # The original edited through the workspace's form: the translation is behind.
    edit = reverse("secretariat:edit", kwargs={"part": "agenda-item", "pk": item.pk})
    client.post(edit, {"title": "Opening session", "version": item.version})
    page = client.get(reverse("secretariat:meeting-translations", args=[item.meeting.slug]))
    [row] = [r for r in page.context["rows"] if r.kind == "agenda-item" and r.field == "title"]
    assert (row.original, row.translation, row.status) == (
        "Opening session",
        "Открытие",
        "outdated",
    )


def test_a_translation_saved_over_a_newer_version_is_refused_with_theirs_shown(client, staff):
    item = AgendaItemFactory(title="Opening")
    seen = item.version
    save_translation(item, "title", "ru", "Начало", user=staff, expected_version=seen)
    response = client.post(_save_url(item), {"text": "Открытие", "version": seen}, **HTMX)
    assert response.status_code == 409
    row = response.context["row"]
    assert (row.theirs, row.translation, row.version) == ("Начало", "Открытие", seen + 1)
    assert AgendaItem.objects.get(pk=item.pk).title_ru == "Начало"


def test_a_refused_translation_says_why_and_keeps_the_text(client, staff):
    statement = StatementFactory()
    url = _save_url(statement, field="text", kind="statement")
    response = client.post(url, {"text": "<b>Нет</b>", "version": statement.version}, **HTMX)
    assert response.status_code == 400
    assert "HTML is not allowed" in response.context["row"].error
    assert response.context["row"].translation == "<b>Нет</b>"
    # Into the original's language, or without a version: refused, never a 500.
    english = client.post(
        _save_url(statement, field="text", language="en", kind="statement"),
        {"text": "x", "version": statement.version},
        **HTMX,
    )
    assert english.status_code == 400
    assert client.post(url, {"text": "x"}, **HTMX).status_code == 400
    assert client.post(_save_url(statement, kind="nothing"), {"text": "x"}).status_code == 404


def test_without_the_script_a_save_returns_to_the_page(client, staff):
    item = AgendaItemFactory(title="Opening")
    page = reverse("secretariat:meeting-translations", args=[item.meeting.slug])
    response = client.post(
        _save_url(item), {"text": "Открытие", "version": item.version, "next": page}
    )
    assert response.status_code == 302 and response.url == page
    evil = client.post(
        _save_url(item),
        {"text": "Открытие!", "version": item.version + 1, "next": "https://evil.example/"},
    )
    assert evil.url == reverse("secretariat:translations")


def test_the_projects_translations_list_the_project_and_its_sites(client, staff):
    project = ProjectFactory(title="Silk Routes Partnership", description="Help.")
    site = SiteFactory(project=project, name="Migrant Resource Centre Kabul")
    page = client.get(reverse("secretariat:project-translations", args=[project.slug]))
    assert page.status_code == 200
    assert {(row.kind, row.field) for row in page.context["rows"]} >= {
        ("project", "title"),
        ("project", "description"),
        ("site", "name"),
    }
    response = client.post(
        _save_url(site, field="name", kind="site"),
        {"text": "Центр ресурсов для мигрантов, Кабул", "version": site.version},
        **HTMX,
    )
    assert response.context["row"].status == "current"


def test_the_meeting_form_chooses_the_authoritative_language(client, staff):
    meeting = MeetingFactory()
    page = client.get(reverse("secretariat:meeting-details", args=[meeting.slug]))
    assert "authoritative_language" in page.context["form"].fields


def _needs_translating(client, **query):
    return client.get(reverse("secretariat:translations"), query)


def test_needs_translating_counts_per_language_and_status_and_filters(client, staff):
    meeting = MeetingFactory(title="Meeting", topic="", city="", venue="")
    AgendaItemFactory(meeting=meeting, title="Opening", record="")
    done = AgendaItemFactory(meeting=meeting, title="Closing", record="")
    save_translation(done, "title", "ru", "Закрытие", user=staff, expected_version=done.version)
    behind = ConclusionFactory(meeting=meeting, text="Agreed.")
    save_translation(behind, "text", "ru", "Согласовано.", user=staff, expected_version=1)
    behind.refresh_from_db()
    from meetings.services import record_part_update

    behind.meeting.record_status = Meeting.RecordStatus.DRAFT
    Meeting.objects.filter(pk=meeting.pk).update(record_status=Meeting.RecordStatus.DRAFT)
    record_part_update(
        part=behind, expected_version=behind.version, changes={"text": "Agreed by all."}
    )
    page = _needs_translating(client)
    assert page.status_code == 200
    russian = next(line for line in page.context["counts"] if line["language"] == "ru")
    kinds = {(row.kind, row.status) for row in page.context["rows"]}
    assert ("agenda-item", "missing") in kinds and ("conclusion", "outdated") in kinds
    assert all(row.status in ("missing", "outdated") for row in page.context["rows"])
    assert russian["current"] >= 1 and russian["outdated"] >= 1 and russian["missing"] >= 2

    current = _needs_translating(client, status="current", language="ru", kind="agenda-item")
    assert [(r.pk, r.translation) for r in current.context["rows"]] == [(done.pk, "Закрытие")]
    outdated = _needs_translating(client, status="outdated", kind="conclusion")
    [row] = outdated.context["rows"]
    assert (row.original, row.meeting_slug) == ("Agreed by all.", meeting.slug)
    # Unknown filter values are ignored, not an error.
    assert _needs_translating(client, status="nonsense", kind="x").status_code == 200


def test_needs_translating_runs_the_same_queries_whatever_the_number_of_records(
    client, staff, django_assert_num_queries
):
    def fill(size):
        for _ in range(size):
            meeting = MeetingFactory()
            AgendaItemFactory.create_batch(2, meeting=meeting)
            StatementFactory(agenda_item__meeting=meeting)
            SiteFactory()

    fill(1)
    client.get(reverse("secretariat:translations"))  # the session, warmed
    # The session and the user, then per kind of record (17) whatever their number: the
    # missing counted, the translated read, the first missing read.
    with django_assert_num_queries(55) as small:
        _needs_translating(client)
    fill(5)
    with django_assert_num_queries(len(small.captured_queries)):
        _needs_translating(client)
