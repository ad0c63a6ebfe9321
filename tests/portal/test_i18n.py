"""The portal in Russian: navigation, headings, choice labels, dates and numbers by locale."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_meeting_page_reads_in_russian_when_the_browser_asks_for_it(client, demo):
    text = client.get(demo.get_absolute_url(), headers={"accept-language": "ru"}).text
    assert '<html lang="ru">' in text
    for russian in ("Встречи", "Календарь", "Резюме и выводы", "Председатель", "Проведена"):
        assert russian in text, russian
    assert "15 декабря 2016" in text
    # The record itself stays in the words it was adopted in.
    assert "50 participants from 22 countries" in text


def test_the_language_switcher_keeps_the_choice(client, demo):
    response = client.post(
        reverse("set_language"), {"language": "ru", "next": reverse("meeting-list")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("meeting-list")
    text = client.get(reverse("meeting-list")).text
    assert "Фильтр встреч" in text and "1 встреча" in text
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Filter meetings" in client.get(reverse("meeting-list")).text


def test_numbers_follow_the_locale(client, demo):
    from projects.models import Project

    project = Project.objects.filter(budget_amount__gte=1000).first()
    english = client.get(reverse("project-detail", args=[project.slug])).text
    russian = client.get(
        reverse("project-detail", args=[project.slug]), headers={"accept-language": "ru"}
    ).text
    amount = f"{int(project.budget_amount):,}"
    assert amount in english
    assert amount.replace(",", "\xa0") in russian
