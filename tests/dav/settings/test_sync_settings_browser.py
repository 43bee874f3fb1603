"""Adding a device in the browser: the password and QR code shown once, the profile download,
then revoking it after a confirmation. Screenshots at phone and desktop width go to
test-results/ (SYNC_SCREENSHOTS=1) for a look at the layout."""

from __future__ import annotations

import os
import plistlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from accounts import services as account_services
from accounts.models import AppPassword
from tests.factories import CircleFactory

pytestmark = pytest.mark.browser
SHOTS = Path("test-results") if os.environ.get("SYNC_SCREENSHOTS") else None


def signed_in(page: Page, user, live_server) -> Page:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return page


def shot(page: Page, name: str) -> None:
    if SHOTS:
        SHOTS.mkdir(exist_ok=True)
        width = page.viewport_size["width"]
        page.screenshot(path=SHOTS / f"sync-{name}-{width}.png", full_page=True)


@pytest.mark.parametrize("width", [390, 1280])
def test_add_a_device_then_revoke_it(new_page, alice, live_server, width):
    CircleFactory(owner=alice, name="Family")
    account_services.app_password_create(owner=alice, name="Old laptop")
    page = signed_in(new_page(viewport={"width": width, "height": 900}), alice, live_server)

    page.goto("/accounts/settings/")
    page.locator("#sync").scroll_into_view_if_needed()
    shot(page, "settings")
    page.get_by_role("link", name="Set up sync and manage your devices").click()
    expect(page.get_by_role("heading", name="Sync with your phone", level=1)).to_be_visible()
    expect(page.locator("#server-url")).to_have_text(re.compile(r"/dav/$"))
    expect(page.locator("#user-name")).to_have_text("alice@example.com")
    shot(page, "page")

    page.get_by_label("Device name").fill("Alice's iPhone")
    page.get_by_role("button", name="Add a device").click()
    expect(page.get_by_role("heading", name="“Alice's iPhone” can sync")).to_be_visible()
    expect(page.get_by_text("This password is shown only now.")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("^QR code for DAVx5"))).to_be_visible()
    secret = page.locator("#app-password").inner_text()
    shot(page, "device-added")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the profile").click()
    download = download_info.value
    assert download.suggested_filename == "network-crm.mobileconfig"
    profile = plistlib.loads(Path(download.path()).read_bytes())
    assert profile["PayloadContent"][0]["CardDAVPassword"] == secret

    page.get_by_role("link", name="Done").click()
    devices = page.locator("#devices")
    expect(devices.get_by_text("Alice's iPhone")).to_be_visible()
    expect(devices.get_by_text("not synced yet")).to_have_count(2)

    page.get_by_role("link", name="Revoke Alice's iPhone").click()
    expect(page.get_by_role("heading", name="Revoke “Alice's iPhone”?")).to_be_visible()
    shot(page, "revoke")
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("status")).to_contain_text("“Alice's iPhone” can no longer sync.")
    expect(devices.get_by_text("Alice's iPhone")).to_have_count(0)
    expect(devices.get_by_text("Old laptop")).to_be_visible()
    assert AppPassword.objects.get(name="Alice's iPhone").revoked_at is not None

    page.get_by_text("Only these circles").click()
    page.get_by_label("Family").check()
    page.get_by_text("Delete the person and their history").click()
    page.get_by_role("button", name="Save sync settings").click()
    expect(page.get_by_role("status")).to_contain_text("Sync settings saved")
    expect(page.get_by_label("Family")).to_be_checked()
    shot(page, "saved")
