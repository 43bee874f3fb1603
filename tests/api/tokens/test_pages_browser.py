"""Settings → API tokens in Chromium: make a token, copy it with the button, revoke it."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from api.models import ApiToken

pytestmark = pytest.mark.browser
# Set to a directory to keep the screenshots (they are looked at by a person, not asserted).
SHOTS = os.environ.get("SCREENSHOTS_DIR")


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.mark.parametrize("width", [1200, 390])
def test_make_copy_and_revoke_a_token(page: Page, alice, live_server, width):
    client = Client()
    client.force_login(alice)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/accounts/settings/")
    page.get_by_role("link", name="Manage API tokens").click()
    page.get_by_label("Token name").fill("Backup script")
    page.get_by_label("Read and write").check()
    page.get_by_label("Expires after").select_option(label="90 days")
    _shot(page, f"api-tokens-empty-{width}")
    page.get_by_role("button", name="Make the token").click()
    expect(page.get_by_role("heading", name="“Backup script” is ready")).to_be_visible()
    token = ApiToken.objects.get(owner=alice)
    shown = page.locator("#token-text").inner_text()
    assert shown.startswith(f"ncrm_{token.prefix}_")
    _shot(page, f"api-token-new-{width}")
    page.get_by_role("button", name="Copy the token").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == shown
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("link", name="Done").click()
    expect(page.get_by_text(f"ncrm_{token.prefix}_…")).to_be_visible()
    _shot(page, f"api-tokens-list-{width}")
    page.get_by_role("link", name="Revoke Backup script").click()
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("No token yet")).to_be_visible()
    token.refresh_from_db()
    assert token.revoked_at is not None
