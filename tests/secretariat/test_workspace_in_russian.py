"""The secretariat's workspace in Russian (/ru/secretariat/...): the dashboard, every tab of a
meeting and the people page show Russian headings, buttons and labels, counts take the noun's
Russian form, and messages after a save are Russian too."""

import pytest
from django.urls import reverse
from django.utils import translation

from meetings.models import Meeting
from tests.factories import (
    AgendaItemFactory,
    MeetingFactory,
    PersonFactory,
    StatementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# A Russian word of each tab's own content (its heading or its main button), beside the tabs'
# names, which every tab shows.
TABS = {
    "details": ("Сведения", "Сохранить сведения", "Следующее совещание серии"),
    "agenda": ("Повестка дня", "Добавить пункт"),
    "invitations": ("Приглашения", "Разослать приглашения"),
    "attendance": ("Участие", "Кто присутствовал", "Сохранить всё"),
    "record": ("Запись", "Сохранить текст", "Добавить выступление"),
    "conclusions": ("Выводы", "Добавить вывод", "Добавить пункт действий"),
    "documents": ("Документы", "Сформировать", "Загрузить документ"),
    "history": ("История", "Изменения"),
}
TAB_NAMES = ("Сведения", "Повестка дня", "Приглашения", "Участие", "Выводы и пункты действий")


@pytest.fixture
def staff(client):
    user = UserFactory(secretariat=True)
    client.force_login(user)
    return user


def russian(name, **kwargs):
    with translation.override("ru"):
        return reverse(name, kwargs=kwargs)


def _draft_meeting(statements=0):
    meeting = MeetingFactory(record_status=Meeting.RecordStatus.DRAFT)
    item = AgendaItemFactory(meeting=meeting, position=1)
    for position in range(1, statements + 1):
        StatementFactory(agenda_item=item, position=position)
    return meeting


def test_the_dashboard_is_in_russian(client, staff):
    response = client.get(russian("secretariat:dashboard"))
    text = response.text
    assert response.status_code == 200 and response["Content-Language"] == "ru"
    for words in (
        "Рабочее место секретариата",
        "Предстоящие совещания",
        "Записи в статусе черновика или на рассмотрении",
        "Открытые пункты действий",
        "Новое совещание",
        "Блокировки входа",
    ):
        assert words in text, words
    assert "Upcoming meetings" not in text and ">New meeting<" not in text
    # The workspace's links stay in Russian.
    assert f'href="{russian("secretariat:people")}"' in text


@pytest.mark.parametrize("tab", TABS)
def test_every_tab_of_a_meeting_is_in_russian(client, staff, tab):
    meeting = _draft_meeting(statements=1)
    response = client.get(russian(f"secretariat:meeting-{tab}", slug=meeting.slug))
    text = response.text
    assert response.status_code == 200
    for words in (*TAB_NAMES, *TABS[tab], "Запись:", "Направить на рассмотрение"):
        assert words in text, words
    assert ">Details<" not in text and "Send for review" not in text


def test_the_people_page_is_in_russian(client, staff):
    PersonFactory(given_name="Amina", family_name="Khan")
    text = client.get(russian("secretariat:people")).text
    for words in (
        ">Люди<",
        "Добавить лицо",
        "Импортировать из таблицы",
        "Только действующие контактные лица",
        ">Имя<",
        "Принадлежность",
        "Контактное лицо",
        "1 человек",
    ):
        assert words in text, words
    assert "Add a person" not in text


def test_counts_and_messages_take_the_russian_forms(client, staff):
    meeting = _draft_meeting(statements=5)
    page = client.get(russian("secretariat:meeting-delete", slug=meeting.slug)).text
    # Russian nouns follow the number: 1 пункт, 5 выступлений (not "5 statements").
    assert "1 пункт повестки дня" in page and "5 выступлений" in page
    assert "Удаление совещания" in page and "Удалить совещание" in page

    response = client.post(
        russian("secretariat:meeting-agenda", slug=meeting.slug),
        {"title": "Открытие совещания"},
        follow=True,
    )
    # The message after a save is Russian, on the Russian page it leads back to.
    assert response.redirect_chain[-1][0] == russian(
        "secretariat:meeting-agenda", slug=meeting.slug
    )
    assert "Добавлено: «Открытие совещания»." in response.text
