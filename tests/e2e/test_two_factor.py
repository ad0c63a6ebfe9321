"""A member of the secretariat sets up two-factor sign-in in a real browser: the QR code shows
under the page's Content-Security-Policy, the first code turns it on, the next sign-in asks
for a code."""

import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def app_code(device, steps_ahead=0):
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits)
    generator.time = time.time() + steps_ahead * device.step
    return f"{generator.token():06d}"


def test_two_factor_is_set_up_and_then_asked_for_in_the_browser(page):
    UserFactory(username="clerk", secretariat=True)
    login(page, "clerk")

    # Signing in leads to setting it up, with the QR code drawn (no CSP refusal logged).
    expect(page.get_by_role("heading", name="Two-factor sign-in")).to_be_visible()
    expect(page.locator("svg.qr-code")).to_be_visible()
    assert page.locator("svg.qr-code").bounding_box()["width"] > 100
    assert not page.js_errors, page.js_errors
    assert_accessible(page)

    device = TOTPDevice.objects.get(user__username="clerk")
    page.get_by_label("Code shown by the app").fill(app_code(device))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    assert page.locator("ul.recovery-codes li").count() == 10
    page.get_by_role("link", name="I have kept them: continue").click()
    page.goto("/secretariat/")
    expect(page.get_by_role("heading", name="Secretariat workspace")).to_be_visible()

    # The next sign-in asks for a code before the workspace opens.
    page.get_by_role("button", name="Sign out").click()
    login(page, "clerk")
    expect(page.get_by_role("heading", name="Second step of signing in")).to_be_visible()
    assert_accessible(page)
    page.goto("/secretariat/")
    expect(page.get_by_role("heading", name="Second step of signing in")).to_be_visible()
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(
        app_code(device, steps_ahead=1)
    )
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Secretariat workspace")).to_be_visible()
    assert not page.js_errors, page.js_errors
