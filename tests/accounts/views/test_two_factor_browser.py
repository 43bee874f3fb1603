"""Two-factor sign-in in a real browser: turn it on in Settings, log out, log back in with a code.

The live server runs on the real clock (a frozen clock would stop the browser's timers too), so
codes come from the real time: django-otp accepts the neighbouring 30-second steps, and a code
is never accepted twice, so signing in uses the next step's code.

Screenshots of the setup and code pages go to $SCREENSHOT_DIR when it is set (for a person to
look at), else to the test's own temporary directory.
"""

from __future__ import annotations

import os
import re
from base64 import b32decode
from pathlib import Path

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from accounts import services
from accounts.models import User
from tests.fixtures.browser import PASSWORD, sign_up

pytestmark = pytest.mark.browser


def code(secret: str, steps_ahead: int = 0) -> str:
    return f"{totp(b32decode(secret.replace(' ', '')), drift=steps_ahead):06d}"


def next_code(secret: str) -> str:
    """A code the server accepts now although this step's code was used: the next step's, as
    seen by the device (django-otp moves its drift when a code from a neighbouring step came)."""
    device = TOTPDevice.objects.get(user__email="ada@example.com", confirmed=True)
    return code(secret, steps_ahead=device.drift + 1)


def log_in_with_password(page: Page) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("ada@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_turn_on_two_factor_then_sign_in_with_a_code(page, new_page, tmp_path):
    shots = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    page.goto("/accounts/signup/")
    sign_up(page, name="Ada Lovelace", email="ada@example.com")
    expect(page.get_by_role("heading", name="Hello Ada")).to_be_visible()

    # Settings → Two-factor sign-in → Turn on.
    page.get_by_role("link", name="Settings").click()
    section = page.get_by_role("region", name="Two-factor sign-in")
    section.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Turn on two-factor sign-in")).to_be_visible()
    qr = page.get_by_role("img", name="QR code for your authenticator app")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box and 200 <= box["width"] <= 300 and box["width"] == box["height"]
    secret = page.locator("#secret-key").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", secret)
    page.screenshot(path=shots / "totp-setup.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=shots / "totp-setup-phone.png", full_page=True)
    page.set_viewport_size({"width": 1200, "height": 900})

    # A wrong code leaves it off and says so.
    page.get_by_label("Code from the app").fill("000000" if code(secret) != "000000" else "111111")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm and turn on").click()
    expect(page.get_by_text("That code isn't right.")).to_be_visible()
    assert not services.two_factor_enabled(user=User.objects.get(email="ada@example.com"))

    page.wait_for_timeout(1100)  # django-otp's one-second pause after a wrong code
    page.get_by_label("Code from the app").fill(code(secret))
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm and turn on").click()

    # The recovery codes, once.
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.get_by_text("Two-factor sign-in is on.")).to_be_visible()
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    recovery_code = codes.first.inner_text()
    page.screenshot(path=shots / "totp-recovery-codes.png", full_page=True)
    page.get_by_role("link", name="I've saved them").click()
    expect(section.get_by_text("10 recovery codes left")).to_be_visible()
    section.screenshot(path=shots / "totp-settings.png")

    # Out, and back in: the password alone leads to the code step, not the dashboard.
    page.get_by_role("button", name="Log out").click()
    log_in_with_password(page)
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    page.screenshot(path=shots / "totp-code.png", full_page=True)
    page.goto("/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()

    log_in_with_password(page)
    page.get_by_label("Code").fill(next_code(secret))
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Hello Ada")).to_be_visible()

    # A recovery code works too, on a phone-sized screen in another browser.
    phone = new_page(viewport={"width": 390, "height": 844})
    phone.goto("/accounts/login/")
    log_in_with_password(phone)
    expect(phone.get_by_role("heading", name="Enter your code")).to_be_visible()
    phone.screenshot(path=shots / "totp-code-phone.png", full_page=True)
    phone.get_by_label("Code").fill(recovery_code)
    phone.get_by_role("button", name="Log in").click()
    expect(phone.get_by_text("You used a recovery code; 9 left.")).to_be_visible()
    expect(phone.get_by_role("heading", name="Hello Ada")).to_be_visible()
