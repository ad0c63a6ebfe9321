"""The action-point tracker in a real browser: the public filters it down to the 24th
meeting's Istanbul consultation (the filters swap the results in place), then the secretariat
closes that action point from the workspace's tracker; axe finds nothing serious on either."""

import pytest

from meetings.models import ActionPoint
from tests.e2e.conftest import assert_accessible, login, screenshot
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ISTANBUL = "Hold a consultation meeting to further discuss"


def test_the_public_filters_the_tracker_and_the_secretariat_closes_a_point(page, demo):
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Action points").click()
    page.wait_for_url("**/action-points/")
    results = page.locator("#action-point-results")
    assert ISTANBUL in results.inner_text()

    # Done only: the Istanbul consultation is in progress, so nothing is left.
    with page.expect_response(lambda response: "status=done" in response.url):
        page.get_by_label("Status").select_option("done")
    assert "No action points match." in results.inner_text()
    with page.expect_response(lambda response: "status=in_progress" in response.url):
        page.get_by_label("Status").select_option("in_progress")
    assert ISTANBUL in results.inner_text() and "In progress" in results.inner_text()
    assert "status=in_progress" in page.url  # the filtered list has its address
    assert_accessible(page)
    screenshot(page, "portal-action-points")
    assert page.js_errors == []

    UserFactory(username="clerk", secretariat=True)
    login(page, "clerk")
    page.goto("/secretariat/")
    page.get_by_role("navigation", name="Workspace").get_by_role(
        "link", name="Action points"
    ).click()
    page.wait_for_url("**/secretariat/action-points/")
    point = ActionPoint.objects.get(place="Istanbul")
    form = page.get_by_role("form", name=f"Status of action point {point.position} of {demo.title}")
    form.get_by_label("Status").select_option("done")
    form.get_by_label("Note").fill("Held in Istanbul on 1 March 2017.")
    form.get_by_role("button", name="Save status").click()
    page.wait_for_load_state()
    assert f"Action point {point.position} of {demo.title}: done." in (
        page.locator(".ws-messages").inner_text()
    )
    row = page.locator(f"#action-point-{point.uid}")
    row.get_by_text("1 status change").click()
    assert "In progress → Done" in row.inner_text()
    assert "Held in Istanbul on 1 March 2017." in row.inner_text()
    point.refresh_from_db()
    assert point.status == "done"
    assert_accessible(page)
    screenshot(page, "workspace-action-points")
    assert page.js_errors == []
