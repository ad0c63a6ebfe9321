import pytest
from rest_framework.test import APIClient

from tests.factories import MeetingFactory

from .conftest import key_client

pytestmark = pytest.mark.django_db


def test_each_key_has_its_own_rate_limit_announced_in_headers(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"key": "3/min", "user": "3/min", "anon": "3/min"},
    }
    first, second = key_client("read:public"), key_client("read:public")
    answers = [first.get("/api/v1/meetings/") for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a["X-RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert all(a["X-RateLimit-Limit"] == "3" for a in answers)
    assert 0 < int(answers[-1]["X-RateLimit-Reset"]) <= 60
    error = answers[-1].json()["error"]
    assert error["status"] == 429 and error["code"] == "throttled"
    assert answers[-1]["Retry-After"]
    # Another partner's key is counted apart.
    assert second.get("/api/v1/meetings/").status_code == 200


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"year": "twenty"}, "year"),
        ({"year": "99999"}, "year"),
        ({"date_from": "15/12/2016"}, "date_from"),
        ({"modified_since": "last week"}, "modified_since"),
        ({"created_since": "0001-01-01T00:00:00+01:00"}, "created_since"),
        ({"kind": "picnic"}, "kind"),
        ({"dialogue": "not-a-uuid"}, "dialogue"),
        ({"cursor": "bm9wZQ"}, "cursor"),
        ({"limit": "0"}, "limit"),
    ],
)
def test_bad_filter_values_are_400s_naming_the_parameter(api, query, parameter):
    response = api.get("/api/v1/meetings/", query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == 400 and error["code"] == "invalid"
    assert list(error["fields"]) == [parameter]
    assert error["message"].startswith(f"{parameter}: ")


def test_far_offsets_are_compared_in_utc(api, db):
    MeetingFactory()
    response = api.get("/api/v1/meetings/", {"modified_until": "2225-08-09T13:02:14-22:06"})
    assert response.status_code == 200
    assert len(response.json()["data"]) == 1


def test_errors_are_json_even_when_csv_was_asked_for(api, db):
    response = api.get("/api/v1/meetings/", {"format": "csv", "year": "x"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["fields"] == {"year": ["Enter a whole number."]}


def test_unknown_and_malformed_ids_are_404s_in_the_error_shape(api, db):
    MeetingFactory()
    for path in (
        "/api/v1/meetings/00000000-0000-0000-0000-000000000000/",
        "/api/v1/statements/00000000-0000-0000-0000-000000000000/",
    ):
        response = api.get(path)
        assert response.status_code == 404
        assert response.json() == {
            "error": {
                "status": 404,
                "code": "not_found",
                "message": "Nothing here, or nothing you may see.",
            }
        }


def test_session_login_works_for_the_browsable_pages(db):
    from .conftest import secretariat_client

    MeetingFactory(visibility="secretariat", title="Closed consultation")
    page = secretariat_client().get("/api/v1/meetings/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert b"Closed consultation" in page.content
    anonymous = APIClient(HTTP_HOST="localhost").get("/api/v1/meetings/", HTTP_ACCEPT="text/html")
    assert anonymous.status_code == 200
    assert b"Closed consultation" not in anonymous.content
