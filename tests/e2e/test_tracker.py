"""The action-point tracker in a real browser: the public filters it down to the 24th
meeting's Istanbul consultation (the filters swap the results in place), then the secretariat
closes that action point from the workspace's tracker; axe finds nothing serious on either."""

import re

import pytest
from playwright.sync_api import expect

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
    # (expect() waits for htmx to swap the answer in, not just for the answer.)
    page.get_by_label("Status").select_option("done")
    expect(results).to_contain_text("No action points match.")
    page.get_by_label("Status").select_option("in_progress")
    expect(results).to_contain_text(ISTANBUL)
    expect(results).to_contain_text("In progress")
    expect(page).to_have_url(re.compile(r"status=in_progress"))  # the list has its address
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
    expect(page.locator(".ws-messages")).to_contain_text(
        f"Action point {point.position} of {demo.title}: done."
    )
    row = page.locator(f"#action-point-{point.uid}")
    row.get_by_text("1 status change").click()
    expect(row).to_contain_text("In progress → Done")
    expect(row).to_contain_text("Held in Istanbul on 1 March 2017.")
    point.refresh_from_db()
    assert point.status == "done"
    assert_accessible(page)
    screenshot(page, "workspace-action-points")
    assert page.js_errors == []
