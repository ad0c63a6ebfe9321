"""The dialogue in numbers and a participant's story in a real browser, under the site's
Content-Security-Policy: the plots are drawn, their tables beside them, axe finds nothing
serious."""

import pytest

from meetings.models import Delegation
from tests.e2e.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_public_opens_the_participation_plot_from_the_navigation(page, demo):
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="In numbers").click()
    page.wait_for_url("**/analytics/")
    figure = page.locator("#figure-participation")
    plot = figure.get_by_role("img", name="Participation per year")
    assert plot.is_visible()
    box = plot.bounding_box()
    assert box["width"] > 300 and box["height"] > 100
    assert figure.locator("svg rect").count() >= 3  # a bar per series over the demo year
    # The table beside it says the same: the 24th meeting's states and organisations.
    states = Delegation.objects.filter(meeting=demo, participant__kind="state").count()
    row = figure.locator("tbody tr").filter(has_text="2016")
    assert row.locator("td").first.inner_text() == str(states)
    assert_accessible(page)
    screenshot(page, "portal-analytics")
    assert page.js_errors == []  # a CSP refusal would be one


def test_turkiye_s_page_shows_its_roles_over_time(page, demo):
    page.goto("/participants/turkiye/")
    roles = page.locator("#figure-roles")
    assert roles.get_by_role("img", name="Roles over time").is_visible()
    table = roles.locator("table").inner_text()
    assert "Chair of Budapest Process" in table
    assert "Meetings chaired" in table and "Meetings hosted" in table
    assert page.locator("#figure-attendance svg").count() == 1
    assert_accessible(page)
    screenshot(page, "portal-participant-story")
    assert page.js_errors == []
