"""The secretariat registers a partner's webhook in a real browser, on pages that pass axe, and
follows its deliveries to a real receiver."""

import pytest
from playwright.sync_api import expect
from standardwebhooks import Webhook

from bpdialogue.models import WebhookEndpoint
from meetings.services import meeting_update
from tests.bpdialogue.test_webhooks import Receiver
from tests.e2e.conftest import assert_accessible, login
from tests.factories import MeetingFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_webhook_is_registered_receives_a_change_and_is_resent(page, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    receiver = Receiver()
    meeting = MeetingFactory(record_status="draft")
    UserFactory(username="clerk", secretariat=True)
    login(page, "clerk")
    page.goto("/secretariat/")
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Webhooks").click()
    assert_accessible(page)
    page.get_by_label("Name").fill("IOM data hub")
    page.get_by_label("URL").fill(receiver.url())
    page.get_by_label("A meeting's details changed").check()
    page.get_by_label("Read public data").check()
    page.get_by_role("button", name="Register").click()
    secret = page.locator("[role=alert] code").inner_text()
    assert secret == WebhookEndpoint.objects.get().secret
    assert_accessible(page)

    meeting_update(meeting=meeting, expected_version=meeting.version, changes={"city": "Ankara"})
    page.reload()
    assert secret not in page.content()
    expect(page.get_by_text("answered 200")).to_be_visible()
    request = receiver.received[0]
    assert Webhook(secret).verify(request["body"], request["headers"])["type"] == "meeting.updated"
    assert_accessible(page)

    page.get_by_role("button", name="Resend meeting.updated").click()
    expect(page.get_by_text("is being sent again")).to_be_visible()
    assert len(receiver.received) == 2
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Rotate the secret").click()
    expect(page.get_by_text("The previous secret also signs")).to_be_visible()
    assert_accessible(page)
    assert page.js_errors == []
    receiver.stop()
