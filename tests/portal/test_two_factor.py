"""Two-factor sign-in for the secretariat: enrolment, verification, recovery codes, and the
rule that holds an unverified session at the door of every page."""

import re
import time
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from bpdialogue import twofactor
from bpdialogue.api.services import api_key_create
from meetings.models import Meeting
from tests.factories import MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def code_of(device, steps_ahead=0):
    """The code the member's app shows now (or that many 30-second steps later: a code is
    accepted once, so a second sign-in in the same half-minute uses the next one)."""
    if not steps_ahead:
        return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits)
    generator.time = time.time() + steps_ahead * device.step
    return f"{generator.token():06d}"


def enrolled(**kwargs):
    """A member of the secretariat with a confirmed authenticator and ten recovery codes."""
    user = UserFactory(secretariat=True, **kwargs)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user, device, twofactor.recovery_codes_replace(user)


def sign_in(client, user, next_url="/secretariat/"):
    return client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD, "next": next_url}
    )


def verify(client, code, next_url="/secretariat/"):
    return client.post(reverse("two-factor-verify"), {"code": code, "next": next_url})


def held_at(response, step, next_url):
    name = "two-factor-verify" if step == "verify" else "two-factor"
    return response.status_code == 302 and response["Location"] == (
        f"{reverse(name)}?next={quote(next_url, safe='')}"
    )


# -- the rule at every door ----------------------------------------------------------------
def test_an_enrolled_member_who_has_not_verified_is_held_at_every_door(client):
    user, _, _ = enrolled(is_superuser=True)
    client.force_login(user)
    secret_meeting = MeetingFactory(visibility="secretariat")

    assert held_at(client.get("/secretariat/"), "verify", "/secretariat/")
    assert held_at(client.get("/secretariat/meetings/"), "verify", "/secretariat/meetings/")
    assert held_at(client.get("/admin/"), "verify", "/admin/")
    # The portal reads with the secretariat's policy too: a secretariat-only meeting.
    detail = secret_meeting.get_absolute_url()
    assert held_at(client.get(detail), "verify", detail)

    # A workspace form is not acted on; the member comes back to the page it was on.
    meetings = Meeting.objects.count()
    response = client.post(
        reverse("secretariat:meeting-create"),
        {"title": "An extraordinary meeting"},
        HTTP_REFERER="http://testserver/secretariat/meetings/new/",
    )
    assert held_at(response, "verify", "http://testserver/secretariat/meetings/new/")
    assert Meeting.objects.count() == meetings

    # The workspace's htmx requests are sent to the whole page, not swapped into a fragment.
    response = client.post(reverse("secretariat:meeting-create"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"].startswith(
        reverse("two-factor-verify")
    )

    # The API's session door answers in the API's error shape.
    response = client.get("/api/v1/meetings/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "two_factor_required"
    # Another scheme than an API key's leaves the session to act: held the same.
    response = client.get("/api/v1/meetings/", HTTP_AUTHORIZATION="Basic c29tZTpvbmU=")
    assert response.status_code == 403

    # Signing out, and the verification page itself, stay open.
    assert client.get(reverse("two-factor-verify")).status_code == 200


def test_api_keys_are_not_affected(client):
    user, _, _ = enrolled()
    client.force_login(user)
    _, key = api_key_create(name="partner", scopes=["read:public"])
    response = client.get("/api/v1/meetings/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    # A refused key is refused as a key, whatever the session.
    response = client.get("/api/v1/meetings/", HTTP_AUTHORIZATION="Bearer bpd_nonsense")
    assert response.status_code == 401


def test_a_verified_member_reaches_the_workspace_and_the_admin(client):
    user, device, _ = enrolled(is_superuser=True)
    client.force_login(user)
    response = verify(client, code_of(device))
    assert response.status_code == 302 and response["Location"] == "/secretariat/"
    assert client.get("/secretariat/").status_code == 200
    assert client.get("/admin/").status_code == 200
    # Where a superuser resets someone who lost phone and codes: their devices.
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 200


def test_a_wrong_code_is_refused_and_the_door_stays_shut(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user, device, _ = enrolled()
    client.force_login(user)
    wrong = f"{(int(code_of(device)) + 1) % 1_000_000:06d}"
    response = verify(client, wrong)
    assert response.status_code == 400
    assert "That code is not valid" in response.content.decode()
    assert held_at(client.get("/secretariat/"), "verify", "/secretariat/")
    assert verify(client, "notacode").status_code == 400


def test_wrong_codes_slow_down_the_next_tries(client):
    user, device, _ = enrolled()
    client.force_login(user)
    verify(client, f"{(int(code_of(device)) + 1) % 1_000_000:06d}")
    # Right, but within the second the first wrong code imposes (django-otp's throttling).
    response = verify(client, code_of(device))
    assert response.status_code == 400
    assert "Too many wrong codes" in response.content.decode()


def test_a_recovery_code_works_once_and_not_twice(client, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 0  # the next try follows the refused one at once
    user, _, codes = enrolled()
    client.force_login(user)
    response = verify(client, codes[0].upper())  # as typed from paper: case does not matter
    assert response.status_code == 302
    assert client.get("/secretariat/").status_code == 200
    assert StaticDevice.objects.get(user=user).token_set.count() == 9

    client.post(reverse("logout"))
    client.force_login(user)
    response = verify(client, codes[0])
    assert response.status_code == 400
    assert held_at(client.get("/secretariat/"), "verify", "/secretariat/")
    assert verify(client, codes[1]).status_code == 302


# -- enrolment -----------------------------------------------------------------------------
def test_enrolment_from_the_sign_in_form_to_a_second_sign_in(client):
    user = UserFactory(secretariat=True)

    # Signing in, the member is asked to set up two-factor, on the way to where they went.
    response = sign_in(client, user)
    assert held_at(response, "enrol", "/secretariat/")
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "no-store" in page["Cache-Control"]  # the secret stays out of every cache
    assert '<svg width="' in text and 'class="qr-code"' in text
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = re.search(r'<code id="two-factor-secret">([A-Z2-7 ]+)</code>', text).group(1)
    assert secret.replace(" ", "") == twofactor.b32encode(device.bin_key).decode().rstrip("=")
    assert "Later" in text  # TWO_FACTOR_REQUIRED is off

    # A wrong first code confirms nothing.
    response = client.post(
        reverse("two-factor"), {"code": "000000" if code_of(device) != "000000" else "111111"}
    )
    assert response.status_code == 400
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    device.throttle_reset()
    response = client.post(
        reverse("two-factor"), {"code": code_of(device), "next": "/secretariat/"}
    )
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "no-store" in response["Cache-Control"]
    assert TOTPDevice.objects.get(user=user).confirmed
    # Confirming verified this session: the workspace is open.
    assert client.get("/secretariat/").status_code == 200

    # The next sign-in asks for a code, and the app's next one lets them in.
    client.post(reverse("logout"))
    response = sign_in(client, user)
    assert held_at(response, "verify", "/secretariat/")
    assert held_at(client.get("/secretariat/"), "verify", "/secretariat/")
    response = verify(client, code_of(device, steps_ahead=1))
    assert response.status_code == 302
    assert client.get("/secretariat/").status_code == 200


def test_without_the_setting_enrolment_is_asked_not_required(client):
    user = UserFactory(secretariat=True)
    client.force_login(user)
    page = client.get("/secretariat/")
    assert page.status_code == 200
    assert "Set up two-factor sign-in" in page.content.decode()


def test_with_the_setting_the_workspace_waits_for_enrolment(client, required):
    user = UserFactory(secretariat=True)
    client.force_login(user)
    assert held_at(client.get("/secretariat/"), "enrol", "/secretariat/")
    assert held_at(client.get("/"), "enrol", "/")
    page = client.get(reverse("two-factor"))
    assert page.status_code == 200
    assert "Later" not in page.content.decode()
    assert "required for the secretariat" in page.content.decode()


def test_delegates_are_not_asked(client, required):
    delegate = UserFactory()
    client.force_login(delegate)
    assert client.get("/").status_code == 200
    assert client.get(reverse("two-factor")).status_code == 403
    assert sign_in(client, delegate, "/")["Location"] == "/"


# -- living with it ------------------------------------------------------------------------
def test_new_recovery_codes_replace_the_old_ones(client, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    user, device, old = enrolled()
    client.force_login(user)
    verify(client, code_of(device))
    response = client.post(reverse("two-factor-recovery-codes"))
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)

    client.post(reverse("logout"))
    client.force_login(user)
    assert verify(client, old[0]).status_code == 400
    assert verify(client, new[0]).status_code == 302


def test_replacing_the_codes_needs_a_verified_session(client):
    user, _, old = enrolled()
    client.force_login(user)
    page = "http://testserver" + reverse("two-factor")
    response = client.post(reverse("two-factor-recovery-codes"), HTTP_REFERER=page)
    assert held_at(response, "verify", page)
    assert sorted(
        StaticDevice.objects.get(user=user).token_set.values_list("token", flat=True)
    ) == (sorted(old))


def test_removing_the_authenticator_needs_a_current_code(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user, device, codes = enrolled()
    client.force_login(user)
    verify(client, code_of(device))
    response = client.post(reverse("two-factor-remove"), {"code": "12345678"})
    assert response.status_code == 400
    assert TOTPDevice.objects.filter(user=user).exists()

    response = client.post(reverse("two-factor-remove"), {"code": codes[0]})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    # Back to a password alone: asked, not held (the setting is off).
    assert client.get("/secretariat/").status_code == 200


# -- the demo ------------------------------------------------------------------------------
def test_the_demo_secretariat_is_exempt_and_says_so(client, required, capsys):
    call_command("create_demo_users")
    assert "Demo user 'secretariat' is exempt from two-factor authentication" in (
        capsys.readouterr().out
    )
    demo = get_user_model().objects.get(username="secretariat")
    client.force_login(demo)
    page = client.get("/secretariat/")
    assert page.status_code == 200
    assert "This demo account is exempt from two-factor authentication" in page.content.decode()
    # Signing in leads straight where they went.
    demo.set_password(PASSWORD)
    demo.save()
    assert sign_in(client, demo)["Location"] == "/secretariat/"


def test_an_exempt_member_with_an_authenticator_is_not_asked_either(client, required):
    user, _, _ = enrolled()
    twofactor.exempt(user)
    client.force_login(user)
    assert client.get("/secretariat/").status_code == 200
