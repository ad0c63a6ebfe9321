"""The language in the URL: English without a prefix, Russian under /ru/; the switcher keeps
the page; each page names its other language's version (hreflang); what is not a page (the
API, feeds, downloads, the probes) has no prefix and answers in the language asked for."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return MeetingFactory(title="Fourth Thematic Meeting on Return", status="held")


def test_a_russian_meeting_page_shows_the_interface_in_russian(client, meeting):
    response = client.get(f"/ru/meetings/{meeting.slug}/")
    text = response.text
    assert response.status_code == 200 and response["Content-Language"] == "ru"
    assert '<html lang="ru">' in text
    for russian in ("Совещания", "Пункты действий", "Участники", "Проекты", "Поиск"):
        assert russian in text, russian
    assert ">Meetings<" not in text
    # Links on a Russian page lead to Russian pages.
    assert 'href="/ru/meetings/"' in text and 'href="/meetings/"' not in text


def test_english_stays_unprefixed_whatever_the_browser_or_cookie_asks(client, meeting):
    client.cookies["django_language"] = "ru"
    response = client.get(f"/meetings/{meeting.slug}/", headers={"accept-language": "ru"})
    assert response.status_code == 200 and response["Content-Language"] == "en"
    assert '<html lang="en">' in response.text and ">Meetings<" in response.text
    assert reverse("meeting-detail", args=[meeting.slug]) == f"/meetings/{meeting.slug}/"


def test_each_page_names_its_versions_in_both_languages(client, meeting):
    english = f"http://testserver/meetings/{meeting.slug}/?page=2"
    russian = f"http://testserver/ru/meetings/{meeting.slug}/?page=2"
    for path in (f"/meetings/{meeting.slug}/?page=2", f"/ru/meetings/{meeting.slug}/?page=2"):
        text = client.get(path).text
        assert f'<link rel="alternate" hreflang="en" href="{english}">' in text
        assert f'<link rel="alternate" hreflang="ru" href="{russian}">' in text
        assert f'<link rel="alternate" hreflang="x-default" href="{english}">' in text


def test_a_missing_page_names_no_versions(client):
    response = client.get("/ru/meetings/no-such-meeting/")
    assert response.status_code == 404 and "Не найдено" in response.text
    assert "hreflang" not in response.text


@pytest.mark.parametrize(
    ("language", "next_url", "expected"),
    [
        ("ru", "/meetings/{slug}/?page=2", "/ru/meetings/{slug}/?page=2"),
        ("en", "/ru/meetings/{slug}/", "/meetings/{slug}/"),
        ("ru", "/", "/ru/"),
    ],
)
def test_the_language_switcher_keeps_the_page(client, meeting, language, next_url, expected):
    # The switcher posts to the switch's address in the language of the page it is on.
    switch = "/ru/i18n/setlang/" if next_url.startswith("/ru/") else "/i18n/setlang/"
    response = client.post(
        switch, {"language": language, "next": next_url.format(slug=meeting.slug)}
    )
    assert response.status_code == 302
    assert response["Location"] == expected.format(slug=meeting.slug)


def test_the_switcher_on_a_page_sends_that_page(client, meeting):
    text = client.get(f"/ru/meetings/{meeting.slug}/").text
    assert f'name="next" value="/ru/meetings/{meeting.slug}/"' in text
    assert 'action="/ru/i18n/setlang/"' in text


def test_the_workspace_has_a_russian_address_too(client):
    client.force_login(UserFactory(secretariat=True))
    with translation.override("ru"):
        assert reverse("secretariat:dashboard") == "/ru/secretariat/"
    with translation.override("en"):
        assert reverse("secretariat:dashboard") == "/secretariat/"


@pytest.mark.parametrize("path", ["/api/v1/meetings/", "/readyz", "/healthz"])
def test_what_is_not_a_page_has_no_russian_address(client, path):
    assert client.get(f"/ru{path}").status_code == 404


def test_the_api_answers_in_the_language_asked_for_without_a_prefix(client, meeting):
    assert (
        client.get("/api/v1/meetings/", headers={"accept-language": "ru"})["Content-Language"]
        == "ru"
    )
    assert client.get("/api/v1/meetings/")["Content-Language"] == "en"
    with translation.override("ru"):
        assert reverse("action-points-ics") == "/action-points.ics"
        assert reverse("readyz") == "/readyz"


def test_every_portal_page_reads_in_russian_under_ru(client, demo):
    from participants.models import Participant
    from projects.models import Project
    from workplans.models import Workplan

    pages = [
        ("home", ()),
        ("meeting-list", ()),
        ("meeting-detail", (demo.slug,)),
        ("meeting-calendar", ()),
        ("action-point-list", ()),
        ("participant-list", ()),
        ("participant-detail", (Participant.objects.filter(kind="state").first().slug,)),
        ("project-list", ()),
        ("project-detail", (Project.objects.first().slug,)),
        ("workplan-list", ()),
        ("workplan-detail", (Workplan.objects.first().uid,)),
        ("analytics", ()),
        ("search", ()),
        ("login", ()),
        ("password_reset", ()),
    ]
    for name, args in pages:
        with translation.override("ru"):
            path = reverse(name, args=args)
        assert path.startswith("/ru/"), path
        response = client.get(path)
        text = response.text
        assert response.status_code == 200, path
        assert '<html lang="ru">' in text and "Будапештский процесс" in text, path
        for english in (">Meetings<", ">Search<", ">Sign in<", "Skip to content"):
            assert english not in text, (path, english)
