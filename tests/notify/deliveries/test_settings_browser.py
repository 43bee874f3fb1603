"""In Chromium: the settings page's email toggle and quiet hours, typed as a user would, saved,
shown back; a half pair is refused with the message next to the field. Axe on the page, and
screenshots at desktop and phone width (/tmp/shots/deliveries-*.png)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accounts.models import UserSettings
from tests.factories import UserFactory
from tests.fixtures.axe import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
SHOTS = Path("/tmp/shots")


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_attached()


@pytest.mark.parametrize(
    ("size", "viewport"),
    [("desktop", {"width": 1280, "height": 900}), ("phone", {"width": 390, "height": 844})],
)
def test_quiet_hours_and_email_toggle_on_the_settings_page(new_page, size, viewport):
    user = UserFactory(email="quiet@example.com")
    page = new_page(viewport=viewport)
    log_in(page, user.email)
    page.goto("/accounts/settings/")
    toggle = page.get_by_label("Send the digest by email")
    expect(toggle).to_be_checked()
    quiet = page.get_by_role("group", name="Quiet hours")
    # Half a pair: refused, said next to the field, nothing saved.
    quiet.get_by_label("Quiet from").fill("22:00")
    page.get_by_role("button", name="Save reminder settings").click()
    expect(page.get_by_text("Give both times for quiet hours, or clear both.")).to_be_visible()
    assert UserSettings.objects.get(user=user).quiet_hours_start is None

    page.get_by_role("group", name="Quiet hours").get_by_label("Quiet until").fill("07:00")
    page.get_by_label("Send the digest by email").uncheck()
    page.get_by_role("button", name="Save reminder settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    saved = UserSettings.objects.get(user=user)
    assert (saved.quiet_hours_start, saved.quiet_hours_end, saved.digest_by_email) == (
        dt.time(22),
        dt.time(7),
        False,
    )
    expect(page.get_by_label("Quiet from")).to_have_value("22:00")
    expect(page.get_by_label("Send the digest by email")).not_to_be_checked()

    assert axe_violations(page, where="settings") == []
    SHOTS.mkdir(exist_ok=True)
    page.get_by_role("group", name="Quiet hours").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / f"deliveries-settings-{size}.png")
