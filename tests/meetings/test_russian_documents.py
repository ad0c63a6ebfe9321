"""The meeting's documents in Russian: Russian grammar (plural agreement, the genitive the
attendance sentence needs, stored on each dated name), Russian dates and the Russian
Summary/conclusions PDF, issued as a document of its own."""

import datetime
import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from bpdialogue.grammar import russian_count, russian_plural, validate_name_forms
from bpdialogue.translations import text_digest
from meetings import rendering
from meetings.documents import document_issue_translation, document_render
from meetings.models import Document, Meeting, RenderJob
from meetings.selectors import RUSSIAN_WHERE, meeting_attendance
from tests.factories import (
    AgendaItemFactory,
    DelegationFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantNameFactory,
    StateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# The 24th meeting's countries and organisations: English, Russian, Russian genitive, headcount
# (50 in all, as the reference counts them).
COUNTRIES = [
    ("Afghanistan", "Афганистан", "Афганистана", 3),
    ("Australia", "Австралия", "Австралии", 3),
    ("Azerbaijan", "Азербайджан", "Азербайджана", 3),
    ("Bangladesh", "Бангладеш", "Бангладеш", 3),
    ("Belarus", "Беларусь", "Беларуси", 3),
    ("Czech Republic", "Чешская Республика", "Чешской Республики", 3),
    ("Georgia", "Грузия", "Грузии", 1),
    ("Germany", "Германия", "Германии", 1),
    ("Hungary", "Венгрия", "Венгрии", 1),
    ("Islamic Republic of Iran", "Исламская Республика Иран", "Исламской Республики Иран", 1),
    ("Iraq", "Ирак", "Ирака", 1),
    (
        "the former Yugoslav Republic of Macedonia",
        "бывшая югославская Республика Македония",
        "бывшей югославской Республики Македония",
        1,
    ),
    ("Montenegro", "Черногория", "Черногории", 1),
    ("Netherlands", "Нидерланды", "Нидерландов", 1),
    ("Norway", "Норвегия", "Норвегии", 1),
    ("Pakistan", "Пакистан", "Пакистана", 1),
    ("Poland", "Польша", "Польши", 1),
    ("Serbia", "Сербия", "Сербии", 1),
    ("Switzerland", "Швейцария", "Швейцарии", 1),
    ("Tajikistan", "Таджикистан", "Таджикистана", 1),
    ("Turkey", "Турция", "Турции", 1),
    ("Ukraine", "Украина", "Украины", 1),
]
ORGANISATIONS = [
    ("European Commission", "Европейская комиссия", "Европейской комиссии", 4),
    (
        "International Organization for Migration (IOM)",
        "Международная организация по миграции (МОМ)",
        "Международной организации по миграции (МОМ)",
        12,
    ),
]
TITLE_RU = "24-е совещание старших должностных лиц Будапештского процесса"


def _delegation(meeting, factory, english, russian, genitive, headcount):
    participant = factory(name=english, sort_name=english)
    forms = {"ru": {"genitive": genitive}} if genitive else {}
    ParticipantNameFactory(
        participant=participant,
        name_en=english,
        sort_name_en=english,
        name_ru=russian,
        sort_name_ru=russian,
        forms=forms,
    )
    DelegationFactory(meeting=meeting, participant=participant, headcount=headcount)


@pytest.fixture
def meeting_24():
    """A meeting like the 24th: English authoritative, with its Russian texts."""
    meeting = MeetingFactory(
        title_en="24th Meeting of the Senior Officials of the Budapest Process",
        title_ru=TITLE_RU,
        city_en="Antalya",
        city_ru="Анталья",
        start_date=datetime.date(2016, 12, 15),
        end_date=datetime.date(2016, 12, 15),
    )
    for row in COUNTRIES:
        _delegation(meeting, StateFactory, *row)
    for row in ORGANISATIONS:
        _delegation(meeting, OrganisationFactory, *row)
    AgendaItemFactory(
        meeting=meeting,
        title_en="Opening",
        title_ru="Открытие",
        record_en="The floor was opened for **discussion**.",
        record_ru="Слово было предоставлено для **обсуждения**.",
    )
    return meeting


def pdf_text(meeting, language, kind=Document.Kind.SUMMARY) -> tuple[str, str]:
    source = rendering.document_source(meeting=meeting, kind=kind, language=language)
    reader = PdfReader(io.BytesIO(rendering.html_to_pdf(source.html)))
    # Lines broken by the layout read as one text.
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return source.html, text


# -- plural agreement ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "participants", "countries"),
    [
        (1, "1 участник", "из 1 страны"),
        (2, "2 участника", "из 2 стран"),
        (5, "5 участников", "из 5 стран"),
        (11, "11 участников", "из 11 стран"),
        (21, "21 участник", "из 21 страны"),
        (22, "22 участника", "из 22 стран"),
        (25, "25 участников", "из 25 стран"),
        (111, "111 участников", "из 111 стран"),
        (112, "112 участников", "из 112 стран"),
    ],
)
def test_the_noun_agrees_with_the_number(count, participants, countries):
    assert russian_count(count, "участник", "участника", "участников") == participants
    assert f"из {russian_count(count, 'страны', 'стран', 'стран')}" == countries


@pytest.mark.parametrize(("count", "form"), [(0, "many"), (3, "few"), (14, "many"), (24, "few")])
def test_plural_form_edges(count, form):
    assert russian_plural(count, "one", "few", "many") == form


# -- the case forms on a dated name -------------------------------------------------------------


def test_known_languages_and_cases_are_accepted():
    validate_name_forms({})
    validate_name_forms({"ru": {"genitive": "Афганистана", "dative": "Афганистану"}})


@pytest.mark.parametrize(
    ("forms", "message"),
    [
        ({"en": {"genitive": "of Afghanistan"}}, "case forms are kept for ru only"),
        ({"de": {"genitive": "Afghanistans"}}, "case forms are kept for ru only"),
        ({"ru": {"vocative": "Афганистан"}}, "unknown case 'vocative'"),
        ({"ru": {"genitive": "  "}}, "the form is a non-empty text"),
        ({"ru": {"genitive": "а" * 251}}, "at most 250 characters"),
        ({"ru": "Афганистана"}, "the forms are an object by case"),
        (["Афганистана"], "Case forms are an object by language"),
    ],
)
def test_unknown_languages_and_cases_are_refused(forms, message):
    with pytest.raises(ValidationError) as refused:
        validate_name_forms(forms)
    assert message in " ".join(refused.value.messages)


def test_the_workspace_form_saves_the_forms_and_refuses_bad_ones():
    from secretariat.forms import ParticipantNameForm

    name = ParticipantNameFactory(name="Afghanistan")
    data = {"name": "Afghanistan", "sort_name": "Afghanistan", "version": name.version}
    form = ParticipantNameForm(
        {**data, "forms": '{"ru": {"genitive": "Афганистана"}}'}, instance=name
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["forms"] == {"ru": {"genitive": "Афганистана"}}
    refused = ParticipantNameForm({**data, "forms": '{"ru": {"genitiv": "x"}}'}, instance=name)
    assert not refused.is_valid()
    assert "unknown case 'genitiv'" in refused.errors["forms"][0]
    cleared = ParticipantNameForm({**data, "forms": ""}, instance=name)
    assert cleared.is_valid(), cleared.errors
    assert cleared.cleaned_data["forms"] == {}


# -- the attendance paragraph -----------------------------------------------------------------


def test_the_russian_attendance_paragraph(meeting_24):
    attendance = meeting_attendance(meeting=meeting_24, language="ru")
    paragraph = attendance.paragraph()
    assert paragraph.startswith(
        "В совещании старших должностных лиц приняли участие 50 участников из 22 стран – "
    )
    # In Russian alphabetical order, each in the genitive; "и" before the last.
    assert "Австралии, Азербайджана, Афганистана, Бангладеш, Беларуси, бывшей югославской " in (
        paragraph
    )
    assert "Турции, Украины, Черногории, Чешской Республики и Швейцарии – а также Европейской " in (
        paragraph
    )
    assert paragraph.endswith("Международной организации по миграции (МОМ).")
    assert attendance.missing_forms == ()
    html = meeting_attendance(meeting=meeting_24, language="ru").paragraph_html()
    assert "приняли участие <strong>50 участников из 22 стран</strong> – " in html


def test_the_english_paragraph_is_unchanged(meeting_24):
    paragraph = meeting_attendance(meeting=meeting_24, language="en").paragraph()
    assert paragraph.startswith(
        "The Senior Officials meeting gathered 50 participants from 22 countries – "
        "Afghanistan, Australia, Azerbaijan"
    )
    assert paragraph.endswith(
        "Ukraine – as well as European Commission and International Organization for Migration "
        "(IOM)."
    )


def test_the_active_language_is_the_default(meeting_24):
    with translation.override("ru"):
        assert (
            meeting_attendance(meeting=meeting_24)
            .paragraph()
            .startswith("В совещании старших должностных лиц")
        )


def test_a_missing_form_reads_as_the_russian_name_and_is_listed():
    meeting = MeetingFactory()
    _delegation(meeting, StateFactory, "Serbia", "Сербия", "", 1)
    attendance = meeting_attendance(meeting=meeting, language="ru")
    # One participant: the verb agrees ("принял"), and so do both nouns.
    assert attendance.paragraph() == (
        f"{RUSSIAN_WHERE[meeting.kind]} принял участие 1 участник из 1 страны – Сербия."
    )
    assert attendance.missing_forms == ("Сербия",)


def test_organisations_only_in_russian():
    meeting = MeetingFactory()
    _delegation(meeting, OrganisationFactory, *ORGANISATIONS[1][:3], 21)
    assert meeting_attendance(meeting=meeting, language="ru").paragraph() == (
        f"{RUSSIAN_WHERE[meeting.kind]} принял участие 21 участник"
        " от Международной организации по миграции (МОМ)."
    )


def test_two_queries_in_russian_too(meeting_24, django_assert_num_queries):
    with django_assert_num_queries(2):
        meeting_attendance(meeting=meeting_24, language="ru")


# -- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "english", "russian"),
    [
        ((2016, 12, 15), (2016, 12, 15), "15 December 2016", "15 декабря 2016 г."),
        ((2016, 12, 15), (2016, 12, 16), "15–16 December 2016", "15–16 декабря 2016 г."),
        (
            (2016, 11, 30),
            (2016, 12, 1),
            "30 November – 1 December 2016",
            "30 ноября – 1 декабря 2016 г.",
        ),
        (
            (2016, 12, 30),
            (2017, 1, 2),
            "30 December 2016 – 2 January 2017",
            "30 декабря 2016 г. – 2 января 2017 г.",
        ),
    ],
)
def test_dates_in_each_language(start, end, english, russian):
    start, end = datetime.date(*start), datetime.date(*end)
    with translation.override("en"):
        assert rendering.date_range(start, end) == english
    with translation.override("ru"):
        assert rendering.date_range(start, end) == russian


# -- the PDF ------------------------------------------------------------------------------------


def test_the_russian_summary_pdf(meeting_24):
    html, text = pdf_text(meeting_24, "ru")
    assert '<html lang="ru">' in html
    assert TITLE_RU in text
    assert "Анталья, 15 декабря 2016 г." in text
    assert "Резюме/выводы" in text
    assert "50 участников из 22 стран" in text
    assert "Афганистана" in text and "Нидерландов" in text
    assert "Слово было предоставлено для обсуждения." in text
    # English is authoritative: the Russian text says it is an unofficial translation.
    assert "перевод не является официальным; аутентичный текст — на английском языке." in (
        text.lower()
    )


def test_the_english_summary_pdf_is_as_before(meeting_24):
    html, text = pdf_text(meeting_24, "en")
    assert '<html lang="en">' in html
    assert "translation-note" not in html
    assert "Antalya, 15 December 2016" in text
    assert "Summary/conclusions" in text
    assert "50 participants from 22 countries" in text
    assert "Афганистана" not in text


def test_the_russian_agenda_and_list_of_participants(meeting_24):
    _html, agenda = pdf_text(meeting_24, "ru", Document.Kind.AGENDA)
    assert "Повестка дня" in agenda and "Открытие" in agenda
    _html, participants = pdf_text(meeting_24, "ru", Document.Kind.PARTICIPANTS)
    assert "Список участников" in participants
    assert "Афганистан" in participants and "Европейская комиссия" in participants


# -- each language's Summary/conclusions, its own issued document --------------------------------


def _translated(obj, **texts):
    """The Russian texts recorded as translated from the English as it reads now (what the
    translation service records)."""
    recorded = dict(obj.translated_from or {})
    for field in texts:
        recorded[field] = {"ru": text_digest(getattr(obj, f"{field}_en"))}
    type(obj).objects.filter(pk=obj.pk).update(
        translated_from=recorded, **{f"{field}_ru": text for field, text in texts.items()}
    )


@pytest.fixture
def translated_24(meeting_24):
    _translated(meeting_24, title=TITLE_RU, city="Анталья")
    for item in meeting_24.agenda_items.all():
        _translated(item, record="Слово было предоставлено для **обсуждения**.")
    return Meeting.objects.get(pk=meeting_24.pk)


def test_a_translation_is_issued_only_when_complete(meeting_24):
    # The Russian texts were set without their digests: the service cannot tell them current.
    with pytest.raises(ValidationError) as refused:
        document_issue_translation(meeting=meeting_24, language="ru", enqueue=False)
    message = " ".join(refused.value.messages)
    assert "is not complete (3 to do)" in message
    assert "(outdated)" in message


@pytest.mark.parametrize(
    ("language", "record_status", "message"),
    [
        ("en", Meeting.RecordStatus.PUBLISHED, "is the meeting's authoritative language"),
        ("de", Meeting.RecordStatus.PUBLISHED, "Unknown language 'de'"),
        ("ru", Meeting.RecordStatus.DRAFT, "once the record is published"),
    ],
)
def test_what_cannot_be_issued_as_a_translation(translated_24, language, record_status, message):
    Meeting.objects.filter(pk=translated_24.pk).update(record_status=record_status)
    translated_24.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        document_issue_translation(meeting=translated_24, language=language, enqueue=False)
    assert message in " ".join(refused.value.messages)


def test_the_russian_summary_is_issued_as_its_own_document(translated_24, client):
    first = document_render(
        job_id=document_issue_translation(meeting=translated_24, language="ru", enqueue=False).pk
    )
    assert first.status == RenderJob.Status.SUCCEEDED, first.error
    russian = first.document
    assert (russian.language, russian.revision, russian.is_archival) == ("ru", 1, True)
    assert russian.issued_at is not None and russian.published_at is not None
    with russian.file.open("rb") as handle:
        content = handle.read()
    assert hashlib.sha256(content).hexdigest() == russian.sha256
    text = " ".join(PdfReader(io.BytesIO(content)).pages[0].extract_text().split())
    assert "50 участников из 22 стран" in text
    # Issued: no DRAFT mark, its own revision in the footer.
    assert "ПРОЕКТ" not in text and "DRAFT" not in text

    second = document_render(
        job_id=document_issue_translation(meeting=translated_24, language="ru", enqueue=False).pk
    ).document
    assert second.revision == 2
    russian.refresh_from_db()
    assert russian.superseded_at is not None and second.superseded_at is None

    # The meeting page lists it with the language; its download name says the language.
    page = client.get(translated_24.get_absolute_url())
    assert str(second.uid) in page.content.decode() and "RU" in page.content.decode()
    download = client.get(reverse("document-download", args=[second.uid]))
    assert download.status_code == 200
    assert "-ru-rev2.pdf" in download["Content-Disposition"]


def test_the_workspace_issues_a_translation_or_says_what_is_missing(meeting_24, client):
    client.force_login(UserFactory(secretariat=True))
    url = reverse("secretariat:document-generate", args=[meeting_24.slug])
    data = {"generate-kind": "summary", "generate-language": "ru", "generate-issue": "on"}

    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "is not complete (3 to do)" in refused.content.decode()
    assert not RenderJob.objects.filter(meeting=meeting_24).exists()

    for item in meeting_24.agenda_items.all():
        _translated(item, record="Слово было предоставлено для **обсуждения**.")
    _translated(meeting_24, title=TITLE_RU, city="Анталья")
    assert client.post(url, data).status_code == 302
    job = RenderJob.objects.get(meeting=meeting_24)
    assert (job.language, job.purpose) == ("ru", RenderJob.Purpose.ISSUE)


def test_the_workspace_renders_a_working_copy_in_russian(meeting_24, client):
    client.force_login(UserFactory(secretariat=True))
    url = reverse("secretariat:document-generate", args=[meeting_24.slug])
    assert (
        client.post(url, {"generate-kind": "agenda", "generate-language": "ru"}).status_code == 302
    )
    job = RenderJob.objects.get(meeting=meeting_24)
    assert (job.language, job.purpose) == ("ru", RenderJob.Purpose.DRAFT)
    refused = client.post(
        url, {"generate-kind": "agenda", "generate-language": "ru", "generate-issue": "on"}
    )
    assert refused.status_code == 400
    assert "Only the Summary/conclusions is issued." in refused.content.decode()


def test_the_documents_tab_lists_the_names_without_their_genitive(client):
    meeting = MeetingFactory()
    _delegation(meeting, StateFactory, "Serbia", "Сербия", "", 1)
    _delegation(meeting, StateFactory, "Ukraine", "Украина", "Украины", 1)
    client.force_login(UserFactory(secretariat=True))
    page = client.get(reverse("secretariat:meeting-documents", args=[meeting.slug]))
    listed = page.content.decode().split('class="muted name-forms-missing"')[1].split("</p>")[0]
    assert "Сербия" in listed and "Украина" not in listed
