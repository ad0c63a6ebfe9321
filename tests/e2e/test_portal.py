"""The portal in a real browser (Debian's Chromium), under the site's Content-Security-Policy."""

import pytest

from meetings.models import Meeting
from tests.e2e.conftest import assert_accessible, login, screenshot
from tests.factories import delegate_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_public_reads_the_24th_meeting_and_its_conclusions(page, demo):
    page.goto("/meetings/")
    page.get_by_label("Year").select_option("2016")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name="24th Meeting of the Senior Officials").click()
    page.wait_for_url(f"**{demo.get_absolute_url()}")
    main = page.locator("main")
    assert "50 participants from 22 countries" in main.inner_text()
    conclusions = page.locator("#conclusions")
    assert (
        "In closing, the Secretariat shortly summarised the discussions" in conclusions.inner_text()
    )
    assert conclusions.locator("li").count() == 3
    assert_accessible(page)
    screenshot(page, "portal-meeting")
    assert page.js_errors == []


def test_a_delegate_signs_in_and_reads_what_the_public_cannot(page, demo):
    closed = Meeting.objects.get(slug="srwg-meeting-iran-2016")
    assert closed.visibility == "participants"
    # Asked without a page, so the browser logs no console error for the expected 404.
    assert page.request.get(closed.get_absolute_url()).status == 404
    page.goto("/meetings/")
    assert closed.title not in page.locator("main").inner_text()

    delegate_user(demo.dialogue, username="delegate")
    login(page, "delegate")
    page.goto("/meetings/")
    page.get_by_role("link", name=closed.title).click()
    page.wait_for_url(f"**{closed.get_absolute_url()}")
    assert "Participants only" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert page.js_errors == []


def test_search_from_the_header_finds_what_iran_said_about_return(page, demo):
    page.goto("/")
    page.get_by_role("searchbox", name="Search the records").fill("Iran return")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=Iran+return*")
    hit = page.locator(".hit--statement").filter(has_text="Islamic Republic of Iran").first
    assert {m.lower() for m in hit.locator("mark").all_inner_texts()} & {"iran", "return"}
    page.get_by_label("Said or done by").fill("iran")
    page.get_by_role("main").get_by_role("button", name="Search").click()
    assert "said or done by Islamic Republic of Iran" in page.locator("main").inner_text()
    assert_accessible(page)
    screenshot(page, "portal-search")
    assert page.js_errors == []


def test_the_main_pages_pass_axe_under_the_content_security_policy(page, demo):
    pages = [
        "/",
        "/meetings/",
        "/calendar/?year=2016",
        "/participants/islamic-republic-of-iran/",
        "/projects/",
        "/projects/silk-routes-partnership-project/",
        "/workplans/",
        "/accounts/login/",
    ]
    for url in pages:
        response = page.goto(url)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert_accessible(page)
    page.goto("/")
    screenshot(page, "portal-home")
    # A CSP violation shows up as a console error.
    assert page.js_errors == []


def test_searching_everything_shows_five_of_a_kind_and_leads_to_the_kind_alone(page, demo):
    page.goto("/search/?q=migration")
    statements = page.locator("#results-statement")
    assert statements.locator(".hit").count() == 5
    page.get_by_role("link", name="All statements →").click()
    page.wait_for_url("**/search/?q=migration&kind=statement")
    # The kind alone: ten a page, the others not searched, no link to itself.
    assert page.locator("#results-statement .hit").count() > 5
    assert page.locator("#results-conclusion").count() == 0
    assert page.get_by_role("link", name="All statements →").count() == 0
    assert page.js_errors == []
