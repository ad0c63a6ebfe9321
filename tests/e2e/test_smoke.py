import pytest

from tests.e2e.conftest import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_home_page_lists_the_24th_meeting_in_a_real_browser(page, demo):
    page.goto("/")
    link = page.get_by_role(
        "link", name="24th Meeting of the Senior Officials of the Budapest Process"
    )
    link.click()
    page.wait_for_url(f"**{demo.get_absolute_url()}")
    assert "50 participants from 22 countries" in page.locator("main").inner_text()
    assert_accessible(page)
    assert page.js_errors == []
