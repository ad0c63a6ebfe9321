import pytest

from bpdialogue.models import VersionConflict
from meetings.models import Meeting
from tests.factories import MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_every_save_raises_the_version():
    meeting = MeetingFactory()
    assert meeting.version == 1
    meeting.city = "Istanbul"
    meeting.save()
    assert Meeting.objects.get(pk=meeting.pk).version == 2


def test_a_save_from_a_stale_version_is_refused_and_changes_nothing():
    meeting = MeetingFactory(city="Antalya")
    mine, theirs = Meeting.objects.get(pk=meeting.pk), Meeting.objects.get(pk=meeting.pk)
    theirs.city = "Istanbul"
    theirs.save_checked(expected_version=1)
    mine.city = "Ankara"
    with pytest.raises(VersionConflict):
        mine.save_checked(expected_version=1)
    assert Meeting.objects.get(pk=meeting.pk).city == "Istanbul"


def test_history_records_who_changed_what():
    meeting = MeetingFactory(city="Antalya")
    meeting._history_user = UserFactory(username="editor")
    meeting.city = "Istanbul"
    meeting.save()
    latest, earlier = meeting.history.all()[:2]
    delta = latest.diff_against(earlier)
    assert [(c.field, c.old, c.new) for c in delta.changes if c.field == "city"] == [
        ("city", "Antalya", "Istanbul")
    ]
    assert latest.history_user.username == "editor"
