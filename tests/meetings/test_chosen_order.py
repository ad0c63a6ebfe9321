"""Presenters, speakers and responsible participants stay in the order they were chosen
("Presented by Hungary, Turkey"): saved so by the services and the API, and shown so on the
pages, in the API, in the agenda PDF and in a published revision of the record."""

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import AgendaItem, Document, Meeting, RecordRevision, read_chosen
from meetings.revisions import published_record, record_snapshot
from tests.api.conftest import secretariat_client
from tests.api.test_write_path import etag_of
from tests.factories import MeetingFactory, StateFactory, UserFactory
from tests.meetings.test_documents import pdf_text, render

DRAFT = Meeting.RecordStatus.DRAFT


@pytest.fixture
def states(db):
    # Created in the alphabet's order, so an order by name or by creation is not the chosen one.
    return {name: StateFactory(name=name) for name in ("Austria", "Hungary", "Turkey")}


@pytest.fixture
def item(states):
    meeting = MeetingFactory(record_status=DRAFT)
    for state in states.values():
        services.delegation_set(meeting=meeting, participant=state, attended=True)
    return services.agenda_item_create(
        meeting=meeting,
        title="Return and reintegration",
        presenters=[states["Turkey"], states["Hungary"]],
    )


def _names(participants):
    return [p.name for p in participants]


def test_presenters_speakers_and_responsible_are_saved_in_the_order_given(item, states):
    turkey, hungary, austria = states["Turkey"], states["Hungary"], states["Austria"]
    statement = services.statement_create(
        agenda_item=item, text="They agreed.", speakers=[turkey, austria, hungary]
    )
    point = services.action_point_create(
        meeting=item.meeting, text="Report back.", responsible=[hungary, austria]
    )

    assert _names(item.presenters.order_by("presenter_places__position")) == ["Turkey", "Hungary"]
    assert _names(statement.speakers.order_by("speaker_places__position")) == [
        "Turkey",
        "Austria",
        "Hungary",
    ]
    assert _names(point.responsible.order_by("responsible_places__position")) == [
        "Hungary",
        "Austria",
    ]


def test_reordering_alone_is_a_change_and_is_saved_with_its_history(item, states):
    staff = UserFactory(secretariat=True)

    services.record_part_update(
        part=AgendaItem.objects.get(pk=item.pk),
        expected_version=item.version,
        changes={"presenters": [states["Hungary"], states["Turkey"]]},
        by=staff,
    )

    stored = AgendaItem.objects.get(pk=item.pk)
    assert _names(stored.presenters.order_by("presenter_places__position")) == [
        "Hungary",
        "Turkey",
    ]
    # The change history keeps the list as it now is, in its order.
    last = stored.history.first()
    rows = last.presenters.order_by("position").values_list("participant__name", "position")
    assert list(rows) == [("Hungary", 1), ("Turkey", 2)]


def test_the_pages_show_the_order_chosen(client, item, states):
    services.statement_create(
        agenda_item=item, text="They agreed.", speakers=[states["Turkey"], states["Austria"]]
    )
    client.force_login(UserFactory(secretariat=True))

    agenda = client.get(reverse("secretariat:meeting-agenda", args=[item.meeting.slug]))
    record = client.get(reverse("secretariat:meeting-record", args=[item.meeting.slug]))
    Meeting.objects.filter(pk=item.meeting.pk).update(record_status=Meeting.RecordStatus.PUBLISHED)
    public = client.get(item.meeting.get_absolute_url())

    assert "— Turkey, Hungary" in agenda.content.decode()
    assert "<strong>Turkey, Austria:</strong>" in record.content.decode()
    assert "Presented by Turkey, Hungary" in public.content.decode()
    assert "Speakers: Turkey, Austria" in public.content.decode()


def test_the_api_lists_and_saves_them_in_order(item, states):
    writer = secretariat_client()
    url = f"/api/v1/agenda-items/{item.uid}/"

    before = writer.get(url).json()["presenters"]
    changed = writer.patch(
        url,
        {"presenters": [str(states["Austria"].uid), str(states["Turkey"].uid)]},
        format="json",
        HTTP_IF_MATCH=etag_of(writer, url),
    )
    listed = writer.get("/api/v1/agenda-items/", {"meeting": str(item.meeting.uid)}).json()

    assert before == [str(states["Turkey"].uid), str(states["Hungary"].uid)]
    assert changed.status_code == 200
    assert changed.json()["presenters"] == [str(states["Austria"].uid), str(states["Turkey"].uid)]
    assert listed["data"][0]["presenters"] == changed.json()["presenters"]


def test_the_agenda_pdf_names_the_presenters_in_order(item, django_capture_on_commit_callbacks):
    job = render(item.meeting, Document.Kind.AGENDA, django_capture_on_commit_callbacks)

    assert "Presented by Turkey and Hungary" in pdf_text(job.document, item.meeting)


def test_a_published_revision_keeps_the_order(item, states):
    services.statement_create(
        agenda_item=item, text="They agreed.", speakers=[states["Turkey"], states["Austria"]]
    )
    RecordRevision.objects.create(
        meeting=item.meeting,
        number=1,
        issued_at=timezone.now(),
        snapshot=record_snapshot(meeting=item.meeting),
    )
    # Changed after publication: the revision still says what it said.
    item.presenters.through.objects.filter(agendaitem=item).delete()

    published = published_record(meeting=item.meeting)

    (revised,) = published.agenda_items
    assert _names(revised.presenters.all()) == ["Turkey", "Hungary"]
    assert _names(revised.statements.all()[0].speakers.all()) == ["Turkey", "Austria"]


def test_the_admin_shows_them_in_order(client, item, states):
    services.statement_create(
        agenda_item=item, text="They agreed.", speakers=[states["Turkey"], states["Austria"]]
    )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    page = client.get(reverse("admin:meetings_agendaitem_change", args=[item.pk]))

    assert page.status_code == 200
    assert "Turkey, Hungary" in page.content.decode()
    assert "Turkey, Austria" in page.content.decode()


def test_a_record_s_lists_are_read_at_once_in_the_order_chosen(
    item, states, django_assert_num_queries
):
    turkey, hungary, austria = states["Turkey"], states["Hungary"], states["Austria"]
    # A speaker the caller does not know already.
    guest = StateFactory(name="Georgia")
    services.delegation_set(meeting=item.meeting, participant=guest, attended=True)
    said = services.statement_create(
        agenda_item=item, text="They agreed.", speakers=[austria, guest, turkey]
    )
    silent = services.statement_create(agenda_item=item, text="Noted.", speakers=[])
    point = services.action_point_create(
        meeting=item.meeting, text="Report back.", responsible=[hungary, austria]
    )
    item, said, silent, point = (
        type(row).objects.get(pk=row.pk) for row in (item, said, silent, point)
    )
    delegations = [turkey, hungary, austria]

    # The places in every list, then the one participant not known.
    with django_assert_num_queries(2):
        read = read_chosen(
            {"presenters": [item], "speakers": [said, silent], "responsible": [point]},
            known=delegations,
        )
    with django_assert_num_queries(0):
        assert _names(item.presenters.all()) == ["Turkey", "Hungary"]
        assert _names(said.speakers.all()) == ["Austria", "Georgia", "Turkey"]
        assert list(silent.speakers.all()) == []
        assert _names(point.responsible.all()) == ["Hungary", "Austria"]
    assert [p.pk for p in read] == [guest.pk]
    # One instance per participant, the delegation's where there is one.
    assert said.speakers.all()[0] is austria is point.responsible.all()[1]
    # Everyone named is known: the places alone.
    with django_assert_num_queries(1):
        assert read_chosen({"presenters": [item]}, known=delegations) == []
    with django_assert_num_queries(0):
        assert read_chosen({"speakers": []}) == []
