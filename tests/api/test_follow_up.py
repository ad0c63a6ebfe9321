"""Following up across meetings in the API: a conclusion's references to earlier ones it
confirms, amends or supersedes (read-only, as far as the caller may read the earlier
record), and an action point's status set through the API kept in its history."""

import datetime

import pytest

from meetings.models import ConclusionReference
from tests.factories import ActionPointFactory, ConclusionFactory, MeetingFactory

from .conftest import key_client, secretariat_client

pytestmark = pytest.mark.django_db


def _chain(earlier_visibility="public"):
    earlier = ConclusionFactory(
        meeting=MeetingFactory(visibility=earlier_visibility, start_date=datetime.date(2015, 1, 1))
    )
    later = ConclusionFactory(meeting=MeetingFactory(dialogue=earlier.meeting.dialogue))
    ConclusionReference.objects.create(conclusion=later, earlier=earlier, relation="amends")
    return earlier, later


def test_a_conclusion_names_what_it_amends(api):
    earlier, later = _chain()
    [row] = [c for c in api.get("/api/v1/conclusions/").json()["data"] if c["id"] == str(later.uid)]
    assert row["references"] == [
        {
            "relation": "amends",
            "conclusion": str(earlier.uid),
            "meeting": str(earlier.meeting.uid),
        }
    ]
    detail = api.get(f"/api/v1/meetings/{later.meeting.uid}/").json()
    assert detail["conclusions"][0]["references"][0]["conclusion"] == str(earlier.uid)


def test_a_reference_to_a_record_the_caller_may_not_read_is_left_out(api):
    earlier, later = _chain(earlier_visibility="participants")
    row = api.get(f"/api/v1/conclusions/{later.uid}/").json()
    assert row["references"] == []
    partner = key_client("read:participants")
    assert partner.get(f"/api/v1/conclusions/{later.uid}/").json()["references"][0][
        "conclusion"
    ] == str(earlier.uid)


def test_a_status_set_through_the_api_is_kept_in_the_history():
    point = ActionPointFactory()  # of a published record: its status still moves
    writer = secretariat_client()
    url = f"/api/v1/action-points/{point.uid}/"
    etag = writer.get(url)["ETag"]
    assert (
        writer.patch(url, {"status": "done"}, format="json", HTTP_IF_MATCH=etag).status_code == 200
    )
    [change] = point.status_changes.all()
    assert (change.from_status, change.to_status) == ("open", "done")
