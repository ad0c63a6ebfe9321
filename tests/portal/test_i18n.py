"""The portal in Russian: navigation, headings, choice labels, dates and numbers by locale.
The language is the URL's (`/ru/...`); see tests/portal/test_language_urls.py."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def in_russian(name, *args):
    with translation.override("ru"):
        return reverse(name, args=args)


def test_the_meeting_page_reads_in_russian_under_ru(client, demo):
    text = client.get(in_russian("meeting-detail", demo.slug)).text
    assert '<html lang="ru">' in text
    for russian in ("Совещания", "Календарь", "Резюме/выводы", "Председатель", "Проведено"):
        assert russian in text, russian
    assert "15 декабря 2016" in text


def test_the_language_switcher_keeps_the_page(client, demo):
    response = client.post(
        reverse("set_language"), {"language": "ru", "next": reverse("meeting-list")}
    )
    assert response.status_code == 302 and response["Location"] == "/ru/meetings/"
    text = client.get(response["Location"]).text
    assert "Фильтр совещаний" in text and "1 совещание" in text
    response = client.post(in_russian("set_language"), {"language": "en", "next": "/ru/meetings/"})
    assert response["Location"] == "/meetings/"
    assert "Filter meetings" in client.get(response["Location"]).text


def test_numbers_follow_the_locale(client, demo):
    from projects.models import Project

    project = Project.objects.filter(budget_amount__gte=1000).first()
    english = client.get(reverse("project-detail", args=[project.slug])).text
    russian = client.get(in_russian("project-detail", project.slug)).text
    amount = f"{int(project.budget_amount):,}"
    assert amount in english
    assert amount.replace(",", "\xa0") in russian
